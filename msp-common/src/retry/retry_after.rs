//! `Retry-After` (RFC 9110 §10.2.3) in both of its forms: delta-seconds and HTTP-date.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use http::header::RETRY_AFTER;

/// The delay a `Retry-After` value asks for, measured from `now`.
///
/// Delta-seconds (`"30"`) are taken as they are; an HTTP-date is turned into the time left until it,
/// zero when it has passed. Anything else (garbage, negative numbers, an empty value) is `None`, so
/// the caller falls back to its own backoff.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurdly long values rather than failing: the cap turns them into an error.
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The delay asked for by the first readable `Retry-After` header in `headers`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .get_all(RETRY_AFTER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| parse_retry_after(v, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn reads_both_forms_and_rejects_garbage() {
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        let now = at(1_700_000_000);
        let cases: &[(&str, Option<Duration>)] = &[
            ("7", Some(Duration::from_secs(7))),
            (" 120 ", Some(Duration::from_secs(120))),
            ("0", Some(Duration::ZERO)),
            (
                "Tue, 14 Nov 2023 22:13:50 GMT",
                Some(Duration::from_secs(30)),
            ),
            ("Tue, 14 Nov 2023 22:00:00 GMT", Some(Duration::ZERO)),
            (
                "Tuesday, 14-Nov-23 22:14:20 GMT",
                Some(Duration::from_secs(60)),
            ),
            ("-5", None),
            ("1.5", None),
            ("soon", None),
            ("", None),
            (
                "99999999999999999999999",
                Some(Duration::from_secs(u64::MAX)),
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(parse_retry_after(value, now), *expected, "value {value:?}");
        }
    }

    #[test]
    fn first_readable_header_wins() {
        let mut headers = HeaderMap::new();
        headers.append(RETRY_AFTER, "later".parse().unwrap());
        headers.append(RETRY_AFTER, "9".parse().unwrap());
        assert_eq!(retry_after(&headers, at(0)), Some(Duration::from_secs(9)));
        assert_eq!(retry_after(&HeaderMap::new(), at(0)), None);
    }
}
