//! A local ScreenConnect server for tests (feature `sandbox`): one call starts it and returns
//! its instance URL, its secret and a ready [`Client`]; it stops when dropped.
//!
//! ```
//! use screenconnect_api::sandbox::Sandbox;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), screenconnect_api::Error> {
//! let sandbox = Sandbox::start().await?;
//! let sessions = sandbox.client().sessions_by_name("ACME-WS-042").await?;
//! assert_eq!(sessions.len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! The server is [`msp_sandbox`]'s ScreenConnect server: one access session per managed machine
//! of the seed, named after the ConnectWise Manage configurations of the same [`SeedOptions`]
//! (`ACME-WS-042`, `NW-LT-007`, …), agents that run commands with simulated output, the access
//! agent installers, faults from [`FaultOptions`], and counters a test can check. The
//! [`Sandbox`] dereferences to the [`ScreenConnectServer`] for those.
//!
//! Put the feature in `[dev-dependencies]` only:
//!
//! ```toml
//! [dev-dependencies]
//! screenconnect-api = { version = "0.1", features = ["sandbox"] }
//! ```

use std::ops::Deref;

pub use msp_sandbox::counters::{Counters, Event};
pub use msp_sandbox::faults::{
    Accounting, FaultOptions, Latency, RateLimit as FaultRateLimit, RetryAfterForm,
};
pub use msp_sandbox::screenconnect::{
    AllowedOrigin, ReceivedCommand, ScreenConnectOptions, ScreenConnectServer,
};
pub use msp_sandbox::seed::{Device, Seed, SeedOptions};

use crate::{Client, ClientBuilder, Config, Error, SecretString};

/// A running ScreenConnect sandbox and a client for it. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    server: ScreenConnectServer,
    client: Client,
}

impl Sandbox {
    /// Starts a sandbox with the sample sessions on a free port.
    ///
    /// # Errors
    /// When no port can be bound on `127.0.0.1`.
    pub async fn start() -> Result<Sandbox, Error> {
        Self::start_with(ScreenConnectOptions::default()).await
    }

    /// Starts a sandbox with `options` (seed sizes, faults, command delay, port, state file).
    ///
    /// # Errors
    /// When the port cannot be bound or the state file cannot be read.
    pub async fn start_with(options: ScreenConnectOptions) -> Result<Sandbox, Error> {
        let server = ScreenConnectServer::start(options)
            .await
            .map_err(|error| Error::build("sandbox", error.to_string()))?;
        let client = Client::builder(config_for(&server)?).build()?;
        Ok(Sandbox { server, client })
    }

    /// The ready client (the client's default retry policy, so injected faults are retried as
    /// they would be against a real instance).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The client configuration for the sandbox (instance, secret, `Origin`).
    ///
    /// # Errors
    /// Never for the sandbox's settings; the type is the configuration's.
    pub fn config(&self) -> Result<Config, Error> {
        config_for(&self.server)
    }

    /// A client builder for the sandbox, to change other settings (an injected sleeper and
    /// clock, so that `run_command` never waits in real time, or a retry policy).
    ///
    /// # Errors
    /// As [`Sandbox::config`].
    pub fn client_builder(&self) -> Result<ClientBuilder, Error> {
        Ok(Client::builder(self.config()?))
    }

    /// The running server: instance URL, secret, sessions, commands and counters.
    pub fn server(&self) -> &ScreenConnectServer {
        &self.server
    }
}

impl Deref for Sandbox {
    type Target = ScreenConnectServer;

    fn deref(&self) -> &ScreenConnectServer {
        &self.server
    }
}

fn config_for(server: &ScreenConnectServer) -> Result<Config, Error> {
    Ok(Config::new(
        &server.instance(),
        SecretString::from(server.secret()),
    )?)
}
