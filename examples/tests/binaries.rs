//! The recipe binaries: each says on the first line of stderr where it runs, dry-runs by default,
//! refuses unknown arguments and bad values with one line naming them, and has `--help` and
//! `--version`. Run without credentials, so on sandboxes started in the process (only dry
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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const BINARIES: [&str; 8] = [
    env!("CARGO_BIN_EXE_screenconnect"),
    env!("CARGO_BIN_EXE_export-tickets"),
    env!("CARGO_BIN_EXE_triage"),
    env!("CARGO_BIN_EXE_log_time"),
    env!("CARGO_BIN_EXE_sync_configurations"),
    env!("CARGO_BIN_EXE_ensure_callback"),
    env!("CARGO_BIN_EXE_sc_run_command"),
    env!("CARGO_BIN_EXE_sc_installer"),
];

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
            stderr(&output)
        );
        let errors = stderr(&output);
        let first = errors.lines().next().unwrap_or_default();
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
    assert!(
        stderr(&output)
            .lines()
            .next()
            .unwrap_or_default()
            .starts_with("Running on the ScreenConnect sandbox at http://127.0.0.1:"),
        "{}",
        stderr(&output)
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
fn unknown_arguments_are_refused_before_anything_runs() {
    let output = run(env!("CARGO_BIN_EXE_triage"), &["--aply"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty(), "nothing may run on a typo");
    let errors = stderr(&output);
    assert!(
        errors
            .lines()
            .next()
            .unwrap_or_default()
            .contains("unexpected argument '--aply'"),
        "{errors}"
    );
    assert!(errors.contains("--apply"), "the fix is named: {errors}");
}

#[test]
fn bad_values_name_the_option() {
    for (binary, args, named) in [
        (
            env!("CARGO_BIN_EXE_log_time"),
            &["--minutes", "0"][..],
            "--minutes",
        ),
        (
            env!("CARGO_BIN_EXE_log_time"),
            &["--billable", "Sometimes"][..],
            "--billable",
        ),
        (
            env!("CARGO_BIN_EXE_log_time"),
            &["--ticket", "twelve"][..],
            "--ticket",
        ),
        (
            env!("CARGO_BIN_EXE_sc_installer"),
            &["--platform", "zip"][..],
            "--platform",
        ),
        (
            env!("CARGO_BIN_EXE_sc_run_command"),
            &["--timeout", "0"][..],
            "--timeout",
        ),
    ] {
        let output = run(binary, args);
        assert_eq!(output.status.code(), Some(2), "{binary} {args:?}");
        assert!(stdout(&output).is_empty());
        let first = stderr(&output)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            first.starts_with("error: invalid value") && first.contains(named),
            "{binary} {args:?}: {first}"
        );
    }
}

#[test]
fn a_value_may_start_with_dashes() {
    let output = run(
        env!("CARGO_BIN_EXE_sc_installer"),
        &["--instance", "acme.screenconnect.com", "--name", "--odd--"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("t=--odd--"), "{}", stdout(&output));
}

#[test]
fn every_binary_has_help_and_version() {
    for binary in BINARIES {
        let help = run(binary, &["--help"]);
        assert!(help.status.success(), "{binary}");
        assert!(
            stdout(&help).contains("Usage: "),
            "{binary}: {}",
            stdout(&help)
        );
        assert!(stdout(&help).contains("--version"), "{binary}");
        let version = run(binary, &["--version"]);
        assert!(version.status.success(), "{binary}");
        assert!(
            stdout(&version)
                .trim_end()
                .ends_with(env!("CARGO_PKG_VERSION")),
            "{binary}: {}",
            stdout(&version)
        );
    }
}

#[test]
fn a_missing_ticket_is_one_line_and_a_failure() {
    let output = run(env!("CARGO_BIN_EXE_log_time"), &["--ticket", "987654"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let errors = stderr(&output);
    let error = errors
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in {errors}"));
    assert!(error.contains("987654"), "{error}");
}

#[test]
fn an_unknown_board_is_one_line_and_a_failure() {
    let output = run(env!("CARGO_BIN_EXE_triage"), &["--board", "No Such Board"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let errors = stderr(&output);
    assert!(
        errors
            .lines()
            .any(|line| line.starts_with("error: ") && line.contains("No Such Board")),
        "{errors}"
    );
}

#[test]
fn triage_without_arguments_runs_the_sample_through_a_callback() {
    let output = run(env!("CARGO_BIN_EXE_triage"), &[]);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    for expected in [
        "Registered callback ",
        "Created ticket #1015 \"Outlook keeps crashing\"; its callback arrived and was verified.",
        "## Automated Triage Summary",
        "**Device:** ACME-WS-042 — Online",
        "Patch: [{\"op\":\"replace\",\"path\":\"priority\",\"value\":{\"id\":2}}",
        "Dry run: nothing was written to the ticket",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn triage_bad_input_is_one_line_and_a_failure() {
    for (args, expected) in [
        (
            &["--ticket", "424242"][..],
            "ticket \"424242\" was not found",
        ),
        (
            &["--board", "Help Desk", "--status", "Bogus"][..],
            "status \"Bogus\"",
        ),
        (&["--work-type", "Juggling"][..], "work type \"Juggling\""),
        (
            &["--ticket", "abc"][..],
            "invalid value 'abc' for '--ticket <ID>'",
        ),
        (
            &["--serve", "not-an-address"][..],
            "invalid value 'not-an-address'",
        ),
    ] {
        let output = run(env!("CARGO_BIN_EXE_triage"), args);
        assert!(!output.status.success(), "{args:?}: {}", stdout(&output));
        let errors = stderr(&output);
        let lines: Vec<&str> = errors
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {errors}");
        assert!(lines[0].contains(expected), "{args:?}: {errors}");
        assert!(!errors.contains("panicked"), "{args:?}: {errors}");
    }
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

#[test]
fn screenconnect_lists_as_json_and_dry_runs_state_changes() {
    let binary = env!("CARGO_BIN_EXE_screenconnect");
    let output = run(binary, &["sessions", "--name", "ACME-WS-042", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("Running on the ScreenConnect sandbox at http://127.0.0.1:")
    );
    let sessions: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let id = sessions[0]["SessionID"].as_str().unwrap().to_owned();

    let output = run(binary, &["send-message", &id, "--reboot tonight"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Nothing was sent; add --yes"),
        "{}",
        stdout(&output)
    );

    let output = run(
        binary,
        &[
            "build-installer",
            "--instance",
            "acme.screenconnect.com",
            "--platform",
            "msi",
            "--name",
            "ACME-WS-057",
            "--company",
            "Acme",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(
        "https://acme.screenconnect.com/Bin/ScreenConnect.ClientSetup.msi?e=Access&y=Guest&t=ACME-WS-057&c=Acme"
    ), "{}", stdout(&output));

    let output = run(binary, &["raw", "GetSessionsByName", "{not json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .lines()
            .next()
            .unwrap_or_default()
            .contains("not JSON")
    );
}
