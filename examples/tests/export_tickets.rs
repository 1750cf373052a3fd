//! The ticket export on the sandbox: every ticket once, in id order, every field the server sent,
//! resumable after an interruption without gaps or duplicates; CSV columns; bad conditions refused
//! before anything is sent. The binary runs against an in-process sandbox.

use connectwise_manage::sandbox::{ManageOptions, Sandbox, SeedOptions};
use examples::Error;
use examples::recipes::export_tickets::{
    self, ExportOptions, Format, Progress, parse_conditions, trim_partial_line,
};
use examples::target::{MANAGE_VARIABLES, SCREENCONNECT_VARIABLES};
use serde_json::Value;

async fn sandbox(tickets: u64) -> Sandbox {
    Sandbox::start_with(ManageOptions {
        seed: SeedOptions {
            tickets,
            ..SeedOptions::default()
        },
        ..ManageOptions::default()
    })
    .await
    .unwrap()
}

/// Records what the export reported.
#[derive(Default)]
struct Seen {
    total: Option<u64>,
    advanced: u64,
    calls: usize,
}

impl Progress for Seen {
    fn total(&mut self, tickets: u64) {
        self.total = Some(tickets);
    }
    fn advance(&mut self, tickets: u64, _: Option<i64>) {
        self.advanced += tickets;
        self.calls += 1;
    }
}

async fn export(sandbox: &Sandbox, options: &ExportOptions) -> (Vec<u8>, Seen) {
    let mut out = Vec::new();
    let mut seen = Seen::default();
    let report = export_tickets::run(sandbox.client(), options, &mut out, &mut seen)
        .await
        .unwrap();
    assert_eq!(report.exported, seen.advanced);
    (out, seen)
}

fn ids(jsonl: &[u8]) -> Vec<i64> {
    String::from_utf8_lossy(jsonl)
        .lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn every_ticket_once_in_id_order_with_every_field() {
    let sandbox = sandbox(730).await;
    let options = ExportOptions {
        page_size: Some(100),
        ..ExportOptions::default()
    };
    let (out, seen) = export(&sandbox, &options).await;
    let ids = ids(&out);
    let stored = sandbox.len("/service/tickets");
    assert_eq!(ids.len(), stored);
    assert_eq!(seen.total, Some(stored as u64));
    assert!(seen.calls >= 8, "one step per page: {}", seen.calls);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending, no repeats");

    // Each line is the record as the server holds it, fields the model does not know included.
    let first: Value = serde_json::from_slice(out.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let record = sandbox.record("/service/tickets", ids[0]).unwrap();
    for (name, value) in record.as_object().unwrap() {
        if !value.is_null() {
            assert_eq!(&first[name], value, "field {name}");
        }
    }

    // Forward-only paging gives the same file.
    let forward = ExportOptions {
        forward_only: true,
        ..options.clone()
    };
    assert_eq!(export(&sandbox, &forward).await.0, out);
}

#[tokio::test]
async fn an_interrupted_file_resumes_without_gaps_or_duplicates() {
    let sandbox = sandbox(450).await;
    let options = ExportOptions {
        conditions: Some(parse_conditions("closedFlag = false").unwrap()),
        page_size: Some(64),
        ..ExportOptions::default()
    };
    let (full, _) = export(&sandbox, &options).await;
    assert!(ids(&full).len() > 100);

    // The first run stopped in the middle of a line.
    let path = std::env::temp_dir().join(format!("export-resume-{}.jsonl", std::process::id()));
    let cut = full.len() * 2 / 5 + 17;
    std::fs::write(&path, &full[..cut]).unwrap();
    assert!(trim_partial_line(&path).unwrap() > 0);
    let kept = std::fs::read(&path).unwrap();
    let last = *ids(&kept).last().unwrap();

    let resumed = ExportOptions {
        after_id: Some(last),
        ..options.clone()
    };
    let (rest, seen) = export(&sandbox, &resumed).await;
    assert_eq!(seen.total, Some(ids(&rest).len() as u64));
    let mut joined = kept;
    joined.extend_from_slice(&rest);
    assert_eq!(joined, full);
    // A whole file has nothing to trim.
    std::fs::write(&path, &full).unwrap();
    assert_eq!(trim_partial_line(&path).unwrap(), 0);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn csv_has_the_chosen_columns_and_quotes() {
    let sandbox = sandbox(0).await;
    let options = ExportOptions {
        conditions: Some(parse_conditions(r#"board/name = "Help Desk""#).unwrap()),
        format: Format::Csv {
            columns: vec!["id".into(), "summary".into(), "board/name".into()],
            header: true,
        },
        ..ExportOptions::default()
    };
    let (out, seen) = export(&sandbox, &options).await;
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,summary,board/name"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert_eq!(rows.len() as u64, seen.total.unwrap());
    for row in rows {
        assert!(row.ends_with(",Help Desk"), "{row}");
    }
}

#[tokio::test]
async fn conditions_that_do_not_parse_are_refused_with_their_position() {
    let error = parse_conditions("status/name = ").unwrap_err();
    assert!(matches!(error, Error::Conditions { .. }));
    let message = error.to_string();
    assert!(message.contains("byte 14"), "{message}");
}

fn run_binary(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_export-tickets"));
    command.args(args);
    for name in MANAGE_VARIABLES.iter().chain(&SCREENCONNECT_VARIABLES) {
        command.env_remove(name);
    }
    let credentials = sandbox.credentials();
    command
        .env("CW_SITE", sandbox.site())
        .env("CW_COMPANY", credentials.company)
        .env("CW_PUBLIC_KEY", credentials.public_key)
        .env("CW_PRIVATE_KEY", credentials.private_key)
        .env("CW_CLIENT_ID", credentials.client_id);
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_writes_a_file_and_appends_when_resuming() {
    let sandbox = sandbox(120).await;
    let path = std::env::temp_dir().join(format!("export-binary-{}.csv", std::process::id()));
    let path_text = path.to_str().unwrap().to_owned();
    let (sandbox, output) = tokio::task::spawn_blocking(move || {
        let output = run_binary(
            &sandbox,
            &[
                "--format",
                "csv",
                "--columns",
                "id,summary",
                "-o",
                &path_text,
            ],
        );
        (sandbox, output)
    })
    .await
    .unwrap();
    let errors = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{errors}");
    assert!(output.stdout.is_empty(), "the tickets went to the file");
    assert!(
        errors.starts_with("Running on ConnectWise Manage"),
        "{errors}"
    );
    let full = std::fs::read_to_string(&path).unwrap();
    let rows = full.lines().count() - 1;
    assert_eq!(rows, sandbox.len("/service/tickets"));
    assert!(
        errors.contains(&format!("Exported {rows} ticket(s)")),
        "{errors}"
    );

    // Keep the header and 30 rows plus half a line, then resume after the 30th.
    let lines: Vec<&str> = full.lines().collect();
    let after: i64 = lines[30].split(',').next().unwrap().parse().unwrap();
    let partial = format!("{}\n{}", lines[..31].join("\n"), &lines[31][..3]);
    std::fs::write(&path, partial).unwrap();
    let path_text = path.to_str().unwrap().to_owned();
    let (_sandbox, output) = tokio::task::spawn_blocking(move || {
        let after = after.to_string();
        let output = run_binary(
            &sandbox,
            &[
                "--format",
                "csv",
                "--columns",
                "id,summary",
                "-o",
                &path_text,
                "--after-id",
                &after,
            ],
        );
        (sandbox, output)
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), full);
    let _ = std::fs::remove_file(&path);

    let bad = run_binary_without_sandbox(&["--conditions", "summary contains"]);
    assert_eq!(bad.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(errors.lines().count(), 1, "{errors}");
    assert!(errors.contains("--conditions"), "{errors}");
}

/// With no credentials; used where the run stops before connecting.
fn run_binary_without_sandbox(args: &[&str]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_export-tickets"));
    command.args(args);
    for name in MANAGE_VARIABLES.iter().chain(&SCREENCONNECT_VARIABLES) {
        command.env_remove(name);
    }
    command.output().unwrap()
}
