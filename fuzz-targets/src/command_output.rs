//! Command results read from a `RanCommand` event's text.

use screenconnect_api::command::{SentinelNonce, parse_output};

/// The nonce of every fuzzed command.
const NONCE: &str = "fuzzNonce01";

/// Any event text: reading it never panics. The same text
/// followed by the sentinel line always reads as completed with that exit code, its output
/// being the text (line endings normalised).
pub fn sc_command_output(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let nonce = SentinelNonce::new(NONCE).expect("the nonce is valid");
    let max_length = (selector & 1 == 1).then_some(u32::from(selector));
    // A stray `\r` before a `\r\n` is output: it stays, so no "no CRLF left" property here.
    let _ = parse_output(text, &nonce, max_length);

    let code = i32::from(selector as i8) * 1_000;
    let raw = format!("{text}\n{}{code}\r\n", nonce.marker());
    let read = parse_output(&raw, &nonce, max_length);
    assert_eq!(
        read.exit_code,
        Some(code),
        "the sentinel was missed in {raw:?}"
    );
    assert!(!read.killed && !read.truncated, "{read:?} for {raw:?}");
    let printed = text.strip_prefix('\u{feff}').unwrap_or(text);
    assert_eq!(read.output, format!("{printed}\n").replace("\r\n", "\n"));
}
