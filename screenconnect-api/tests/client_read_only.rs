//! Read-only mode: every state-changing method fails with `Error::ReadOnly` before any network
//! I/O, while reads go through.

mod client_support;

use client_support::{Harness, SESSION_ID, session_json};
use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::models::{CustomProperties, SessionId, SessionType};
use screenconnect_api::{CommandSent, Error, NewSession, RunCommandError, RunOptions};
use serde_json::json;

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

fn assert_read_only<T: std::fmt::Debug>(result: Result<T, Error>, method: &str) {
    match result {
        Err(Error::ReadOnly { operation }) => assert_eq!(operation, method),
        other => panic!("{method}: expected a read-only error, got {other:?}"),
    }
}

#[tokio::test]
async fn writes_are_refused_without_touching_the_network() {
    let h = Harness::start().await;
    let client = h.builder(h.config()).read_only(true).build().unwrap();
    let props = CustomProperties::new();
    let new = NewSession::new(SessionType::Access, "PC");
    assert_read_only(client.create_session(&new).await, "CreateSession");
    assert_read_only(
        client.update_session_name(&id(), "n").await,
        "UpdateSessionName",
    );
    assert_read_only(
        client.update_custom_properties(&id(), &props).await,
        "UpdateSessionCustomProperties",
    );
    assert_read_only(
        client.set_custom_property(&id(), 2, "Site").await,
        "UpdateSessionCustomProperties",
    );
    assert_read_only(client.add_note(&id(), "n").await, "AddNoteToSession");
    assert_read_only(
        client.send_command(&id(), "c").await,
        "SendCommandToSession",
    );
    assert_read_only(
        client.send_message(&id(), "m").await,
        "SendMessageToSession",
    );
    assert_read_only(
        client.send_toolbox_item(&id(), "t").await,
        "SendToolboxItemToSession",
    );
    assert_read_only(
        client.call_write("AddSessionEvent", json!([])).await,
        "AddSessionEvent",
    );
    // A write declared as a read is still a write, whatever the entry point and the casing.
    assert_read_only(
        client
            .call_read("SendCommandToSession", json!([SESSION_ID, "hostname"]))
            .await,
        "SendCommandToSession",
    );
    assert_read_only(
        client
            .call(&screenconnect_api::Call::new(
                "sendCommandToSession",
                json!([SESSION_ID, "hostname"]),
                msp_common::Idempotency::Safe,
            ))
            .await,
        "sendCommandToSession",
    );
    let error = client
        .run_command(
            &id(),
            &CommandScript::new(Shell::Cmd, "hostname"),
            &RunOptions::new(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            RunCommandError::NotSent {
                source: Error::ReadOnly { .. }
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.sent(), CommandSent::No);
    assert_eq!(error.to_string(), "the command was not sent");
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    assert!(
        cause
            .as_deref()
            .is_some_and(|c| c.contains("read-only mode")),
        "{cause:?}"
    );
    assert!(h.requests().await.is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn reads_still_work() {
    let h = Harness::start().await;
    h.answer_json("GetSessionsByName", 200, json!([session_json(false)]))
        .await;
    h.answer_json("GetSessionGroups", 200, json!([])).await;
    let config = h.config().with_read_only(true);
    assert!(config.read_only());
    let client = h.builder(config).build().unwrap();
    assert_eq!(client.sessions_by_name("x").await.unwrap().len(), 1);
    assert_eq!(
        client
            .call_read("GetSessionGroups", json!([]))
            .await
            .unwrap(),
        Some(json!([]))
    );
}
