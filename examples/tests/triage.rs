//! The triage recipe against the Manage sandbox: what it changes, what it leaves alone, and that a
//! second run changes nothing.

use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::recipes::triage::{self, NOTE_HEADER, TriageAction, TriageOptions};
use serde_json::{Value, json};

const NEW_HELP_DESK_TICKETS: [i64; 11] = [
    1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1012, 1014,
];

fn last_note(sandbox: &ManageSandbox, ticket: i64) -> Value {
    sandbox
        .records(&format!("/service/tickets/{ticket}/notes"))
        .pop()
        .expect("the ticket has notes")
}

#[tokio::test]
async fn dry_run_reports_and_writes_nothing() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let report = triage::run(&client, &TriageOptions::default())
        .await
        .unwrap();
    assert!(!report.applied);
    let ids: Vec<i64> = report.tickets.iter().map(|t| t.id).collect();
    assert_eq!(ids, NEW_HELP_DESK_TICKETS);
    assert_eq!(report.triaged(), 9);
    assert!(sandbox.writes().is_empty(), "{:?}", sandbox.writes());
    assert!(report.to_string().contains("Dry run: nothing was written"));
    assert_eq!(
        sandbox.record("/service/tickets", 1001).unwrap()["priority"]["id"],
        3
    );
}

#[tokio::test]
async fn apply_sets_priority_and_type_and_posts_an_internal_note() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = TriageOptions {
        apply: true,
        // Small pages, so that the listing follows `Link` headers across three pages.
        page_size: Some(4),
        ..TriageOptions::default()
    };
    let report = triage::run(&client, &options).await.unwrap();
    let ids: Vec<i64> = report.tickets.iter().map(|t| t.id).collect();
    assert_eq!(ids, NEW_HELP_DESK_TICKETS);

    let expected = [
        (1001, 2, "Password Reset"),
        (1002, 3, "Printer"),
        (1003, 2, "Network"),
        (1004, 4, "New User"),
        (1005, 3, "Email"),
        (1006, 1, "Security"),
        (1007, 3, "Hardware"),
        (1009, 2, "Password Reset"),
        (1014, 1, "Network"),
    ];
    for (id, priority, kind) in expected {
        let ticket = sandbox.record("/service/tickets", id).unwrap();
        assert_eq!(ticket["priority"]["id"], priority, "priority of #{id}");
        assert_eq!(ticket["type"]["name"], kind, "type of #{id}");
        let note = last_note(&sandbox, id);
        assert_eq!(note["internalAnalysisFlag"], true, "note of #{id}");
        assert_eq!(note["detailDescriptionFlag"], false, "note of #{id}");
        assert!(
            note["text"].as_str().unwrap().starts_with(NOTE_HEADER),
            "note of #{id}: {note}"
        );
    }
    for id in [1008, 1012] {
        let ticket = sandbox.record("/service/tickets", id).unwrap();
        assert_eq!(ticket["priority"]["id"], 3);
        assert!(ticket.get("type").is_none(), "#{id} was given a type");
        assert_eq!(
            sandbox
                .records(&format!("/service/tickets/{id}/notes"))
                .len(),
            1
        );
    }
    // Tickets that are not new, or on another board, are not touched.
    for id in [1010, 1011, 1013] {
        assert!(
            sandbox
                .writes()
                .iter()
                .all(|w| !w.path.contains(&id.to_string()))
        );
    }

    // The patch replaces whole reference objects, and only the fields that change: ticket 1002
    // already had the priority its rule sets.
    let patches: Vec<_> = sandbox
        .writes()
        .into_iter()
        .filter(|w| w.method == "PATCH")
        .collect();
    let patch_of = |id: i64| {
        patches
            .iter()
            .find(|w| w.path == format!("/service/tickets/{id}"))
            .and_then(|w| w.body.clone())
    };
    assert_eq!(
        patch_of(1001),
        Some(json!([
            {"op": "replace", "path": "priority", "value": {"id": 2}},
            {"op": "replace", "path": "type", "value": {"id": 31}}
        ]))
    );
    assert_eq!(
        patch_of(1002),
        Some(json!([{"op": "replace", "path": "type", "value": {"id": 32}}]))
    );
    assert_eq!(patches.len(), 9);
    assert!(patches.iter().all(|w| w.status == 200));
}

#[tokio::test]
async fn a_second_run_changes_nothing() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = TriageOptions {
        apply: true,
        ..TriageOptions::default()
    };
    triage::run(&client, &options).await.unwrap();
    let writes = sandbox.writes().len();
    assert_eq!(writes, 18, "nine patches and nine notes");

    let again = triage::run(&client, &options).await.unwrap();
    assert_eq!(sandbox.writes().len(), writes);
    assert_eq!(again.triaged(), 0);
    for ticket in &again.tickets {
        let expected = if [1008, 1012].contains(&ticket.id) {
            TriageAction::NoRuleMatched
        } else {
            TriageAction::AlreadyTriaged
        };
        assert_eq!(ticket.action, expected, "#{}", ticket.id);
    }
}

#[tokio::test]
async fn the_note_reads_well() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = TriageOptions {
        apply: true,
        ..TriageOptions::default()
    };
    triage::run(&client, &options).await.unwrap();
    let note = last_note(&sandbox, 1005);
    insta::assert_snapshot!(note["text"].as_str().unwrap());
}

#[tokio::test]
async fn an_unknown_board_is_named() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = TriageOptions {
        board: "Helpdesk".to_owned(),
        ..TriageOptions::default()
    };
    let error = triage::run(&client, &options).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "service board \"Helpdesk\" was not found; pass the board's exact name with --board"
    );
}

#[tokio::test]
async fn rules_that_do_not_fit_the_board_stop_before_any_write() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let options = TriageOptions {
        board: "Network Operations".to_owned(),
        apply: true,
        ..TriageOptions::default()
    };
    let error = triage::run(&client, &options).await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("type \"Password Reset\""), "{message}");
    assert!(message.contains("nothing was changed"), "{message}");
    assert!(sandbox.writes().is_empty());
}
