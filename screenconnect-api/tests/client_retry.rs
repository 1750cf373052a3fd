//! The retry rule: reads may be retried; a state-changing call is never repeated once the server
//! may have acted on it (5xx, timeout, broken connection), only after 429, 503 with
//! `Retry-After`, or a connection that was never made.

mod client_support;

use std::sync::Arc;
use std::time::Duration;

use client_support::{Harness, SESSION_ID, details_json, method_path};
use msp_common::testing::{Outcome, ScriptedTransport};
use screenconnect_api::models::SessionId;
use screenconnect_api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

/// Answers `name` with `status` (and optional `Retry-After`) `times` times.
async fn fail(h: &Harness, name: &str, status: u16, retry_after: Option<&str>, times: u64) {
    let mut response = ResponseTemplate::new(status).set_body_string("<html>gateway</html>");
    if let Some(value) = retry_after {
        response = response.insert_header("Retry-After", value);
    }
    Mock::given(method("POST"))
        .and(path(method_path(name)))
        .respond_with(response)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&h.server)
        .await;
}

#[tokio::test]
async fn bad_gateway_on_send_command_is_not_retried() {
    let h = Harness::start().await;
    fail(&h, "SendCommandToSession", 502, None, 5).await;
    h.answer_empty("SendCommandToSession").await;
    let error = h
        .client()
        .send_command(&id(), "shutdown /r /t 0")
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.may_have_been_processed());
    assert_eq!(h.count("SendCommandToSession").await, 1);
    assert!(h.sleep.recorded().is_empty());
}

#[tokio::test]
async fn bad_gateway_on_session_details_is_retried() {
    let h = Harness::start().await;
    fail(&h, "GetSessionDetailsBySessionID", 502, None, 2).await;
    h.answer_json(
        "GetSessionDetailsBySessionID",
        200,
        details_json(true, json!([])),
    )
    .await;
    let details = h.client().session_details(&id()).await.unwrap();
    assert!(details.is_online());
    assert_eq!(h.count("GetSessionDetailsBySessionID").await, 3);
    assert_eq!(h.sleep.recorded().len(), 2);
}

#[tokio::test]
async fn every_write_is_sent_once_after_a_server_error() {
    let h = Harness::start().await;
    for name in [
        "CreateSession",
        "UpdateSessionName",
        "UpdateSessionCustomProperties",
        "AddNoteToSession",
        "SendCommandToSession",
        "SendMessageToSession",
        "SendToolboxItemToSession",
    ] {
        fail(&h, name, 504, None, 10).await;
    }
    let client = h.client();
    let props = screenconnect_api::models::CustomProperties::new();
    let new =
        screenconnect_api::NewSession::new(screenconnect_api::models::SessionType::Access, "PC");
    assert!(client.create_session(&new).await.is_err());
    assert!(client.update_session_name(&id(), "n").await.is_err());
    assert!(
        client
            .update_custom_properties(&id(), &props)
            .await
            .is_err()
    );
    assert!(client.add_note(&id(), "n").await.is_err());
    assert!(client.send_command(&id(), "c").await.is_err());
    assert!(client.send_message(&id(), "m").await.is_err());
    assert!(client.send_toolbox_item(&id(), "t").await.is_err());
    assert!(
        client
            .call_write("SendCommandToSession", json!([]))
            .await
            .is_err()
    );
    assert_eq!(h.requests().await.len(), 8);
    assert!(h.sleep.recorded().is_empty());
}

#[tokio::test]
async fn throttled_writes_are_retried_after_the_servers_delay() {
    let h = Harness::start().await;
    fail(&h, "SendCommandToSession", 429, Some("3"), 1).await;
    fail(&h, "AddNoteToSession", 503, Some("2"), 1).await;
    h.answer_empty("SendCommandToSession").await;
    h.answer_empty("AddNoteToSession").await;
    let client = h.client();
    client.send_command(&id(), "hostname").await.unwrap();
    client.add_note(&id(), "note").await.unwrap();
    assert_eq!(h.count("SendCommandToSession").await, 2);
    assert_eq!(h.count("AddNoteToSession").await, 2);
    assert_eq!(
        h.sleep.recorded(),
        vec![Duration::from_secs(3), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn unavailable_without_retry_after_is_not_retried_for_writes() {
    let h = Harness::start().await;
    fail(&h, "SendCommandToSession", 503, None, 5).await;
    fail(&h, "GetSessionsByName", 503, None, 1).await;
    h.answer_json("GetSessionsByName", 200, json!([])).await;
    let client = h.client();
    assert!(client.send_command(&id(), "hostname").await.is_err());
    assert_eq!(h.count("SendCommandToSession").await, 1);
    client.sessions_by_name("x").await.unwrap();
    assert_eq!(h.count("GetSessionsByName").await, 2);
}

#[tokio::test]
async fn generic_server_faults_are_not_retried_for_reads_either() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessionsByName",
        500,
        json!({"errorType": "InvalidOperationException", "message": "fault"}),
    )
    .await;
    assert!(h.client().sessions_by_name("x").await.is_err());
    assert_eq!(h.count("GetSessionsByName").await, 1);
}

async fn client_over(h: &Harness, transport: Arc<ScriptedTransport>) -> Client {
    h.builder(h.config()).transport(transport).build().unwrap()
}

#[tokio::test]
async fn timeouts_and_broken_connections_end_a_write_but_not_a_read() {
    let h = Harness::start().await;
    for failure in [Outcome::TimedOut, Outcome::Reset] {
        let transport = ScriptedTransport::new([failure.clone(), failure.clone()]);
        let client = client_over(&h, transport.clone()).await;
        let error = client.send_command(&id(), "hostname").await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert!(error.may_have_been_processed());
        assert_eq!(transport.attempts(), 1);

        let transport = ScriptedTransport::new([failure.clone(), failure.clone()]);
        let client = client_over(&h, transport.clone()).await;
        client.sessions_by_name("x").await.unwrap();
        assert_eq!(transport.attempts(), 3);
    }
}

#[tokio::test]
async fn a_connection_that_was_never_made_is_retried_for_writes() {
    let h = Harness::start().await;
    let transport = ScriptedTransport::new([Outcome::Refused]);
    let client = client_over(&h, transport.clone()).await;
    client.add_note(&id(), "note").await.unwrap();
    assert_eq!(transport.attempts(), 2);
}
