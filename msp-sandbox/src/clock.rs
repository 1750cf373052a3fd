//! Timestamps the servers write into records and events, in the `YYYY-MM-DDTHH:MM:SSZ` form
//! both APIs use (whole seconds, UTC).

use std::fmt::Write as _;

use time::OffsetDateTime;

/// Now.
pub fn now_stamp() -> String {
    let mut out = String::with_capacity(20);
    push_stamp(&mut out, OffsetDateTime::now_utc().unix_timestamp());
    out
}

/// Appends a Unix time in seconds.
pub fn push_stamp(out: &mut String, unix: i64) {
    let instant = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        instant.year(),
        u8::from(instant.month()),
        instant.day(),
        instant.hour(),
        instant.minute(),
        instant.second()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_seconds() {
        let mut out = String::new();
        push_stamp(&mut out, 1_778_716_800);
        assert_eq!(out, "2026-05-14T00:00:00Z");
        assert_eq!(now_stamp().len(), 20);
    }
}
