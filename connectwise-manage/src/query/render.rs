//! Rendering conditions and literals as Manage conditions text (`Display`).
//!
//! Output is deterministic and lowercase: `a = 1`, `name not like "A*"`, `id in (1, 2)`.
//! Every `and`/`or` is wrapped in parentheses, including the outermost one, because the
//! server's precedence between `and` and `or` is not documented.
//!
//! # String quoting
//!
//! The grammar accepts `"…"` and `'…'`; how the server reads a quote inside a literal is not
//! documented. The renderer therefore avoids escapes whenever it can:
//!
//! 1. a value without `"` is wrapped in `"`;
//! 2. otherwise a value without `'` is wrapped in `'`;
//! 3. otherwise (both quote kinds), or when the value holds a backslash that the parser would
//!    read as an escape (`\\`, `\"`, `\'`, or a trailing `\`), it is wrapped in `"` with every
//!    `\` written `\\` and every `"` written `\"`.
//!
//! Rule 3 matches the only escaping seen in a public client and is unverified against the
//! server; values that reach it are rare. Any other backslash (`C:\temp`) is written as is.
//!
//! # Brackets in patterns
//!
//! The Developer Guide's URL-parameter escaping rules write a literal `[` as `[[]` (SQL Server
//! `LIKE` bracket escaping: the server evaluates `like` and `contains` as `LIKE` patterns, where
//! `[` opens a character class). The renderer applies that rule to the string values of
//! [`Operator::is_pattern`](super::Operator::is_pattern) operators only, before quoting:
//! `contains("summary", "[URGENT]")` renders as `summary contains "[[]URGENT]"`. The parser
//! reads `[[]` back as `[`, so parsing a rendered condition gives the condition back, and it
//! refuses a bare `[` in such a value ([`ParseErrorKind::UnescapedBracket`](super::ParseErrorKind::UnescapedBracket))
//! rather than guess whether a character class was meant.
//!
//! What is documented, not verified against a live server: the `[[]` rule itself. What is
//! neither documented nor done: escaping `]`, `_` or `%` (in `like`, `*` and `%` are wildcards by
//! design; whether `_` or `%` act as wildcards inside `contains` is unknown), and escaping `[`
//! in `=`, `!=` or `in` values, which are not patterns. The other rules of that list (`&`, `"`,
//! `'`, `*`, `%`, `+`) are plain URL encoding, which the request builder does for every query
//! value.

use std::fmt::{self, Write as _};

use time::{OffsetDateTime, UtcOffset};

use super::{Comparison, Condition, Value};

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (clauses, separator) = match self {
            Self::Compare(comparison) => return comparison.fmt(f),
            Self::And(clauses) => (clauses, " and "),
            Self::Or(clauses) => (clauses, " or "),
        };
        f.write_char('(')?;
        for (index, clause) in clauses.iter().enumerate() {
            if index > 0 {
                f.write_str(separator)?;
            }
            clause.fmt(f)?;
        }
        f.write_char(')')
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ", self.field(), self.operator())?;
        match self.value() {
            Value::String(text) if self.operator().is_pattern() && text.contains('[') => {
                write_string(f, &text.replace('[', PATTERN_BRACKET))
            }
            value => value.fmt(f),
        }
    }
}

/// How a literal `[` is written inside a `like`/`contains` value (see the module docs).
pub(super) const PATTERN_BRACKET: &str = "[[]";

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(text) => write_string(f, text),
            Self::Integer(integer) => write!(f, "{integer}"),
            Self::Decimal(decimal) => write!(f, "{decimal}"),
            Self::Boolean(true) => f.write_str("true"),
            Self::Boolean(false) => f.write_str("false"),
            Self::Null => f.write_str("null"),
            Self::DateTime(instant) => write_datetime(f, *instant),
            Self::List(items) => {
                f.write_char('(')?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(')')
            }
        }
    }
}

/// `[YYYY-MM-DDTHH:MM:SSZ]` in UTC; sub-second precision is not part of the literal.
///
/// An instant with no UTC form in `time`'s range (which [`Comparison`] rejects, so only a bare
/// [`Value`] can hold one) keeps its own offset: `[9999-12-31T23:00:00-02:00]`.
fn write_datetime(f: &mut fmt::Formatter<'_>, instant: OffsetDateTime) -> fmt::Result {
    let shown = instant.checked_to_offset(UtcOffset::UTC).unwrap_or(instant);
    write!(
        f,
        "[{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        shown.year(),
        u8::from(shown.month()),
        shown.day(),
        shown.hour(),
        shown.minute(),
        shown.second()
    )?;
    let offset = shown.offset();
    if offset.is_utc() {
        return f.write_str("Z]");
    }
    let sign = if offset.is_negative() { '-' } else { '+' };
    write!(
        f,
        "{sign}{:02}:{:02}]",
        offset.whole_hours().unsigned_abs(),
        offset.minutes_past_hour().unsigned_abs()
    )
}

/// Quotes a string as described in the module docs.
fn write_string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let has_double = text.contains('"');
    let needs_escapes = (has_double && text.contains('\'')) || has_escape_like_backslash(text);
    if !needs_escapes {
        let quote = if has_double { '\'' } else { '"' };
        f.write_char(quote)?;
        f.write_str(text)?;
        return f.write_char(quote);
    }
    f.write_char('"')?;
    let mut rest = text;
    while let Some(index) = rest.find(['"', '\\']) {
        f.write_str(&rest[..index])?;
        f.write_char('\\')?;
        // Both characters are one byte, so `index + 1` is a char boundary.
        f.write_str(&rest[index..=index])?;
        rest = &rest[index + 1..];
    }
    f.write_str(rest)?;
    f.write_char('"')
}

/// True when the text holds a backslash the parser would take as an escape: one followed by a
/// backslash or a quote, or one at the very end (it would swallow the closing quote).
fn has_escape_like_backslash(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(index, &byte)| {
        byte == b'\\' && matches!(bytes.get(index + 1), None | Some(b'\\' | b'"' | b'\''))
    })
}

#[cfg(test)]
mod tests {
    use time::macros::{datetime, utc_datetime};

    use super::*;

    fn render(text: &str) -> String {
        Value::from(text).to_string()
    }

    #[test]
    fn strings_use_the_quote_they_do_not_contain() {
        assert_eq!(render("plain"), r#""plain""#);
        assert_eq!(render(""), r#""""#);
        assert_eq!(render("it's"), r#""it's""#);
        assert_eq!(render(r#"say "hi""#), r#"'say "hi"'"#);
    }

    #[test]
    fn strings_with_both_quotes_are_escaped() {
        assert_eq!(render(r#"it's "x""#), r#""it's \"x\"""#);
        assert_eq!(render(r#"a\b "c" 'd'"#), r#""a\\b \"c\" 'd'""#);
    }

    #[test]
    fn plain_backslashes_are_written_as_is() {
        assert_eq!(render(r"C:\temp"), r#""C:\temp""#);
        assert_eq!(render(r"a\nb"), r#""a\nb""#);
    }

    #[test]
    fn backslashes_that_would_read_as_escapes_are_escaped() {
        assert_eq!(render(r"ends with \"), r#""ends with \\""#);
        assert_eq!(render(r"\\server\share"), r#""\\\\server\\share""#);
        assert_eq!(render(r"it\'s"), r#""it\\'s""#);
        assert_eq!(render(r#"q\"x"#), r#""q\\\"x""#);
    }

    #[test]
    fn non_ascii_text_passes_through() {
        assert_eq!(render("Zoë «ü» 日本"), "\"Zoë «ü» 日本\"");
        assert_eq!(render("x\"ß'é"), "\"x\\\"ß'é\"");
    }

    #[test]
    fn scalars_and_lists_render_in_grammar_form() {
        assert_eq!(Value::Boolean(true).to_string(), "true");
        assert_eq!(Value::Boolean(false).to_string(), "false");
        assert_eq!(Value::Null.to_string(), "null");
        assert_eq!(Value::Integer(-42).to_string(), "-42");
        assert_eq!(
            Value::from(utc_datetime!(0987-06-05 04:03:02.999)).to_string(),
            "[0987-06-05T04:03:02Z]"
        );
        assert_eq!(
            Value::from(datetime!(2026-01-01 01:30:00 +05:30)).to_string(),
            "[2025-12-31T20:00:00Z]"
        );
        assert_eq!(
            Value::from(datetime!(9999-12-31 23:00:00 -02:00)).to_string(),
            "[9999-12-31T23:00:00-02:00]"
        );
        assert_eq!(
            Value::from(vec![Value::from("a"), Value::Null, Value::from(1)]).to_string(),
            r#"("a", null, 1)"#
        );
    }
}
