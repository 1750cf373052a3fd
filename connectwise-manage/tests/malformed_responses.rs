//! Malformed success responses, through the typed client against a mock server: a truncated
//! JSON body, a proxy's HTML page, an HTML content type, invalid UTF-8, JSON nested far deeper
//! than any record, a scalar where a page should be. A single call and a listing each end in one
//! typed decode error that names the operation; nothing panics and no record is yielded.
//! (Looping and endless `next` links, a `Link` to another host and a `200` carrying an error
//! object are covered in `paging_rails.rs` and msp-common's pagination tests.)

use connectwise_manage::models::Ticket;
use connectwise_manage::{Client, Error, ListQuery};
use futures::StreamExt;
use msp_common::RetryPolicy;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "/v4_6_release/apis/3.0";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .retry_policy(RetryPolicy::none())
        .without_codebase_discovery()
        .prefetch(2)
        .build()
        .unwrap()
}

/// The bodies, each with the content type it is served with.
fn bodies() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let deep = |open: &str, close: &str| {
        let mut body = open.repeat(100_000);
        body.push_str(&close.repeat(100_000));
        body.into_bytes()
    };
    vec![
        (
            "truncated JSON",
            "application/json",
            br#"[{"id": 1, "summary": "Printer"}, {"id": 2, "summ"#.to_vec(),
        ),
        (
            "a proxy's HTML page",
            "text/html",
            b"<html><head><title>Service Unavailable</title></head><body>down</body></html>"
                .to_vec(),
        ),
        (
            "HTML served as JSON",
            "application/json",
            b"<!DOCTYPE html><html><body>Sign in</body></html>".to_vec(),
        ),
        (
            "invalid UTF-8 in a string",
            "application/json",
            b"[{\"id\": 1, \"summary\": \"caf\xe9\"}]".to_vec(),
        ),
        ("deeply nested arrays", "application/json", deep("[", "]")),
        (
            "deeply nested objects",
            "application/json",
            deep("{\"a\":", "}"),
        ),
        ("a bare number", "application/json", b"42".to_vec()),
        ("an empty body", "application/json", Vec::new()),
    ]
}

async fn serving(content_type: &str, body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    for route in ["/service/tickets", "/service/tickets/1"] {
        Mock::given(method("GET"))
            .and(path(format!("{BASE}{route}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), content_type))
            .mount(&server)
            .await;
    }
    server
}

fn assert_typed(case: &str, error: &Error) {
    assert!(
        matches!(error, Error::Decode(_) | Error::Api(_)),
        "{case}: {error:?}"
    );
    assert!(!error.to_string().is_empty(), "{case}");
}

#[tokio::test]
async fn malformed_bodies_are_typed_errors_and_yield_no_record() {
    for (case, content_type, body) in bodies() {
        let server = serving(content_type, body).await;
        let client = client(&server);
        let tickets = client.service().tickets();

        let error = tickets.id(1).get().await.expect_err(case);
        assert_typed(case, &error);

        let results: Vec<Result<Ticket, Error>> =
            tickets.list(&ListQuery::new()).by_item().collect().await;
        assert_eq!(results.len(), 1, "{case}: one error and nothing else");
        assert_typed(case, results[0].as_ref().expect_err(case));
        // The walk stopped at the bad page: one request, not a retry loop.
        let listed = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|request| request.url.path().ends_with("/service/tickets"))
            .count();
        assert_eq!(listed, 1, "{case}");
    }
}
