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
//! # Cost of a page
//!
//! The server must not be what a benchmark measures: generated tickets are written as JSON
//! straight from the seed into the response (no `serde_json::Value` in between), and a page deep
//! into the collection is found by arithmetic, not by walking a million ids. Measured in one
//! process, writing a page of 1,000 generated tickets against `serde_json`-decoding the same
//! bytes into `Vec<serde_json::Value>` (what a client does at the least):
//!
//! ```sh
//! cargo run --release -p msp-sandbox --example render_cost
//! ```
//!
//! | run (2-core build machine, shared, release profile) | server writes a page | client decodes it | ratio |
//! |---|---|---|---|
//! | 1 | 3.37 ms | 39.79 ms | 8% |
//! | 2 | 1.97 ms | 22.28 ms | 9% |
//! | 3 | 2.03 ms | 16.79 ms | 12% |
//!
//! 200 pages spread over 1,000,000 tickets, about 1.3 kB per ticket. Filtered lists
//! (`conditions`, `orderBy`) evaluate every record once per distinct filter and keep the
//! matching ids for the following pages, so paging through a selection scans once.
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
