//! An in-process fake of ScreenConnect's RESTful API Manager extension.
//!
//! [`ScreenConnectSandbox::start`] binds `127.0.0.1` on a free port and serves four access
//! sessions (see [`ScreenConnectSandbox`]) at
//! `/App_Extensions/<default extension id>/Service.ashx/<Method>`, checking the raw secret in
//! `CTRLAuthHeader`. Methods:
//!
//! - `GetSessionsByName` (name compared without regard to case), `GetSessionBySessionID` (a list,
//!   empty for an unknown id), `GetSessionDetailsBySessionID` (`{Session, Events}`);
//! - `SendCommandToSession` (positional `[sessionID, command]`): records a `QueuedCommand` event
//!   and, when the agent is online, a `RanCommand` event at once with the output and the SDK's
//!   exit-code sentinel line carrying exit code 0; an offline agent keeps the command queued;
//! - `UpdateSessionCustomProperties` (positional `[sessionID, [eight values]]`).
//!
//! Other methods answer `500 Web method does not exist`; an unknown session id answers the
//! session manager's `500` fault; a wrong secret `401`; a wrong extension id an HTML `404`.

mod agents;
mod responder;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use screenconnect_api::{Client, ClientBuilder, Config, ConfigError, RetryPolicy, SecretString};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

pub use agents::SentCommand;

use responder::{Fleet, Responder};

/// The sandbox extension's `RESTfulAuthenticationSecret` (not a secret: loopback only).
pub const SECRET: &str = "sandbox-restful-secret";

/// A running fake ScreenConnect extension with four access sessions:
///
/// | name | OS | agent | custom properties (company, site, tag) |
/// |---|---|---|---|
/// | `ACME-WS-042` | Windows 11 Pro | online | Acme Corporation, Phoenix HQ, Workstations |
/// | `ACME-SRV-01` | Windows Server 2022 | online | Acme Corporation, Phoenix HQ, Servers |
/// | `NW-LT-007` | macOS 14.5 | offline | Northwind Traders, Remote, Laptops |
/// | `CONTOSO-FD-01` | Windows 10 Pro | online | Contoso Dental Group, Mesa, Front Desk |
///
/// Agents know `hostname`, `whoami`, `ipconfig`, `Get-Service …` and `uptime`; any other line
/// prints `(sandbox) <machine> ran: <line>`. The server stops when the value is dropped.
pub struct ScreenConnectSandbox {
    server: MockServer,
    fleet: Arc<Mutex<Fleet>>,
}

impl fmt::Debug for ScreenConnectSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScreenConnectSandbox")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl ScreenConnectSandbox {
    /// Starts the sandbox on `127.0.0.1` and a free port.
    pub async fn start() -> ScreenConnectSandbox {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let fleet = Arc::new(Mutex::new(Fleet {
            machines: agents::sample_machines(),
            ..Fleet::default()
        }));
        Mock::given(any())
            .respond_with(Responder::new(fleet.clone()))
            .mount(&server)
            .await;
        ScreenConnectSandbox { server, fleet }
    }

    /// The instance origin, e.g. `http://127.0.0.1:41236`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The client configuration for the sandbox.
    ///
    /// # Errors
    /// Only if the configuration cannot be built (it always can for the sandbox's settings).
    pub fn config(&self) -> Result<Config, ConfigError> {
        Config::new(&self.uri(), SecretString::from(SECRET))
    }

    /// A client builder for the sandbox, without retries. Tests add an injected sleeper and clock
    /// so that `run_command` never waits.
    ///
    /// # Errors
    /// As [`ScreenConnectSandbox::config`].
    pub fn client_builder(&self) -> Result<ClientBuilder, ConfigError> {
        Ok(Client::builder(self.config()?).retry_policy(RetryPolicy::none()))
    }

    /// The commands received so far, oldest first.
    pub fn commands(&self) -> Vec<SentCommand> {
        self.fleet
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .commands
            .clone()
    }

    /// The session named `name` as the API returns it, with its events, or `None`.
    pub fn session(&self, name: &str) -> Option<(serde_json::Value, Vec<serde_json::Value>)> {
        let fleet = self.fleet.lock().unwrap_or_else(PoisonError::into_inner);
        fleet
            .machines
            .iter()
            .find(|machine| machine.name().eq_ignore_ascii_case(name))
            .map(|machine| (machine.session.clone(), machine.events.clone()))
    }
}
