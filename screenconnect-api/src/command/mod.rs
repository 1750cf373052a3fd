//! The pure half of running a command on an agent: building the command text and reading the
//! result.
//!
//! `SendCommandToSession` only queues a command; its output arrives later as the text of a
//! `RanCommand` event, and ScreenConnect reports no exit code. [`CommandScript`] writes the
//! agent's directive lines (`#!ps`, `#timeout=`, `#maxlength=`), the command, and a final sentinel
//! line that prints a caller-chosen marker with the exit code; [`CommandOutput`] takes the event
//! text apart again and tells a finished command from one the agent killed or cut short.
//!
//! Command text and output can contain secrets; none of the types here print them in `Debug`.

mod error;
mod nonce;
mod output;
mod script;
mod shell;

pub use error::CommandError;
pub use nonce::SentinelNonce;
pub use output::{CommandOutput, parse_output};
pub use script::{CommandScript, DEFAULT_MAX_LENGTH, DEFAULT_TIMEOUT, PreparedCommand};
pub use shell::Shell;
