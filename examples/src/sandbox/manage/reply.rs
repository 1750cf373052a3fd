//! Responses of the Manage sandbox: successes, and failures shaped like the real server's error
//! bodies (`{"code": …, "message": …, "errors": […]}`).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::routes::Kind;

/// A response about to be sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body; `None` for an empty body (204).
    pub body: Option<Value>,
    /// Extra headers, such as `Link`.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// `200` with a JSON body.
    pub fn ok(body: Value) -> Self {
        Self::with_status(200, body)
    }

    /// `201 Created` with the new record.
    pub fn created(body: Value) -> Self {
        Self::with_status(201, body)
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        Self {
            status: 204,
            body: None,
            headers: Vec::new(),
        }
    }

    fn with_status(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_owned(), value));
        self
    }

    /// The wiremock response.
    pub fn into_template(self) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(self.status);
        for (name, value) in self.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        match self.body {
            Some(body) => {
                template.set_body_raw(body.to_string(), "application/json; charset=utf-8")
            }
            None => template,
        }
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
    fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
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

    /// The wiremock response.
    pub fn into_template(self) -> ResponseTemplate {
        Reply {
            status: self.status,
            body: Some(self.body),
            headers: Vec::new(),
        }
        .into_template()
    }
}
