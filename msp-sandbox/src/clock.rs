//! Timestamps the servers write into records and events: Manage's `YYYY-MM-DDTHH:MM:SSZ` (whole
//! seconds, UTC) and ScreenConnect's `YYYY-MM-DDTHH:MM:SS.fffffffZ` (seven fractional digits,
//! UTC).

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

/// A time as ScreenConnect writes it: UTC, seven fractional digits (.NET ticks), `Z`.
pub fn ticks_stamp(time: OffsetDateTime) -> String {
    let time = time.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.nanosecond() / 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_stamps_have_seven_fractional_digits() {
        let time = time::macros::datetime!(2026-07-19 06:41:52.6169911 +02:00);
        assert_eq!(ticks_stamp(time), "2026-07-19T04:41:52.6169911Z");
    }

    #[test]
    fn stamps_are_utc_seconds() {
        let mut out = String::new();
        push_stamp(&mut out, 1_778_716_800);
        assert_eq!(out, "2026-05-14T00:00:00Z");
        assert_eq!(now_stamp().len(), 20);
    }
}
