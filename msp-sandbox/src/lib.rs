//! A local ConnectWise Manage and ScreenConnect server for testing MSP automations: real HTTP on
//! `127.0.0.1`, deterministic seeded data, injectable faults and counters a test can read.
//!
//! ```
//! use msp_sandbox::counters::Event;
//! use msp_sandbox::manage::{ManageOptions, ManageServer};
//! use msp_sandbox::seed::SeedOptions;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = ManageServer::start(ManageOptions {
//!     seed: SeedOptions { tickets: 100_000, ..SeedOptions::default() },
//!     ..ManageOptions::default()
//! })
//! .await?;
//! // Point a client at `server.site()` with `server.credentials()`.
//! assert!(server.api_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(server.len("/service/tickets"), 100_014);
//! assert_eq!(server.counters().get(Event::Created), 0);
//! // The server stops when `server` is dropped.
//! # Ok(())
//! # }
//! ```
//!
//! The client crates wrap this behind their `sandbox` feature (`connectwise_manage::sandbox`,
//! `screenconnect_api::sandbox`), which also hands out a ready client.
//!
//! # Modules
//! - [`seed`]: the deterministic data both servers are filled from (one seed, one set of
//!   companies and devices, so ScreenConnect session names match Manage configuration names).
//! - [`counters`]: what the servers did, readable by tests and benchmarks.
//! - [`faults`]: reproducible rate limits, server errors, latency, dropped connections and
//!   truncated bodies, applied by both servers.
//! - [`server`]: the HTTP server both APIs run on, and the handle that stops it.
//! - [`clock`]: the timestamps written into records.
//! - [`state`]: the state file that keeps changes across restarts.
//! - [`manage`]: the ConnectWise Manage API.
//! - [`screenconnect`]: ScreenConnect's RESTful API Manager extension, its simulated agents and
//!   the access-agent installers.
//! - [`both`]: both servers started together from one seed, as the `sandbox` binary runs them.

pub mod both;
pub mod clock;
pub mod counters;
pub mod faults;
pub mod manage;
pub mod screenconnect;
pub mod seed;
pub mod server;
pub mod state;

pub use both::{Sandbox, SandboxOptions};
pub use counters::Counters;
pub use faults::FaultOptions;
pub use seed::SeedOptions;
