//! The sandbox speaks the protocol the client relies on: paging with `Link` headers,
//! ordering, partial responses, counts, writes and the server's error shapes.
#![cfg(feature = "sandbox")]

use connectwise_manage::models::Ticket;
use connectwise_manage::patch::{Patch, PatchOperation, PatchPath};
use connectwise_manage::query::{Condition, Fields, OrderBy};
use connectwise_manage::sandbox::{API_MEMBER_IDENTIFIER, CODEBASE, Sandbox};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use serde_json::{Value, json};

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().clone();
    (sandbox, client)
}

#[tokio::test]
async fn the_codebase_is_discovered_through_company_info() {
    let (sandbox, client) = start().await;
    assert_eq!(client.codebase().await.unwrap(), format!("{CODEBASE}/"));
    let info = client.company_info().await.unwrap();
    assert_eq!(info.company_id.as_deref(), Some("sandbox"));
    // Another company id is unknown: the server answers `null`.
    let other = sandbox.client_builder().company("acme").build().unwrap();
    assert!(other.company_info().await.is_err());
}

#[tokio::test]
async fn pages_carry_link_headers() {
    let (_sandbox, client) = start().await;
    let query = ListQuery::new()
        .conditions(Condition::eq("board/id", 1).unwrap())
        .page_size(5);
    let pages: Vec<_> = client
        .endpoint::<Value>("/service/tickets")
        .list(&query)
        .by_page()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
    assert_eq!(sizes, [5, 5, 3]);
    let first = &pages[0];
    let next = first.links.next.as_ref().expect("a next link");
    let last = first.links.last.as_ref().expect("a last link");
    // The link echoes the request, re-encoded .NET style (lower-case escapes), with pageSize
    // and page last.
    assert!(next.as_str().ends_with("&pageSize=5&page=2"), "{next}");
    assert!(
        next.as_str().contains("conditions=board%2fid+%3d+1"),
        "{next}"
    );
    assert!(last.as_str().ends_with("&pageSize=5&page=3"), "{last}");
    assert_eq!(next.origin(), first.url.origin());
    assert!(first.links.prev.is_none());
    let final_page = &pages[2];
    assert!(final_page.links.next.is_none());
    assert!(
        final_page
            .links
            .prev
            .as_ref()
            .unwrap()
            .as_str()
            .ends_with("page=2")
    );
    // Past the end: an empty page.
    let beyond = client
        .endpoint::<Value>("/service/tickets")
        .list(&query.clone().page(4))
        .await
        .unwrap();
    assert!(beyond.is_empty());
}

#[tokio::test]
async fn forward_only_paging_walks_by_id() {
    let (_sandbox, client) = start().await;
    let query = ListQuery::new().forward_only().page_size(4).page_id(1006);
    let ids: Vec<i64> = client
        .endpoint::<Value>("/service/tickets")
        .list(&query)
        .by_item()
        .map_ok(|ticket| ticket["id"].as_i64().unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (1007..=1014).collect::<Vec<_>>());
}

#[tokio::test]
async fn order_by_fields_and_count() {
    let (_sandbox, client) = start().await;
    let tickets = client.endpoint::<Value>("/service/tickets");
    let query = ListQuery::new()
        .conditions(Condition::eq("company/identifier", "CONTOSO").unwrap())
        .order_by(OrderBy::desc("dateEntered").unwrap())
        .fields(Fields::new(["id", "status/name"]).unwrap());
    let found = tickets.list(&query).await.unwrap();
    assert_eq!(
        found,
        [
            json!({"id": 1012, "status": {"name": "New"}}),
            json!({"id": 1009, "status": {"name": "New"}}),
            json!({"id": 1008, "status": {"name": "New"}}),
            json!({"id": 1006, "status": {"name": "New"}}),
        ]
    );
    assert_eq!(tickets.count(&query).await.unwrap(), 4);
    let by_summary = ListQuery::new()
        .order_by(OrderBy::asc("summary").unwrap())
        .page_size(2);
    let first: Vec<Value> = tickets.list(&by_summary).await.unwrap();
    assert_eq!(first[0]["summary"], "Backup job failed on ACME-SRV-01");
    let bad_order = ListQuery::new().order_by(OrderBy::asc("nope").unwrap());
    let error = tickets.list(&bad_order).await.unwrap_err();
    assert_eq!(
        error.api().and_then(|a| a.code.as_deref()),
        Some("ApiFindCondition")
    );
}

#[tokio::test]
async fn records_and_errors_have_the_servers_shape() {
    let (_sandbox, client) = start().await;
    let tickets = client.service().tickets();
    let ticket: Ticket = tickets.id(1002).get().await.unwrap();
    let board = ticket.board.unwrap();
    assert_eq!(
        (board.id, board.name.as_deref()),
        (Some(1), Some("Help Desk"))
    );
    let company = ticket.company.unwrap();
    assert_eq!(company.identifier.as_deref(), Some("ACME"));
    assert!(ticket.info.unwrap().date_entered().is_some());

    let missing = tickets.id(4242).get().await.unwrap_err();
    let api = missing.api().unwrap();
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code.as_deref(), Some("NotFound"));
    assert_eq!(api.message, "Ticket 4242 not found");
    assert!(tickets.id(4242).get_opt().await.unwrap().is_none());

    let nowhere = client
        .endpoint::<Value>("/service/nothing")
        .list(&ListQuery::new())
        .await
        .unwrap_err();
    assert_eq!(
        nowhere.api().and_then(|a| a.code.as_deref()),
        Some("ConnectWiseApi")
    );
    let notes_of_missing = client
        .endpoint::<Value>("/service/tickets/4242/notes")
        .list(&ListQuery::new())
        .await
        .unwrap_err();
    assert!(notes_of_missing.is_not_found());
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .private_key("wrong")
        .build()
        .unwrap();
    let error = client
        .endpoint::<Value>("/service/tickets")
        .list(&ListQuery::new())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn creates_validate_and_resolve_references() {
    let (sandbox, client) = start().await;
    let tickets = client.endpoint::<Value>("/service/tickets");
    let created = tickets
        .create(&json!({
            "summary": "Monitor flickers",
            "board": {"name": "Help Desk"},
            "company": {"identifier": "NORTHWIND"},
            "contact": {"id": 1101}
        }))
        .await
        .unwrap();
    assert_eq!(created["id"], 1015);
    assert_eq!(created["status"]["name"], "New");
    assert_eq!(created["priority"]["name"], "Priority 3 - Normal Response");
    assert_eq!(created["company"]["id"], 251);
    assert_eq!(created["contact"]["name"], "Priya Patel");
    assert_eq!(created["_info"]["enteredBy"], API_MEMBER_IDENTIFIER);
    assert_eq!(sandbox.writes().last().unwrap().status, 201);

    let error = tickets
        .create(&json!({"board": {"id": 1}, "company": {"identifier": "NOPE"}}))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.code.as_deref(), Some("InvalidObject"));
    assert_eq!(api.message, "ticket object is invalid");
    let fields: Vec<&str> = api
        .field_errors
        .iter()
        .map(|e| e.field.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["summary", "company"]);

    let note_error = client
        .endpoint::<Value>("/service/tickets/1001/notes")
        .create(&json!({"text": "no flag"}))
        .await
        .unwrap_err();
    assert_eq!(note_error.api().unwrap().field_errors.len(), 1);
}

#[tokio::test]
async fn patches_replace_top_level_fields_and_ignore_paths_into_references() {
    let (sandbox, client) = start().await;
    let ticket = client.service().tickets().id(1001);
    let patched = ticket
        .patch(&Patch::new().status_name("Closed").priority_id(1))
        .await
        .unwrap();
    assert_eq!(patched.status.unwrap().id, Some(15));
    assert_eq!(
        patched.priority.unwrap().name.as_deref(),
        Some("Priority 1 - Emergency Response")
    );
    assert_eq!(patched.closed_flag, Some(true));
    assert_eq!(patched.closed_by.as_deref(), Some(API_MEMBER_IDENTIFIER));

    // The SDK refuses `status/id`; sent anyway, the server acknowledges it without applying it.
    let summary = Patch::new().push(PatchOperation::Replace {
        path: PatchPath::parse("/summary").unwrap(),
        value: json!("Locked out"),
    });
    ticket.patch(&summary).await.unwrap();
    let body = json!([{"op": "replace", "path": "status/id", "value": 11}]);
    let request = connectwise_manage::Request::new(
        msp_common::http::Method::PATCH,
        "/service/tickets/1001",
        msp_common::Operation::new(
            "patchServiceTicketsById",
            "/service/tickets/{id}",
            msp_common::Idempotency::NonIdempotent,
        ),
    )
    .json(&body)
    .unwrap();
    let answer: Value = client.call(request).await.unwrap();
    assert_eq!(
        answer["status"]["id"], 15,
        "the sub-path must not be applied"
    );
    let stored = sandbox.record("/service/tickets", 1001).unwrap();
    assert_eq!(stored["summary"], "Locked out");
    assert_eq!(stored["status"]["name"], "Closed");

    let unknown_status = ticket
        .patch(&Patch::new().status_id(999))
        .await
        .unwrap_err();
    assert_eq!(
        unknown_status.api().and_then(|a| a.code.as_deref()),
        Some("InvalidObject")
    );

    client
        .endpoint::<Value>("/system/callbacks")
        .delete(71)
        .await
        .unwrap();
    assert!(sandbox.record("/system/callbacks", 71).is_none());
    let methods: Vec<String> = sandbox.writes().into_iter().map(|w| w.method).collect();
    assert_eq!(methods, ["PATCH", "PATCH", "PATCH", "DELETE"]);
}
