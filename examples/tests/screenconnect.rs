//! The `screenconnect` tool's commands against the ScreenConnect sandbox: lookups, dry runs that
//! send nothing, state changes with `yes`, untouched custom-property slots kept, a waited-for
//! command's output and exit code, raw calls. Time is tokio's paused clock, which the sandbox's
//! client and agents follow.

use std::time::Duration;

use examples::Error;
use examples::recipes::screenconnect::{self, Action, Outcome};
use screenconnect_api::filter::SessionFilter;
use screenconnect_api::models::SessionId;
use screenconnect_api::sandbox::Sandbox;
use serde_json::{Value, json};

async fn start() -> (Sandbox, SessionId) {
    let sandbox = Sandbox::start().await.unwrap();
    let id = sandbox.session_named("ACME-WS-042").unwrap()["SessionID"]
        .as_str()
        .unwrap()
        .to_owned();
    (sandbox, SessionId::new(id).unwrap())
}

fn properties(sandbox: &Sandbox, name: &str) -> Vec<String> {
    sandbox.session_named(name).unwrap()["CustomPropertyValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn sessions_by_name_and_filter_print_as_tables_and_json() {
    let (sandbox, id) = start().await;
    let by_name = Action::Sessions {
        name: Some("ACME-WS-042".into()),
        filter: None,
    };
    let outcome = screenconnect::run(sandbox.client(), &by_name, false)
        .await
        .unwrap();
    let table = outcome.to_string();
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("NAME "), "{table}");
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("ACME-WS-042 ") && row.contains(id.as_str()),
        "{table}"
    );
    assert!(table.ends_with("1 session(s)."), "{table}");
    assert_eq!(outcome.to_json()[0]["SessionID"], json!(id.as_str()));

    let company = properties(&sandbox, "ACME-WS-042")[0].clone();
    let filter = Action::Sessions {
        name: None,
        filter: Some(SessionFilter::from_raw(format!("CustomProperty1 = '{company}'")).unwrap()),
    };
    let Outcome::Sessions(found) = screenconnect::run(sandbox.client(), &filter, false)
        .await
        .unwrap()
    else {
        panic!("sessions expected");
    };
    assert!(found.len() > 1, "{found:?}");
    assert!(
        found
            .iter()
            .all(|s| s.custom_properties.get(1).unwrap() == company)
    );

    let none = Action::Sessions {
        name: Some("NO-SUCH-HOST".into()),
        filter: None,
    };
    let outcome = screenconnect::run(sandbox.client(), &none, false)
        .await
        .unwrap();
    assert_eq!(outcome.to_string(), "No session found.");
    assert_eq!(outcome.to_json(), json!([]));
}

#[tokio::test(start_paused = true)]
async fn session_details_and_a_missing_session() {
    let (sandbox, id) = start().await;
    let outcome = screenconnect::run(sandbox.client(), &Action::Session { id }, false)
        .await
        .unwrap();
    assert!(
        outcome.to_string().contains("Machine:  ACME-WS-042"),
        "{outcome}"
    );
    let missing = SessionId::new("00000000-0000-0000-0000-000000000000").unwrap();
    let error = screenconnect::run(sandbox.client(), &Action::Session { id: missing }, false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::NotFound { .. }) || matches!(error, Error::Api(_)),
        "{error}"
    );
}

#[tokio::test(start_paused = true)]
async fn state_changes_need_yes() {
    let (sandbox, id) = start().await;
    let command = Action::SendCommand {
        id: id.clone(),
        command: "hostname".into(),
        wait: None,
    };
    let dry = screenconnect::run(sandbox.client(), &command, false)
        .await
        .unwrap();
    assert_eq!(
        dry.to_json(),
        json!({"sent": false, "method": "SendCommandToSession", "args": [id.as_str(), "hostname"]})
    );
    assert!(dry.to_string().contains("add --yes"), "{dry}");
    let message = Action::SendMessage {
        id: id.clone(),
        text: "Rebooting in 5 minutes".into(),
    };
    screenconnect::run(sandbox.client(), &message, false)
        .await
        .unwrap();
    let raw_write = Action::Raw {
        method: "SendCommandToSession".into(),
        args: json!([id.as_str(), "whoami"]),
    };
    assert!(matches!(
        screenconnect::run(sandbox.client(), &raw_write, false)
            .await
            .unwrap(),
        Outcome::WouldSend { .. }
    ));
    assert!(sandbox.commands().is_empty(), "a dry run sends nothing");

    let sent = screenconnect::run(sandbox.client(), &command, true)
        .await
        .unwrap();
    assert!(matches!(sent, Outcome::Sent { .. }));
    let commands = sandbox.commands();
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].text, "hostname");
    assert_eq!(commands[0].session_name, "ACME-WS-042");
}

#[tokio::test(start_paused = true)]
async fn set_properties_keeps_the_slots_not_given() {
    let (sandbox, id) = start().await;
    let before = properties(&sandbox, "ACME-WS-042");
    let action = Action::SetProperties {
        id: id.clone(),
        values: [None, None, Some("Quarantine".into())],
    };
    let dry = screenconnect::run(sandbox.client(), &action, false)
        .await
        .unwrap();
    let mut expected = before.clone();
    expected[2] = "Quarantine".into();
    assert_eq!(dry.to_json()["args"][1], json!(expected));
    assert_eq!(properties(&sandbox, "ACME-WS-042"), before);

    let applied = screenconnect::run(sandbox.client(), &action, true)
        .await
        .unwrap();
    assert!(matches!(applied, Outcome::Properties(_)), "{applied}");
    assert_eq!(properties(&sandbox, "ACME-WS-042"), expected);
    let again = screenconnect::run(sandbox.client(), &action, true)
        .await
        .unwrap();
    assert!(matches!(again, Outcome::Unchanged(_)), "{again}");
}

#[tokio::test(start_paused = true)]
async fn send_command_wait_reports_output_and_exit_code() {
    let (sandbox, id) = start().await;
    let action = Action::SendCommand {
        id,
        command: "hostname".into(),
        wait: Some(Duration::from_secs(60)),
    };
    let outcome = screenconnect::run(sandbox.client(), &action, true)
        .await
        .unwrap();
    let json = outcome.to_json();
    assert_eq!(json["exitCode"], json!(0), "{json}");
    assert!(
        json["output"].as_str().unwrap().contains("ACME-WS-042"),
        "{json}"
    );
    assert!(!outcome.failed());
}

#[tokio::test(start_paused = true)]
async fn raw_reads_are_sent_and_answered() {
    let (sandbox, id) = start().await;
    let action = Action::Raw {
        method: "GetSessionsByName".into(),
        args: json!({"sessionName": "ACME-WS-042"}),
    };
    let outcome = screenconnect::run(sandbox.client(), &action, false)
        .await
        .unwrap();
    let Value::Array(sessions) = outcome.to_json() else {
        panic!("{outcome}");
    };
    assert_eq!(sessions[0]["SessionID"], json!(id.as_str()));
}
