//! Where a recipe runs: the tenant the `CW_*` (or `SC_*`) environment variables name, or a
//! sandbox started in the process (`connectwise_manage::sandbox`, `screenconnect_api::sandbox`)
//! when none of them is set.
//!
//! Setting only some of the variables is an error rather than a quiet fall-back to the sandbox:
//! a half-configured environment means a real tenant was intended.

use crate::error::Error;
use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use screenconnect_api::sandbox::Sandbox as ScreenConnectSandbox;

/// The variables that name a Manage tenant (`CW_API_VERSION` is optional and not listed).
pub const MANAGE_VARIABLES: [&str; 5] = [
    "CW_SITE",
    "CW_COMPANY",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_CLIENT_ID",
];

/// The variables that name a ScreenConnect instance (`SC_EXTENSION_ID` and `SC_ORIGIN` are
/// optional and not listed).
pub const SCREENCONNECT_VARIABLES: [&str; 2] = ["SC_INSTANCE", "SC_SECRET"];

/// Which of `names` are set to something other than blanks: all, none, or the missing ones.
fn presence(
    names: &[&'static str],
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<bool, Vec<&'static str>> {
    let missing: Vec<&'static str> = names
        .iter()
        .copied()
        .filter(|name| lookup(name).is_none_or(|value| value.trim().is_empty()))
        .collect();
    match missing.len() {
        0 => Ok(true),
        n if n == names.len() => Ok(false),
        _ => Err(missing),
    }
}

/// A ConnectWise Manage client, for a real tenant or for the sandbox.
#[derive(Debug)]
pub enum ManageTarget {
    /// The tenant named by the `CW_*` variables.
    Tenant(connectwise_manage::Client),
    /// A sandbox started for this run, which lives as long as this value.
    Sandbox(ManageSandbox),
}

impl ManageTarget {
    /// Reads the process environment; see [`ManageTarget::from_lookup`].
    ///
    /// # Errors
    /// As [`ManageTarget::from_lookup`].
    pub async fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok()).await
    }

    /// The tenant when every variable of [`MANAGE_VARIABLES`] is set, the sandbox when none is.
    ///
    /// # Errors
    /// [`Error::PartialCredentials`] when only some are set; [`Error::Api`] when the client
    /// cannot be built from them (an invalid site, …).
    pub async fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        match presence(&MANAGE_VARIABLES, lookup) {
            Ok(true) => Ok(ManageTarget::Tenant(
                connectwise_manage::ClientBuilder::from_lookup(lookup).build()?,
            )),
            Ok(false) => Ok(ManageTarget::Sandbox(ManageSandbox::start().await?)),
            Err(missing) => Err(Error::PartialCredentials {
                api: "ConnectWise Manage",
                missing,
            }),
        }
    }

    /// The client to use.
    pub fn client(&self) -> &connectwise_manage::Client {
        match self {
            ManageTarget::Tenant(client) => client,
            ManageTarget::Sandbox(sandbox) => sandbox.client(),
        }
    }

    /// Whether this is the sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, ManageTarget::Sandbox(_))
    }

    /// The line a recipe prints first, saying where it runs.
    pub fn banner(&self) -> String {
        match self {
            ManageTarget::Tenant(client) => format!(
                "Running on ConnectWise Manage: company {:?} at {}.",
                client.company_id(),
                client.site().origin().as_str().trim_end_matches('/')
            ),
            ManageTarget::Sandbox(sandbox) => format!(
                "Running on the ConnectWise Manage sandbox at {} (set {} to use a real tenant).",
                sandbox.site(),
                MANAGE_VARIABLES.join(", ")
            ),
        }
    }
}

/// A ScreenConnect client, for a real instance or for the sandbox.
#[derive(Debug)]
pub enum ScreenConnectTarget {
    /// The instance named by the `SC_*` variables.
    Instance(screenconnect_api::Client),
    /// A sandbox started for this run, which lives as long as this value.
    Sandbox(ScreenConnectSandbox),
}

impl ScreenConnectTarget {
    /// Reads the process environment; see [`ScreenConnectTarget::from_lookup`].
    ///
    /// # Errors
    /// As [`ScreenConnectTarget::from_lookup`].
    pub async fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&|name| std::env::var(name).ok()).await
    }

    /// The instance when every variable of [`SCREENCONNECT_VARIABLES`] is set, the sandbox when
    /// none is.
    ///
    /// # Errors
    /// [`Error::PartialCredentials`] when only some are set; [`Error::Config`] or
    /// [`Error::Api`] when the client cannot be built from them.
    pub async fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, Error> {
        match presence(&SCREENCONNECT_VARIABLES, lookup) {
            Ok(true) => {
                let config = screenconnect_api::Config::from_lookup(lookup)?;
                Ok(ScreenConnectTarget::Instance(
                    screenconnect_api::Client::new(config)?,
                ))
            }
            Ok(false) => Ok(ScreenConnectTarget::Sandbox(
                ScreenConnectSandbox::start().await?,
            )),
            Err(missing) => Err(Error::PartialCredentials {
                api: "ScreenConnect",
                missing,
            }),
        }
    }

    /// The client to use.
    pub fn client(&self) -> &screenconnect_api::Client {
        match self {
            ScreenConnectTarget::Instance(client) => client,
            ScreenConnectTarget::Sandbox(sandbox) => sandbox.client(),
        }
    }

    /// Whether this is the sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, ScreenConnectTarget::Sandbox(_))
    }

    /// The line a recipe prints first, saying where it runs.
    pub fn banner(&self) -> String {
        match self {
            ScreenConnectTarget::Instance(client) => format!(
                "Running on ScreenConnect instance {}.",
                client.config().instance()
            ),
            ScreenConnectTarget::Sandbox(sandbox) => format!(
                "Running on the ScreenConnect sandbox at {} (set {} to use a real instance).",
                sandbox.instance(),
                SCREENCONNECT_VARIABLES.join(", ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_credentials_are_named() {
        let lookup =
            |name: &str| (name == "CW_SITE" || name == "CW_COMPANY").then(|| "x".to_owned());
        assert_eq!(
            presence(&MANAGE_VARIABLES, &lookup),
            Err(vec!["CW_PUBLIC_KEY", "CW_PRIVATE_KEY", "CW_CLIENT_ID"])
        );
        let blank = |_: &str| Some("  ".to_owned());
        assert_eq!(presence(&MANAGE_VARIABLES, &blank), Ok(false));
        let all = |_: &str| Some("x".to_owned());
        assert_eq!(presence(&SCREENCONNECT_VARIABLES, &all), Ok(true));
    }
}
