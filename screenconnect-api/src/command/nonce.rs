//! The caller-supplied nonce that makes the exit-code sentinel unique.

use std::fmt;

use super::CommandError;

/// A unique token embedded in the exit-code sentinel line, so the parser can find the line the
/// script printed and nothing else.
///
/// It must be 8 to 64 ASCII letters or digits, so it needs no quoting in any shell. Use a fresh
/// random value per command (a UUID without hyphens works); the caller supplies it so builds are
/// reproducible in tests and the nonce can be stored alongside the queued command.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SentinelNonce(String);

impl SentinelNonce {
    /// Checks and wraps a nonce.
    ///
    /// # Errors
    /// [`CommandError::InvalidNonce`] unless it is 8 to 64 ASCII letters or digits.
    pub fn new(value: impl Into<String>) -> Result<Self, CommandError> {
        let value = value.into();
        let len = value.chars().count();
        if (8..=64).contains(&len) && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(value))
        } else {
            Err(CommandError::InvalidNonce { len })
        }
    }

    /// The nonce text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The marker printed before the exit code: `__MSP_EXIT_<nonce>__`.
    #[must_use]
    pub fn marker(&self) -> String {
        format!("__MSP_EXIT_{}__", self.0)
    }
}

impl fmt::Debug for SentinelNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SentinelNonce").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SentinelNonce;
    use crate::command::CommandError;

    #[test]
    fn accepts_alphanumerics_only() {
        let nonce = SentinelNonce::new("a1B2c3D4").unwrap();
        assert_eq!(nonce.marker(), "__MSP_EXIT_a1B2c3D4__");
        assert!(SentinelNonce::new("0123456789abcdef0123456789abcdef").is_ok());
        for bad in [
            "short",
            "has-hyphen1",
            "spaces in it",
            "x".repeat(65).as_str(),
            "ééééééééé",
        ] {
            assert!(
                matches!(
                    SentinelNonce::new(bad),
                    Err(CommandError::InvalidNonce { .. })
                ),
                "{bad:?}"
            );
        }
    }
}
