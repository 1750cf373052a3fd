//! Parsing the body returned by a callback's `key_url`.
//!
//! The key URL answers `{"signing_key": "<key>"}`. Some clients parse the body twice, which
//! suggests it may also arrive as a JSON string that contains that object; which form ConnectWise
//! sends is not documented, so both are accepted.

use secrecy::SecretString;
use serde_json::Value;

use super::CallbackError;

/// Extracts the signing key from a key URL response body.
///
/// Accepts `{"signing_key": "..."}` or a JSON string holding that object (once encoded).
/// Other keys are ignored. Error messages never quote the body, since it holds the key.
///
/// # Errors
///
/// [`CallbackError::KeyResponse`] when the body is not JSON, has no string `signing_key`, or the
/// key is empty.
///
/// ```
/// use connectwise_manage::callbacks::parse_signing_key_response;
/// use secrecy::ExposeSecret;
///
/// let direct = parse_signing_key_response(br#"{"signing_key":"abc"}"#)?;
/// let encoded = parse_signing_key_response(br#""{\"signing_key\":\"abc\"}""#)?;
/// assert_eq!(direct.expose_secret(), "abc");
/// assert_eq!(encoded.expose_secret(), "abc");
/// # Ok::<(), connectwise_manage::callbacks::CallbackError>(())
/// ```
pub fn parse_signing_key_response(body: &[u8]) -> Result<SecretString, CallbackError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| CallbackError::KeyResponse {
        reason: "the body is not JSON",
    })?;
    let object = match value {
        Value::Object(object) => object,
        Value::String(encoded) => match serde_json::from_str::<Value>(&encoded) {
            Ok(Value::Object(object)) => object,
            _ => {
                return Err(CallbackError::KeyResponse {
                    reason: "the body is a JSON string that does not hold a JSON object",
                });
            }
        },
        _ => {
            return Err(CallbackError::KeyResponse {
                reason: "the body is neither a JSON object nor a JSON string",
            });
        }
    };
    match object.get("signing_key") {
        Some(Value::String(key)) if !key.is_empty() => Ok(SecretString::from(key.as_str())),
        Some(Value::String(_)) => Err(CallbackError::KeyResponse {
            reason: "`signing_key` is empty",
        }),
        Some(_) => Err(CallbackError::KeyResponse {
            reason: "`signing_key` is not a string",
        }),
        None => Err(CallbackError::KeyResponse {
            reason: "the object has no `signing_key`",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn accepts_object_and_encoded_object() {
        for body in [
            &br#"{"signing_key":"s3cret","other":1}"#[..],
            &br#" "{\"signing_key\":\"s3cret\"}" "#[..],
        ] {
            let key = parse_signing_key_response(body).expect("valid key response");
            assert_eq!(key.expose_secret(), "s3cret");
        }
    }

    #[test]
    fn refuses_other_shapes_without_quoting_the_body() {
        for body in [
            &b"s3cret"[..],
            &br#"["s3cret"]"#[..],
            &br#""s3cret""#[..],
            &br#""\"s3cret\"""#[..],
            &br#"{"signingKey":"s3cret"}"#[..],
            &br#"{"signing_key":""}"#[..],
            &br#"{"signing_key":12}"#[..],
            &br#""\"{\\\"signing_key\\\":\\\"s3cret\\\"}\"""#[..],
        ] {
            match parse_signing_key_response(body) {
                Err(error @ CallbackError::KeyResponse { .. }) => {
                    assert!(!error.to_string().contains("s3cret"), "{error}");
                }
                other => panic!("{:?}: unexpected {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
}
