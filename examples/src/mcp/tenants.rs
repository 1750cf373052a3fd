//! The tenants the server serves, each with its own client (credentials, rate budget), and the
//! one rule of isolation: a call resolves its tenant by name and only ever gets that tenant's
//! client.

use std::num::NonZeroU32;

use connectwise_manage::Client;
use connectwise_manage::sandbox::Sandbox;
use msp_common::{RateLimit, RetryPolicy};

use super::config::{Config, ConfigError};

/// One tenant and its client.
#[derive(Debug)]
pub struct Tenant {
    /// The name tools take.
    pub name: String,
    /// The tenant's Manage client (its own credentials and rate budget).
    pub manage: Client,
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
            tenants.push(Tenant {
                name: name.clone(),
                manage: client,
            });
        }
        Ok(Tenants {
            tenants,
            sandbox: None,
        })
    }

    /// One tenant named `sandbox` on a Manage sandbox started in this process.
    ///
    /// # Errors
    /// When the sandbox cannot start.
    pub async fn sandbox() -> Result<Tenants, connectwise_manage::Error> {
        let sandbox = Sandbox::start().await?;
        Ok(Tenants {
            tenants: vec![Tenant {
                name: "sandbox".to_owned(),
                manage: sandbox.client().clone(),
            }],
            sandbox: Some(sandbox),
        })
    }

    /// The sandbox's site, when the server runs on one.
    pub fn sandbox_site(&self) -> Option<String> {
        self.sandbox.as_ref().map(|sandbox| sandbox.site())
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
