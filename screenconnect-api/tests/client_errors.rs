//! Every error response the extension produces, read into a typed kind with the body kept.

mod client_support;

use client_support::{Harness, SESSION_ID};
use insta::assert_snapshot;
use screenconnect_api::models::SessionId;
use screenconnect_api::{ApiErrorKind, Error};
use serde_json::json;

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

/// The error's Display, kind, status, code, details and body snippet, one per line.
fn describe(error: &Error) -> String {
    let api = error.api().expect("an API error");
    format!(
        "display: {error}\nkind: {:?}\nstatus: {}\ncode: {:?}\ndetails: {}\nsnippet: {}",
        api.kind,
        api.status.as_u16(),
        api.code,
        api.details
            .as_ref()
            .map_or("none".to_owned(), |value| value.to_string()),
        api.body_snippet,
    )
}

#[tokio::test]
async fn unauthorized() {
    let h = Harness::start().await;
    h.answer_raw("GetSessionsByName", 401, "", "text/html")
        .await;
    let error = h.client().sessions_by_name("PC-01").await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::Unauthorized);
    assert_eq!(h.count("GetSessionsByName").await, 1, "401 is not retried");
    assert_snapshot!(describe(&error));
}

#[tokio::test]
async fn forbidden() {
    let h = Harness::start().await;
    h.answer_raw("GetSessionsByName", 403, "", "text/html")
        .await;
    let error = h.client().sessions_by_name("PC-01").await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::Forbidden);
    assert!(error.to_string().contains("RESTfulAllowedOrigin"));
}

#[tokio::test]
async fn extension_not_installed() {
    let h = Harness::start().await;
    h.answer_raw(
        "GetSessionDetailsBySessionID",
        404,
        "<!DOCTYPE html><html><head><title>The resource cannot be found.</title></head><body><h1>Server Error in '/' Application.</h1></body></html>",
        "text/html; charset=utf-8",
    )
    .await;
    let error = h.client().session_details(&id()).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::NotFound);
    assert_eq!(h.count("GetSessionDetailsBySessionID").await, 1);
    assert_snapshot!(describe(&error));
}

#[tokio::test]
async fn web_method_does_not_exist_is_permanent_even_for_reads() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessions",
        500,
        json!({"errorType": "ArgumentException", "message": "Web method does not exist", "detail": null}),
    )
    .await;
    let error = h
        .client()
        .call_read("GetSessions", json!([]))
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::Unsupported);
    assert_eq!(h.count("GetSessions").await, 1, "never retried");
    assert!(h.sleep.recorded().is_empty());
    assert_snapshot!(describe(&error));
}

#[tokio::test]
async fn unknown_parameter() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessionsByName",
        500,
        json!({"errorType": "ArgumentException", "message": "Unknown parameter: name", "detail": {"ParamName": "name"}}),
    )
    .await;
    let error = h.client().sessions_by_name("PC-01").await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::InvalidArguments);
    assert_eq!(h.count("GetSessionsByName").await, 1);
    assert_snapshot!(describe(&error));
}

#[tokio::test]
async fn wrong_arity() {
    let h = Harness::start().await;
    h.answer_json(
        "SendMessageToSession",
        500,
        json!({"errorType": "ArgumentOutOfRangeException", "message": "Unable to process arguments: Index was out of range. Must be non-negative and less than the size of the collection.", "detail": null}),
    )
    .await;
    let error = h.client().send_message(&id(), "hello").await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::InvalidArguments);
    assert_eq!(
        error.api().unwrap().code.as_deref(),
        Some("ArgumentOutOfRangeException")
    );
}

#[tokio::test]
async fn session_manager_fault_says_what_it_cannot_tell() {
    let h = Harness::start().await;
    h.answer_json(
        "UpdateSessionName",
        500,
        json!({"errorType": "NullReferenceException", "message": "Object reference not set to an instance of an object.", "detail": "at ScreenConnect.SessionManager"}),
    )
    .await;
    let error = h
        .client()
        .update_session_name(&id(), "PC-02")
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::ServerFault);
    assert!(error.may_have_been_processed());
    assert_eq!(h.count("UpdateSessionName").await, 1);
    assert_snapshot!(describe(&error));
}

#[tokio::test]
async fn plain_text_fault() {
    let h = Harness::start().await;
    h.answer_raw(
        "GetSessionsByName",
        500,
        "Web method does not exist",
        "text/plain",
    )
    .await;
    let error = h.client().sessions_by_name("PC-01").await.unwrap_err();
    assert_eq!(error.api().unwrap().kind, ApiErrorKind::Unsupported);
    assert_eq!(h.count("GetSessionsByName").await, 1);
}
