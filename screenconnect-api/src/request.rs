//! Turning a [`Call`] into the HTTP request the extension expects, without any I/O.
//!
//! Every method is a `POST` to `<instance>/App_Extensions/<extension>/Service.ashx/<Method>`
//! (`GET` with a body, which the extension's documentation suggests for reads, breaks many HTTP
//! stacks). The secret travels raw in `CTRLAuthHeader`, marked sensitive so `Debug` of the request
//! never shows it.

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue, ORIGIN};
use msp_common::secret::sensitive_header;
use msp_common::{Error, ExposeSecret, Operation};

use crate::call::Call;
use crate::config::Config;

/// The header carrying the API secret.
pub const AUTH_HEADER: &str = "CTRLAuthHeader";

/// Builds the request for `call` under `config`, with its [`Operation`] attached (name = method,
/// route = `/App_Extensions/{extension}/Service.ashx/<Method>`, idempotency from the call).
///
/// # Errors
/// [`Error::Build`] when the method name cannot be put in a URL path; [`Error::Config`] when a
/// header value cannot be sent (not possible for a [`Config`] built through its checks).
pub fn build_request(config: &Config, call: &Call) -> Result<http::Request<Bytes>, Error> {
    call.check_method()?;
    let method = call.method();
    let mut url = config.instance().clone();
    url.set_path(&format!(
        "/App_Extensions/{}/Service.ashx/{method}",
        config.extension_id()
    ));
    let body =
        serde_json::to_vec(&call.body(config.read_args())).map_err(|source| Error::Build {
            operation: method.to_owned(),
            message: "the arguments could not be encoded as JSON".to_owned(),
            source: Some(Box::new(source)),
        })?;
    let mut request = http::Request::post(url.as_str())
        .body(Bytes::from(body))
        .map_err(|source| Error::Build {
            operation: method.to_owned(),
            message: "the request could not be built".to_owned(),
            source: Some(Box::new(source)),
        })?;
    let headers = request.headers_mut();
    headers.insert(
        AUTH_HEADER,
        sensitive_header(config.secret().expose_secret(), "secret")?,
    );
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if let Some(origin) = config.origin_value() {
        let value = HeaderValue::from_str(&origin).map_err(|_| {
            msp_common::ConfigError::invalid(
                "origin",
                "contains characters that cannot be sent in an HTTP header",
            )
        })?;
        headers.insert(ORIGIN, value);
    }
    let operation = Operation::new(
        method.to_owned(),
        format!("/App_Extensions/{{extension}}/Service.ashx/{method}"),
        call.idempotency(),
    );
    Ok(operation.attach(request))
}

#[cfg(test)]
mod tests {
    use msp_common::{Idempotency, SecretString};
    use serde_json::json;

    use super::*;
    use crate::config::{OriginHeader, ReadArgs};

    fn config() -> Config {
        Config::new("acme.screenconnect.com", SecretString::from("s3cret-value")).unwrap()
    }

    #[test]
    fn read_request_shape() {
        let call = Call::typed_read(
            "GetSessionDetailsBySessionID",
            vec![("sessionID", json!("3f2504e0-4f89-11d3-9a0c-0305e82c3301"))],
        );
        let request = build_request(&config(), &call).unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            request.uri(),
            "https://acme.screenconnect.com/App_Extensions/2d558935-686a-4bd0-9991-07539f5fe749/Service.ashx/GetSessionDetailsBySessionID"
        );
        let headers = request.headers();
        assert_eq!(headers[AUTH_HEADER], "s3cret-value");
        assert!(headers[AUTH_HEADER].is_sensitive());
        assert_eq!(headers[ORIGIN], "https://acme.screenconnect.com");
        assert_eq!(headers[CONTENT_TYPE], "application/json; charset=utf-8");
        assert_eq!(headers[ACCEPT], "application/json");
        assert_eq!(
            request.body().as_ref(),
            br#"["3f2504e0-4f89-11d3-9a0c-0305e82c3301"]"#
        );
        let operation = Operation::of(&request);
        assert_eq!(operation.name(), "GetSessionDetailsBySessionID");
        assert_eq!(
            operation.route(),
            "/App_Extensions/{extension}/Service.ashx/GetSessionDetailsBySessionID"
        );
        assert_eq!(operation.idempotency(), Idempotency::Safe);
        assert!(!format!("{request:?}").contains("s3cret-value"));
    }

    #[test]
    fn named_reads_custom_origin_and_writes() {
        let config = config()
            .with_read_args(ReadArgs::Named)
            .with_origin(OriginHeader::Custom("https://portal.example.com".into()))
            .unwrap();
        let read = Call::typed_read("GetSessionsByName", vec![("sessionName", json!("PC-01"))]);
        let request = build_request(&config, &read).unwrap();
        assert_eq!(request.body().as_ref(), br#"{"sessionName":"PC-01"}"#);
        assert_eq!(request.headers()[ORIGIN], "https://portal.example.com");

        let write = Call::typed_write("AddNoteToSession", vec![json!("id"), json!("note")]);
        let request = build_request(&config, &write).unwrap();
        assert_eq!(request.body().as_ref(), br#"["id","note"]"#);
        assert_eq!(
            Operation::of(&request).idempotency(),
            Idempotency::NonIdempotent
        );

        let config = config.with_origin(OriginHeader::Off).unwrap();
        let request = build_request(&config, &write).unwrap();
        assert!(request.headers().get(ORIGIN).is_none());
    }

    #[test]
    fn bad_method_names_are_refused_before_building() {
        let error = build_request(&config(), &Call::read("../x", json!([]))).unwrap_err();
        assert!(matches!(error, Error::Build { .. }));
    }
}
