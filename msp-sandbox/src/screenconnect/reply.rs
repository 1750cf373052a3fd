//! The responses of the extension and of the web server in front of it, in their real shapes.

use bytes::Bytes;
use serde_json::{Value, json};

use crate::server::{Response, WriteApplied};

const JSON: &str = "application/json; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

fn with(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(content_type),
    );
    response
}

/// `200` with a JSON body (a read).
pub fn json_body(value: &Value) -> Response {
    with(200, JSON, value.to_string())
}

/// `200` with an empty body (a write the server applied).
pub fn applied() -> Response {
    let mut response = Response::new(Bytes::new());
    response.extensions_mut().insert(WriteApplied);
    response
}

/// Marks a response as answering an applied write.
pub fn mark_applied(mut response: Response) -> Response {
    response.extensions_mut().insert(WriteApplied);
    response
}

/// A web-service framework fault, before it is rendered as a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `Web method does not exist`.
    NoSuchMethod,
    /// `Unknown parameter: <name>`.
    UnknownParameter(String),
    /// `Unable to process arguments: <reason>`.
    BadArguments(String),
    /// Too few positional arguments.
    IndexOutOfRange,
    /// The session manager's generic fault.
    SessionManager,
    /// Any other fault: its exception type and message.
    Other(&'static str, String),
}

impl Fault {
    /// The `500` response.
    pub fn response(&self) -> Response {
        match self {
            Fault::NoSuchMethod => no_such_method(),
            Fault::UnknownParameter(name) => unknown_parameter(name),
            Fault::BadArguments(reason) => bad_arguments(reason),
            Fault::IndexOutOfRange => index_out_of_range(),
            Fault::SessionManager => session_manager_fault(),
            Fault::Other(error_type, message) => fault(error_type, message),
        }
    }
}

/// A web-service framework fault: `500 {"errorType", "message", "detail": null}`.
pub fn fault(error_type: &str, message: &str) -> Response {
    with(
        500,
        JSON,
        json!({"errorType": error_type, "message": message, "detail": null}).to_string(),
    )
}

/// The fault for a method the extension does not have.
pub fn no_such_method() -> Response {
    fault("ArgumentException", "Web method does not exist")
}

/// The fault for a named argument the method does not take.
pub fn unknown_parameter(name: &str) -> Response {
    fault("ArgumentException", &format!("Unknown parameter: {name}"))
}

/// The fault for arguments of the wrong count or shape.
pub fn bad_arguments(reason: &str) -> Response {
    fault(
        "ArgumentException",
        &format!("Unable to process arguments: {reason}"),
    )
}

/// Too few positional arguments.
pub fn index_out_of_range() -> Response {
    bad_arguments(
        "Index was out of range. Must be non-negative and less than the size of the collection. \
         (Parameter 'index')",
    )
}

/// The session manager's generic fault: what an unknown session id (and much else) gives.
pub fn session_manager_fault() -> Response {
    fault(
        "NullReferenceException",
        "Object reference not set to an instance of an object.",
    )
}

/// What the web server answers for a path nothing serves (an extension that is not installed).
pub fn not_found() -> Response {
    with(
        404,
        HTML,
        "<!DOCTYPE html>\r\n<html><head><title>The resource cannot be found.</title></head>\
         <body><h1>Server Error in '/' Application.</h1><h2><i>The resource cannot be found.</i>\
         </h2></body></html>\r\n",
    )
}

/// A refused secret.
pub fn unauthorized() -> Response {
    with(
        401,
        HTML,
        "<!DOCTYPE html>\r\n<html><head><title>401 - Unauthorized</title></head><body>\
         <h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>\r\n",
    )
}

/// An `Origin` the extension's `RESTfulAllowedOrigin` does not accept.
pub fn forbidden_origin() -> Response {
    with(
        403,
        JSON,
        json!({
            "errorType": "UnauthorizedAccessException",
            "message": "The request origin is not allowed.",
            "detail": null,
        })
        .to_string(),
    )
}

/// A file download.
pub fn file(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let mut response = with(200, content_type, body);
    if let Ok(value) = http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `429` with `Retry-After`.
pub fn throttled(retry_after: &str) -> Response {
    let mut response = with(
        429,
        "text/plain; charset=utf-8",
        "Too many requests; retry later.",
    );
    if let Ok(value) = http::HeaderValue::from_str(retry_after) {
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, value);
    }
    response
}

/// An injected `500`, `502` or `503` in the server's own shape.
pub fn server_error(status: u16) -> Response {
    match status {
        500 => fault(
            "InvalidOperationException",
            "The session manager is not available.",
        ),
        _ => {
            let mut response = with(
                status,
                HTML,
                "<!DOCTYPE html>\r\n<html><head><title>Service Unavailable</title></head>\
                 <body><h1>Service Unavailable</h1></body></html>\r\n",
            );
            if status == 503 {
                response.headers_mut().insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("1"),
                );
            }
            response
        }
    }
}
