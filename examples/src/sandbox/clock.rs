//! Timestamps the sandboxes write into records and events.

use time::OffsetDateTime;

/// Now, in the `YYYY-MM-DDTHH:MM:SSZ` form both APIs use.
pub fn now_stamp() -> String {
    stamp(OffsetDateTime::now_utc())
}

/// An instant in the `YYYY-MM-DDTHH:MM:SSZ` form (whole seconds, UTC).
pub fn stamp(instant: OffsetDateTime) -> String {
    connectwise_manage::models::datetime::format(instant)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}
