//! The shells a command can run under on the agent.

/// The interpreter the agent runs a command with.
///
/// Without a directive the agent uses `cmd.exe` on Windows and `sh` on macOS and Linux; the
/// `#!ps` first line selects PowerShell (Windows). The shell also decides how the exit-code
/// sentinel is written and which line ending the script uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Shell {
    /// `cmd.exe` on Windows (the agent's default there). Lines end with CRLF.
    Cmd,
    /// Windows PowerShell, selected with the `#!ps` directive. Lines end with LF.
    PowerShell,
    /// `sh` on macOS and Linux (the agent's default there). Lines end with LF.
    Sh,
}

impl Shell {
    /// The line ending scripts for this shell use.
    #[must_use]
    pub fn line_ending(self) -> &'static str {
        match self {
            Self::Cmd => "\r\n",
            Self::PowerShell | Self::Sh => "\n",
        }
    }

    /// The line that prints `marker` followed by the exit status of the command before it.
    pub(super) fn sentinel_line(self, marker: &str) -> String {
        match self {
            // `@` keeps cmd from echoing the line itself; %ERRORLEVEL% is expanded when the line
            // is read, i.e. after the previous line has run.
            Self::Cmd => format!("@echo {marker}%ERRORLEVEL%"),
            // `$?` must be captured first: any later statement overwrites it. `$LASTEXITCODE`
            // only reflects native programs, so a failed cmdlet with no native exit code
            // reports 1 and a successful one 0.
            Self::PowerShell => format!(
                "$__mspOk = $?; $__mspCode = if ($null -ne $LASTEXITCODE -and \
                 ($LASTEXITCODE -ne 0 -or $__mspOk)) {{ $LASTEXITCODE }} elseif ($__mspOk) \
                 {{ 0 }} else {{ 1 }}; Write-Output \"{marker}$__mspCode\""
            ),
            Self::Sh => format!("echo \"{marker}$?\""),
        }
    }
}
