//! The client against the sandbox through this crate's `sandbox` feature: one call gives a
//! running server, its credentials and a ready client, and dropping it stops the server; a
//! command's output comes back (or, for an offline agent, the deadline passes on paused time), an
//! installer download enrols a session, and the sessions are named after the Manage
//! configurations of the same seed.
#![cfg(feature = "sandbox")]

use std::time::Duration;

use screenconnect_api::command::{CommandScript, Shell};
use screenconnect_api::installer::{AccessInstaller, InstallerPlatform};
use screenconnect_api::sandbox::{Event, Sandbox, ScreenConnectOptions, Seed, SeedOptions};
use screenconnect_api::{Client, ExposeSecret, RetryPolicy, RunCommandError, RunOptions};

#[tokio::test(start_paused = true)]
async fn run_command_returns_the_output() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let session = client
        .sessions_by_name("ACME-SRV-01")
        .await
        .unwrap()
        .remove(0);
    let started = tokio::time::Instant::now();
    let run = client
        .run_command(
            &session.session_id,
            &CommandScript::new(Shell::PowerShell, "hostname"),
            &RunOptions::new().only_if_online(true),
        )
        .await
        .unwrap();
    assert_eq!(run.result.output, "ACME-SRV-01\n");
    assert_eq!(run.result.exit_code, Some(0));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "the agent's delay"
    );
    assert_eq!(sandbox.counters().get(Event::CommandRun), 1);
    assert_eq!(sandbox.commands().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_installer_download_enrols_the_named_session() {
    let sandbox = Sandbox::start().await.unwrap();
    assert!(sandbox.session_named("CONTOSO-WS-200").is_none());
    let instance = url::Url::parse(&sandbox.instance()).unwrap();
    let url = AccessInstaller::new(&instance, InstallerPlatform::Msi)
        .unwrap()
        .session_name("CONTOSO-WS-200")
        .unwrap()
        .custom_property_values(["Contoso Dental Group", "Mesa", "", "Workstations"])
        .unwrap()
        .url();
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    let sessions = sandbox
        .client()
        .sessions_by_name("CONTOSO-WS-200")
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].custom_properties.as_array()[..2],
        ["Contoso Dental Group", "Mesa"]
    );
}

#[tokio::test(start_paused = true)]
async fn sessions_are_the_configurations_of_the_same_seed() {
    let seed = SeedOptions {
        seed: 4,
        companies: 3,
        ..SeedOptions::default()
    };
    let sandbox = Sandbox::start_with(ScreenConnectOptions {
        seed: seed.clone(),
        ..ScreenConnectOptions::default()
    })
    .await
    .unwrap();
    let devices = msp_sandbox_devices(&seed);
    let generated = devices
        .iter()
        .find(|name| name.contains('-') && !name.starts_with("ACME"))
        .unwrap();
    assert!(sandbox.session_named(generated).is_some(), "{generated}");
}

/// The machine names the seed gives both servers (the ScreenConnect side skips devices that run
/// no agent, so only workstations, laptops and servers are looked up).
fn msp_sandbox_devices(seed: &SeedOptions) -> Vec<String> {
    Seed::new(seed)
        .devices()
        .iter()
        .filter(|device| device.type_name != "Network Device")
        .map(|device| device.name.clone())
        .collect()
}

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
