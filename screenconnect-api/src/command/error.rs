//! Why a command script could not be built.

/// A command script that cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The command has no non-whitespace text.
    #[error("the command is empty")]
    EmptyCommand,
    /// The command contains a NUL character, which no shell accepts.
    #[error("the command contains a NUL character")]
    NulInCommand,
    /// The command starts with an agent directive line; those are emitted from the typed options
    /// so the output parser knows the limits in force.
    #[error(
        "the command starts with the agent directive {directive:?}; set the shell, timeout and maximum output length through the builder instead"
    )]
    DirectiveInCommand {
        /// The directive found (`#!ps`, `#timeout=` or `#maxlength=`).
        directive: &'static str,
    },
    /// The timeout is below one millisecond or above `i32::MAX` milliseconds.
    #[error("command timeout of {millis} ms is out of range (1 ms to 2147483647 ms)")]
    InvalidTimeout {
        /// The requested timeout in whole milliseconds.
        millis: u128,
    },
    /// The maximum output length is zero or above `i32::MAX`.
    #[error("maximum output length {chars} is out of range (1 to 2147483647 characters)")]
    InvalidMaxLength {
        /// The requested length.
        chars: u64,
    },
    /// The sentinel nonce is not 8 to 64 ASCII letters and digits.
    #[error("the sentinel nonce must be 8 to 64 ASCII letters or digits (got {len} characters)")]
    InvalidNonce {
        /// Length of the rejected nonce, in characters.
        len: usize,
    },
}
