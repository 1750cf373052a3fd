//! How the extension's error responses are read and which of them are worth another attempt.
//!
//! The extension runs on ScreenConnect's web-service framework, whose failures look like this:
//!
//! | response | [`ApiErrorKind`] | meaning |
//! |---|---|---|
//! | 401 | `Unauthorized` | wrong secret, or a secret sent with a `Basic ` prefix |
//! | 403 | `Forbidden` | possibly an `Origin` the extension's `RESTfulAllowedOrigin` refuses |
//! | 404 (an HTML page) | `NotFound` | the extension is not installed, or the extension id is wrong |
//! | 500 `Web method does not exist` | `Unsupported` | this extension version lacks the method |
//! | 500 `Unknown parameter: x`, `Unable to process arguments…`, `Index was out of range` | `InvalidArguments` | wrong argument names, count or shape |
//! | other 500 | `ServerFault` | a session-manager fault: a bogus session id and a badly shaped argument look the same |
//!
//! JSON bodies `{"errorType", "message", "detail"}` become [`ApiError::code`],
//! [`ApiError::message`] and [`ApiError::details`]; the start of the raw body is always kept in
//! [`ApiError::body_snippet`]. [`ScreenConnectClassifier`] stops at once on the permanent failures,
//! reads included, instead of spending retries on them.

use bytes::Bytes;
use http::StatusCode;
use msp_common::retry::{Attempt, Classify, RetryAction};
use msp_common::{ApiError, ApiErrorKind, ErrorDecoder, Operation};

/// Longest server message kept from a plain-text body.
const TEXT_MESSAGE_LIMIT: usize = 300;

/// Reads the extension's error responses into [`ApiError`]s with an SC-specific
/// [`ApiError::kind`] and a message that says what to check.
#[derive(Clone, Debug)]
pub struct ScreenConnectErrorDecoder {
    extension_id: String,
}

impl ScreenConnectErrorDecoder {
    /// A decoder for calls to the extension with id `extension_id` (named in 404 messages).
    pub fn new(extension_id: impl Into<String>) -> Self {
        Self {
            extension_id: extension_id.into(),
        }
    }
}

/// What the body of an error response said.
#[derive(Debug, Default)]
struct Body {
    error_type: Option<String>,
    message: Option<String>,
    detail: Option<serde_json::Value>,
}

/// Reads `{errorType, message, detail}` (any key case), a JSON string, or plain text. HTML pages
/// yield nothing: their text is markup, kept only in the snippet.
fn read_body(body: &[u8]) -> Body {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(object)) => {
            let mut parsed = Body::default();
            for (key, value) in object {
                match (key.to_ascii_lowercase().as_str(), value) {
                    ("errortype", serde_json::Value::String(text)) => {
                        parsed.error_type = Some(text)
                    }
                    ("message", serde_json::Value::String(text)) => parsed.message = Some(text),
                    ("detail", serde_json::Value::Null) => {}
                    ("detail", value) => parsed.detail = Some(value),
                    _ => {}
                }
            }
            parsed
        }
        Ok(serde_json::Value::String(text)) => Body {
            message: Some(text),
            ..Body::default()
        },
        Ok(_) => Body::default(),
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() || text.starts_with('<') {
                Body::default()
            } else {
                Body {
                    message: Some(msp_common::snippet(text.as_bytes(), TEXT_MESSAGE_LIMIT)),
                    ..Body::default()
                }
            }
        }
    }
}

/// A 500 whose cause is permanent for this method and these arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Permanent {
    /// "Web method does not exist".
    UnknownMethod,
    /// Wrong parameter names, count or shape.
    InvalidArguments,
}

/// Recognises the framework's permanent 500 messages (case-insensitively).
fn permanent_fault(message: &str) -> Option<Permanent> {
    let message = message.to_ascii_lowercase();
    if message.contains("web method does not exist") {
        Some(Permanent::UnknownMethod)
    } else if message.contains("unknown parameter")
        || message.contains("unable to process arguments")
        || message.contains("index was out of range")
        || message.contains("parameter count mismatch")
    {
        Some(Permanent::InvalidArguments)
    } else {
        None
    }
}

/// The message of a 500 response body, or its raw text when it is not JSON.
fn fault_text(body: &Bytes) -> String {
    let parsed = read_body(body);
    parsed
        .message
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

impl ErrorDecoder for ScreenConnectErrorDecoder {
    fn decode(&self, operation: &Operation, response: &http::Response<Bytes>) -> ApiError {
        let status = response.status();
        let mut error = ApiError::new(operation.name(), status).with_body_snippet(response.body());
        let body = read_body(response.body());
        error.code = body.error_type;
        error.details = body.detail;
        let server_message = body.message;
        let method = operation.name();
        let (kind, message) = match status {
            StatusCode::UNAUTHORIZED => (
                ApiErrorKind::Unauthorized,
                explain(
                    server_message,
                    "the API secret was refused: check the extension's RESTfulAuthenticationSecret \
                     (it is sent raw in CTRLAuthHeader, without a Basic prefix); an Origin the \
                     extension's RESTfulAllowedOrigin does not accept may also cause this",
                ),
            ),
            StatusCode::FORBIDDEN => (
                ApiErrorKind::Forbidden,
                explain(
                    server_message,
                    "the request was forbidden: check that the Origin header matches the \
                     extension's RESTfulAllowedOrigin setting (or clear that setting)",
                ),
            ),
            StatusCode::NOT_FOUND => (
                ApiErrorKind::NotFound,
                format!(
                    "the RESTful API Manager extension was not found at /App_Extensions/{}/: it \
                     is not installed on this instance, or the extension id is wrong",
                    self.extension_id
                ),
            ),
            StatusCode::INTERNAL_SERVER_ERROR => {
                let text = server_message
                    .clone()
                    .unwrap_or_else(|| String::from_utf8_lossy(response.body()).into_owned());
                match permanent_fault(&text) {
                    Some(Permanent::UnknownMethod) => (
                        ApiErrorKind::Unsupported,
                        format!(
                            "{} (the RESTful API Manager extension on this instance has no method \
                             {method}; check the method name and the extension version)",
                            server_message
                                .as_deref()
                                .unwrap_or("Web method does not exist")
                        ),
                    ),
                    Some(Permanent::InvalidArguments) => (
                        ApiErrorKind::InvalidArguments,
                        explain(
                            server_message,
                            "the arguments do not fit the method: wrong names, count or shape",
                        ),
                    ),
                    None => (
                        ApiErrorKind::ServerFault,
                        explain(
                            server_message,
                            "the session manager faulted; ScreenConnect reports a session id that \
                             does not exist and a badly shaped argument with the same fault, so \
                             this cannot tell which one happened",
                        ),
                    ),
                }
            }
            _ => (
                ApiErrorKind::from_status(status),
                server_message.unwrap_or(error.message.clone()),
            ),
        };
        error.kind = kind;
        error.message = message;
        error
    }
}

/// The server's message (when it sent one) followed by what it means here.
fn explain(server_message: Option<String>, meaning: &str) -> String {
    match server_message {
        Some(message) if !message.trim().is_empty() => format!("{} ({meaning})", message.trim()),
        _ => meaning.to_owned(),
    }
}

/// The extension's retry rules, consulted before msp-common's defaults: a 500 saying the method
/// does not exist or the arguments are wrong will fail the same way every time, so it is never
/// repeated, not even for reads. Everything else is left to the defaults (reads retried after
/// 502/503/504 and timeouts, writes only after 429, 503 with `Retry-After`, or a connection that
/// was never made).
#[derive(Clone, Copy, Debug, Default)]
pub struct ScreenConnectClassifier;

impl Classify for ScreenConnectClassifier {
    fn classify(&self, attempt: &Attempt<'_>) -> Option<RetryAction> {
        let response = attempt.outcome.ok()?;
        match response.status() {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => {
                Some(RetryAction::Stop)
            }
            StatusCode::INTERNAL_SERVER_ERROR => {
                permanent_fault(&fault_text(response.body())).map(|_| RetryAction::Stop)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use msp_common::TransportError;

    use super::*;

    fn response(status: u16, body: &str) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::from(body.to_owned()));
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        response
    }

    fn decode(status: u16, body: &str) -> ApiError {
        ScreenConnectErrorDecoder::new("2d558935-686a-4bd0-9991-07539f5fe749").decode(
            &Operation::safe("GetSessionsByName", "/GetSessionsByName"),
            &response(status, body),
        )
    }

    #[test]
    fn kinds_codes_and_details() {
        let error = decode(
            500,
            r#"{"errorType":"ArgumentException","message":"Web method does not exist","detail":null}"#,
        );
        assert_eq!(error.kind, ApiErrorKind::Unsupported);
        assert_eq!(error.code.as_deref(), Some("ArgumentException"));
        assert_eq!(error.details, None);
        assert!(error.message.starts_with("Web method does not exist ("));
        assert!(error.message.contains("no method GetSessionsByName"));

        let error = decode(
            500,
            r#"{"errorType":"ArgumentException","message":"Unknown parameter: name","detail":{"Parameter":"name"}}"#,
        );
        assert_eq!(error.kind, ApiErrorKind::InvalidArguments);
        assert_eq!(
            error.details,
            Some(serde_json::json!({"Parameter": "name"}))
        );
        assert!(error.message.starts_with("Unknown parameter: name ("));

        let error = decode(
            500,
            r#"{"errorType":"ArgumentException","message":"Unable to process arguments: Index was out of range. Must be non-negative and less than the size of the collection."}"#,
        );
        assert_eq!(error.kind, ApiErrorKind::InvalidArguments);

        let error = decode(
            500,
            r#"{"errorType":"NullReferenceException","message":"Object reference not set to an instance of an object.","detail":"at SessionManager"}"#,
        );
        assert_eq!(error.kind, ApiErrorKind::ServerFault);
        assert_eq!(error.code.as_deref(), Some("NullReferenceException"));
        assert_eq!(error.details, Some(serde_json::json!("at SessionManager")));
        assert!(error.message.contains("cannot tell which one happened"));

        let error = decode(401, "");
        assert_eq!(error.kind, ApiErrorKind::Unauthorized);
        assert!(error.message.contains("RESTfulAuthenticationSecret"));

        let error = decode(403, "");
        assert_eq!(error.kind, ApiErrorKind::Forbidden);
        assert!(error.message.contains("RESTfulAllowedOrigin"));

        let html = "<html><head><title>The resource cannot be found.</title></head></html>";
        let error = decode(404, html);
        assert_eq!(error.kind, ApiErrorKind::NotFound);
        assert!(
            error
                .message
                .contains("/App_Extensions/2d558935-686a-4bd0-9991-07539f5fe749/")
        );
        assert!(error.message.contains("not installed"));
        assert_eq!(error.body_snippet, html);

        let error = decode(500, "Web method does not exist");
        assert_eq!(error.kind, ApiErrorKind::Unsupported);
        let error = decode(500, r#""Unknown parameter: sessionId""#);
        assert_eq!(error.kind, ApiErrorKind::InvalidArguments);
        assert!(error.message.starts_with("Unknown parameter: sessionId ("));

        let error = decode(502, "<html>Bad Gateway</html>");
        assert_eq!(error.kind, ApiErrorKind::Unavailable);
        assert_eq!(error.message, "Bad Gateway");
        let error = decode(500, "<html>Server Error</html>");
        assert_eq!(error.kind, ApiErrorKind::ServerFault);
    }

    fn classify(status: u16, body: &str, operation: &Operation) -> Option<RetryAction> {
        let response = response(status, body);
        ScreenConnectClassifier.classify(&Attempt {
            operation,
            outcome: Ok(&response),
            now: SystemTime::UNIX_EPOCH,
        })
    }

    #[test]
    fn permanent_faults_stop_even_for_reads() {
        let read = Operation::safe("GetSessionDetailsBySessionID", "/x");
        let write = Operation::non_idempotent("SendCommandToSession", "/x");
        for operation in [&read, &write] {
            assert_eq!(
                classify(500, r#"{"message":"Web method does not exist"}"#, operation),
                Some(RetryAction::Stop)
            );
            assert_eq!(
                classify(500, r#"{"message":"Unknown parameter: x"}"#, operation),
                Some(RetryAction::Stop)
            );
            assert_eq!(classify(401, "", operation), Some(RetryAction::Stop));
            assert_eq!(classify(404, "<html/>", operation), Some(RetryAction::Stop));
            assert_eq!(classify(500, r#"{"message":"fault"}"#, operation), None);
            assert_eq!(classify(502, "", operation), None);
            assert_eq!(classify(200, "[]", operation), None);
        }
        let error = TransportError::Timeout("slow".into());
        assert_eq!(
            ScreenConnectClassifier.classify(&Attempt {
                operation: &read,
                outcome: Err(&error),
                now: SystemTime::UNIX_EPOCH,
            }),
            None
        );
    }
}
