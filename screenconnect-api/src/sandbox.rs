//! A local ScreenConnect server to test automations against (feature `sandbox`).
//!
//! [`Sandbox::start`] runs the [`msp_sandbox`] ScreenConnect server on `127.0.0.1` and a free
//! port and returns it with its base URL, its secret and a ready [`Client`]; the server stops
//! when the value is dropped. Put the crate with this feature in `[dev-dependencies]`:
//!
//! ```toml
//! [dev-dependencies]
//! screenconnect-api = { version = "0.1", features = ["sandbox"] }
//! ```
//!
//! ```
//! use screenconnect_api::command::{CommandScript, Shell};
//! use screenconnect_api::sandbox::Sandbox;
//! use screenconnect_api::RunOptions;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client();
//! let session = client.sessions_by_name("ACME-WS-042").await?.remove(0);
//! let run = client
//!     .run_command(
//!         &session.session_id,
//!         &CommandScript::new(Shell::PowerShell, "hostname"),
//!         &RunOptions::new(),
//!     )
//!     .await?;
//! assert_eq!(run.result.output, "ACME-WS-042\n");
//! assert_eq!(sandbox.server().commands().len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! The sessions are the managed machines of the sandbox's seed (their names match the
//! configuration names of a Manage sandbox started from the same seed); see
//! [`msp_sandbox::screenconnect`] for what the server does, and
//! [`ScreenConnectServer`] for what a test can read (counters, commands received) and do (take
//! an agent on- or offline).
//!
//! The simulated agents and the client both wait on tokio's clock, so a test under
//! `#[tokio::test(start_paused = true)]` runs commands, delays and retries without waiting.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use msp_common::Clock;
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
///
/// It dereferences to the [`ScreenConnectServer`], for its counters, the commands it received
/// and its agents.
pub struct Sandbox {
    server: ScreenConnectServer,
    client: Client,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default seed (the sample MSP's machines), no faults, a 2 s
    /// agent delay, and the instance's own origin as the allowed `Origin`.
    ///
    /// # Errors
    /// When no port can be bound on `127.0.0.1`, or the HTTP client cannot be built.
    pub async fn start() -> Result<Sandbox, Error> {
        Sandbox::start_with(ScreenConnectOptions::default()).await
    }

    /// Starts a sandbox with `options` (seed and sizes, faults, agent delay, state file, …).
    ///
    /// # Errors
    /// When the port cannot be bound, the state file cannot be read, or the HTTP client cannot
    /// be built.
    pub async fn start_with(options: ScreenConnectOptions) -> Result<Sandbox, Error> {
        let server = ScreenConnectServer::start(options)
            .await
            .map_err(|error| Error::build("sandbox", error.to_string()))?;
        let config = Config::new(&server.instance(), SecretString::from(server.secret()))?;
        let client = builder_for(&config).build()?;
        Ok(Sandbox { server, client })
    }

    /// The instance URL, `http://127.0.0.1:{port}` (what `SC_INSTANCE` would hold).
    pub fn base_url(&self) -> String {
        self.server.instance()
    }

    /// The secret the sandbox accepts (what `SC_SECRET` would hold).
    pub fn secret(&self) -> SecretString {
        SecretString::from(self.server.secret())
    }

    /// The client configuration for the sandbox.
    pub fn config(&self) -> &Config {
        self.client.config()
    }

    /// The ready client: the default retry policy (so injected faults are retried as they would
    /// be against a real instance), waiting on tokio's clock.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A builder for another client of the sandbox (other retries, read-only, …), on tokio's
    /// clock like [`Sandbox::client`].
    pub fn client_builder(&self) -> ClientBuilder {
        builder_for(self.client.config())
    }

    /// The running server.
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

fn builder_for(config: &Config) -> ClientBuilder {
    Client::builder(config.clone()).clock(Arc::new(TokioClock {
        origin: tokio::time::Instant::now(),
    }))
}

/// Deadlines on tokio's clock, so they follow paused time as the sandbox's agents do; the wall
/// clock is the real one, which the server's `Retry-After` dates are written from.
#[derive(Debug)]
struct TokioClock {
    origin: tokio::time::Instant,
}

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }
}
