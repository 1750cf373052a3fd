//! The `sandbox` binary: it prints how to connect, the recipes run against it with the exported
//! variables, a second run changes nothing, and the state file carries the changes across a
//! restart. (The servers are child processes on 127.0.0.1; waiting is on their output, never on
//! a timer.)

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use examples::target::{MANAGE_VARIABLES, SCREENCONNECT_VARIABLES};

/// The sample device list shipped with the examples.
const DEVICES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/devices.json");

/// A running `sandbox` child and the variables it printed. Killed when dropped.
struct Running {
    child: Child,
    exports: Vec<(String, String)>,
    printed: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(state: &Path, extra: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .arg("--state")
        .arg(state)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the sandbox starts");
    let stdout = child.stdout.take().expect("piped");
    let mut printed = String::new();
    let mut exports = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("readable output");
        printed.push_str(&line);
        printed.push('\n');
        if let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            exports.push((name.to_owned(), value.to_owned()));
        }
        if line == "Press Ctrl-C to stop." {
            break;
        }
    }
    Running {
        child,
        exports,
        printed,
    }
}

fn run_recipe(running: &Running, binary: &str, args: &[&str]) -> Output {
    run_recipe_with(running, binary, args, &[])
}

/// As [`run_recipe`], with some of the exported variables replaced.
fn run_recipe_with(
    running: &Running,
    binary: &str,
    args: &[&str],
    replaced: &[(&str, &str)],
) -> Output {
    let mut command = Command::new(binary);
    command.args(args);
    for name in MANAGE_VARIABLES.iter().chain(&SCREENCONNECT_VARIABLES) {
        command.env_remove(name);
    }
    command.envs(running.exports.iter().map(|(n, v)| (n, v)));
    command.envs(replaced.iter().copied());
    command.output().expect("the recipe runs")
}

/// What a recipe printed: stderr (where it says where it runs) first, then stdout.
fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    )
}

#[test]
fn recipes_run_against_it_and_a_second_run_changes_nothing_across_restarts() {
    let directory = std::env::temp_dir().join(format!("sandbox-binary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap();
    let state = directory.join("state.json");

    let sandbox = start(&state, &["--tickets", "500"]);
    assert!(
        sandbox
            .printed
            .contains("ConnectWise Manage sandbox at http://127.0.0.1:"),
        "{}",
        sandbox.printed
    );
    assert!(
        sandbox
            .printed
            .contains("ScreenConnect sandbox at http://127.0.0.1:")
    );
    assert!(
        sandbox
            .printed
            .contains("curl -u 'sandbox+sandbox-public-key:"),
        "{}",
        sandbox.printed
    );
    let names: Vec<&str> = sandbox.exports.iter().map(|(n, _)| n.as_str()).collect();
    for name in MANAGE_VARIABLES.iter().chain(&SCREENCONNECT_VARIABLES) {
        assert!(names.contains(name), "{name} is not exported: {names:?}");
    }
    let site = &sandbox
        .exports
        .iter()
        .find(|(n, _)| n == "CW_SITE")
        .unwrap()
        .1;

    // Wrong credentials: one error line, a failure, and the key not repeated.
    let wrong = run_recipe_with(
        &sandbox,
        env!("CARGO_BIN_EXE_triage"),
        &[],
        &[("CW_PRIVATE_KEY", "not-the-key")],
    );
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    let wrong_text = text(&wrong);
    let error = wrong_text
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in {wrong_text}"));
    assert!(error.contains("401"), "{error}");
    assert!(!wrong_text.contains("not-the-key"), "{wrong_text}");
    assert!(String::from_utf8_lossy(&wrong.stdout).is_empty());

    let sync = env!("CARGO_BIN_EXE_sync_configurations");
    let first = run_recipe(&sandbox, sync, &["--file", DEVICES, "--apply"]);
    let first_text = text(&first);
    // The first line on stderr names the tenant with its scheme, host and port.
    assert_eq!(
        first_text.lines().next().unwrap(),
        format!("Running on ConnectWise Manage: company \"sandbox\" at {site}.")
    );
    let created = count(&first_text, " created,");
    assert!(created > 0, "{first_text}");
    assert!(state.exists());

    let second = run_recipe(&sandbox, sync, &["--file", DEVICES, "--apply"]);
    assert_eq!(count(&text(&second), " created,"), 0, "{}", text(&second));
    drop(sandbox);

    // A new process on the same state file: the configurations are still there.
    let again = start(&state, &[]);
    let third = run_recipe(&again, sync, &["--file", DEVICES, "--apply"]);
    assert_eq!(count(&text(&third), " created,"), 0, "{}", text(&third));
    // The saved seed (500 generated tickets) came back with it.
    let triage = run_recipe(
        &again,
        env!("CARGO_BIN_EXE_triage"),
        &["--board", "Help Desk"],
    );
    assert!(triage.status.success(), "{}", text(&triage));
    // Against a tenant (which the persistent sandbox is to a recipe) there is no sample run.
    let bare = run_recipe(&again, env!("CARGO_BIN_EXE_triage"), &[]);
    assert_eq!(bare.status.code(), Some(1), "{}", text(&bare));
    assert!(
        text(&bare).contains("error: --serve, --board or --ticket is required"),
        "{}",
        text(&bare)
    );
    drop(again);
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn bad_flags_are_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["--server-errors", "1.5"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("between 0 and 1"));
    let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(["--rate-limit", "ten"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let help = Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--state <FILE>"));
}

/// The number before `marker` in the recipe's summary line (`2 existing, 3 created, 0 skipped.`).
fn count(text: &str, marker: &str) -> usize {
    text.lines()
        .find_map(|line| {
            let before = &line[..line.find(marker)?];
            before.rsplit(' ').next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("no {marker:?} in {text}"))
}
