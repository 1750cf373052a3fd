//! Typed async client for ScreenConnect's RESTful API Manager extension, plus the pure pieces
//! around it: session models, a filter builder, command scripts with exit codes, and access-agent
//! installer URLs.
//!
//! # Quickstart
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use screenconnect_api::command::{CommandScript, Shell};
//! use screenconnect_api::filter::Field;
//! use screenconnect_api::models::SessionType;
//! use screenconnect_api::{Client, RunOptions};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // SC_INSTANCE=acme.screenconnect.com, SC_SECRET=<RESTfulAuthenticationSecret>
//! let client = Client::from_env()?;
//!
//! let online_agents = Field::SESSION_TYPE
//!     .equals(SessionType::Access)
//!     .and(Field::GUEST_CONNECTED_COUNT.greater_than(0));
//! for session in client.sessions_where(&online_agents).await? {
//!     println!("{} {}", session.session_id, session.display_name());
//! }
//!
//! let session = client.sessions_by_name("ACME-LT-042").await?.remove(0);
//! client.set_custom_property(&session.session_id, 2, "Head office").await?;
//!
//! let script = CommandScript::new(Shell::PowerShell, "Get-Service Spooler")
//!     .timeout(Duration::from_secs(60));
//! let run = client
//!     .run_command(&session.session_id, &script, &RunOptions::new().only_if_online(true))
//!     .await?;
//! println!("exit code {:?}:\n{}", run.result.exit_code, run.result.output);
//! # Ok(())
//! # }
//! ```
//!
//! Requests are built without I/O, so they can be inspected:
//!
//! ```
//! use screenconnect_api::{Config, SecretString, build_request, methods};
//!
//! let config = Config::new("acme.screenconnect.com", SecretString::from("s3cret"))?;
//! let request = build_request(&config, &methods::get_sessions_by_name("ACME-LT-042"))?;
//! assert_eq!(request.method(), "POST");
//! assert_eq!(
//!     request.uri(),
//!     "https://acme.screenconnect.com/App_Extensions/2d558935-686a-4bd0-9991-07539f5fe749/Service.ashx/GetSessionsByName"
//! );
//! assert_eq!(request.body().as_ref(), br#"["ACME-LT-042"]"#);
//! assert!(!format!("{request:?}").contains("s3cret"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Talking to the extension
//!
//! * **Configuration** ([`Config`]): the instance (`host`, `host:port` or `https://host[:port]`,
//!   normalised to an origin; plain `http` only for loopback hosts), the API secret (sent raw in
//!   `CTRLAuthHeader`; a `Basic ` prefix is refused), the extension id (default
//!   [`DEFAULT_EXTENSION_ID`]) and the `Origin` header (default: the instance origin). Or from the
//!   environment: `SC_INSTANCE`, `SC_SECRET`, `SC_EXTENSION_ID`, `SC_ORIGIN`.
//! * **Requests**: every method is a `POST` to
//!   `<instance>/App_Extensions/<extension>/Service.ashx/<Method>`. Writes send a positional JSON
//!   array; reads send one too by default, with a named object available through [`ReadArgs`]
//!   (see there for why). [`methods`] lists each method's arguments; [`Client::call_read`] and
//!   [`Client::call_write`] reach methods this crate does not wrap.
//! * **Retries**: reads are retried after 429, 502, 503, 504, timeouts and broken connections.
//!   State-changing calls are retried only when the server certainly did not act on them (429,
//!   503 with `Retry-After`, a connection never made): a command sent twice runs twice. A 500
//!   saying the method does not exist or the arguments are wrong is never retried. The schedule is
//!   [`RetryPolicy`], set on [`ClientBuilder`].
//! * **Errors** are [`Error`]s; API failures carry an [`ApiError`] whose
//!   [`kind`](ApiError::kind) tells a refused secret, a missing extension, a missing method, bad
//!   arguments and a session-manager fault apart (see [`error`]).
//! * **Read-only mode** ([`Config::with_read_only`], [`ClientBuilder::read_only`]) makes every
//!   state-changing method fail with [`Error::ReadOnly`] before any I/O.
//! * **Commands**: [`Client::send_command`] queues a command and returns; [`Client::run_command`]
//!   also waits for its output and exit code (see [`run_command`]).
// The sandbox exists only with its feature: the link is there only when it resolves.
#![cfg_attr(
    feature = "sandbox",
    doc = "* **Testing**: with the `sandbox` feature (for `[dev-dependencies]`), [`sandbox::Sandbox`]\n  starts a local ScreenConnect server with seeded sessions and simulated agents, and hands\n  out a client."
)]
#![cfg_attr(
    not(feature = "sandbox"),
    doc = "* **Testing**: with the `sandbox` feature (for `[dev-dependencies]`), `sandbox::Sandbox`\n  starts a local ScreenConnect server with seeded sessions and simulated agents, and hands\n  out a client."
)]
//! * **Secrets**: the secret is a [`SecretString`], sent in a header marked sensitive; `Debug` of
//!   the client and configuration shows `[redacted]`; traces record method names, never URLs,
//!   bodies, command text or output. The one secret authorises every method, remote commands
//!   included: store it like an administrator password.

// docs.rs builds with `--cfg docsrs`: every feature-gated item gets its "Available on crate
// feature …" badge (nightly's `doc_cfg`, which now derives the badges from `#[cfg]`).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod build_errors;
mod call;
mod client;
pub mod command;
mod config;
pub mod error;
pub mod filter;
pub mod installer;
pub mod methods;
pub mod models;
mod one_or_many;
mod request;
pub mod run_command;
#[cfg(feature = "sandbox")]
pub mod sandbox;
mod sessions;

pub use msp_common;

pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use config::{
    Config, DEFAULT_EXTENSION_ID, ENV_EXTENSION_ID, ENV_INSTANCE, ENV_ORIGIN, ENV_SECRET,
    OriginHeader, ReadArgs,
};
pub use error::{ScreenConnectClassifier, ScreenConnectErrorDecoder};
pub use methods::NewSession;
pub use msp_common::{
    ApiError, ApiErrorKind, ConfigError, Error, ExposeSecret, Idempotency, RateLimit,
    ReqwestConfig, RetryPolicy, SecretString,
};
pub use request::{AUTH_HEADER, build_request};
pub use run_command::{CommandRun, CommandSent, RunCommandError, RunOptions};
