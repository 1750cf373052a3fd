//! The one error type both API clients return and re-export.

use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::transport::{BoxError, TransportError};

/// Everything that can go wrong in a call. Match on the variant, or use the helpers
/// ([`Error::status`], [`Error::is_not_found`], [`Error::is_retryable`], …).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client's configuration is incomplete or invalid; nothing was sent.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The request could not be built from the arguments given; nothing was sent.
    #[error("{operation}: {message}")]
    Build {
        /// The operation being built.
        operation: String,
        /// What is wrong with the arguments.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// No response arrived. [`TransportError::never_sent`] tells whether the server could have
    /// acted on the request; when it could, the message says so, because a write may then have
    /// created its record.
    #[error("{operation}: no response{}", ambiguity(source))]
    Transport {
        /// The operation that failed.
        operation: String,
        /// What happened on the wire.
        #[source]
        source: TransportError,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server refused the request for now (429, or 503 with `Retry-After`) and retrying did not
    /// help or was not allowed to wait that long.
    #[error("{error} (the server asked to retry after {})", RetryAfterDisplay(*retry_after))]
    RateLimited {
        /// The delay the server asked for, when it named one.
        retry_after: Option<Duration>,
        /// The error response.
        error: Box<ApiError>,
    },
    /// A success response whose body did not match the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// A paginated listing could not be followed safely.
    #[error("{operation}: the listing stopped")]
    Pagination {
        /// The listing operation.
        operation: String,
        /// Why it stopped.
        #[source]
        source: PaginationError,
    },
    /// The client is read-only and the operation would change state; nothing was sent.
    #[error("{operation} changes state and the client is in read-only mode")]
    ReadOnly {
        /// The refused operation.
        operation: String,
    },
}

struct RetryAfterDisplay(Option<Duration>);

impl fmt::Display for RetryAfterDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(delay) => write!(f, "{}", DisplayDuration(delay)),
            None => f.write_str("an unspecified delay"),
        }
    }
}

/// The warning a transport failure carries when the server may have acted on the request.
fn ambiguity(source: &TransportError) -> &'static str {
    if source.never_sent() {
        " (the request was not sent)"
    } else {
        " (the server may have processed the request: a record it writes may exist, so check \
         before sending it again)"
    }
}

/// A duration as people read it: whole seconds from ten seconds up (`80 s`), tenths of a second
/// below that (`2.5 s`), milliseconds under a second (`250 ms`).
///
/// ```
/// use std::time::Duration;
/// use msp_common::DisplayDuration;
///
/// assert_eq!(DisplayDuration(Duration::from_nanos(80_004_109_942)).to_string(), "80 s");
/// assert_eq!(DisplayDuration(Duration::from_millis(2_540)).to_string(), "2.5 s");
/// assert_eq!(DisplayDuration(Duration::from_micros(250_400)).to_string(), "250 ms");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayDuration(pub Duration);

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.0.as_millis();
        if millis >= 9_950 {
            write!(f, "{} s", (millis + 500) / 1000)
        } else if millis >= 1_000 {
            let tenths = (millis + 50) / 100;
            write!(f, "{}.{} s", tenths / 10, tenths % 10)
        } else {
            write!(f, "{} ms", (self.0.as_micros() + 500) / 1000)
        }
    }
}

impl Error {
    /// A [`Error::Build`] error without an underlying cause.
    pub fn build(operation: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Build {
            operation: operation.into(),
            message: message.into(),
            source: None,
        }
    }

    /// The HTTP status of the error response, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.api().map(|api| api.status)
    }

    /// The decoded error response, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) | Error::RateLimited { error: api, .. } => Some(api),
            _ => None,
        }
    }

    /// The field-level problems of a validation error (empty for any other error).
    ///
    /// ```
    /// # fn report(error: &msp_common::Error) {
    /// for problem in error.field_errors() {
    ///     eprintln!("{:?}: {:?}", problem.field, problem.message);
    /// }
    /// # }
    /// ```
    pub fn field_errors(&self) -> &[FieldError] {
        self.api().map_or(&[], |api| api.field_errors.as_slice())
    }

    /// `true` for a 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// `true` when the server asked us to slow down.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// The delay the server asked for, on a rate-limited error.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// `true` when the same call may succeed later: rate limiting, gateway errors, and transport
    /// failures. A transport failure of a write may have been processed; check
    /// [`Error::may_have_been_processed`] before repeating one.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } => true,
            Error::Transport { source, .. } => !matches!(
                source,
                TransportError::Build(_) | TransportError::TooLarge { .. }
            ),
            Error::Api(api) => matches!(
                api.status,
                StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::GATEWAY_TIMEOUT
            ),
            _ => false,
        }
    }

    /// `true` when the server may have acted on the request although no success came back: a
    /// timeout or broken connection, or a server error response.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Transport { source, .. } => !source.never_sent(),
            Error::Api(api) => api.status.is_server_error(),
            Error::Decode(_) => true,
            _ => false,
        }
    }
}

/// How an error response is best understood, whatever API sent it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The request was malformed (400 without field errors).
    BadRequest,
    /// The record failed validation; see [`ApiError::field_errors`].
    Validation,
    /// The credentials were refused.
    Unauthorized,
    /// The credentials lack a permission.
    Forbidden,
    /// The record, route or extension does not exist.
    NotFound,
    /// The record is in use or changed concurrently.
    Conflict,
    /// Too many requests.
    RateLimited,
    /// The server does not offer this method or endpoint (a permanent condition).
    Unsupported,
    /// The arguments do not fit the method (wrong names, count or shape).
    InvalidArguments,
    /// The server failed while handling the request.
    ServerFault,
    /// The server or a gateway in front of it is unavailable.
    Unavailable,
    /// Any other error status.
    Other,
}

impl ApiErrorKind {
    /// The kind a status implies when the body says nothing more specific.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => ApiErrorKind::BadRequest,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            404 | 410 => ApiErrorKind::NotFound,
            409 => ApiErrorKind::Conflict,
            422 => ApiErrorKind::Validation,
            429 => ApiErrorKind::RateLimited,
            500 => ApiErrorKind::ServerFault,
            502..=504 => ApiErrorKind::Unavailable,
            _ => ApiErrorKind::Other,
        }
    }
}

/// One field-level problem reported with a validation error.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct FieldError {
    /// The API's code for the problem, e.g. `MissingRequiredField`.
    #[serde(default)]
    pub code: Option<String>,
    /// The human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// The kind of record, e.g. `contact`.
    #[serde(default)]
    pub resource: Option<String>,
    /// The offending field, e.g. `firstName`.
    #[serde(default)]
    pub field: Option<String>,
}

/// An error response, decoded as far as the body allows.
///
/// The status is always kept, and so is the start of the raw body, even when it is an HTML proxy
/// page or plain text rather than the API's JSON.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that failed.
    pub operation: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// How the error is best understood.
    pub kind: ApiErrorKind,
    /// The API's own error code (`InvalidObject`, `NotFound`, `ArgumentException`, …).
    pub code: Option<String>,
    /// The API's message, or a description of the status when the body had none.
    pub message: String,
    /// Field-level problems of a validation error.
    pub field_errors: Vec<FieldError>,
    /// Any further structured detail the body carried.
    pub details: Option<serde_json::Value>,
    /// The server's request id, for support tickets.
    pub request_id: Option<String>,
    /// The start of the raw body (at most [`ApiError::SNIPPET_LIMIT`] bytes, cut at a character
    /// boundary).
    pub body_snippet: String,
}

impl ApiError {
    /// How many bytes of the body [`ApiError::body_snippet`] keeps.
    pub const SNIPPET_LIMIT: usize = 1024;

    /// An error for `status` with the message the status implies; decoders fill in the rest.
    pub fn new(operation: impl Into<String>, status: StatusCode) -> Self {
        Self {
            operation: operation.into(),
            status,
            kind: ApiErrorKind::from_status(status),
            code: None,
            message: status
                .canonical_reason()
                .unwrap_or("unrecognised status")
                .to_owned(),
            field_errors: Vec::new(),
            details: None,
            request_id: None,
            body_snippet: String::new(),
        }
    }

    /// Keeps the start of `body` as the snippet.
    pub fn with_body_snippet(mut self, body: &[u8]) -> Self {
        self.body_snippet = snippet(body, Self::SNIPPET_LIMIT);
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status.as_u16())?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        for field in &self.field_errors {
            match (&field.field, &field.message) {
                (Some(name), Some(message)) => write!(f, "; {name}: {message}")?,
                (None, Some(message)) => write!(f, "; {message}")?,
                (Some(name), None) => write!(f, "; {name}")?,
                (None, None) => {}
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The start of `body` as text, at most `limit` bytes, cut at a character boundary.
pub fn snippet(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(limit + 4)]);
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// A success body that did not decode into the expected type.
#[derive(Debug, thiserror::Error)]
#[error("{operation}: could not decode the response as {type_name} at `{path}`")]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation whose response failed to decode.
    pub operation: String,
    /// The Rust type expected.
    pub type_name: &'static str,
    /// The JSON path of the failing value, e.g. `[3].status.id`.
    pub path: String,
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// The decoder's error.
    #[source]
    pub source: serde_json::Error,
}

/// Why a paginated listing stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// The next-page link points at another origin; following it would send the credentials there.
    #[error("refused to follow a next-page link to another origin ({origin})")]
    ForeignOrigin {
        /// The scheme, host and port of the refused link.
        origin: String,
    },
    /// A next-page link repeats a page already fetched.
    #[error("the next-page link after page {page} repeats an earlier page")]
    Loop {
        /// The number of pages fetched before the repeat.
        page: u64,
    },
    /// More pages than the configured limit.
    #[error("stopped after {limit} pages, the configured limit")]
    TooManyPages {
        /// The limit.
        limit: u64,
    },
    /// The `Link` header could not be read.
    #[error(transparent)]
    Link(#[from] crate::link::LinkError),
    /// The listing was configured in a way the server cannot serve.
    #[error("{0}")]
    Unsupported(String),
    /// A page fetched ahead was cancelled before it arrived (its runtime shut down).
    #[error("a page fetched ahead was cancelled before it arrived")]
    Interrupted,
}

/// A configuration value that is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Required settings are missing.
    #[error("missing configuration: {}", names.join(", "))]
    Missing {
        /// The names of the missing settings (environment variables or builder fields).
        names: Vec<String>,
    },
    /// A setting has an unusable value.
    #[error("invalid configuration for {name}: {reason}")]
    Invalid {
        /// The setting.
        name: String,
        /// What is wrong with it (never the value itself, which may be a secret).
        reason: String,
    },
}

impl ConfigError {
    /// A [`ConfigError::Invalid`] error.
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError::Invalid {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What error-chain printers (`{:#}` of anyhow, eyre) show: every level, joined.
    fn chain(error: &dyn std::error::Error) -> String {
        let mut levels = vec![error.to_string()];
        let mut source = error.source();
        while let Some(inner) = source {
            levels.push(inner.to_string());
            source = inner.source();
        }
        levels.join(": ")
    }

    fn io(message: &str) -> BoxError {
        Box::new(std::io::Error::other(message.to_owned()))
    }

    #[test]
    fn display_says_this_level_only() {
        let refused = Error::Transport {
            operation: "getTicket".to_owned(),
            source: TransportError::Connect(io("connection refused")),
        };
        assert_eq!(
            chain(&refused),
            "getTicket: no response (the request was not sent): could not connect to the \
             server: connection refused"
        );
        let decode = Error::Decode(Box::new(DecodeError {
            operation: "getTicket".to_owned(),
            type_name: "Ticket",
            path: "status.id".to_owned(),
            status: StatusCode::OK,
            source: serde_json::from_str::<u32>("\"x\"").unwrap_err(),
        }));
        let printed = chain(&decode);
        assert_eq!(printed.matches("invalid type").count(), 1, "{printed}");
        let looped = Error::Pagination {
            operation: "listTickets".to_owned(),
            source: PaginationError::Loop { page: 2 },
        };
        let printed = chain(&looped);
        assert_eq!(
            printed.matches("repeats an earlier page").count(),
            1,
            "{printed}"
        );
    }

    #[test]
    fn an_ambiguous_write_says_the_record_may_exist() {
        for source in [
            TransportError::Timeout(io("deadline")),
            TransportError::Io(io("reset")),
        ] {
            let error = Error::Transport {
                operation: "postTicket".to_owned(),
                source,
            };
            assert!(error.may_have_been_processed());
            assert!(error.to_string().contains("may exist"), "{error}");
        }
    }

    #[test]
    fn durations_print_rounded() {
        let cases = [
            (Duration::from_nanos(80_004_109_942), "80 s"),
            (Duration::from_millis(9_960), "10 s"),
            (Duration::from_millis(2_540), "2.5 s"),
            (Duration::from_millis(1_000), "1.0 s"),
            (Duration::from_micros(250_400), "250 ms"),
            (Duration::ZERO, "0 ms"),
        ];
        for (duration, expected) in cases {
            assert_eq!(DisplayDuration(duration).to_string(), expected);
        }
        let error = Error::RateLimited {
            retry_after: Some(Duration::from_nanos(80_004_109_942)),
            error: Box::new(ApiError::new("listTickets", StatusCode::TOO_MANY_REQUESTS)),
        };
        assert!(error.to_string().ends_with("retry after 80 s)"), "{error}");
    }
}
