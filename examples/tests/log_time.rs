//! The log_time recipe against the Manage sandbox.

use connectwise_manage::models::BillableOption;
use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::Error;
use examples::recipes::log_time::{self, CloseOutcome, EntryOutcome, LogTimeOptions, WorkType};
use serde_json::json;
use time::macros::datetime;

fn options() -> LogTimeOptions {
    LogTimeOptions {
        ticket_id: 1001,
        member: "automation".to_owned(),
        started: datetime!(2026-05-14 14:30:00 UTC),
        ended: datetime!(2026-05-14 14:45:00 UTC),
        work_type: Some(WorkType::Name("automation".to_owned())),
        billable: BillableOption::Billable,
        notes: "Password reset by runbook; user confirmed access.".to_owned(),
        close: true,
        closed_status: None,
        apply: true,
    }
}

#[tokio::test]
async fn logs_the_entry_and_closes_the_ticket() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let report = log_time::run(&client, &options()).await.unwrap();
    assert_eq!(report.entry_outcome, EntryOutcome::Created(9002));
    assert_eq!(
        report.close_outcome,
        CloseOutcome::Closed("Closed".to_owned())
    );

    let entry = sandbox.record("/time/entries", 9002).unwrap();
    assert_eq!(entry["chargeToId"], 1001);
    assert_eq!(entry["chargeToType"], "ServiceTicket");
    assert_eq!(entry["member"]["identifier"], "automation");
    assert_eq!(entry["timeStart"], "2026-05-14T14:30:00Z");
    assert_eq!(entry["timeEnd"], "2026-05-14T14:45:00Z");
    assert_eq!(entry["actualHours"], 0.25);
    assert_eq!(entry["workType"]["id"], 3);
    assert_eq!(entry["billableOption"], "Billable");
    assert_eq!(
        entry["notes"],
        "Password reset by runbook; user confirmed access."
    );
    assert_eq!(entry["company"]["identifier"], "ACME");

    let ticket = sandbox.record("/service/tickets", 1001).unwrap();
    assert_eq!(ticket["status"]["name"], "Closed");
    assert_eq!(ticket["closedFlag"], true);
    // The status was set by replacing the whole reference.
    let patch = sandbox
        .writes()
        .into_iter()
        .find(|w| w.method == "PATCH")
        .unwrap();
    assert_eq!(patch.path, "/service/tickets/1001");
    assert_eq!(
        patch.body,
        Some(json!([{"op": "replace", "path": "status", "value": {"id": 15}}]))
    );
}

#[tokio::test]
async fn running_again_logs_nothing_twice() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    log_time::run(&client, &options()).await.unwrap();
    let writes = sandbox.writes().len();
    let again = log_time::run(&client, &options()).await.unwrap();
    assert_eq!(again.entry_outcome, EntryOutcome::AlreadyLogged(9002));
    assert_eq!(again.close_outcome, CloseOutcome::AlreadyClosed);
    assert_eq!(sandbox.writes().len(), writes);
    assert_eq!(sandbox.records("/time/entries").len(), 2);
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_shows_the_entry() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = LogTimeOptions {
        apply: false,
        ..options()
    };
    let report = log_time::run(&client, &options).await.unwrap();
    assert_eq!(report.entry_outcome, EntryOutcome::WouldCreate);
    assert_eq!(
        report.close_outcome,
        CloseOutcome::WouldClose("Closed".to_owned())
    );
    assert!(sandbox.writes().is_empty());
    insta::assert_snapshot!(report.to_string());
}

#[tokio::test]
async fn a_named_status_and_keeping_the_ticket_open() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let named = LogTimeOptions {
        closed_status: Some("Waiting on Client".to_owned()),
        work_type: Some(WorkType::Id(1)),
        ..options()
    };
    let report = log_time::run(&client, &named).await.unwrap();
    assert_eq!(
        report.close_outcome,
        CloseOutcome::Closed("Waiting on Client".to_owned())
    );
    let open = LogTimeOptions {
        ticket_id: 1002,
        close: false,
        ..options()
    };
    let report = log_time::run(&client, &open).await.unwrap();
    assert_eq!(report.close_outcome, CloseOutcome::LeftOpen);
    assert_eq!(
        sandbox.record("/service/tickets", 1002).unwrap()["status"]["name"],
        "New"
    );
}

#[tokio::test]
async fn bad_options_and_missing_records_stop_before_any_write() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let backwards = LogTimeOptions {
        ended: datetime!(2026-05-14 14:00:00 UTC),
        ..options()
    };
    assert!(matches!(
        log_time::run(&client, &backwards).await,
        Err(Error::InvalidOptions(_))
    ));
    let blank = LogTimeOptions {
        notes: "  ".to_owned(),
        ..options()
    };
    assert!(matches!(
        log_time::run(&client, &blank).await,
        Err(Error::InvalidOptions(_))
    ));
    let missing = LogTimeOptions {
        ticket_id: 4242,
        ..options()
    };
    let error = log_time::run(&client, &missing).await.unwrap_err();
    assert_eq!(error.to_string(), "ticket \"4242\" was not found");
    let work_type = LogTimeOptions {
        work_type: Some(WorkType::Name("Travel".to_owned())),
        ..options()
    };
    let error = log_time::run(&client, &work_type).await.unwrap_err();
    assert_eq!(error.to_string(), "work type \"Travel\" was not found");
    let status = LogTimeOptions {
        closed_status: Some("Done".to_owned()),
        ..options()
    };
    let error = log_time::run(&client, &status).await.unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("closed status \"Done\" was not found")
    );
    assert!(sandbox.writes().is_empty());
}

#[test]
fn work_types_are_ids_when_numeric() {
    assert_eq!(WorkType::parse(" 3 "), WorkType::Id(3));
    assert_eq!(
        WorkType::parse("Remote Support"),
        WorkType::Name("Remote Support".to_owned())
    );
}
