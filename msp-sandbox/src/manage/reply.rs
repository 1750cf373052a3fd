//! Responses of the Manage sandbox: successes, and failures shaped like the real server's error
//! bodies (`{"code": …, "message": …, "errors": […]}`).

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use super::routes::Kind;
use crate::server::{Response, WriteApplied};

/// A response about to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, already written; `None` for an empty body (204).
    pub body: Option<String>,
    /// Extra headers, such as `Link`.
    pub headers: Vec<(&'static str, String)>,
    /// Whether answering changed data.
    pub applied_write: bool,
}

impl Reply {
    /// `200` with a JSON body.
    pub fn ok(body: Value) -> Self {
        Self::raw(200, body.to_string())
    }

    /// `status` with a body already written as JSON.
    pub fn raw(status: u16, body: String) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
            applied_write: false,
        }
    }

    /// `201 Created` with the new record.
    pub fn created(body: Value) -> Self {
        Self::raw(201, body.to_string()).applied()
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: Vec::new(),
            applied_write: false,
        }
    }

    /// Marks the reply as the answer to a write that changed data.
    pub fn applied(mut self) -> Self {
        self.applied_write = true;
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The HTTP response.
    pub fn into_response(self) -> Response {
        let has_body = self.body.is_some();
        // `Bytes` takes the `String`'s buffer as it is: a page of 1,000 tickets is not copied.
        let mut response = Response::new(Bytes::from(self.body.unwrap_or_default()));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if has_body {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.append(name, value);
            }
        }
        if self.applied_write {
            response.extensions_mut().insert(WriteApplied);
        }
        response
    }
}

/// One field-level problem of an `InvalidObject` failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// `MissingRequiredField`, `InvalidField`, `ObjectExists`, …
    pub code: &'static str,
    /// The field concerned.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldProblem {
    /// A required field the body left out.
    pub fn missing(field: &str) -> Self {
        Self {
            code: "MissingRequiredField",
            field: field.to_owned(),
            message: format!("The {field} field is required."),
        }
    }

    /// A field whose value is unusable.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: "InvalidField",
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A failure, answered with the server's error shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The HTTP status.
    pub status: u16,
    /// The error body.
    pub body: Value,
}

impl Failure {
    /// A failure with the server's `{code, message}` body.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({"code": code, "message": message.into()}),
        }
    }

    /// `404 NotFound` for a record that does not exist.
    pub fn not_found(kind: Kind, id: i64) -> Self {
        Self::new(404, "NotFound", format!("{} {id} not found", kind.noun()))
    }

    /// `404` for a path the API does not have.
    pub fn no_endpoint() -> Self {
        Self::new(404, "ConnectWiseApi", "The endpoint does not exist.")
    }

    /// `405` for a method the path does not take.
    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            405,
            "ConnectWiseApi",
            format!("The requested resource does not support http method '{method}'."),
        )
    }

    /// `400 ApiFindCondition`: a condition the server cannot use.
    pub fn find_condition(message: impl Into<String>) -> Self {
        Self::new(400, "ApiFindCondition", message)
    }

    /// `400` for a request the server cannot read at all.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequest", message)
    }

    /// `401` for missing or wrong credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, "Unauthorized", message)
    }

    /// `400 InvalidObject` with field-level problems.
    pub fn invalid_object(kind: Kind, problems: &[FieldProblem]) -> Self {
        let errors: Vec<Value> = problems
            .iter()
            .map(|problem| {
                json!({
                    "code": problem.code,
                    "message": problem.message,
                    "resource": kind.resource(),
                    "field": problem.field,
                })
            })
            .collect();
        Self {
            status: 400,
            body: json!({
                "code": "InvalidObject",
                "message": format!("{} object is invalid", kind.resource()),
                "errors": errors,
            }),
        }
    }

    /// `429` with `Retry-After`, in the server's own shape (`error`, not `code`).
    pub fn throttled(seconds: u64) -> Self {
        Self {
            status: 429,
            body: json!({
                "error": "ConnectWiseAPI",
                "message": format!("Too many requests. Please try again in {seconds} seconds."),
            }),
        }
    }

    /// An unexplained server error.
    pub fn server_error(status: u16) -> Self {
        Self::new(status, "ConnectWiseApi", "An error has occurred.")
    }

    /// The reply answering with this failure.
    pub fn into_reply(self) -> Reply {
        Reply::raw(self.status, self.body.to_string())
    }
}
