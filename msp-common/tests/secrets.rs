//! Credentials never show in `Debug` output, errors or traces; traces carry the route template,
//! never the URL.

use std::sync::Arc;

use bytes::Bytes;
use msp_common::secret::{basic_auth, sensitive_header};
use msp_common::testing::CapturedLogs;
use msp_common::{Executor, Operation, RecordingSleep, RetryPolicy, SecretString};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PRIVATE_KEY: &str = "pr1vate-K3y-never-shown";
const CLIENT_ID: &str = "0f6b1f0e-client-id-never-shown";

fn credential_headers() -> http::HeaderMap {
    let password = SecretString::from(PRIVATE_KEY);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::AUTHORIZATION,
        basic_auth("acme+publickey", &password).unwrap(),
    );
    headers.insert(
        "clientid",
        sensitive_header(CLIENT_ID, "client id").unwrap(),
    );
    headers
}

#[test]
fn debug_output_hides_credentials() {
    let secret = SecretString::from(PRIVATE_KEY);
    let executor = Executor::builder().build().unwrap();
    let debug = format!("{secret:?}\n{:?}\n{executor:?}", credential_headers());
    assert!(!debug.contains(PRIVATE_KEY));
    assert!(!debug.contains(CLIENT_ID));
    assert!(!debug.contains("YWNtZ")); // the base64 of "acme+…"
    insta::assert_snapshot!(debug);
}

#[test]
fn a_bad_header_value_error_does_not_repeat_the_value() {
    let error = sensitive_header("line\nbreak-secret", "client id").unwrap_err();
    assert!(!error.to_string().contains("secret"));
    assert_eq!(
        error.to_string(),
        "invalid configuration for client id: contains characters that cannot be sent in an HTTP header"
    );
}

#[tokio::test]
async fn traces_carry_the_route_template_but_no_secret_and_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let captured = CapturedLogs::new();
    let _guard = captured.install();

    let executor = Executor::builder()
        .retry_policy(RetryPolicy::interactive())
        .sleep(Arc::new(RecordingSleep::new()))
        .build()
        .unwrap();
    let url = format!(
        "{}/company/contacts?conditions=lastName%3D%22Customer-Surname%22",
        server.uri()
    );
    let mut request = http::Request::get(url).body(Bytes::new()).unwrap();
    *request.headers_mut() = credential_headers();
    let request = Operation::safe("getCompanyContacts", "/company/contacts").attach(request);
    let error = executor.send(request).await.unwrap_err();

    let logs = captured.text();
    assert!(logs.contains("getCompanyContacts"), "{logs}");
    assert!(
        logs.contains(r#"url.template="/company/contacts""#),
        "{logs}"
    );
    assert!(logs.contains("http.request.resend_count=2"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        logs.contains("WARN") && logs.contains("giving up"),
        "{logs}"
    );
    for leaked in [PRIVATE_KEY, CLIENT_ID, "Customer-Surname", "YWNtZ"] {
        assert!(
            !logs.contains(leaked),
            "{leaked} leaked into the logs:\n{logs}"
        );
        assert!(!error.to_string().contains(leaked));
        assert!(!format!("{error:?}").contains(leaked));
    }
}
