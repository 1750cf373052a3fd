//! Runnable recipes for the MSP automation clients, and the `sandbox` binary: a local
//! ConnectWise Manage and ScreenConnect server (the `msp-sandbox` crate) to run them against.
//!
//! Each recipe is a library function in [`recipes`] (so the tests can run it against the sandbox
//! and look at what it changed) with a thin binary in `src/bin/`:
//!
//! ```sh
//! cargo run -p examples --bin triage                  # the sample run on the sandbox (dry)
//! cargo run -p examples --bin triage -- --apply       # write
//! cargo run -p examples --bin triage -- --help        # options
//! ```
//!
//! [`target`] picks where a binary runs: the tenant named by `CW_SITE`, `CW_COMPANY`,
//! `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY` and `CW_CLIENT_ID` (or `SC_INSTANCE` and `SC_SECRET`), or,
//! when none of them is set, a sandbox started in the process (`connectwise_manage::sandbox`,
//! `screenconnect_api::sandbox`); the binary's first line on stderr says which, with the scheme, host
//! and port. To run recipes against one sandbox that keeps its state between runs, start the
//! `sandbox` binary and export what it prints:
//!
//! ```sh
//! cargo install --path examples --bin sandbox
//! sandbox --state sandbox.json        # prints the CW_* and SC_* exports and a curl line
//! ```
//!
//! Recipes that write are dry runs unless given `--apply` (`--execute` to run a command on a
//! machine). The binaries read their command line with clap, which refuses anything it does not
//! know, so a mistyped flag never runs a recipe with other settings than intended; every binary
//! has `--help` and `--version`.
//!
//! Copying a recipe into a production automation: keep the dry-run default, keep the checks that
//! run before the first write (the triage rules against the board, the work type and status in
//! `log_time`), and keep the idempotency checks (the triage note, the existing time entry, the
//! existing configurations), which make a retried or rescheduled run harmless.

pub mod error;
pub mod mcp;
pub mod recipes;
pub mod target;

pub use error::Error;
