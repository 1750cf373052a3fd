//! The recipe binaries: each says on its first line where it runs, dry-runs by default, and
//! refuses unknown arguments. Run without credentials, so on sandboxes started in the process (only dry
//! runs here: `sc_run_command --execute` would poll in real time).

use std::process::{Command, Output};

use examples::Error;
use examples::target::{
    MANAGE_VARIABLES, ManageTarget, SCREENCONNECT_VARIABLES, ScreenConnectTarget,
};

fn run(binary: &str, args: &[&str]) -> Output {
    let mut command = Command::new(binary);
    command.args(args);
    for name in MANAGE_VARIABLES.iter().chain(&SCREENCONNECT_VARIABLES) {
        command.env_remove(name);
    }
    command.output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn manage_recipes_say_they_run_on_the_sandbox_and_write_nothing_by_default() {
    for binary in [
        env!("CARGO_BIN_EXE_triage"),
        env!("CARGO_BIN_EXE_log_time"),
        env!("CARGO_BIN_EXE_sync_configurations"),
        env!("CARGO_BIN_EXE_ensure_callback"),
    ] {
        let output = run(binary, &[]);
        let text = stdout(&output);
        assert!(
            output.status.success(),
            "{binary}: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("Running on the ConnectWise Manage sandbox at http://127.0.0.1:"),
            "{binary}: {first}"
        );
        assert!(
            text.contains("Dry run: nothing was written"),
            "{binary}: {text}"
        );
    }
}

#[test]
fn sc_run_command_shows_the_session_without_execute() {
    let output = run(
        env!("CARGO_BIN_EXE_sc_run_command"),
        &["--name", "CONTOSO-FD-01"],
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap_or_default()
            .starts_with("Running on the ScreenConnect sandbox at http://127.0.0.1:")
    );
    assert!(text.contains("Session CONTOSO-FD-01"), "{text}");
    assert!(text.contains("Nothing was sent"), "{text}");
}

#[test]
fn sc_installer_needs_no_credentials() {
    let output = run(
        env!("CARGO_BIN_EXE_sc_installer"),
        &[
            "--instance",
            "acme.screenconnect.com",
            "--platform",
            "pkg",
            "--name",
            "NW-LT-008",
        ],
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains(
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.pkg?e=Access&y=Guest&t=NW-LT-008"
    ));
    assert!(text.contains("sudo installer -pkg '/tmp/ScreenConnect.ClientSetup.pkg' -target /"));
}

#[test]
fn unknown_arguments_and_help() {
    let output = run(env!("CARGO_BIN_EXE_triage"), &["--aply"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty(), "nothing may run on a typo");
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument \"--aply\""));
    let help = run(env!("CARGO_BIN_EXE_sync_configurations"), &["--help"]);
    assert!(help.status.success());
    assert!(stdout(&help).contains("Usage: sync_configurations"));
}

#[tokio::test]
async fn partly_set_credentials_are_an_error_not_the_sandbox() {
    let partial = |name: &str| (name == "CW_SITE").then(|| "na.myconnectwise.net".to_owned());
    let error = ManageTarget::from_lookup(&partial).await.unwrap_err();
    assert!(matches!(error, Error::PartialCredentials { .. }));
    assert!(
        error
            .to_string()
            .contains("missing: CW_COMPANY, CW_PUBLIC_KEY"),
        "{error}"
    );

    let partial = |name: &str| (name == "SC_SECRET").then(|| "s3cret".to_owned());
    let error = ScreenConnectTarget::from_lookup(&partial)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("missing: SC_INSTANCE"),
        "{error}"
    );
    assert!(!error.to_string().contains("s3cret"));

    let none = |_: &str| None;
    let target = ManageTarget::from_lookup(&none).await.unwrap();
    assert!(target.is_sandbox());
    let all = |name: &str| match name {
        "CW_SITE" => Some("na.myconnectwise.net".to_owned()),
        _ => Some("value".to_owned()),
    };
    let target = ManageTarget::from_lookup(&all).await.unwrap();
    assert!(!target.is_sandbox());
    assert_eq!(
        target.banner(),
        "Running on ConnectWise Manage: company \"value\" at https://api-na.myconnectwise.net."
    );
}
