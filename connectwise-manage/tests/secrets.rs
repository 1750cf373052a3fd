//! The private key and clientId never show in Debug output, errors, traces or URLs.

use connectwise_manage::query::Condition;
use connectwise_manage::{Client, ListQuery};
use msp_common::RetryPolicy;
use msp_common::testing::CapturedLogs;
use serde_json::Value;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PRIVATE_KEY: &str = "PrivKey-never-printed";
const CLIENT_ID: &str = "ClientId-never-printed";

fn builder(site: &str) -> connectwise_manage::ClientBuilder {
    Client::builder()
        .site(site)
        .company("acme")
        .public_key("pubkey")
        .private_key(PRIVATE_KEY)
        .client_id(CLIENT_ID)
}

#[test]
fn debug_output_of_builder_and_client_is_redacted() {
    let builder = builder("api-na.myconnectwise.net");
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let debug = format!(
        "{builder_debug}\n{client:?}\n{:?}",
        client.impersonate("jdoe")
    );
    for secret in [PRIVATE_KEY, CLIENT_ID] {
        assert!(!debug.contains(secret), "{debug}");
    }
    insta::assert_snapshot!(debug);
}

#[tokio::test]
async fn traces_and_errors_carry_no_secret_and_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let captured = CapturedLogs::new();
    let _guard = captured.install();
    let client = builder(&server.uri())
        .without_codebase_discovery()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let query = ListQuery::new().conditions(Condition::eq("lastName", "Customer-Surname").unwrap());
    let error = client
        .endpoint::<Value>("/company/contacts")
        .list(&query)
        .await
        .unwrap_err();
    let logs = captured.text();
    assert!(logs.contains("getCompanyContacts"), "{logs}");
    for leaked in [PRIVATE_KEY, CLIENT_ID, "Customer-Surname", "cHJpdktleS"] {
        assert!(!logs.contains(leaked), "{leaked} in logs:\n{logs}");
        assert!(!error.to_string().contains(leaked));
        assert!(!format!("{error:?}").contains(leaked));
    }
    // Credentials travel in headers, never in the URL.
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(!sent.url.as_str().contains(PRIVATE_KEY) && !sent.url.as_str().contains(CLIENT_ID));
}
