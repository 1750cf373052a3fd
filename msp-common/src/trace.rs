//! The spans every operation and attempt run in.
//!
//! Fields follow the OpenTelemetry HTTP client conventions. The URL is never recorded, only the
//! route template: query strings carry customer names and e-mail addresses in `conditions`.

use tracing::Span;
use tracing::field::Empty;

use crate::operation::Operation;

/// The span of one logical operation, retries included.
pub fn operation_span(operation: &Operation, method: &http::Method) -> Span {
    tracing::info_span!(
        "msp.operation",
        otel.name = operation.name(),
        otel.kind = "client",
        url.template = operation.route(),
        http.request.method = %method,
        idempotency = ?operation.idempotency(),
        attempts = Empty,
    )
}

/// The span of one attempt; `resend_count` is 0 for the first.
pub fn attempt_span(resend_count: u32) -> Span {
    tracing::debug_span!(
        "msp.attempt",
        http.request.resend_count = resend_count,
        http.response.status_code = Empty,
        error.type = Empty,
    )
}
