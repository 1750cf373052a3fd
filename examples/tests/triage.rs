//! The triage recipe against the Manage sandbox: what it changes, what it leaves alone, and that a
//! second run changes nothing.

use connectwise_manage::sandbox::Sandbox as ManageSandbox;
use examples::recipes::triage::{self, NOTE_HEADER, TicketOutcome, TriageAction, TriageOptions};
use serde_json::{Value, json};

const NEW_HELP_DESK_TICKETS: [i32; 11] = [
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
    let ids: Vec<i32> = report.tickets.iter().map(|t| t.id).collect();
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
    let ids: Vec<i32> = report.tickets.iter().map(|t| t.id).collect();
    assert_eq!(ids, NEW_HELP_DESK_TICKETS);

    // Acme's tickets get one step more priority: its tier is Gold.
    let expected = [
        (1001, 1, "Password Reset"),
        (1002, 2, "Printer"),
        (1003, 2, "Network"),
        (1004, 4, "New User"),
        (1005, 2, "Email"),
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

    // The patch replaces whole reference objects, and only the fields that change: ticket 1007
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
            {"op": "replace", "path": "priority", "value": {"id": 1}},
            {"op": "replace", "path": "type", "value": {"id": 31}}
        ]))
    );
    assert_eq!(
        patch_of(1007),
        Some(json!([{"op": "replace", "path": "type", "value": {"id": 36}}]))
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

// --- Tickets arriving through callbacks -------------------------------------------------------

use std::net::SocketAddr;
use std::sync::Arc;

use connectwise_manage::sandbox::{API_MEMBER_IDENTIFIER, Event};
use examples::recipes::triage::receiver::{
    CALLBACK_PATH, Receiver, callback_url, register, verifier_for,
};
use examples::recipes::triage::{Triage, demo};
use screenconnect_api::sandbox::Sandbox as ScreenConnectSandbox;
use tokio::sync::mpsc;

const TICKET_READ: &str = "GET service/tickets/{id}";

fn applying() -> TriageOptions {
    TriageOptions {
        apply: true,
        member: Some(API_MEMBER_IDENTIFIER.to_owned()),
        ..TriageOptions::default()
    }
}

/// Serves `receiver` on a free loopback port.
async fn serve(receiver: &Arc<Receiver>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = receiver.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

fn writes_to(sandbox: &ManageSandbox, method: &str, path: &str) -> usize {
    sandbox
        .writes()
        .iter()
        .filter(|w| w.method == method && w.path == path)
        .count()
}

#[tokio::test]
async fn a_ticket_arriving_by_callback_is_triaged_with_its_context() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let screenconnect = ScreenConnectSandbox::start().await.unwrap();
    let triage = Triage::new(sandbox.client(), Some(screenconnect.client()), &applying())
        .await
        .unwrap();
    let sample = demo::run(triage).await.unwrap();
    let id = i64::from(sample.ticket);
    assert!(sample.callback.1.ends_with("/callbacks/ticket?recordId="));

    let TriageAction::Triaged(triaged) = &sample.outcome.action else {
        panic!("not triaged: {:?}", sample.outcome);
    };
    // The sandbox's real delivery brought it, and the triage read the ticket itself.
    assert!(sandbox.counters().get(Event::CallbackDelivered) >= 1);
    assert_eq!(sandbox.counters().requests(TICKET_READ, 200), 1);

    let ticket = sandbox.record("/service/tickets", id).unwrap();
    assert_eq!(ticket["priority"]["id"], 2, "raised for Acme's Gold tier");
    assert_eq!(ticket["type"]["name"], "Email");
    let note = last_note(&sandbox, id);
    assert_eq!(note["internalAnalysisFlag"], true);
    let text = note["text"].as_str().unwrap();
    assert_eq!(text, triaged.note);
    for line in [
        "## Automated Triage Summary",
        "**Classification:** Email (keyword \"outlook\")",
        "**User:** Sarah Johnson (sjohnson@acmecorp.com), Acme Corporation (Gold tier)",
        "**Device:** ACME-WS-042 — Online",
        "**Similar tickets:** #1005 Outlook keeps crashing when opening attachments (New)",
    ] {
        assert!(text.contains(line), "{line:?} missing from:\n{text}");
    }
    let entries: Vec<Value> = sandbox
        .records("/time/entries")
        .into_iter()
        .filter(|entry| entry["chargeToId"] == id)
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["member"]["identifier"], API_MEMBER_IDENTIFIER);
    assert_eq!(entries[0]["billableOption"], "DoNotBill");
    assert_eq!(
        triaged
            .time_entry
            .as_ref()
            .and_then(|t| t.id)
            .map(i64::from),
        entries[0]["id"].as_i64()
    );
}

#[tokio::test]
async fn callbacks_repeated_and_arriving_together_triage_a_ticket_once() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let triage = Triage::new(&client, None, &applying()).await.unwrap();
    let (receiver, mut handled) = Receiver::new(triage, verifier_for(&client).unwrap());
    let address = serve(&receiver).await;
    register(&client, &callback_url(address), 1).await.unwrap();

    // Five saves of ticket 1005 at once: five callbacks, each with its own message id.
    let saves = (0..5).map(|n| {
        let client = client.clone();
        async move {
            let patch = connectwise_manage::patch::Patch::new()
                .replace("customerUpdatedFlag", n % 2 == 0)
                .unwrap();
            client.service().tickets().id(1005).patch(&patch).await
        }
    });
    for saved in futures::future::join_all(saves).await {
        saved.unwrap();
    }

    let mut outcomes = Vec::new();
    // Until the triage is done (its own writes are saves too), then every delivery made.
    while !outcomes
        .iter()
        .any(|o: &TicketOutcome| matches!(o.action, TriageAction::Triaged(_)))
    {
        outcomes.push(handled.recv().await.unwrap().outcome.unwrap());
    }
    sandbox.callbacks_settled().await;
    let delivered = sandbox.counters().get(Event::CallbackDelivered) as usize;
    while outcomes.len() < delivered {
        outcomes.push(handled.recv().await.unwrap().outcome.unwrap());
    }
    assert!(delivered >= 5, "{delivered}");
    let triaged = outcomes
        .iter()
        .filter(|o| matches!(o.action, TriageAction::Triaged(_)))
        .count();
    let skipped = outcomes
        .iter()
        .filter(|o| o.action == TriageAction::AlreadyHandled)
        .count();
    assert_eq!((triaged, skipped), (1, delivered - 1), "{outcomes:#?}");

    assert_eq!(writes_to(&sandbox, "PATCH", "/service/tickets/1005"), 5 + 1);
    assert_eq!(
        writes_to(&sandbox, "POST", "/service/tickets/1005/notes"),
        1
    );
    assert_eq!(writes_to(&sandbox, "POST", "/time/entries"), 1);
    // Read once, by the one callback acted on.
    assert_eq!(sandbox.counters().requests(TICKET_READ, 200), 1);
}

/// Receives one delivery as the sandbox sends it, for the test to send on.
async fn capture(
    sandbox: &ManageSandbox,
) -> (axum::http::HeaderMap, axum::body::Bytes, SocketAddr) {
    let (sender, mut received) = mpsc::unbounded_channel();
    let router = axum::Router::new().route(
        CALLBACK_PATH,
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let _ = sender.send((headers, body));
                async { "ok" }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    register(sandbox.client(), &callback_url(address), 1)
        .await
        .unwrap();
    sandbox
        .client()
        .service()
        .tickets()
        .id(1005)
        .patch(
            &connectwise_manage::patch::Patch::new()
                .replace("customerUpdatedFlag", true)
                .unwrap(),
        )
        .await
        .unwrap();
    let (headers, body) = received.recv().await.unwrap();
    (headers, body, address)
}

#[tokio::test]
async fn forged_and_replayed_callbacks_are_refused_before_anything_is_read() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    let (headers, body, _) = capture(&sandbox).await;
    let triage = Triage::new(&client, None, &TriageOptions::default())
        .await
        .unwrap();
    let (receiver, mut handled) = Receiver::new(triage, verifier_for(&client).unwrap());
    let address = serve(&receiver).await;
    let url = format!("http://{address}{CALLBACK_PATH}?recordId=1005");
    let http = reqwest::Client::new();
    let send = |body: Vec<u8>, signed: bool| {
        let mut request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body);
        if signed {
            request = request.header(
                "x-content-signature",
                headers["x-content-signature"].to_str().unwrap(),
            );
        }
        async move { request.send().await.unwrap().status().as_u16() }
    };

    // A body changed after signing, and a request without a signature.
    let forged = String::from_utf8(body.to_vec())
        .unwrap()
        .replace("\"ID\":1005", "\"ID\":1001");
    assert_ne!(forged.as_bytes(), &body[..]);
    assert_eq!(send(forged.into_bytes(), true).await, 401);
    assert_eq!(send(body.to_vec(), false).await, 401);
    assert_eq!(sandbox.counters().requests(TICKET_READ, 200), 0);

    // The genuine delivery is accepted once; the same delivery again is a replay.
    assert_eq!(send(body.to_vec(), true).await, 202);
    assert_eq!(send(body.to_vec(), true).await, 403);
    let first = handled.recv().await.unwrap();
    assert_eq!(first.ticket, 1005);
    assert!(matches!(
        first.outcome.unwrap().action,
        TriageAction::Triaged(_)
    ));
    assert!(handled.try_recv().is_err(), "the replay was handled");
    assert_eq!(sandbox.counters().requests(TICKET_READ, 200), 1);
}

#[derive(Debug)]
struct ToNetworkOperations;

#[async_trait::async_trait]
impl examples::recipes::triage::Classifier for ToNetworkOperations {
    async fn classify(
        &self,
        ticket: &examples::recipes::triage::TicketText<'_>,
    ) -> Result<Option<examples::recipes::triage::Classification>, examples::Error> {
        Ok(ticket
            .summary
            .contains("internet")
            .then(|| examples::recipes::triage::Classification {
                category: "Outage".to_owned(),
                reason: "a model said so".to_owned(),
                ticket_type: "Alert".to_owned(),
                priority: "Priority 1 - Emergency Response".to_owned(),
                board: Some("Network Operations".to_owned()),
                recommendation: "Call the ISP.".to_owned(),
                search_term: None,
            }))
    }
}

#[tokio::test]
async fn a_classifier_can_move_a_ticket_to_another_board() {
    let sandbox = ManageSandbox::start().await.unwrap();
    let triage = Triage::new(sandbox.client(), None, &applying())
        .await
        .unwrap()
        .with_classifier(ToNetworkOperations)
        .unwrap();
    let outcome = triage.ticket(1014).await.unwrap();
    let TriageAction::Triaged(triaged) = &outcome.action else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        triaged.patch,
        json!([
            {"op": "replace", "path": "priority", "value": {"id": 1}},
            {"op": "replace", "path": "type", "value": {"id": 41}},
            {"op": "replace", "path": "board", "value": {"id": 2}},
            {"op": "replace", "path": "status", "value": {"id": 21}}
        ])
    );
    let ticket = sandbox.record("/service/tickets", 1014).unwrap();
    assert_eq!(ticket["board"]["name"], "Network Operations");
    assert_eq!(ticket["status"]["name"], "New");
    assert!(
        last_note(&sandbox, 1014)["text"]
            .as_str()
            .unwrap()
            .contains("**Board:** Network Operations (was Help Desk)")
    );
    // Tickets it does not classify, and tickets that are not new, are left alone.
    assert_eq!(
        triage.ticket(1008).await.unwrap().action,
        TriageAction::NoRuleMatched
    );
    assert!(matches!(
        triage.ticket(1010).await.unwrap().action,
        TriageAction::NotApplicable(_)
    ));
    assert_eq!(
        triage.ticket(424_242).await.unwrap().action,
        TriageAction::Missing
    );
}
