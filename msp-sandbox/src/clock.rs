//! Timestamps the servers write into records and events: Manage's `YYYY-MM-DDTHH:MM:SSZ` (whole
//! seconds, UTC) and ScreenConnect's `YYYY-MM-DDTHH:MM:SS.fffffffZ` (seven fractional digits,
//! UTC).

use time::OffsetDateTime;

/// Now.
pub fn now_stamp() -> String {
    let mut out = String::with_capacity(20);
    push_stamp(&mut out, OffsetDateTime::now_utc().unix_timestamp());
    out
}

/// Appends a Unix time in seconds (written digit by digit: generated pages write three per
/// ticket).
pub fn push_stamp(out: &mut String, unix: i64) {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let digit = |value: i64| b'0' + value.rem_euclid(10) as u8;
    // `YYYY-MM-DDThh:mm:ssZ`, filled in place and appended at once.
    let mut stamp = *b"0000-00-00T00:00:00Z";
    for (at, divisor) in [1000, 100, 10, 1].into_iter().enumerate() {
        stamp[at] = digit(year / divisor);
    }
    for (at, value) in [
        (5, month),
        (8, day),
        (11, seconds / 3600),
        (14, seconds / 60 % 60),
        (17, seconds % 60),
    ] {
        stamp[at] = digit(value / 10);
        stamp[at + 1] = digit(value);
    }
    // Digits and separators only, so always ASCII.
    out.push_str(std::str::from_utf8(&stamp).unwrap_or_default());
}

/// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
        // Digit by digit agrees with the time crate across leap days, years and centuries.
        for unix in (0i64..253_402_300_799).step_by(77_777_777) {
            let mut out = String::new();
            push_stamp(&mut out, unix);
            let instant = OffsetDateTime::from_unix_timestamp(unix).unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                instant.year(),
                u8::from(instant.month()),
                instant.day(),
                instant.hour(),
                instant.minute(),
                instant.second()
            );
            assert_eq!(out, expected, "{unix}");
        }
    }
}
