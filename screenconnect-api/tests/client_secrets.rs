//! The API secret never appears in `Debug` of the client or its configuration, in error messages,
//! in logs or in URLs; command text and output never appear in logs either.

mod client_support;

use client_support::{Harness, SECRET, SESSION_ID, details_json, method_path};
use msp_common::testing::CapturedLogs;
use screenconnect_api::command::{CommandScript, SentinelNonce, Shell};
use screenconnect_api::models::SessionId;
use screenconnect_api::{Client, Config, RunOptions, SecretString};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const COMMAND: &str = "net user helpdesk Sup3rS3cretPassw0rd /add";
const OUTPUT: &str = "BitLocker recovery key 123456-654321-111111";

#[tokio::test]
async fn debug_output_hides_the_secret() {
    let h = Harness::start().await;
    let config = h.config();
    let builder = h.builder(config.clone());
    let client = h.client();
    let debug = format!("{config:?}\n{builder:?}\n{client:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(!client.config().instance().as_str().contains(SECRET));
}

#[tokio::test]
async fn config_errors_never_repeat_the_secret() {
    for bad in [
        format!("Basic {SECRET}"),
        format!("{SECRET}\n"),
        format!("{SECRET}\u{1}"),
    ] {
        let error = Config::new("acme.screenconnect.com", SecretString::from(bad)).unwrap_err();
        assert!(!error.to_string().contains(SECRET), "{error}");
        assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
    }
    let error = Config::from_lookup(|name| match name {
        "SC_INSTANCE" => Some("http://acme.screenconnect.com".into()),
        "SC_SECRET" => Some(SECRET.into()),
        _ => None,
    })
    .unwrap_err();
    assert!(!error.to_string().contains(SECRET), "{error}");
}

#[tokio::test]
async fn logs_and_errors_carry_neither_secret_nor_command_text_nor_output() {
    let h = Harness::start().await;
    let before = details_json(true, json!([]));
    let after = details_json(
        true,
        json!([{"EventID": "e-new", "EventType": 70, "Time": "2026-07-19T07:00:10Z",
                "Data": format!("{OUTPUT}\r\n__MSP_EXIT_secretsnonce01__0\r\n")}]),
    );
    Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(200).set_body_json(before))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&h.server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(3)
        .with_priority(2)
        .mount(&h.server)
        .await;
    Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(200).set_body_json(after))
        .with_priority(3)
        .mount(&h.server)
        .await;
    h.answer_empty("SendCommandToSession").await;
    h.answer_raw("AddNoteToSession", 401, "", "text/html").await;
    Mock::given(method("POST"))
        .and(path(method_path("SendMessageToSession")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&h.server)
        .await;

    let captured = CapturedLogs::new();
    let _guard = captured.install();

    let client: Client = h.client();
    let id = SessionId::new(SESSION_ID).unwrap();
    let run = client
        .run_command(
            &id,
            &CommandScript::new(Shell::Cmd, COMMAND),
            &RunOptions::new().nonce(SentinelNonce::new("secretsnonce01").unwrap()),
        )
        .await
        .unwrap();
    assert!(run.result.output.contains(OUTPUT));
    let unauthorized = client.add_note(&id, COMMAND).await.unwrap_err();
    let throttled = client.send_message(&id, COMMAND).await.unwrap_err();
    assert!(throttled.is_rate_limited());

    let logs = captured.text();
    assert!(logs.contains("SendCommandToSession"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("command result found"), "{logs}");
    for leaked in [SECRET, COMMAND, OUTPUT, "Sup3rS3cret", "123456-654321"] {
        assert!(
            !logs.contains(leaked),
            "{leaked} leaked into the logs:\n{logs}"
        );
        for error in [&unauthorized, &throttled] {
            assert!(!error.to_string().contains(leaked), "{error}");
            assert!(!format!("{error:?}").contains(leaked), "{error:?}");
        }
        assert!(!format!("{run:?}").contains(leaked), "{run:?}");
    }
    for request in h.server.received_requests().await.unwrap() {
        assert!(!request.url.as_str().contains(SECRET));
    }
}
