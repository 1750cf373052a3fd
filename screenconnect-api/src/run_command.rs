//! Running a command on an agent and waiting for its output.
//!
//! `SendCommandToSession` only queues a command. [`Client::run_command`] does the rest:
//!
//! 1. builds the text with [`CommandScript`] (directive lines, the command, an exit-code sentinel
//!    line carrying a fresh nonce);
//! 2. reads the session details and notes the events already there (and, with
//!    [`RunOptions::only_if_online`], refuses when the agent is not connected);
//! 3. sends the command **once**;
//! 4. polls the session details with a growing interval until a new `RanCommand` event appears or
//!    the deadline passes.
//!
//! A new `RanCommand` event carrying this command's sentinel is certainly its result. When none
//! does, the first new `RanCommand` event that carries no sentinel of this SDK is taken: that is
//! this command killed at its timeout, cut at its output limit, or a script that exited the shell
//! itself, unless somebody else ran a command on the same machine at the same moment.
//! [`CommandRun::matched_sentinel`] says which case applies.
//!
//! Sleeps and deadlines use the client's injected [`msp_common::Sleep`] and [`msp_common::Clock`],
//! the same ones the retry layer uses. Command text and output are never logged.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use msp_common::{Error, TransportError};
use time::OffsetDateTime;

use crate::client::Client;
use crate::command::{
    CommandError, CommandOutput, CommandScript, DEFAULT_TIMEOUT, PreparedCommand, SentinelNonce,
};
use crate::methods;
use crate::models::{EventId, EventType, OnlineStatus, SessionDetails, SessionEvent, SessionId};

/// The prefix every sentinel marker of this SDK starts with; see [`SentinelNonce::marker`].
const MARKER_PREFIX: &str = "__MSP_EXIT_";

/// How [`Client::run_command`] sends and waits.
///
/// ```
/// use std::time::Duration;
/// use screenconnect_api::RunOptions;
///
/// let options = RunOptions::new()
///     .only_if_online(true)
///     .wait(Duration::from_secs(120));
/// assert!(options.only_if_online);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RunOptions {
    /// Refuse to send unless the agent is connected now (an unknown status counts as not
    /// connected). Otherwise an offline agent keeps the command queued and runs it when it
    /// reconnects, which is usually after the deadline. Default `false`.
    pub only_if_online: bool,
    /// How long to wait for the result after sending. `None` (the default) means the command's
    /// agent timeout (`#timeout`, else the agent's 10 s) plus [`RunOptions::grace`].
    pub wait: Option<Duration>,
    /// Added to the agent timeout when [`RunOptions::wait`] is `None`: the time the agent needs to
    /// pick the command up and report back. Default 20 s.
    pub grace: Duration,
    /// The first interval between polls. Default 1.5 s.
    pub first_poll: Duration,
    /// The longest interval between polls; each interval is 1.5 times the previous one up to
    /// this. Default 5 s.
    pub max_poll: Duration,
    /// The sentinel nonce; `None` (the default) draws a fresh random one. Set it to store the
    /// nonce with the queued command, or for reproducible tests.
    pub nonce: Option<SentinelNonce>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            only_if_online: false,
            wait: None,
            grace: Duration::from_secs(20),
            first_poll: Duration::from_millis(1500),
            max_poll: Duration::from_secs(5),
            nonce: None,
        }
    }
}

impl RunOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`RunOptions::only_if_online`].
    #[must_use]
    pub fn only_if_online(mut self, only_if_online: bool) -> Self {
        self.only_if_online = only_if_online;
        self
    }

    /// Sets [`RunOptions::wait`].
    #[must_use]
    pub fn wait(mut self, wait: Duration) -> Self {
        self.wait = Some(wait);
        self
    }

    /// Sets [`RunOptions::grace`].
    #[must_use]
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Sets the poll intervals: `first`, growing by half each time up to `max`.
    #[must_use]
    pub fn poll_intervals(mut self, first: Duration, max: Duration) -> Self {
        self.first_poll = first;
        self.max_poll = max;
        self
    }

    /// Sets [`RunOptions::nonce`].
    #[must_use]
    pub fn nonce(mut self, nonce: SentinelNonce) -> Self {
        self.nonce = Some(nonce);
        self
    }
}

/// The result of a command run with [`Client::run_command`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CommandRun {
    /// The output, exit code, and whether the agent killed the command or cut its output.
    pub result: CommandOutput,
    /// The `RanCommand` event the result was read from.
    pub event_id: Option<EventId>,
    /// When the agent reported the result.
    pub time: Option<OffsetDateTime>,
    /// `true` when the event carried this command's sentinel, so it is certainly this command's
    /// result; `false` when it was attributed by elimination (see the module docs).
    pub matched_sentinel: bool,
}

/// Whether a failed [`Client::run_command`] left the command queued on the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandSent {
    /// Nothing was sent.
    No,
    /// The send failed in a way that may have reached the server: the command may be queued.
    Maybe,
    /// The command was queued and may run (or have run) on the machine.
    Yes,
}

/// Why [`Client::run_command`] did not return a result.
///
/// `Display` says what happened to the command; the error behind it is the
/// [`source`](std::error::Error::source), so error-chain printers show each cause once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunCommandError {
    /// The command text could not be built; nothing was sent.
    #[error("the command was not sent: its text could not be built")]
    Script(#[from] CommandError),
    /// The client is read-only, or the session could not be read before sending; nothing was
    /// sent.
    #[error("the command was not sent")]
    NotSent {
        /// What failed.
        #[source]
        source: Error,
    },
    /// [`RunOptions::only_if_online`] was set and the agent is not connected; nothing was sent.
    #[error("the command was not sent: the agent is not online (status: {status:?})")]
    NotOnline {
        /// What the session data said.
        status: OnlineStatus,
    },
    /// `SendCommandToSession` failed. When [`Error::may_have_been_processed`] is true the
    /// command may be queued: do not send it again blindly.
    #[error("{}", send_failure(source))]
    Send {
        /// What failed.
        #[source]
        source: Error,
    },
    /// The command was sent, but polling for its result failed.
    #[error("the command was sent and may still run, but reading its result failed")]
    Poll {
        /// What failed.
        #[source]
        source: Error,
    },
    /// The command was sent, but no result arrived in time. It may still be queued or running.
    #[error(
        "the command was sent, but no result arrived within {}; it may still run on the machine \
         (agent status at the last poll: {online:?})",
        msp_common::DisplayDuration(*waited)
    )]
    DeadlineExceeded {
        /// How long the client waited after sending.
        waited: Duration,
        /// The agent's status at the last poll: `Offline` suggests it is queued until the agent
        /// reconnects, `Online` that it is still running or was not picked up yet.
        online: OnlineStatus,
    },
}

fn send_failure(source: &Error) -> &'static str {
    if source.may_have_been_processed() {
        "sending the command failed and it may have been queued anyway"
    } else {
        "sending the command failed; it was not queued"
    }
}

impl RunCommandError {
    /// Whether the command may be queued on the agent despite the error.
    pub fn sent(&self) -> CommandSent {
        match self {
            Self::Script(_) | Self::NotSent { .. } | Self::NotOnline { .. } => CommandSent::No,
            Self::Send { source } if source.may_have_been_processed() => CommandSent::Maybe,
            Self::Send { .. } => CommandSent::No,
            Self::Poll { .. } | Self::DeadlineExceeded { .. } => CommandSent::Yes,
        }
    }
}

/// `?` on a [`RunCommandError`] in a function returning the crate's [`Error`] keeps the one
/// answer that matters before trying again: whether the command may already be queued.
///
/// - Nothing sent ([`Script`](RunCommandError::Script), [`NotSent`](RunCommandError::NotSent),
///   [`NotOnline`](RunCommandError::NotOnline)): [`Error::Build`], whose
///   [`may_have_been_processed`](Error::may_have_been_processed) is `false`.
/// - [`Send`](RunCommandError::Send): the send's own error, which says itself whether the server
///   may have queued the command.
/// - Sent ([`Poll`](RunCommandError::Poll), [`DeadlineExceeded`](RunCommandError::DeadlineExceeded)):
///   [`Error::Transport`] with a timeout or broken exchange, whose `may_have_been_processed` is
///   `true`, so the caller checks before sending the command again.
///
/// The [`RunCommandError`] stays in the source chain in every case but `Send`.
///
/// ```
/// use std::time::Duration;
/// use screenconnect_api::models::OnlineStatus;
/// use screenconnect_api::{Error, RunCommandError};
///
/// fn run(outcome: RunCommandError) -> Result<(), Error> {
///     Err(outcome)?
/// }
///
/// let timed_out = RunCommandError::DeadlineExceeded {
///     waited: Duration::from_secs(60),
///     online: OnlineStatus::Offline,
/// };
/// let error = run(timed_out).unwrap_err();
/// assert!(error.may_have_been_processed(), "the command may be queued");
///
/// let offline = RunCommandError::NotOnline { status: OnlineStatus::Offline };
/// let error = run(offline).unwrap_err();
/// assert!(matches!(error, Error::Build { .. }));
/// assert!(!error.may_have_been_processed(), "nothing was sent");
/// ```
impl From<RunCommandError> for Error {
    fn from(error: RunCommandError) -> Self {
        const OPERATION: &str = "runCommand";
        let sent = |source| Error::Transport {
            operation: OPERATION.to_owned(),
            source,
        };
        match error {
            RunCommandError::Send { source } => source,
            RunCommandError::Poll { .. } => sent(TransportError::Io(Box::new(error))),
            RunCommandError::DeadlineExceeded { .. } => {
                sent(TransportError::Timeout(Box::new(error)))
            }
            not_sent => Error::Build {
                operation: OPERATION.to_owned(),
                message: not_sent.to_string(),
                source: Some(Box::new(not_sent)),
            },
        }
    }
}

/// The events present before sending, to recognise new ones.
struct Seen {
    ids: HashSet<EventId>,
    /// The latest time among the events, for events the server sends without an id.
    latest: Option<OffsetDateTime>,
}

impl Seen {
    fn of(details: &SessionDetails) -> Self {
        let events = details.events();
        Self {
            ids: events
                .iter()
                .filter_map(|found| found.event.event_id.clone())
                .collect(),
            latest: events.iter().filter_map(|found| found.event.time).max(),
        }
    }

    fn is_new(&self, event: &SessionEvent) -> bool {
        match (&event.event_id, event.time) {
            (Some(id), _) => !self.ids.contains(id),
            (None, Some(time)) => self.latest.is_none_or(|latest| time > latest),
            (None, None) => false,
        }
    }
}

impl fmt::Debug for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seen")
            .field("events", &self.ids.len())
            .field("latest", &self.latest)
            .finish()
    }
}

/// The new `RanCommand` event holding this command's result, and whether it carried the marker.
fn find_result<'a>(
    details: &'a SessionDetails,
    seen: &Seen,
    marker: &str,
) -> Option<(&'a SessionEvent, bool)> {
    let candidates: Vec<&SessionEvent> = details
        .events_of_type(&EventType::RanCommand)
        .into_iter()
        .map(|found| found.event)
        .filter(|event| seen.is_new(event))
        .collect();
    let text = |event: &SessionEvent| event.data_str().unwrap_or_default().to_owned();
    if let Some(event) = candidates.iter().find(|event| text(event).contains(marker)) {
        return Some((event, true));
    }
    candidates
        .into_iter()
        .find(|event| !text(event).contains(MARKER_PREFIX))
        .map(|event| (event, false))
}

/// The agent timeout the prepared text asks for (its `#timeout=` directive), else the default.
fn agent_timeout(prepared: &PreparedCommand) -> Duration {
    prepared
        .text()
        .lines()
        .map(str::trim)
        .take_while(|line| {
            line.starts_with("#!ps")
                || line.starts_with("#timeout=")
                || line.starts_with("#maxlength=")
        })
        .find_map(|line| line.strip_prefix("#timeout=")?.parse::<u64>().ok())
        .map_or(DEFAULT_TIMEOUT, Duration::from_millis)
}

/// A fresh nonce of 32 random letters and digits.
fn random_nonce() -> Result<SentinelNonce, CommandError> {
    let mut rng = fastrand::Rng::new();
    SentinelNonce::new(
        std::iter::repeat_with(|| rng.alphanumeric())
            .take(32)
            .collect::<String>(),
    )
}

impl Client {
    /// Runs `script` on the agent of session `id` and waits for its output.
    ///
    /// The command is sent exactly once; see the [module docs](crate::run_command) for how the
    /// result is found. Waiting uses the client's injected sleeper and clock.
    ///
    /// # Errors
    /// [`RunCommandError`]; [`RunCommandError::sent`] tells whether the command may be queued.
    /// The deadline error says the command was sent and may still run.
    pub async fn run_command(
        &self,
        id: &SessionId,
        script: &CommandScript,
        options: &RunOptions,
    ) -> Result<CommandRun, RunCommandError> {
        let nonce = match &options.nonce {
            Some(nonce) => nonce.clone(),
            None => random_nonce()?,
        };
        let prepared = script.build(&nonce)?;
        let call = methods::send_command(id, prepared.text())
            .map_err(|source| RunCommandError::NotSent { source })?;
        self.check_writable(&call)
            .map_err(|source| RunCommandError::NotSent { source })?;

        let before = self
            .session_details(id)
            .await
            .map_err(|source| RunCommandError::NotSent { source })?;
        if options.only_if_online {
            let status = before.online_status();
            if status != OnlineStatus::Online {
                return Err(RunCommandError::NotOnline { status });
            }
        }
        let seen = Seen::of(&before);
        drop(before);

        self.send(&call)
            .await
            .map_err(|source| RunCommandError::Send { source })?;

        let wait = options
            .wait
            .unwrap_or_else(|| agent_timeout(&prepared).saturating_add(options.grace));
        tracing::debug!(
            wait_ms = wait.as_millis() as u64,
            known_events = seen.ids.len(),
            "command queued; waiting for its result"
        );
        let marker = nonce.marker();
        let started = self.clock().monotonic();
        let mut interval = options.first_poll.min(options.max_poll);
        let mut online = OnlineStatus::Unknown;
        let mut polls: u32 = 0;
        loop {
            let elapsed = self.clock().monotonic().saturating_sub(started);
            let remaining = wait.saturating_sub(elapsed);
            if remaining.is_zero() {
                return Err(RunCommandError::DeadlineExceeded {
                    waited: elapsed,
                    online,
                });
            }
            self.sleep().sleep(interval.min(remaining)).await;
            polls += 1;
            match self.session_details(id).await {
                Ok(details) => {
                    online = details.online_status();
                    if let Some((event, matched_sentinel)) = find_result(&details, &seen, &marker) {
                        let raw = event.data_str().unwrap_or_default();
                        tracing::debug!(polls, matched_sentinel, "command result found");
                        return Ok(CommandRun {
                            result: prepared.parse_output(raw),
                            event_id: event.event_id.clone(),
                            time: event.time,
                            matched_sentinel,
                        });
                    }
                }
                Err(error) if error.is_retryable() => {
                    tracing::warn!(polls, error = %error, "polling for a command result failed; polling on");
                }
                Err(source) => return Err(RunCommandError::Poll { source }),
            }
            interval = interval.mul_f64(1.5).min(options.max_poll);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Shell;

    fn nonce() -> SentinelNonce {
        SentinelNonce::new("abcdefgh12345678").unwrap()
    }

    #[test]
    fn timeout_comes_from_the_directive_lines_only() {
        let prepared = CommandScript::new(Shell::PowerShell, "Get-Date")
            .timeout(Duration::from_secs(90))
            .max_length(100)
            .build(&nonce())
            .unwrap();
        assert_eq!(agent_timeout(&prepared), Duration::from_secs(90));
        let prepared = CommandScript::new(Shell::Sh, "echo '#timeout=5'\nuname -a")
            .build(&nonce())
            .unwrap();
        assert_eq!(agent_timeout(&prepared), DEFAULT_TIMEOUT);
    }

    #[test]
    fn random_nonces_are_valid_and_distinct() {
        let a = random_nonce().unwrap();
        let b = random_nonce().unwrap();
        assert_eq!(a.as_str().len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn errors_say_whether_the_command_was_sent() {
        let deadline = RunCommandError::DeadlineExceeded {
            waited: Duration::from_secs(30),
            online: OnlineStatus::Online,
        };
        assert_eq!(deadline.sent(), CommandSent::Yes);
        assert!(deadline.to_string().contains("the command was sent"));
        assert!(deadline.to_string().contains("may still run"));
        let read_only = RunCommandError::NotSent {
            source: Error::ReadOnly {
                operation: "SendCommandToSession".into(),
            },
        };
        assert_eq!(read_only.sent(), CommandSent::No);
        let offline = RunCommandError::NotOnline {
            status: OnlineStatus::Offline,
        };
        assert_eq!(offline.sent(), CommandSent::No);
        assert!(offline.to_string().contains("not sent"));
    }

    #[test]
    fn the_crate_error_keeps_whether_the_command_may_be_queued() {
        let poll = Error::from(RunCommandError::Poll {
            source: Error::ReadOnly {
                operation: "GetSessionDetails".into(),
            },
        });
        assert!(poll.may_have_been_processed());
        assert!(matches!(
            &poll,
            Error::Transport {
                source: TransportError::Io(_),
                ..
            }
        ));
        let deadline = Error::from(RunCommandError::DeadlineExceeded {
            waited: Duration::from_secs(30),
            online: OnlineStatus::Online,
        });
        assert!(deadline.may_have_been_processed());
        let chain = std::error::Error::source(&deadline)
            .and_then(std::error::Error::source)
            .map(ToString::to_string)
            .unwrap_or_default();
        assert!(chain.contains("may still run"), "{chain}");

        let sent_maybe = Error::Transport {
            operation: "SendCommandToSession".into(),
            source: TransportError::Timeout("late".into()),
        };
        let send = Error::from(RunCommandError::Send { source: sent_maybe });
        assert!(send.may_have_been_processed());
        let refused = Error::Transport {
            operation: "SendCommandToSession".into(),
            source: TransportError::Connect("refused".into()),
        };
        let send = Error::from(RunCommandError::Send { source: refused });
        assert!(!send.may_have_been_processed());

        let read_only = Error::from(RunCommandError::NotSent {
            source: Error::ReadOnly {
                operation: "SendCommandToSession".into(),
            },
        });
        assert!(matches!(read_only, Error::Build { .. }));
        assert!(!read_only.may_have_been_processed());
    }
}
