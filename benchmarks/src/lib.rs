//! The speed and memory benchmarks of the MSP automation clients, against the sandbox on
//! loopback, each figure a ratio measured side by side in one run.
//!
//! ```sh
//! cargo run --release -p benchmarks -- all
//! ```
//!
//! Subcommands run one figure each (`stream`, `memory`, `latency`, `rate`, `overhead`, `json`);
//! size flags shrink or grow them (`--help`). The sandbox runs in a child process (the same
//! binary with `serve`), so its CPU is never counted as the client's; client CPU is the
//! process's `getrusage` (user plus system), and each memory figure is the peak resident set of
//! a fresh child process (`probe`). The results, with the machine they ran on, are in
//! BENCHMARKS.md.

pub mod clients;
pub mod figures;
pub mod measure;
pub mod report;
pub mod sandbox_process;
