//! `run_command`: send once, poll the session details until a new `RanCommand` event carries the
//! result, give up at the deadline. Sleeps and the clock are injected; nothing waits.

mod client_support;

use std::time::Duration;

use client_support::{Harness, SESSION_ID, details_json, method_path};
use insta::assert_json_snapshot;
use screenconnect_api::command::{CommandScript, SentinelNonce, Shell};
use screenconnect_api::models::{OnlineStatus, SessionId};
use screenconnect_api::{ApiErrorKind, CommandSent, RunCommandError, RunOptions};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const NONCE: &str = "testnonce0001234";
const MARKER: &str = "__MSP_EXIT_testnonce0001234__";

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

fn options() -> RunOptions {
    RunOptions::new().nonce(SentinelNonce::new(NONCE).unwrap())
}

fn old_events() -> Value {
    json!([
        {"EventID": "e-old-ran", "EventType": 70, "Time": "2026-07-19T06:00:00Z", "Data": "older output"},
        {"EventID": "e-old-note", "EventType": 32, "Time": "2026-07-19T06:10:00Z", "Data": "note"}
    ])
}

fn with_new(new_events: Value) -> Value {
    let mut events = old_events().as_array().unwrap().clone();
    events.extend(new_events.as_array().unwrap().iter().cloned());
    Value::Array(events)
}

fn ran(event_id: &str, time: &str, data: &str) -> Value {
    json!({"EventID": event_id, "EventType": 70, "Time": time, "Host": "RESTful API", "Data": data})
}

/// Session details answered `times` times (then the next mock takes over), at `priority`.
async fn details(h: &Harness, body: Value, times: Option<u64>, priority: u8) {
    let mock = Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(priority);
    let mock = match times {
        Some(times) => mock.up_to_n_times(times),
        None => mock,
    };
    mock.mount(&h.server).await;
}

fn cmd_script() -> CommandScript {
    CommandScript::new(Shell::Cmd, "hostname")
        .timeout(Duration::from_secs(30))
        .max_length(10_000)
}

#[tokio::test]
async fn output_found() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(2), 1).await;
    details(
        &h,
        details_json(
            true,
            with_new(json!([
                {"EventID": "e-queued", "EventType": 44, "Time": "2026-07-19T07:00:00Z", "Data": "hostname"},
                ran("e-new", "2026-07-19T07:00:04Z", &format!("SERVER01\r\n{MARKER}0\r\n"))
            ])),
        ),
        None,
        2,
    )
    .await;
    h.answer_empty("SendCommandToSession").await;

    let run = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap();
    assert_eq!(run.result.output, "SERVER01\n");
    assert_eq!(run.result.exit_code, Some(0));
    assert!(!run.result.killed && !run.result.truncated);
    assert!(run.matched_sentinel);
    assert_eq!(run.event_id.as_ref().map(|e| e.as_str()), Some("e-new"));
    assert_eq!(h.count("SendCommandToSession").await, 1);
    assert_eq!(h.count("GetSessionDetailsBySessionID").await, 3);
    assert_eq!(
        h.sleep.recorded(),
        vec![Duration::from_millis(1500), Duration::from_millis(2250)]
    );
    let send: Vec<Value> = h
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == json!(method_path("SendCommandToSession")))
        .collect();
    assert_json_snapshot!(send);
}

#[tokio::test]
async fn deadline_says_the_command_was_sent() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), None, 1).await;
    h.answer_empty("SendCommandToSession").await;

    let script = CommandScript::new(Shell::PowerShell, "Start-Sleep 600");
    let error = h
        .client()
        .run_command(&id(), &script, &options())
        .await
        .unwrap_err();
    let RunCommandError::DeadlineExceeded { waited, online } = &error else {
        panic!("expected the deadline error, got {error:?}");
    };
    // The agent's default 10 s timeout plus the 20 s grace.
    assert_eq!(*waited, Duration::from_secs(30));
    assert_eq!(*online, OnlineStatus::Online);
    assert_eq!(error.sent(), CommandSent::Yes);
    assert!(
        error.to_string().contains("the command was sent"),
        "{error}"
    );
    assert!(error.to_string().contains("may still run"), "{error}");
    let slept: Duration = h.sleep.recorded().iter().sum();
    assert_eq!(slept, Duration::from_secs(30));
    assert!(
        h.sleep
            .recorded()
            .iter()
            .all(|d| *d <= Duration::from_secs(5))
    );
    assert_eq!(h.count("SendCommandToSession").await, 1);
}

#[tokio::test]
async fn explicit_wait_and_poll_intervals() {
    let h = Harness::start().await;
    details(&h, details_json(false, old_events()), None, 1).await;
    h.answer_empty("SendCommandToSession").await;
    let options = options()
        .wait(Duration::from_secs(4))
        .poll_intervals(Duration::from_secs(1), Duration::from_secs(2));
    let error = h
        .client()
        .run_command(&id(), &cmd_script(), &options)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        RunCommandError::DeadlineExceeded {
            online: OnlineStatus::Offline,
            ..
        }
    ));
    assert_eq!(
        h.sleep.recorded(),
        vec![
            Duration::from_secs(1),
            Duration::from_millis(1500),
            Duration::from_millis(1500)
        ]
    );
}

#[tokio::test]
async fn killed_command() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    details(
        &h,
        details_json(
            true,
            with_new(json!([ran(
                "e-new",
                "2026-07-19T07:00:10Z",
                "Pinging 10.0.0.1\r\nKilled after 30000 milliseconds."
            )])),
        ),
        None,
        2,
    )
    .await;
    h.answer_empty("SendCommandToSession").await;
    let run = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap();
    assert!(run.result.killed);
    assert!(!run.result.truncated);
    assert_eq!(run.result.exit_code, None);
    assert_eq!(run.result.output, "Pinging 10.0.0.1\n");
    assert!(!run.matched_sentinel);
}

#[tokio::test]
async fn truncated_output() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    let long = "x".repeat(60);
    details(
        &h,
        details_json(
            true,
            with_new(json!([ran(
                "e-new",
                "2026-07-19T07:00:10Z",
                &format!("{long}\nTruncated output at 60 characters.")
            )])),
        ),
        None,
        2,
    )
    .await;
    h.answer_empty("SendCommandToSession").await;
    let script = CommandScript::new(Shell::Sh, "cat /var/log/syslog").max_length(60);
    let run = h
        .client()
        .run_command(&id(), &script, &options())
        .await
        .unwrap();
    assert!(run.result.truncated);
    assert!(!run.result.killed);
    assert_eq!(run.result.output.trim_end(), long);
}

#[tokio::test]
async fn only_if_online_refuses_an_offline_agent() {
    let h = Harness::start().await;
    details(&h, details_json(false, old_events()), None, 1).await;
    h.answer_empty("SendCommandToSession").await;
    let error = h
        .client()
        .run_command(&id(), &cmd_script(), &options().only_if_online(true))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            RunCommandError::NotOnline {
                status: OnlineStatus::Offline
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.sent(), CommandSent::No);
    assert_eq!(h.count("SendCommandToSession").await, 0);
}

#[tokio::test]
async fn only_if_online_sends_to_an_online_agent() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    details(
        &h,
        details_json(
            true,
            with_new(json!([ran(
                "e-new",
                "2026-07-19T07:00:10Z",
                &format!("ok\n{MARKER}3\n")
            )])),
        ),
        None,
        2,
    )
    .await;
    h.answer_empty("SendCommandToSession").await;
    let run = h
        .client()
        .run_command(&id(), &cmd_script(), &options().only_if_online(true))
        .await
        .unwrap();
    assert_eq!(run.result.exit_code, Some(3));
    assert!(!run.result.succeeded());
}

#[tokio::test]
async fn another_runs_result_is_skipped_and_connection_events_are_scanned() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    let mut after = details_json(
        true,
        with_new(json!([ran(
            "e-other",
            "2026-07-19T07:00:02Z",
            "__MSP_EXIT_someoneelse999__0\n"
        )])),
    );
    after["Connections"] = json!([{
        "ConnectionID": "0b8f3f64-1f0e-4bde-8d4c-2f3b6c1a9e01",
        "ProcessType": 2,
        "Events": [
            {"EventID": "e-connected", "EventType": 10, "Time": "2026-07-19T05:00:00Z"},
            ran("e-mine", "2026-07-19T07:00:05Z", &format!("mine\r\n{MARKER}0\r\n"))
        ]
    }]);
    details(&h, after, None, 2).await;
    h.answer_empty("SendCommandToSession").await;
    let run = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap();
    assert_eq!(run.event_id.as_ref().map(|e| e.as_str()), Some("e-mine"));
    assert_eq!(run.result.output, "mine\n");
    assert!(run.matched_sentinel);
}

#[tokio::test]
async fn a_failed_poll_is_retried_then_polling_goes_on() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(3)
        .with_priority(2)
        .mount(&h.server)
        .await;
    details(
        &h,
        details_json(
            true,
            with_new(json!([ran(
                "e-new",
                "2026-07-19T07:00:10Z",
                &format!("{MARKER}0\n")
            )])),
        ),
        None,
        3,
    )
    .await;
    h.answer_empty("SendCommandToSession").await;
    let run = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap();
    assert!(run.result.succeeded());
    assert_eq!(run.result.output, "");
    assert_eq!(h.count("SendCommandToSession").await, 1);
}

#[tokio::test]
async fn a_permanent_poll_failure_says_the_command_was_sent() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), Some(1), 1).await;
    Mock::given(method("POST"))
        .and(path(method_path("GetSessionDetailsBySessionID")))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(&h.server)
        .await;
    h.answer_empty("SendCommandToSession").await;
    let error = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap_err();
    let RunCommandError::Poll { source } = &error else {
        panic!("expected a poll error, got {error:?}");
    };
    assert_eq!(source.api().unwrap().kind, ApiErrorKind::Unauthorized);
    assert_eq!(error.sent(), CommandSent::Yes);
    assert!(error.to_string().contains("was sent"), "{error}");
}

#[tokio::test]
async fn a_failed_send_is_not_repeated_and_may_have_been_queued() {
    let h = Harness::start().await;
    details(&h, details_json(true, old_events()), None, 1).await;
    Mock::given(method("POST"))
        .and(path(method_path("SendCommandToSession")))
        .respond_with(ResponseTemplate::new(502))
        .mount(&h.server)
        .await;
    let error = h
        .client()
        .run_command(&id(), &cmd_script(), &options())
        .await
        .unwrap_err();
    assert!(matches!(error, RunCommandError::Send { .. }), "{error:?}");
    assert_eq!(error.sent(), CommandSent::Maybe);
    assert!(
        error.to_string().contains("may have been queued"),
        "{error}"
    );
    assert_eq!(h.count("SendCommandToSession").await, 1);
}

#[tokio::test]
async fn a_bad_script_is_refused_before_any_request() {
    let h = Harness::start().await;
    let script = CommandScript::new(Shell::Cmd, "#timeout=5\nhostname");
    let error = h
        .client()
        .run_command(&id(), &script, &options())
        .await
        .unwrap_err();
    assert!(matches!(error, RunCommandError::Script(_)), "{error:?}");
    assert_eq!(error.sent(), CommandSent::No);
    assert!(h.requests().await.is_empty());
}
