//! The `sandbox` feature: one call gives a running server, its credentials and a ready client;
//! dropping it stops the server. Paused tokio time: nothing waits in real time.
#![cfg(feature = "sandbox")]

use std::time::Duration;

use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::sandbox::{Event, Sandbox, ScreenConnectOptions};
use screenconnect_api::{Client, ExposeSecret, RetryPolicy, RunCommandError, RunOptions};

#[tokio::test(start_paused = true)]
async fn one_call_gives_a_server_and_a_ready_client() {
    let sandbox = Sandbox::start().await.unwrap();
    assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
    assert!(!format!("{sandbox:?}").contains(sandbox.secret().expose_secret()));
    let client = sandbox.client();
    let session = client
        .sessions_by_name("ACME-WS-042")
        .await
        .unwrap()
        .remove(0);
    let run = client
        .run_command(
            &session.session_id,
            &CommandScript::new(Shell::Cmd, "whoami"),
            &RunOptions::new(),
        )
        .await
        .unwrap();
    assert!(
        run.result.output.ends_with("acme\\sjohnson\n"),
        "{:?}",
        run.result.output
    );
    assert_eq!(run.result.exit_code, Some(0));

    // A client of one's own, from the parts handed out.
    let own = Client::new(sandbox.config().clone()).unwrap();
    assert_eq!(own.sessions_by_name("NW-LT-007").await.unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_offline_agent_runs_nothing_until_the_deadline() {
    let sandbox = Sandbox::start_with(ScreenConnectOptions {
        command_delay: Duration::from_millis(500),
        ..ScreenConnectOptions::default()
    })
    .await
    .unwrap();
    let client = sandbox
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let session = client
        .sessions_by_name("NW-LT-007")
        .await
        .unwrap()
        .remove(0);
    let error = client
        .run_command(
            &session.session_id,
            &CommandScript::new(Shell::Sh, "uname -a"),
            &RunOptions::new().wait(Duration::from_secs(60)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, RunCommandError::DeadlineExceeded { .. }),
        "{error}"
    );
    assert_eq!(sandbox.commands().len(), 1);
    assert_eq!(sandbox.counters().get(Event::CommandRun), 0);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_sandbox_stops_the_server() {
    let sandbox = Sandbox::start().await.unwrap();
    let config = sandbox.config().clone();
    drop(sandbox);
    let client = Client::builder(config)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.sessions_by_name("ACME-WS-042").await.unwrap_err();
    assert!(error.status().is_none(), "{error}");
}
