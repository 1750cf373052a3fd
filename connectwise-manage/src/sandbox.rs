//! A local ConnectWise Manage server for tests (feature `sandbox`): one call starts it and
//! returns its URL, its credentials and a ready [`Client`]; it stops when dropped.
//!
//! ```
//! use connectwise_manage::sandbox::Sandbox;
//! use connectwise_manage::{ListQuery, query::Condition};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let tickets = sandbox.client().service().tickets();
//! let acme = ListQuery::new().conditions(Condition::eq("company/identifier", "ACME")?);
//! assert_eq!(tickets.count(&acme).await?, 6);
//! # Ok(())
//! # }
//! ```
//!
//! The server is [`msp_sandbox`]'s Manage server: the sample MSP (companies Acme, Northwind and
//! Contoso, tickets 1001 to 1014, …) plus as many generated records as [`SeedOptions`] asks for,
//! faults from [`FaultOptions`], and [`counters`](ManageServer::counters) a test can check. The
//! [`Sandbox`] dereferences to the [`ManageServer`] for those.
//!
//! Put the feature in `[dev-dependencies]` only:
//!
//! ```toml
//! [dev-dependencies]
//! connectwise-manage = { version = "0.1", features = ["sandbox"] }
//! ```

use std::ops::Deref;

pub use msp_sandbox::counters::{Counters, Event};
pub use msp_sandbox::faults::{
    Accounting, FaultOptions, Latency, RateLimit as FaultRateLimit, RetryAfterForm,
};
pub use msp_sandbox::manage::{
    API_MEMBER_ID, API_MEMBER_IDENTIFIER, CODEBASE, Credentials as SandboxCredentials,
    ManageOptions, ManageServer, Write,
};
pub use msp_sandbox::seed::{Device, Seed, SeedOptions};

use crate::callbacks::CallbackVerifier;
use crate::{Client, ClientBuilder, Error};

/// A running Manage sandbox and a client for it. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    server: ManageServer,
    client: Client,
}

impl Sandbox {
    /// Starts a sandbox with the sample data on a free port.
    ///
    /// # Errors
    /// When no port can be bound on `127.0.0.1`.
    pub async fn start() -> Result<Sandbox, Error> {
        Self::start_with(ManageOptions::default()).await
    }

    /// Starts a sandbox with `options` (seed sizes, faults, port, state file).
    ///
    /// # Errors
    /// When the port cannot be bound or the state file cannot be read.
    pub async fn start_with(options: ManageOptions) -> Result<Sandbox, Error> {
        let server = ManageServer::start(options)
            .await
            .map_err(|error| Error::build("sandbox", error.to_string()))?;
        let client = builder_for(&server).build()?;
        Ok(Sandbox { server, client })
    }

    /// The ready client (the client's default retry policy, so injected faults are retried as
    /// they would be against a real tenant).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A client builder with the sandbox's site and credentials, to change other settings.
    pub fn client_builder(&self) -> ClientBuilder {
        builder_for(&self.server)
    }

    /// The running server: URL, credentials, records, writes and counters.
    pub fn server(&self) -> &ManageServer {
        &self.server
    }

    /// A callback verifier that trusts the sandbox's key URL (what a receiver under test
    /// builds from its own client).
    ///
    /// # Errors
    /// Never for the sandbox's settings; the type is the verifier's.
    pub fn callback_verifier(&self) -> Result<CallbackVerifier, crate::callbacks::CallbackError> {
        self.client.callback_verifier()
    }
}

impl Deref for Sandbox {
    type Target = ManageServer;

    fn deref(&self) -> &ManageServer {
        &self.server
    }
}

fn builder_for(server: &ManageServer) -> ClientBuilder {
    let credentials = server.credentials();
    Client::builder()
        .site(server.site())
        .company(credentials.company)
        .public_key(credentials.public_key)
        .private_key(credentials.private_key)
        .client_id(credentials.client_id)
}
