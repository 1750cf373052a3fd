//! Callback verification with keys fetched through the client.

use connectwise_manage::Client;
use connectwise_manage::callbacks::{CallbackError, compute_signature};
use msp_common::{RetryPolicy, SecretString};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .without_codebase_discovery()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn body(key_url: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "Action": "updated", "ID": 57960, "Type": "ticket", "CompanyId": "acme", "MemberId": "jdoe",
        "FromUrl": "127.0.0.1", "Entity": "{\"id\":57960,\"summary\":\"Printer jam\"}",
        "Metadata": {"key_url": key_url}
    }))
    .unwrap()
}

#[tokio::test]
async fn verifies_with_a_key_fetched_once_and_without_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2025_1//system/callbackkey/index.rails"))
        .and(query_param("companyName", "acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"signing_key": "k3y"})))
        .expect(1)
        .mount(&server)
        .await;
    let key_url = format!(
        "{}/v2025_1//system/callbackkey/index.rails?companyName=acme&id=e17e6674",
        server.uri()
    );
    let body = body(&key_url);
    let mut headers = http::HeaderMap::new();
    let signature = compute_signature(&SecretString::from("k3y"), &body);
    headers.insert("x-content-signature", signature.parse().unwrap());

    let verifier = client(&server).callback_verifier().unwrap();
    for _ in 0..2 {
        let payload = verifier.verify(&headers, &body).await.unwrap();
        let entity: serde_json::Value = payload.entity().unwrap().unwrap();
        assert_eq!(entity["summary"], "Printer jam");
    }
    let fetch = &server.received_requests().await.unwrap()[0];
    assert!(fetch.headers.get("authorization").is_none());
    assert!(fetch.headers.get("clientid").is_none());
}

#[tokio::test]
async fn a_key_url_on_another_host_is_never_fetched() {
    let server = MockServer::start().await;
    let body =
        body("https://attacker.example/system/callbackkey/index.rails?companyName=acme&id=1");
    let mut headers = http::HeaderMap::new();
    let signature = compute_signature(&SecretString::from("k3y"), &body);
    headers.insert("x-content-signature", signature.parse().unwrap());
    let error = client(&server)
        .callback_verifier()
        .unwrap()
        .verify(&headers, &body)
        .await
        .unwrap_err();
    assert!(
        matches!(error, CallbackError::KeyUrlHostNotAllowed { .. }),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_key_fetch_is_a_typed_error_naming_only_the_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>gone</html>"))
        .mount(&server)
        .await;
    let key_url = format!(
        "{}/v2025_1//system/callbackkey/index.rails?companyName=acme&id=secret-id",
        server.uri()
    );
    let body = body(&key_url);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-content-signature",
        compute_signature(&SecretString::from("k3y"), &body)
            .parse()
            .unwrap(),
    );
    let error = client(&server)
        .callback_verifier()
        .unwrap()
        .verify(&headers, &body)
        .await
        .unwrap_err();
    assert!(matches!(error, CallbackError::KeyFetch { .. }), "{error:?}");
    assert!(!error.to_string().contains("secret-id"), "{error}");
}
