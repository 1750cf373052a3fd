//! `?` on the builders' errors: each converts into the crate's one [`Error`] as an
//! [`Error::Build`] (nothing was sent), keeping the original as its source.
//!
//! ```
//! use screenconnect_api::filter::Field;
//!
//! fn property(index: usize) -> Result<Field, screenconnect_api::Error> {
//!     Ok(Field::custom_property(index)?)
//! }
//! assert!(property(1).is_ok());
//! assert!(matches!(property(9), Err(screenconnect_api::Error::Build { .. })));
//! ```
//!
//! [`RunCommandError`](crate::RunCommandError) converts too, but not always to `Build`: its
//! conversion (beside it, in `run_command`) keeps whether the command may already be queued.

use msp_common::Error;

use crate::command::CommandError;
use crate::filter::FilterError;
use crate::installer::InstallerError;
use crate::models::{CustomPropertyError, SessionIdError, TimestampError};

macro_rules! into_build_error {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(error: $ty) -> Self {
                Error::Build {
                    operation: $what.to_owned(),
                    message: error.to_string(),
                    source: Some(Box::new(error)),
                }
            }
        }
    )*};
}

into_build_error! {
    CommandError => "command",
    FilterError => "filter",
    InstallerError => "installer",
    CustomPropertyError => "customProperties",
    SessionIdError => "sessionId",
    TimestampError => "timestamp",
}
