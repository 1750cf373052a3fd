//! Installer package formats and the silent-install command for each.

use super::InstallerError;

/// The installer package to download, by target platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstallerPlatform {
    /// Windows Installer package (`.msi`).
    Msi,
    /// Windows executable installer (`.exe`).
    Exe,
    /// macOS installer package (`.pkg`).
    Pkg,
    /// Debian/Ubuntu package (`.deb`).
    Deb,
    /// Red Hat/Fedora/SUSE package (`.rpm`).
    Rpm,
    /// Self-installing shell script for other Linux/Unix systems (`.sh`).
    Sh,
}

/// Whether the Unix install commands should be prefixed with `sudo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Elevation {
    /// Prefix with `sudo` (the command is run by an administrator account that is not root).
    Sudo,
    /// Run as is (the command already runs as root, e.g. through an RMM agent or an existing
    /// ScreenConnect agent). Windows commands never use `sudo`; they must run elevated.
    AlreadyElevated,
}

impl InstallerPlatform {
    /// Every platform.
    pub const ALL: [InstallerPlatform; 6] = [
        Self::Msi,
        Self::Exe,
        Self::Pkg,
        Self::Deb,
        Self::Rpm,
        Self::Sh,
    ];

    /// The file extension in the installer URL (`msi`, `exe`, `pkg`, `deb`, `rpm`, `sh`).
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Msi => "msi",
            Self::Exe => "exe",
            Self::Pkg => "pkg",
            Self::Deb => "deb",
            Self::Rpm => "rpm",
            Self::Sh => "sh",
        }
    }

    /// True for the Windows formats, whose install commands are `cmd.exe` syntax.
    #[must_use]
    pub fn is_windows(self) -> bool {
        matches!(self, Self::Msi | Self::Exe)
    }

    /// The command that installs a downloaded package of this type without prompts.
    ///
    /// Windows commands are `cmd.exe` syntax (the agent's default shell on Windows; run them
    /// without `#!ps`) and must run elevated. `start "" /wait` makes cmd wait for the installer,
    /// which it otherwise does not do for GUI-subsystem programs outside batch files, and passes
    /// the installer's exit code on as `%ERRORLEVEL%`. The other commands are POSIX `sh` syntax
    /// with the path single-quoted.
    ///
    /// | Platform | Command |
    /// |---|---|
    /// | `Msi` | `start "" /wait msiexec /i "<file>" /qn /norestart` — quiet, no reboot |
    /// | `Exe` | `start "" /wait "<file>"` — the access-agent `.exe` takes no switches and installs without prompts when run elevated (community usage; not in vendor docs) |
    /// | `Pkg` | `sudo installer -pkg '<file>' -target /` — screen control additionally needs a PPPC/TCC profile |
    /// | `Deb` | `sudo DEBIAN_FRONTEND=noninteractive apt-get install -y '<file>'` — apt resolves dependencies, unlike `dpkg -i` |
    /// | `Rpm` | `sudo rpm -i '<file>'` — works on every RPM system; use `dnf`/`zypper install` instead if dependencies must be fetched |
    /// | `Sh`  | `sudo sh '<file>'` |
    ///
    /// Relative Unix paths that would be read as options or package names get a `./` prefix.
    ///
    /// # Errors
    /// [`InstallerError::InvalidFilePath`] for an empty path, control characters, or (Windows)
    /// `"` or `%`, which cannot be quoted safely for cmd.
    pub fn silent_install_command(
        self,
        file_path: &str,
        elevation: Elevation,
    ) -> Result<String, InstallerError> {
        if file_path.is_empty() {
            return Err(InstallerError::InvalidFilePath {
                reason: "the path is empty",
            });
        }
        if file_path.chars().any(char::is_control) {
            return Err(InstallerError::InvalidFilePath {
                reason: "the path contains control characters",
            });
        }
        if self.is_windows() {
            let quoted = cmd_quote(file_path)?;
            return Ok(match self {
                Self::Msi => format!("start \"\" /wait msiexec /i {quoted} /qn /norestart"),
                _ => format!("start \"\" /wait {quoted}"),
            });
        }
        let sudo = match elevation {
            Elevation::Sudo => "sudo ",
            Elevation::AlreadyElevated => "",
        };
        let path = posix_quote(&unix_path(file_path));
        Ok(match self {
            Self::Pkg => format!("{sudo}installer -pkg {path} -target /"),
            Self::Deb => {
                format!("{sudo}DEBIAN_FRONTEND=noninteractive apt-get install -y {path}")
            }
            Self::Rpm => format!("{sudo}rpm -i {path}"),
            _ => format!("{sudo}sh {path}"),
        })
    }
}

/// Double-quotes a Windows path for cmd. `"` cannot be escaped inside quotes, and `%` would
/// expand environment variables even there.
fn cmd_quote(path: &str) -> Result<String, InstallerError> {
    if path.contains('"') {
        return Err(InstallerError::InvalidFilePath {
            reason: "Windows paths cannot contain '\"'",
        });
    }
    if path.contains('%') {
        return Err(InstallerError::InvalidFilePath {
            reason: "'%' in a path would be expanded by cmd.exe",
        });
    }
    Ok(format!("\"{path}\""))
}

/// Gives relative paths a `./` prefix when they contain no `/` (apt would read a package name)
/// or start with `-` (read as an option).
fn unix_path(path: &str) -> String {
    if path.starts_with('/') || (path.contains('/') && !path.starts_with('-')) {
        path.to_owned()
    } else {
        format!("./{path}")
    }
}

/// Single-quotes for POSIX sh; an embedded `'` becomes `'\''`.
fn posix_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
