//! Building the text sent with `SendCommandToSession`.

use std::fmt;
use std::time::Duration;

use super::{CommandError, CommandOutput, SentinelNonce, Shell, output};

/// The agent kills a command after this long unless `#timeout=` says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The agent cuts output after this many characters unless `#maxlength=` says otherwise.
pub const DEFAULT_MAX_LENGTH: u32 = 5000;

/// Directive prefixes the agent reads from the first lines of a command.
const DIRECTIVES: [&str; 3] = ["#!ps", "#timeout=", "#maxlength="];

/// A command to run on an agent, with the agent limits to apply.
///
/// [`CommandScript::build`] produces the text to send:
///
/// ```text
/// #!ps                    (PowerShell only)
/// #timeout=<ms>           (when a timeout is set)
/// #maxlength=<chars>      (when a maximum length is set)
/// <PowerShell only: $ProgressPreference = 'SilentlyContinue', unless disabled>
/// <your command>
/// <sentinel line printing __MSP_EXIT_<nonce>__<exit code>>
/// ```
///
/// Line endings are normalised for the shell (CRLF for cmd, LF otherwise). Without a timeout or
/// length the agent's defaults apply ([`DEFAULT_TIMEOUT`], [`DEFAULT_MAX_LENGTH`]). The sentinel
/// line counts toward the maximum length, so leave a few dozen characters of headroom.
///
/// `Debug` shows the shell and limits but not the command text, which may hold secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct CommandScript {
    shell: Shell,
    command: String,
    timeout: Option<Duration>,
    max_length: Option<u32>,
    suppress_progress: bool,
}

impl CommandScript {
    /// A command for `shell`, with the agent's default limits.
    #[must_use]
    pub fn new(shell: Shell, command: impl Into<String>) -> Self {
        Self {
            shell,
            command: command.into(),
            timeout: None,
            max_length: None,
            suppress_progress: true,
        }
    }

    /// Emits `#timeout=<ms>`: the agent kills the command after this long.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Emits `#maxlength=<chars>`: the agent keeps at most this many characters of output.
    #[must_use]
    pub fn max_length(mut self, chars: u32) -> Self {
        self.max_length = Some(chars);
        self
    }

    /// For PowerShell, whether to start with `$ProgressPreference = 'SilentlyContinue'` (the
    /// default). Progress bars have no console to draw on and otherwise end up in the output as
    /// serialised progress records.
    #[must_use]
    pub fn suppress_progress(mut self, suppress: bool) -> Self {
        self.suppress_progress = suppress;
        self
    }

    /// The shell the command runs under.
    #[must_use]
    pub fn shell(&self) -> Shell {
        self.shell
    }

    /// Builds the text to send, with the sentinel for `nonce`.
    ///
    /// # Errors
    /// [`CommandError::EmptyCommand`], [`CommandError::NulInCommand`],
    /// [`CommandError::DirectiveInCommand`] when the command itself starts with `#!ps`,
    /// `#timeout=` or `#maxlength=` (use the builder options), and
    /// [`CommandError::InvalidTimeout`] / [`CommandError::InvalidMaxLength`] for limits the agent
    /// cannot take.
    pub fn build(&self, nonce: &SentinelNonce) -> Result<PreparedCommand, CommandError> {
        let command = self
            .command
            .strip_prefix('\u{feff}')
            .unwrap_or(&self.command);
        if command.trim().is_empty() {
            return Err(CommandError::EmptyCommand);
        }
        if command.contains('\0') {
            return Err(CommandError::NulInCommand);
        }
        if let Some(directive) = leading_directive(command) {
            return Err(CommandError::DirectiveInCommand { directive });
        }

        let mut lines: Vec<String> = Vec::new();
        if self.shell == Shell::PowerShell {
            lines.push("#!ps".to_owned());
        }
        if let Some(timeout) = self.timeout {
            let millis = timeout.as_millis();
            if millis == 0 || millis > i32::MAX as u128 {
                return Err(CommandError::InvalidTimeout { millis });
            }
            lines.push(format!("#timeout={millis}"));
        }
        if let Some(chars) = self.max_length {
            if chars == 0 || chars > i32::MAX as u32 {
                return Err(CommandError::InvalidMaxLength {
                    chars: chars.into(),
                });
            }
            lines.push(format!("#maxlength={chars}"));
        }
        if self.shell == Shell::PowerShell && self.suppress_progress {
            lines.push("$ProgressPreference = 'SilentlyContinue'".to_owned());
        }
        // Normalise line endings and drop trailing blank lines so the sentinel directly follows
        // the last command.
        let body: Vec<&str> = command.lines().collect();
        let last = body
            .iter()
            .rposition(|line| !line.trim().is_empty())
            .unwrap_or(0);
        lines.extend(body[..=last].iter().map(|line| (*line).to_owned()));
        lines.push(self.shell.sentinel_line(&nonce.marker()));

        let newline = self.shell.line_ending();
        let mut text = lines.join(newline);
        text.push_str(newline);
        Ok(PreparedCommand {
            shell: self.shell,
            text,
            marker: nonce.marker(),
            max_length: self.max_length.unwrap_or(DEFAULT_MAX_LENGTH),
        })
    }
}

/// The agent directive the command's first non-blank line starts with, if any.
fn leading_directive(command: &str) -> Option<&'static str> {
    let first = command
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())?;
    DIRECTIVES.into_iter().find(|directive| {
        first
            .get(..directive.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(directive))
    })
}

impl fmt::Debug for CommandScript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommandScript")
            .field("shell", &self.shell)
            .field("command_len", &self.command.len())
            .field("timeout", &self.timeout)
            .field("max_length", &self.max_length)
            .field("suppress_progress", &self.suppress_progress)
            .finish()
    }
}

/// A built command: the exact text to send, and what is needed to read its output.
///
/// `Debug` shows lengths and limits only.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedCommand {
    shell: Shell,
    text: String,
    marker: String,
    max_length: u32,
}

impl PreparedCommand {
    /// The text to pass to `SendCommandToSession`.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The shell the command runs under.
    #[must_use]
    pub fn shell(&self) -> Shell {
        self.shell
    }

    /// The output limit in force (the `#maxlength` sent, else the agent default).
    #[must_use]
    pub fn max_length(&self) -> u32 {
        self.max_length
    }

    /// Reads the output of a `RanCommand` event for this command; see [`CommandOutput`].
    #[must_use]
    pub fn parse_output(&self, raw: &str) -> CommandOutput {
        output::parse(raw, &self.marker, self.max_length)
    }
}

impl fmt::Debug for PreparedCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedCommand")
            .field("shell", &self.shell)
            .field("text_len", &self.text.len())
            .field("max_length", &self.max_length)
            .finish()
    }
}
