//! Turning response bodies into values: success bodies into the caller's type, error bodies into
//! [`ApiError`].

use std::fmt;
use std::time::SystemTime;

use bytes::Bytes;
use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, FieldError};
use crate::operation::Operation;
use crate::retry::retry_after;

/// Reads an API's error bodies. Each API crate supplies one; [`GenericErrorDecoder`] reads the
/// common shapes.
pub trait ErrorDecoder: Send + Sync + fmt::Debug + 'static {
    /// Decodes the error response of `operation`. It must not fail: whatever the body holds, the
    /// status and a snippet of the body are kept.
    fn decode(&self, operation: &Operation, response: &http::Response<Bytes>) -> ApiError;
}

/// Reads JSON error bodies of the shape `{code | error | errorType, message, errors: [...]}`, keeps
/// any other JSON as [`ApiError::details`], and keeps non-JSON bodies as the snippet only.
#[derive(Clone, Copy, Debug, Default)]
pub struct GenericErrorDecoder;

/// Response headers that carry a request id, in order of preference.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "x-cw-request-id", "request-id"];

impl ErrorDecoder for GenericErrorDecoder {
    fn decode(&self, operation: &Operation, response: &http::Response<Bytes>) -> ApiError {
        let mut error =
            ApiError::new(operation.name(), response.status()).with_body_snippet(response.body());
        error.request_id = REQUEST_ID_HEADERS.iter().find_map(|name| {
            response
                .headers()
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(response.body()) {
            apply_json_body(&mut error, value);
        }
        error
    }
}

/// Fills `error` from a JSON error body of the common shapes. Useful to API decoders that add
/// their own rules on top.
pub fn apply_json_body(error: &mut ApiError, value: serde_json::Value) {
    let serde_json::Value::Object(mut object) = value else {
        if let serde_json::Value::String(message) = value {
            error.message = message;
        }
        return;
    };
    let text = |v: Option<serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    error.code = text(object.remove("code"))
        .or_else(|| text(object.remove("error")))
        .or_else(|| text(object.remove("errorType")));
    if let Some(message) = text(object.remove("message")).or_else(|| text(object.remove("Message")))
    {
        error.message = message;
    }
    if let Some(errors) = object.remove("errors")
        && let Ok(fields) = serde_json::from_value::<Vec<FieldError>>(errors.clone())
    {
        error.field_errors = fields;
    }
    if !error.field_errors.is_empty() && error.status == StatusCode::BAD_REQUEST {
        error.kind = crate::error::ApiErrorKind::Validation;
    }
    if !object.is_empty() {
        error.details = Some(serde_json::Value::Object(object));
    }
}

/// Decodes a success body into `T`, reporting the JSON path of the first value that does not fit.
pub fn decode_json<T: DeserializeOwned>(
    operation: &Operation,
    response: &http::Response<Bytes>,
) -> Result<T, Error> {
    decode_body(operation, response.status(), response.body())
}

/// Decodes `body` (the body of a `status` response) into `T` in one pass. Only when that fails is
/// the body read again with path tracking, so the error names the value that does not fit
/// (`[3].customFields[0].value`) while success bodies pay nothing for it.
pub fn decode_body<T: DeserializeOwned>(
    operation: &Operation,
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    let fast = match text(body) {
        Some(text) => serde_json::from_str::<T>(text),
        None => serde_json::from_slice::<T>(body),
    };
    let fast = match fast {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let decode_error = |path: String, source: serde_json::Error| {
        Error::Decode(Box::new(DecodeError {
            operation: operation.name().to_owned(),
            type_name: std::any::type_name::<T>(),
            path,
            status,
            source,
        }))
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Err(decode_error(error.path().to_string(), error.into_inner())),
        // The value itself fits: the fast pass failed on what follows it.
        Ok(_) => Err(decode_error(".".to_owned(), fast)),
    }
}

/// Decodes `body`, a JSON array, into `Vec<T>` as [`decode_body`] does, with room for `expected`
/// records reserved before the first is read, so a page's vector is allocated once instead of
/// growing and moving its records as they arrive.
///
/// `expected` is a hint, the page size asked for: a shorter array gives back the room it left
/// unused when that is more than half, a longer one grows as usual, and no more is reserved than
/// the body could hold (every record takes at least two bytes). A failure is explained as
/// [`decode_body`] explains it.
pub fn decode_records<T: DeserializeOwned>(
    operation: &Operation,
    status: StatusCode,
    body: &[u8],
    expected: usize,
) -> Result<Vec<T>, Error> {
    // Not UTF-8 cannot be JSON: the explanation below says where it goes wrong.
    let Some(text) = text(body) else {
        return decode_body(operation, status, body);
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let reserve = expected.min(body.len() / 2);
    let decoded = serde::de::DeserializeSeed::deserialize(
        Reserved::<T>(reserve, std::marker::PhantomData),
        &mut deserializer,
    )
    .and_then(|records| deserializer.end().map(|()| records));
    match decoded {
        Ok(mut records) => {
            if records.len() < records.capacity() / 2 {
                records.shrink_to_fit();
            }
            Ok(records)
        }
        // Read again, for the error that names where the body went wrong.
        Err(_) => decode_body(operation, status, body),
    }
}

/// `body` as text, checked as UTF-8 once as a whole. Decoding from text is markedly cheaper than
/// from bytes, which serde_json checks string by string (each field name and value of every
/// record). `None` when it is not UTF-8.
fn text(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body).ok()
}

/// A JSON array into a `Vec` with room reserved for a number of elements.
struct Reserved<T>(usize, std::marker::PhantomData<T>);

impl<'de, T: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de> for Reserved<T> {
    type Value = Vec<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Reserved<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut records = Vec::with_capacity(self.0);
        while let Some(record) = seq.next_element()? {
            records.push(record);
        }
        Ok(records)
    }
}

/// Turns a non-success response into the matching [`Error`]: [`Error::RateLimited`] for a 429 or a
/// 503 carrying `Retry-After`, [`Error::Api`] otherwise.
pub fn error_from_response(
    operation: &Operation,
    response: &http::Response<Bytes>,
    decoder: &dyn ErrorDecoder,
    now: SystemTime,
) -> Error {
    let api = Box::new(decoder.decode(operation, response));
    let delay = retry_after(response.headers(), now);
    match response.status() {
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
            retry_after: delay,
            error: api,
        },
        StatusCode::SERVICE_UNAVAILABLE if delay.is_some() => Error::RateLimited {
            retry_after: delay,
            error: api,
        },
        _ => Error::Api(api),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiErrorKind;

    fn response(status: u16, body: &str) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::from(body.to_owned()));
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        response
    }

    fn op() -> Operation {
        Operation::safe("getThing", "/things/{id}")
    }

    #[test]
    fn validation_body() {
        let body = r#"{"code":"InvalidObject","message":"contact object is invalid","errors":[{"code":"MissingRequiredField","message":"The firstName field is required.","resource":"contact","field":"firstName"}]}"#;
        let error = GenericErrorDecoder.decode(&op(), &response(400, body));
        assert_eq!(error.kind, ApiErrorKind::Validation);
        assert_eq!(error.code.as_deref(), Some("InvalidObject"));
        assert_eq!(error.field_errors[0].field.as_deref(), Some("firstName"));
        let wrapped = Error::Api(Box::new(error.clone()));
        assert_eq!(wrapped.field_errors(), error.field_errors.as_slice());
        assert!(Error::build("op", "bad").field_errors().is_empty());
        assert_eq!(
            error.to_string(),
            "getThing: HTTP 400 InvalidObject: contact object is invalid; firstName: The firstName field is required."
        );
    }

    #[test]
    fn non_json_body_keeps_status_and_snippet() {
        let html = "<html><body>502 Bad Gateway</body></html>";
        let error = GenericErrorDecoder.decode(&op(), &response(502, html));
        assert_eq!(error.status, StatusCode::BAD_GATEWAY);
        assert_eq!(error.kind, ApiErrorKind::Unavailable);
        assert_eq!(error.body_snippet, html);
        assert_eq!(error.message, "Bad Gateway");
    }

    #[test]
    fn snippet_is_bounded_and_cut_on_a_char_boundary() {
        let body = "é".repeat(2000);
        let error = GenericErrorDecoder.decode(&op(), &response(500, &body));
        assert!(error.body_snippet.len() <= ApiError::SNIPPET_LIMIT);
        assert!(error.body_snippet.chars().all(|c| c == 'é'));
    }

    #[test]
    fn decode_error_names_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Thing {
            id: i32,
        }
        let error = decode_json::<Vec<Thing>>(&op(), &response(200, r#"[{"id":1},{"id":"x"}]"#))
            .unwrap_err();
        let Error::Decode(decode) = error else {
            panic!("expected a decode error")
        };
        assert_eq!(decode.path, "[1].id");
        let trailing = decode_json::<Vec<Thing>>(&op(), &response(200, "[] []")).unwrap_err();
        assert!(matches!(trailing, Error::Decode(_)));
    }

    #[test]
    fn rate_limited_body_and_delay() {
        let mut resp = response(
            429,
            r#"{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 30 seconds."}"#,
        );
        resp.headers_mut()
            .insert(http::header::RETRY_AFTER, "30".parse().unwrap());
        let error = error_from_response(&op(), &resp, &GenericErrorDecoder, SystemTime::now());
        assert_eq!(
            error.retry_after(),
            Some(std::time::Duration::from_secs(30))
        );
        assert_eq!(error.api().unwrap().code.as_deref(), Some("ConnectWiseAPI"));
        assert!(error.is_retryable());
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Record {
        id: u32,
    }

    fn records(body: &str, expected: usize) -> Result<Vec<Record>, Error> {
        decode_records(&op(), StatusCode::OK, body.as_bytes(), expected)
    }

    #[test]
    fn a_full_page_is_decoded_into_the_room_reserved_for_it() {
        let body = format!(
            "[{}]",
            (0..100)
                .map(|id| format!(r#"{{"id":{id}}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        let page = records(&body, 100).unwrap();
        assert_eq!(page.len(), 100);
        assert_eq!(page.capacity(), 100);
        assert_eq!(page[99], Record { id: 99 });
    }

    #[test]
    fn short_long_and_empty_pages_keep_every_record_and_no_idle_room() {
        let short = records(r#"[{"id":1},{"id":2}]"#, 1000).unwrap();
        assert_eq!(short, [Record { id: 1 }, Record { id: 2 }]);
        assert!(short.capacity() < 500, "{}", short.capacity());
        let long = records(r#"[{"id":1},{"id":2},{"id":3}]"#, 1).unwrap();
        assert_eq!(long.len(), 3);
        assert!(records("[]", 1000).unwrap().is_empty());
        // A hint far beyond what the body could hold reserves no more than it could.
        assert_eq!(
            records(r#" [{"id":7}] "#, usize::MAX).unwrap(),
            [Record { id: 7 }]
        );
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Named {
        name: String,
    }

    #[test]
    fn text_is_read_whole_and_bytes_that_are_not_utf8_are_a_decode_error() {
        let body = r#"[{"name":"Café \u00e9 ✓"},{"name":"\ud83d\ude00"}]"#;
        let page: Vec<Named> = decode_records(&op(), StatusCode::OK, body.as_bytes(), 2).unwrap();
        assert_eq!(page[0].name, "Café é ✓");
        assert_eq!(page[1].name, "😀");
        let one: Named =
            decode_body(&op(), StatusCode::OK, r#"{"name":"Zoë"}"#.as_bytes()).unwrap();
        assert_eq!(one.name, "Zoë");
        // A lone continuation byte inside the second record's value.
        let bad = b"[{\"name\":\"ok\"},{\"name\":\"b\x80d\"}]";
        let error = decode_records::<Named>(&op(), StatusCode::OK, bad, 2).unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected a decode error, got {error:?}")
        };
        assert_eq!(decode.path, "[1].name");
        let error =
            decode_body::<Named>(&op(), StatusCode::OK, b"{\"name\":\"\xff\"}").unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
    }

    #[test]
    fn a_page_that_does_not_decode_is_explained_as_decode_body_explains_it() {
        for body in [
            r#"[{"id":1},{"id":"x"}]"#,
            r#"[{"id":1}] trailing"#,
            r#"{"id":1}"#,
            "[{",
        ] {
            let error = records(body, 10).unwrap_err();
            let expected =
                decode_body::<Vec<Record>>(&op(), StatusCode::OK, body.as_bytes()).unwrap_err();
            assert_eq!(error.to_string(), expected.to_string(), "{body}");
            assert!(matches!(error, Error::Decode(_)), "{error:?}");
        }
        let error = records(r#"[{"id":1},{"id":"x"}]"#, 10).unwrap_err();
        assert!(error.to_string().contains("[1].id"), "{error}");
    }
}
