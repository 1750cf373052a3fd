//! The tenants the server serves, each with its own client (credentials, rate budget), and the
//! one rule of isolation: a call resolves its tenant by name and only ever gets that tenant's
//! client.

use std::num::NonZeroU32;
use std::time::Duration;

use connectwise_manage::Client;
use msp_common::{RateLimit, RetryPolicy};
use msp_sandbox::{Sandbox, SandboxOptions};
use screenconnect_api::SecretString;

use super::config::{Config, ConfigError, ScreenConnectConfig};

/// How long a command's result is first waited for between checks, unless configured.
pub const DEFAULT_COMMAND_POLL: Duration = Duration::from_millis(1500);

/// One tenant and its clients.
#[derive(Debug)]
pub struct Tenant {
    /// The name tools take.
    pub name: String,
    /// The tenant's Manage client (its own credentials and rate budget).
    pub manage: Client,
    /// The tenant's ScreenConnect client, when it has an instance.
    pub screenconnect: Option<ScreenConnect>,
}

/// A tenant's ScreenConnect client and how it waits for command results.
#[derive(Debug)]
pub struct ScreenConnect {
    /// The client (its own secret and rate budget).
    pub client: screenconnect_api::Client,
    /// The first interval between checks for a command's result.
    pub command_poll: Duration,
}

/// Every tenant the server serves (and the sandbox it runs on, when there is no configuration).
#[derive(Debug)]
pub struct Tenants {
    tenants: Vec<Tenant>,
    // Kept alive for as long as the server runs.
    sandbox: Option<Sandbox>,
}

impl Tenants {
    /// The tenants of `config`, their secrets read through `lookup` (the environment) or files.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] when a secret cannot be read or a client cannot be built.
    pub fn from_config(
        config: &Config,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Tenants, ConfigError> {
        let mut tenants = Vec::with_capacity(config.tenants.len());
        for tenant in &config.tenants {
            let name = &tenant.name;
            let manage = &tenant.manage;
            let private_key = manage
                .private_key
                .read(&format!("tenant {name:?}: manage.private_key"), lookup)?;
            let client_id = manage
                .client_id
                .read(&format!("tenant {name:?}: manage.client_id"), lookup)?;
            let requests = NonZeroU32::new(tenant.requests_per_minute)
                .ok_or_else(|| ConfigError::Invalid(format!("tenant {name:?}: no rate")))?;
            let mut builder = Client::builder()
                .site(manage.site.clone())
                .company(manage.company.clone())
                .public_key(manage.public_key.clone())
                .private_key(private_key)
                .client_id(client_id)
                .rate_limit(RateLimit::per_minute(requests));
            if let Some(attempts) = tenant.max_attempts {
                builder =
                    builder.retry_policy(RetryPolicy::interactive().with_max_attempts(attempts));
            }
            let client = builder
                .build()
                .map_err(|error| ConfigError::Invalid(format!("tenant {name:?}: {error}")))?;
            let screenconnect = match &tenant.screenconnect {
                Some(config) => Some(screenconnect(
                    name,
                    config,
                    requests,
                    tenant.max_attempts,
                    lookup,
                )?),
                None => None,
            };
            tenants.push(Tenant {
                name: name.clone(),
                manage: client,
                screenconnect,
            });
        }
        Ok(Tenants {
            tenants,
            sandbox: None,
        })
    }

    /// One tenant named `sandbox` on the Manage and ScreenConnect sandboxes, started in this
    /// process from one seed (the ScreenConnect sessions are the Manage configurations).
    ///
    /// # Errors
    /// When a sandbox cannot start or a client cannot be built.
    pub async fn sandbox() -> Result<Tenants, Box<dyn std::error::Error>> {
        let sandbox = Sandbox::start(SandboxOptions::default()).await?;
        let credentials = sandbox.manage.credentials();
        let manage = Client::builder()
            .site(sandbox.manage.site())
            .company(credentials.company)
            .public_key(credentials.public_key)
            .private_key(credentials.private_key)
            .client_id(credentials.client_id)
            .build()?;
        let config = screenconnect_api::Config::new(
            &sandbox.screenconnect.instance(),
            SecretString::from(sandbox.screenconnect.secret()),
        )?;
        let screenconnect = ScreenConnect {
            client: screenconnect_api::Client::new(config)?,
            command_poll: DEFAULT_COMMAND_POLL,
        };
        Ok(Tenants {
            tenants: vec![Tenant {
                name: "sandbox".to_owned(),
                manage,
                screenconnect: Some(screenconnect),
            }],
            sandbox: Some(sandbox),
        })
    }

    /// The sandbox's Manage site and ScreenConnect instance, when the server runs on them.
    pub fn sandbox_urls(&self) -> Option<(String, String)> {
        self.sandbox
            .as_ref()
            .map(|sandbox| (sandbox.manage.site(), sandbox.screenconnect.instance()))
    }

    /// The tenant names, in configuration order.
    pub fn names(&self) -> Vec<&str> {
        self.tenants.iter().map(|t| t.name.as_str()).collect()
    }

    /// The tenant a call names; with no name, the only tenant (an error when there are several).
    ///
    /// # Errors
    /// A message for the model: the unknown name and the names there are.
    pub fn resolve(&self, name: Option<&str>) -> Result<&Tenant, String> {
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => self.tenants.iter().find(|t| t.name == name).ok_or_else(|| {
                format!(
                    "unknown tenant {name:?}; the tenants are: {}",
                    self.names().join(", ")
                )
            }),
            None if self.tenants.len() == 1 => Ok(&self.tenants[0]),
            None => Err(format!(
                "several tenants are configured: name one in `tenant` ({})",
                self.names().join(", ")
            )),
        }
    }
}

/// The ScreenConnect client of tenant `name`, its secret read through `lookup` or its file.
fn screenconnect(
    name: &str,
    config: &ScreenConnectConfig,
    requests: NonZeroU32,
    max_attempts: Option<u32>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<ScreenConnect, ConfigError> {
    let invalid = |error: &dyn std::fmt::Display| {
        ConfigError::Invalid(format!("tenant {name:?}: screenconnect: {error}"))
    };
    let secret = config
        .secret
        .read(&format!("tenant {name:?}: screenconnect.secret"), lookup)?;
    let mut client_config =
        screenconnect_api::Config::new(&config.instance, secret).map_err(|e| invalid(&e))?;
    if let Some(id) = &config.extension_id {
        client_config = client_config
            .with_extension_id(id)
            .map_err(|e| invalid(&e))?;
    }
    let mut builder = screenconnect_api::Client::builder(client_config)
        .rate_limit(RateLimit::per_minute(requests));
    if let Some(attempts) = max_attempts {
        builder = builder.retry_policy(RetryPolicy::interactive().with_max_attempts(attempts));
    }
    let client = builder.build().map_err(|e| invalid(&e))?;
    Ok(ScreenConnect {
        client,
        command_poll: config
            .command_poll_ms
            .map_or(DEFAULT_COMMAND_POLL, Duration::from_millis),
    })
}
