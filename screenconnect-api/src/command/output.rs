//! Reading a command's result out of the text of its `RanCommand` event.

use std::fmt;

use super::{DEFAULT_MAX_LENGTH, SentinelNonce};

/// The result of a command, read from its `RanCommand` event text.
///
/// How the fields are decided:
///
/// * the agent appends `Killed after <N> milliseconds.` when it stops a command at its timeout
///   and `Truncated output at <N> characters.` when it cuts the output; these notices set
///   [`killed`](Self::killed) / [`truncated`](Self::truncated) and are removed from
///   [`output`](Self::output);
/// * the sentinel line (`__MSP_EXIT_<nonce>__<code>`) is the script's last output; when found it
///   gives [`exit_code`](Self::exit_code) and is removed;
/// * when the sentinel is missing and no notice explains it, the result is decided from its
///   shape: output at least as long as the limit (counted in UTF-16 units, as the agent counts)
///   is `truncated`; otherwise the command was stopped before reaching its last line and is
///   reported `killed`. A script that leaves the shell itself (`exit 3`, `exit /b 3`) or stops
///   on a terminating error (PowerShell `throw`) never reaches the sentinel either and is
///   reported the same way: `exit_code` is `None` and the output shows what happened.
///
/// Line endings in `output` are normalised to `\n` and a leading byte-order mark is removed.
/// `Debug` shows the output's length, never its text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// What the command printed, without the sentinel line and agent notices.
    pub output: String,
    /// The exit code, when the sentinel line was found and held a 32-bit integer.
    pub exit_code: Option<i32>,
    /// The agent stopped the command (timeout), or the command never reached its last line.
    pub killed: bool,
    /// The agent cut the output at its maximum length.
    pub truncated: bool,
}

impl CommandOutput {
    /// True when the command ran to its end and reported an exit code.
    #[must_use]
    pub fn completed(&self) -> bool {
        self.exit_code.is_some()
    }

    /// True when the command completed with exit code 0.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0)
    }
}

impl fmt::Debug for CommandOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommandOutput")
            .field("output_len", &self.output.len())
            .field("exit_code", &self.exit_code)
            .field("killed", &self.killed)
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// Reads a command's output when only the nonce and limit are at hand (for example after a
/// restart, with the nonce stored next to the queued command). `max_length` is the `#maxlength`
/// that was sent, or `None` for the agent default.
#[must_use]
pub fn parse_output(raw: &str, nonce: &SentinelNonce, max_length: Option<u32>) -> CommandOutput {
    parse(
        raw,
        &nonce.marker(),
        max_length.unwrap_or(DEFAULT_MAX_LENGTH),
    )
}

pub(super) fn parse(raw: &str, marker: &str, max_length: u32) -> CommandOutput {
    let mut text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let mut killed = false;
    let mut truncated = false;
    while let Some((rest, notice)) = strip_trailing_notice(text) {
        match notice {
            Notice::Killed => killed = true,
            Notice::Truncated => truncated = true,
        }
        text = rest;
    }

    let mut exit_code = None;
    let mut sentinel_found = false;
    let mut kept = String::with_capacity(text.len());
    match find_sentinel(text, marker) {
        Some(sentinel) => {
            sentinel_found = true;
            exit_code = sentinel.code;
            kept.push_str(&text[..sentinel.start]);
            kept.push_str(&text[sentinel.end..]);
        }
        None => kept.push_str(text),
    }

    if !sentinel_found && !killed && !truncated {
        if text.encode_utf16().count() >= max_length as usize {
            truncated = true;
        } else {
            killed = true;
        }
    }

    CommandOutput {
        output: kept.replace("\r\n", "\n"),
        exit_code,
        killed,
        truncated,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Killed,
    Truncated,
}

/// Removes an agent notice ending the text (after trailing whitespace), returning the text
/// before it. A notice may follow output on the same line when the output did not end with a
/// newline.
fn strip_trailing_notice(text: &str) -> Option<(&str, Notice)> {
    let trimmed = text.trim_end();
    let body = trimmed.strip_suffix('.').unwrap_or(trimmed);
    for (notice, prefix, suffix) in [
        (Notice::Killed, "killed after ", " milliseconds"),
        (Notice::Truncated, "truncated output at ", " characters"),
    ] {
        let Some(before_suffix) = strip_suffix_ignore_case(body, suffix) else {
            continue;
        };
        // Digits are ASCII, so counting bytes from the end stays on a character boundary.
        let digits_len = before_suffix
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        if digits_len == 0 {
            continue;
        }
        let digits_start = before_suffix.len() - digits_len;
        let before_digits = &before_suffix[..digits_start];
        if let Some(rest) = strip_suffix_ignore_case(before_digits, prefix) {
            return Some((rest, notice));
        }
    }
    None
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    let tail = text.get(split..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..split])
}

struct Sentinel {
    /// Byte offset of the marker.
    start: usize,
    /// Byte offset just past the sentinel's line break (or the end of the text).
    end: usize,
    code: Option<i32>,
}

/// The last occurrence of `marker` followed by an integer and the end of its line.
///
/// Occurrences followed by anything else (for example an echoed, unexpanded
/// `%ERRORLEVEL%`) are skipped.
fn find_sentinel(text: &str, marker: &str) -> Option<Sentinel> {
    let mut search_end = text.len();
    while let Some(start) = text[..search_end].rfind(marker) {
        let after = &text[start + marker.len()..];
        let line_len = after.find('\n').unwrap_or(after.len());
        let line = &after[..line_len];
        let value = line.trim_end();
        let digits = value.strip_prefix('-').unwrap_or(value);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let end = start + marker.len() + (line_len + 1).min(after.len());
            return Some(Sentinel {
                start,
                end,
                code: value.parse::<i32>().ok(),
            });
        }
        search_end = start;
    }
    None
}
