//! Download URLs for parameterised access-agent installers, and the commands that install them
//! silently.
//!
//! ScreenConnect builds an installer on the fly from its query string: the session type, the
//! session name and the eight custom properties are baked in, so a machine enrols with the right
//! company/site tags without anyone touching it. [`AccessInstaller`] writes that URL with exact
//! RFC 3986 encoding; [`InstallerPlatform::silent_install_command`] gives the matching unattended
//! install command per package format.

mod access_installer;
mod error;
mod platform;

pub use access_installer::{AccessInstaller, DEFAULT_PRODUCT};
pub use error::InstallerError;
pub use platform::{Elevation, InstallerPlatform};
