//! `ensure_callback` reconciles the tenant's callback entries with the wanted one.

use connectwise_manage::Client;
use connectwise_manage::callbacks::CallbackChange;
use connectwise_manage::models::CallbackEntry;
use msp_common::RetryPolicy;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROUTE: &str = "/v4_6_release/apis/3.0/system/callbacks";
const URL: &str = "https://hooks.example.com/cw?recordId=";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey")
        .client_id("cid")
        .without_codebase_discovery()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn wanted() -> CallbackEntry {
    CallbackEntry {
        url: Some(URL.into()),
        r#type: Some("ticket".into()),
        level: Some("owner".into()),
        description: Some("ticket triage".into()),
        ..Default::default()
    }
}

async fn existing(server: &MockServer, entries: Value) {
    Mock::given(method("GET"))
        .and(path(ROUTE))
        .respond_with(ResponseTemplate::new(200).set_body_json(entries))
        .mount(server)
        .await;
}

fn stored(id: i32, description: &str) -> Value {
    // As the server returns it: objectId normalised to 1, memberId set, an extra field.
    json!({"id": id, "url": URL, "objectId": 1, "type": "ticket", "level": "owner", "memberId": 243,
           "description": description, "payloadVersion": "3.0.0", "inactiveFlag": false,
           "isSoapCallbackFlag": false, "isSelfSuppressedFlag": false,
           "connectWiseID": "1bdefdcc-3860-f111-aa6d-d25dfe3c7792",
           "_info": {"lastUpdated": "2026-06-04T17:14:20Z", "updatedBy": "Cobalt"}})
}

#[tokio::test]
async fn creates_when_nothing_matches() {
    let server = MockServer::start().await;
    existing(&server, json!([{"id": 1, "url": "https://other.example/", "objectId": 1, "type": "ticket", "level": "owner"}])).await;
    Mock::given(method("POST"))
        .and(path(ROUTE))
        .and(body_json(json!({"url": URL, "type": "ticket", "level": "owner", "objectId": 1, "description": "ticket triage"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(stored(26559, "ticket triage")))
        .expect(1)
        .mount(&server)
        .await;
    let ensured = client(&server).ensure_callback(&wanted()).await.unwrap();
    assert_eq!(ensured.change, CallbackChange::Created);
    assert_eq!(ensured.entry.id, Some(26559));
}

#[tokio::test]
async fn leaves_a_matching_entry_alone() {
    let server = MockServer::start().await;
    existing(&server, json!([stored(7, "ticket triage")])).await;
    let ensured = client(&server).ensure_callback(&wanted()).await.unwrap();
    assert_eq!(ensured.change, CallbackChange::Unchanged);
    assert!(ensured.duplicates.is_empty());
    let writes = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(writes, 0);
}

#[tokio::test]
async fn patches_only_what_differs_and_reports_duplicates() {
    let server = MockServer::start().await;
    let mut upper = stored(9, "old");
    upper["type"] = json!("Ticket");
    existing(&server, json!([upper, stored(4, "old")])).await;
    Mock::given(method("PATCH"))
        .and(path(format!("{ROUTE}/4")))
        .and(body_json(
            json!([{"op": "replace", "path": "description", "value": "ticket triage"}]),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(stored(4, "ticket triage")))
        .expect(1)
        .mount(&server)
        .await;
    let ensured = client(&server).ensure_callback(&wanted()).await.unwrap();
    assert_eq!(ensured.change, CallbackChange::Updated);
    assert_eq!(ensured.entry.description.as_deref(), Some("ticket triage"));
    assert_eq!(
        ensured.duplicates.iter().map(|d| d.id).collect::<Vec<_>>(),
        [Some(9)]
    );
}

#[tokio::test]
async fn a_wanted_entry_without_its_key_fields_is_refused_before_sending() {
    let server = MockServer::start().await;
    let mut incomplete = wanted();
    incomplete.r#type = None;
    let error = client(&server)
        .ensure_callback(&incomplete)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("needs `type`"), "{error}");
    let mut board_level = wanted();
    board_level.level = Some("board".into());
    let error = client(&server)
        .ensure_callback(&board_level)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("objectId"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn round_trips_unknown_fields_of_entries() {
    let entry: CallbackEntry = serde_json::from_value(stored(3, "x")).unwrap();
    let back = serde_json::to_value(&entry).unwrap();
    assert_eq!(back, stored(3, "x"));
}
