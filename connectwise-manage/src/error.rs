//! How ConnectWise error bodies are read.
//!
//! The API answers `{"code", "message", "errors": [{code, message, resource, field}]}` (with
//! `errors` absent or `null` outside validation), a 429 answers `{"error", "message"}`, and proxies
//! in front of it answer HTML. All three become an [`ApiError`] that keeps the status and a snippet
//! of the body; field errors are in [`ApiError::field_errors`].

use msp_common::bytes::Bytes;
use msp_common::{ApiError, ApiErrorKind, ErrorDecoder, GenericErrorDecoder, Operation};

/// The [`ErrorDecoder`] for ConnectWise Manage.
#[derive(Clone, Copy, Debug, Default)]
pub struct ManageErrorDecoder;

impl ErrorDecoder for ManageErrorDecoder {
    fn decode(&self, operation: &Operation, response: &http::Response<Bytes>) -> ApiError {
        let mut error = GenericErrorDecoder.decode(operation, response);
        match error.code.as_deref() {
            Some("NotFound") => error.kind = ApiErrorKind::NotFound,
            Some("ApiFindCondition") => error.kind = ApiErrorKind::InvalidArguments,
            Some("ConnectWiseApi") if error.message.contains("endpoint does not exist") => {
                error.kind = ApiErrorKind::Unsupported;
            }
            Some("Unauthorized") => error.kind = ApiErrorKind::Unauthorized,
            _ => {}
        }
        let unauthenticated = error.status == http::StatusCode::UNAUTHORIZED
            || error.kind == ApiErrorKind::Unauthorized
            || error.message.contains("UserNotAuthenticated");
        if unauthenticated {
            error.kind = ApiErrorKind::Unauthorized;
            error.message = explain_unauthorized(&error.message, error.code.is_some());
        }
        error
    }
}

/// What to check when the credentials are refused.
const CHECK_CREDENTIALS: &str = "the credentials were refused: check the company id (CW_COMPANY: \
     the company you log in with, not its display name), that the public and private key are one \
     pair of the same API member (CW_PUBLIC_KEY, CW_PRIVATE_KEY), the clientId (CW_CLIENT_ID, \
     registered at developer.connectwise.com), and that the member's security role allows API \
     access";

/// The server's own message (when it sent one) followed by what to check.
fn explain_unauthorized(message: &str, from_body: bool) -> String {
    if from_body && !message.trim().is_empty() {
        format!("{} ({CHECK_CREDENTIALS})", message.trim())
    } else {
        CHECK_CREDENTIALS.to_owned()
    }
}

/// The API error a success response carries instead of a record, if it is one: an object with
/// exactly `code` and `message` (and possibly `errors`), the shape of the API's error bodies.
///
/// Records are objects too, so the check is strict: any other key (every record has an `id`, or
/// at least `_info`) makes it a record. Unknown keys fail the parse at the first one, so records
/// cost little.
pub(crate) fn error_object(
    operation: &Operation,
    response: &http::Response<Bytes>,
) -> Option<ApiError> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only the shape is checked")]
    struct ErrorShape {
        code: String,
        message: String,
        #[serde(default)]
        errors: serde::de::IgnoredAny,
    }
    let body = response.body();
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if body[start] != b'{' {
        return None;
    }
    // The first key must be `code`, `message` or `errors`. Reading it spares every record the
    // failed parse, whose error message costs more to build than the rest of the check; a key
    // with an escape in it is left to the parse.
    let rest = &body[start + 1..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    if let Some(key) = rest.strip_prefix(b"\"")
        && let Some(end) = key.iter().position(|&b| b == b'"' || b == b'\\')
        && key[end] == b'"'
        && !matches!(&key[..end], b"code" | b"message" | b"errors")
    {
        return None;
    }
    serde_json::from_slice::<ErrorShape>(body).ok()?;
    let mut error = ManageErrorDecoder.decode(operation, response);
    if !error.field_errors.is_empty() {
        error.kind = ApiErrorKind::Validation;
    }
    Some(error)
}

/// `true` when a 404 looks like the whole API path is gone (an HTML or empty body, not the API's
/// JSON "record not found"): the sign of a codebase that changed with a release.
pub(crate) fn signals_moved_codebase(error: &ApiError) -> bool {
    error.status == http::StatusCode::NOT_FOUND && error.code.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> ApiError {
        let mut response = http::Response::new(Bytes::from(body.to_owned()));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
            .headers_mut()
            .insert("x-cw-request-id", "req-42".parse().unwrap());
        ManageErrorDecoder.decode(&Operation::safe("getThing", "/thing"), &response)
    }

    fn ok(body: &str) -> http::Response<Bytes> {
        http::Response::new(Bytes::from(body.to_owned()))
    }

    #[test]
    fn an_error_object_on_a_success_status_is_an_error() {
        let op = Operation::safe("getServiceTicketsById", "/service/tickets/{id}");
        let error = error_object(
            &op,
            &ok(r#"{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"InvalidField","message":"bad","resource":"ticket","field":"summary"}]}"#),
        )
        .expect("an error object");
        assert_eq!(error.code.as_deref(), Some("InvalidObject"));
        assert_eq!(error.kind, ApiErrorKind::Validation);
        assert_eq!(error.field_errors.len(), 1);
        assert!(error_object(&op, &ok(r#" {"message":"m","code":"NotFound"}"#)).is_some());
        // Whatever spacing or escapes the first key comes in, and whichever of the three it is.
        for body in [
            r#"{ "errors": [], "code": "c", "message": "m"}"#,
            "{\n\t\"\\u0063ode\":\"X\",\"message\":\"m\"}",
        ] {
            assert!(error_object(&op, &ok(body)).is_some(), "{body}");
        }
        // Records, arrays and other bodies are not.
        for body in [
            r#"{"id":5,"code":"X","message":"m"}"#,
            r#"{"code":"X"}"#,
            r#"{"success":true,"message":"done"}"#,
            r#"[{"code":"X","message":"m"}]"#,
            "",
            r#"{"count":3}"#,
            r#"{ "code" }"#,
            "{",
            "{ ",
            r#"{""#,
        ] {
            assert!(error_object(&op, &ok(body)).is_none(), "{body}");
        }
    }

    #[test]
    fn a_refused_login_says_what_to_check() {
        for (status, body) in [
            (401, ""),
            (401, r#"{"code":"Unauthorized","message":"Unauthorized"}"#),
            (
                400,
                r#"{"code":"ConnectWiseApi","message":"Request failed: UserNotAuthenticated"}"#,
            ),
        ] {
            let error = decode(status, body);
            assert_eq!(error.kind, ApiErrorKind::Unauthorized, "{body}");
            for what in [
                "company id",
                "public and private key",
                "clientId",
                "API access",
            ] {
                assert!(error.message.contains(what), "{what}: {}", error.message);
            }
            assert!(!error.message.contains("privkey"), "{}", error.message);
        }
        let with_text = decode(401, r#"{"code":"Unauthorized","message":"Bad key"}"#);
        assert!(
            with_text.message.starts_with("Bad key ("),
            "{}",
            with_text.message
        );
    }

    #[test]
    fn reads_the_shapes_the_api_sends() {
        let missing = decode(
            404,
            r#"{"code":"NotFound","message":"Contact 57919 not found"}"#,
        );
        assert_eq!(missing.kind, ApiErrorKind::NotFound);
        assert_eq!(missing.request_id.as_deref(), Some("req-42"));
        assert!(!signals_moved_codebase(&missing));

        let route = decode(
            404,
            r#"{"code":"ConnectWiseApi","message":"The endpoint does not exist."}"#,
        );
        assert_eq!(route.kind, ApiErrorKind::Unsupported);

        let html = decode(404, "<html><title>404</title></html>");
        assert!(signals_moved_codebase(&html));
        assert_eq!(html.body_snippet, "<html><title>404</title></html>");

        let condition = decode(
            400,
            r#"{"code":"ApiFindCondition","message":"invoiceDate is not a recognized name."}"#,
        );
        assert_eq!(condition.kind, ApiErrorKind::InvalidArguments);

        let ssl = decode(
            400,
            r#"{"code":"Security","message":"SSL is required.","errors":null}"#,
        );
        assert_eq!(ssl.message, "SSL is required.");
        assert!(ssl.field_errors.is_empty());

        let invalid = decode(
            400,
            r#"{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[{"code":"InvalidField","message":"Invalid URL","resource":"callbackEntry","field":"url"},{"code":"ObjectExists","message":"A matching callback entry already exists","resource":"callbackEntry","field":"objectId"}]}"#,
        );
        assert_eq!(invalid.kind, ApiErrorKind::Validation);
        assert_eq!(invalid.field_errors.len(), 2);
        assert_eq!(
            invalid.field_errors[1].code.as_deref(),
            Some("ObjectExists")
        );
    }
}
