//! The sc_run_command recipe against the ScreenConnect sandbox. Time is tokio's paused clock,
//! which the sandbox's agents and the client's polling both follow: nothing sleeps in real time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use examples::Error;
use examples::recipes::sc_run_command::{
    self, RunCommandOptions, RunCommandReport, default_shell, parse_shell,
};
use msp_common::{Clock, Sleep};
use screenconnect_api::command::Shell;
use screenconnect_api::models::OnlineStatus;
use screenconnect_api::sandbox::Sandbox as ScreenConnectSandbox;
use screenconnect_api::{Client, RunCommandError};

/// Sleeps on tokio's (paused) timer and records each delay.
#[derive(Clone, Debug, Default)]
struct TokioRecordingSleep {
    recorded: Arc<Mutex<Vec<Duration>>>,
}

impl TokioRecordingSleep {
    fn recorded(&self) -> Vec<Duration> {
        self.recorded.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl Sleep for TokioRecordingSleep {
    async fn sleep(&self, duration: Duration) {
        self.recorded.lock().unwrap().push(duration);
        tokio::time::sleep(duration).await;
    }
}

/// Deadlines on tokio's clock, so they follow the paused time.
#[derive(Debug)]
struct TokioClock(tokio::time::Instant);

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn monotonic(&self) -> Duration {
        self.0.elapsed()
    }
}

fn client(sandbox: &ScreenConnectSandbox) -> (Client, TokioRecordingSleep) {
    let sleep = TokioRecordingSleep::default();
    let client = sandbox
        .client_builder()
        .sleep(Arc::new(sleep.clone()))
        .clock(Arc::new(TokioClock(tokio::time::Instant::now())))
        .build()
        .unwrap();
    (client, sleep)
}

async fn start() -> ScreenConnectSandbox {
    ScreenConnectSandbox::start().await.unwrap()
}

fn options(name: &str, command: &str) -> RunCommandOptions {
    RunCommandOptions {
        session_name: name.to_owned(),
        command: command.to_owned(),
        shell: None,
        timeout: Duration::from_secs(10),
        execute: true,
        allow_offline: false,
    }
}

#[tokio::test(start_paused = true)]
async fn runs_and_reports_output_and_exit_code() {
    let sandbox = start().await;
    let (client, sleep) = client(&sandbox);
    let report = sc_run_command::run(&client, &options("acme-ws-042", "hostname"))
        .await
        .unwrap();
    let RunCommandReport::Ran {
        session,
        shell,
        run,
    } = &report
    else {
        panic!("expected a run, got {report:?}");
    };
    assert_eq!(session.name, "ACME-WS-042");
    assert_eq!(session.online, OnlineStatus::Online);
    assert_eq!(*shell, Shell::PowerShell);
    assert_eq!(run.result.output, "ACME-WS-042\n");
    assert_eq!(run.result.exit_code, Some(0));
    assert!(run.matched_sentinel);
    assert!(!run.result.killed && !run.result.truncated);
    // The agent answers after its delay (2 s): the first poll, after 1.5 s, found nothing yet.
    let waits = sleep.recorded();
    assert_eq!(waits[0], Duration::from_millis(1500));
    assert!(waits.len() >= 2 && waits.iter().sum::<Duration>() >= Duration::from_secs(2));

    let sent = sandbox.commands();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].session_name, "ACME-WS-042");
    assert!(
        sent[0].text.starts_with("#!ps\n#timeout=10000\n"),
        "{}",
        sent[0].text
    );
    assert!(sent[0].text.contains("\nhostname\n"));
    insta::assert_snapshot!(
        report
            .to_string()
            .replace(session.id.as_str(), "<session id>")
    );
}

#[tokio::test(start_paused = true)]
async fn without_execute_nothing_is_sent() {
    let sandbox = start().await;
    let (client, _) = client(&sandbox);
    let dry = RunCommandOptions {
        execute: false,
        ..options("CONTOSO-FD-01", "ipconfig")
    };
    let report = sc_run_command::run(&client, &dry).await.unwrap();
    assert!(matches!(
        report,
        RunCommandReport::DryRun {
            shell: Shell::PowerShell,
            ..
        }
    ));
    assert!(report.to_string().contains("run with --execute"));
    assert!(sandbox.commands().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_offline_agent_gets_nothing_unless_allowed() {
    let sandbox = start().await;
    let (client, sleep) = client(&sandbox);
    let error = sc_run_command::run(&client, &options("NW-LT-007", "uptime"))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        Error::RunCommand(RunCommandError::NotOnline {
            status: OnlineStatus::Offline
        })
    ));
    assert!(!error.command_may_be_queued());
    assert!(sandbox.commands().is_empty());

    // Allowed: the command is queued, no result arrives, and the deadline passes on tokio's
    // clock (agent timeout 10 s plus 20 s of grace).
    let queued = RunCommandOptions {
        allow_offline: true,
        ..options("NW-LT-007", "uptime")
    };
    let error = sc_run_command::run(&client, &queued).await.unwrap_err();
    assert!(matches!(
        error,
        Error::RunCommand(RunCommandError::DeadlineExceeded { .. })
    ));
    assert!(error.command_may_be_queued());
    let waited: Duration = sleep.recorded().iter().sum();
    assert_eq!(waited, Duration::from_secs(30));
    let sent = sandbox.commands();
    assert_eq!(sent.len(), 1);
    // macOS gets sh.
    assert!(
        sent[0]
            .text
            .starts_with("#timeout=10000\nuptime\necho \"__MSP_EXIT_")
    );
    let session = sandbox.session_named("NW-LT-007").unwrap();
    assert_eq!(session["QueuedEventType"], 44);
}

#[tokio::test(start_paused = true)]
async fn sessions_must_exist_and_commands_must_not_be_empty() {
    let sandbox = start().await;
    let (client, _) = client(&sandbox);
    let error = sc_run_command::run(&client, &options("ACME-WS-999", "hostname"))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "ScreenConnect session \"ACME-WS-999\" was not found; the name must match the \
         session's name exactly"
    );
    let error = sc_run_command::run(&client, &options("ACME-WS-042", "  "))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidOptions(_)));
    assert!(sandbox.commands().is_empty());
}

#[tokio::test(start_paused = true)]
async fn the_sandbox_refuses_a_wrong_secret() {
    let sandbox = start().await;
    let config = screenconnect_api::Config::new(
        &sandbox.instance(),
        screenconnect_api::SecretString::from("wrong"),
    )
    .unwrap();
    let client = Client::builder(config)
        .retry_policy(screenconnect_api::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.sessions_by_name("ACME-WS-042").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[test]
fn shells() {
    assert_eq!(
        default_shell(Some("Microsoft Windows 11 Pro")),
        Shell::PowerShell
    );
    assert_eq!(default_shell(Some("macOS 14.5")), Shell::Sh);
    assert_eq!(default_shell(None), Shell::Sh);
    assert_eq!(parse_shell("PowerShell"), Ok(Shell::PowerShell));
    assert_eq!(parse_shell("cmd"), Ok(Shell::Cmd));
    assert!(parse_shell("bash").is_err());
}
