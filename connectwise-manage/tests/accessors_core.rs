//! The typed core accessors against a mock server: for each, the method, path, query and body on
//! the wire, and the operation name and idempotency declared to the retry layer. These compile
//! without any area feature.

mod accessors_support;

use accessors_support::{BASE, assert_operation, setup};
use connectwise_manage::models::{
    BoardItem, BoardStatus, BoardSubType, BoardType, CallbackEntry, CompanyConfiguration,
    ContactCommunication, Member, Priority, ServiceNote, Ticket, TimeEntry,
};
use connectwise_manage::msp_common::Idempotency;
use connectwise_manage::query::{Condition, Fields};
use connectwise_manage::{Error, ListQuery, patch::Patch};
use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn tickets_list_sends_the_query_and_decodes_tickets() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param("conditions", "closedFlag = false"))
        .and(query_param("fields", "id,summary"))
        .and(query_param("pageSize", "25"))
        .and(header(
            "accept",
            "application/vnd.connectwise.com+json; version=2025.1",
        ))
        .respond_with(ok(json!([
            {"id": 1, "summary": "Printer down"},
            {"id": 2, "summary": "VPN", "board": {"id": 4, "name": "Help Desk"}}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let query = ListQuery::new()
        .conditions(Condition::eq("closedFlag", false).unwrap())
        .fields(Fields::new(["id", "summary"]).unwrap())
        .page_size(25);
    let tickets: Vec<Ticket> = client.service().tickets().list(&query).await.unwrap();
    assert_eq!(tickets.len(), 2);
    assert_eq!(tickets[0].summary.as_deref(), Some("Printer down"));
    assert_eq!(
        tickets[1].board.as_ref().and_then(|b| b.name.as_deref()),
        Some("Help Desk")
    );
    assert_operation(
        &recorder,
        "getServiceTickets",
        "/service/tickets",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn tickets_stream_follows_the_pages() {
    let (server, client, recorder) = setup().await;
    let next = format!("{}{BASE}/service/tickets?page=2&pageSize=2", server.uri());
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param_is_missing("page"))
        .respond_with(
            ok(json!([{"id": 1}, {"id": 2}]))
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param("page", "2"))
        .respond_with(ok(json!([{"id": 3}])))
        .expect(1)
        .mount(&server)
        .await;
    let tickets: Vec<Ticket> = client
        .service()
        .tickets()
        .list(&ListQuery::new().page_size(2))
        .by_item()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Option<i32>> = tickets.iter().map(|t| t.id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
    let sent = recorder.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|s| s.name == "getServiceTickets"));
}

#[tokio::test]
async fn tickets_pages_decode_each_page() {
    let (server, client, _) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(ok(json!([{"id": 8, "summary": "a"}])))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client
        .service()
        .tickets()
        .list(&ListQuery::new())
        .by_page()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items[0].id, Some(8));
}

#[tokio::test]
async fn a_record_that_does_not_decode_names_its_position_and_field() {
    let (server, client, _) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(ok(json!([{"id": 1}, {"id": "not a number"}])))
        .mount(&server)
        .await;
    let error = client
        .service()
        .tickets()
        .list(&ListQuery::new())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("not a decode error: {error}");
    };
    assert_eq!(decode.path, "[1].id");
    assert_eq!(decode.operation, "getServiceTickets");
}

#[tokio::test]
async fn tickets_count_sends_filters_only() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/count")))
        .and(query_param("conditions", "board/id = 4"))
        .and(query_param_is_missing("fields"))
        .and(query_param_is_missing("pageSize"))
        .respond_with(ok(json!({"count": 42})))
        .expect(1)
        .mount(&server)
        .await;
    let query = ListQuery::new()
        .conditions(Condition::eq("board/id", 4).unwrap())
        .fields(Fields::new(["id"]).unwrap())
        .page_size(10);
    let count = client.service().tickets().count(&query).await.unwrap();
    assert_eq!(count, 42);
    assert_operation(
        &recorder,
        "getServiceTicketsCount",
        "/service/tickets/count",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn tickets_search_posts_the_filters_and_is_declared_safe() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/service/tickets/search")))
        .and(body_json(json!({"conditions": "summary like \"VPN*\""})))
        .and(query_param("pageSize", "50"))
        .respond_with(ok(json!([{"id": 9, "summary": "VPN drops"}])))
        .expect(1)
        .mount(&server)
        .await;
    let query = ListQuery::new()
        .conditions(Condition::like("summary", "VPN*").unwrap())
        .page_size(50);
    let found = client.service().tickets().search(&query).await.unwrap();
    assert_eq!(found[0].id, Some(9));
    assert_operation(
        &recorder,
        "postServiceTicketsSearch",
        "/service/tickets/search",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn tickets_create_posts_the_record() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(body_json(
            json!({"summary": "Printer down", "company": {"id": 250}}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 77, "summary": "Printer down"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ticket = Ticket {
        summary: Some("Printer down".into()),
        company: Some(serde_json::from_value(json!({"id": 250})).unwrap()),
        ..Default::default()
    };
    let created = client.service().tickets().create(&ticket).await.unwrap();
    assert_eq!(created.id, Some(77));
    assert_operation(
        &recorder,
        "postServiceTickets",
        "/service/tickets",
        Idempotency::NonIdempotent,
    );
}

#[tokio::test]
async fn one_ticket_get_update_patch_delete() {
    let (server, client, recorder) = setup().await;
    let one = format!("{BASE}/service/tickets/42");
    Mock::given(method("GET"))
        .and(path(&one))
        .respond_with(ok(json!({"id": 42, "summary": "Printer"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(&one))
        .and(body_json(json!({"id": 42, "summary": "Printer fixed"})))
        .respond_with(ok(json!({"id": 42, "summary": "Printer fixed"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(&one))
        .and(body_json(
            json!([{"op": "replace", "path": "status", "value": {"id": 5}}]),
        ))
        .respond_with(ok(json!({"id": 42, "status": {"id": 5}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(&one))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let ticket = client.service().tickets().id(42);
    let mut record = ticket.get().await.unwrap();
    record.summary = Some("Printer fixed".into());
    let updated = ticket.update(&record).await.unwrap();
    assert_eq!(updated.summary.as_deref(), Some("Printer fixed"));
    let patched = ticket.patch(&Patch::new().status_id(5)).await.unwrap();
    assert_eq!(patched.status.and_then(|s| s.id), Some(5));
    ticket.delete().await.unwrap();

    let declared: Vec<(String, String, Idempotency)> = recorder
        .sent()
        .into_iter()
        .map(|s| (s.method, s.name, s.idempotency))
        .collect();
    assert_eq!(
        declared,
        [
            (
                "GET".into(),
                "getServiceTicketsById".into(),
                Idempotency::Safe
            ),
            (
                "PUT".into(),
                "putServiceTicketsById".into(),
                Idempotency::Idempotent
            ),
            (
                "PATCH".into(),
                "patchServiceTicketsById".into(),
                Idempotency::NonIdempotent
            ),
            (
                "DELETE".into(),
                "deleteServiceTicketsById".into(),
                Idempotency::Idempotent
            ),
        ]
    );
    assert!(
        recorder
            .sent()
            .iter()
            .all(|s| s.route == "/service/tickets/{id}")
    );
}

#[tokio::test]
async fn get_opt_is_none_on_404_and_other_errors_stay_errors() {
    let (server, client, _) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/404")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "NotFound", "message": "Ticket not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/500")))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let tickets = client.service().tickets();
    assert_eq!(tickets.id(404).get_opt().await.unwrap(), None);
    assert!(tickets.id(500).get_opt().await.is_err());
}

#[tokio::test]
async fn an_empty_patch_is_refused_before_sending() {
    let (_server, client, recorder) = setup().await;
    let error = client
        .service()
        .tickets()
        .id(1)
        .patch(&Patch::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Build { .. }), "{error}");
    assert!(recorder.sent().is_empty());
}

#[tokio::test]
async fn ticket_notes_list_create_and_get() {
    let (server, client, recorder) = setup().await;
    let notes = format!("{BASE}/service/tickets/42/notes");
    Mock::given(method("GET"))
        .and(path(&notes))
        .respond_with(ok(json!([{"id": 7, "text": "Rebooted"}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(&notes))
        .and(body_json(
            json!({"text": "Called back", "internalAnalysisFlag": true}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 8})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{notes}/7")))
        .respond_with(ok(json!({"id": 7, "text": "Rebooted"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{notes}/count")))
        .respond_with(ok(json!({"count": 1})))
        .expect(1)
        .mount(&server)
        .await;

    let ticket_notes = client.service().tickets().id(42).notes();
    let listed = ticket_notes.list(&ListQuery::new()).await.unwrap();
    assert_eq!(listed[0].text.as_deref(), Some("Rebooted"));
    let note = ServiceNote {
        text: Some("Called back".into()),
        internal_analysis_flag: Some(true),
        ..Default::default()
    };
    assert_eq!(ticket_notes.create(&note).await.unwrap().id, Some(8));
    assert_eq!(ticket_notes.id(7).get().await.unwrap().id, Some(7));
    assert_eq!(ticket_notes.count(&ListQuery::new()).await.unwrap(), 1);

    let names: Vec<(String, String)> = recorder
        .sent()
        .into_iter()
        .map(|s| (s.name, s.route))
        .collect();
    assert_eq!(
        names,
        [
            (
                "getServiceTicketsByParentIdNotes".into(),
                "/service/tickets/{parentId}/notes".into()
            ),
            (
                "postServiceTicketsByParentIdNotes".into(),
                "/service/tickets/{parentId}/notes".into()
            ),
            (
                "getServiceTicketsByParentIdNotesById".into(),
                "/service/tickets/{parentId}/notes/{id}".into()
            ),
            (
                "getServiceTicketsByParentIdNotesCount".into(),
                "/service/tickets/{parentId}/notes/count".into()
            ),
        ]
    );
}

#[tokio::test]
async fn company_contacts_communications() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/contacts/12/communications")))
        .respond_with(ok(json!([
            {"id": 1, "value": "jo@example.com", "communicationType": "Email"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{BASE}/company/contacts/12/communications/1")))
        .and(body_json(json!({"id": 1, "value": "jo@new.example.com"})))
        .respond_with(ok(json!({"id": 1, "value": "jo@new.example.com"})))
        .expect(1)
        .mount(&server)
        .await;
    let communications = client.company().contacts().id(12).communications();
    let listed = communications.list(&ListQuery::new()).await.unwrap();
    assert_eq!(listed[0].value.as_deref(), Some("jo@example.com"));
    let changed = ContactCommunication {
        id: Some(1),
        value: Some("jo@new.example.com".into()),
        ..Default::default()
    };
    communications.id(1).update(&changed).await.unwrap();
    let sent = recorder.sent();
    assert_eq!(sent[0].name, "getCompanyContactsByParentIdCommunications");
    assert_eq!(
        sent[1].name,
        "putCompanyContactsByParentIdCommunicationsById"
    );
    assert_eq!(sent[1].idempotency, Idempotency::Idempotent);
}

#[tokio::test]
async fn companies_and_contacts() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/companies/250")))
        .respond_with(ok(
            json!({"id": 250, "identifier": "Acme", "name": "Acme Ltd"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{BASE}/company/contacts/12")))
        .and(query_param_is_missing("transferContactId"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let company = client.company().companies().id(250).get().await.unwrap();
    assert_eq!(company.identifier.as_deref(), Some("Acme"));
    client.company().contacts().id(12).delete().await.unwrap();
    let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        ["getCompanyCompaniesById", "deleteCompanyContactsById"]
    );
}

#[tokio::test]
async fn service_boards_statuses_types_subtypes_and_items() {
    let (server, client, recorder) = setup().await;
    let board = format!("{BASE}/service/boards/4");
    for (child, body) in [
        ("statuses", json!([{"id": 1, "name": "New"}])),
        ("types", json!([{"id": 2, "name": "Incident"}])),
        ("subtypes", json!([{"id": 3, "name": "Network"}])),
        ("items", json!([{"id": 5, "name": "Router"}])),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("{board}/{child}")))
            .respond_with(ok(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(format!("{board}/statuses")))
        .and(body_json(json!({"name": "Waiting on customer"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 9})))
        .expect(1)
        .mount(&server)
        .await;

    let board_handle = client.service().boards().id(4);
    let q = ListQuery::new();
    let statuses: Vec<BoardStatus> = board_handle.statuses().list(&q).await.unwrap();
    let types: Vec<BoardType> = board_handle.types().list(&q).await.unwrap();
    let subtypes: Vec<BoardSubType> = board_handle.subtypes().list(&q).await.unwrap();
    let items: Vec<BoardItem> = board_handle.items().list(&q).await.unwrap();
    assert_eq!(statuses[0].name.as_deref(), Some("New"));
    assert_eq!(types[0].name.as_deref(), Some("Incident"));
    assert_eq!(subtypes[0].name.as_deref(), Some("Network"));
    assert_eq!(items[0].name.as_deref(), Some("Router"));
    let status = BoardStatus {
        name: Some("Waiting on customer".into()),
        ..Default::default()
    };
    assert_eq!(
        board_handle.statuses().create(&status).await.unwrap().id,
        Some(9)
    );
    let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "getServiceBoardsByParentIdStatuses",
            "getServiceBoardsByParentIdTypes",
            "getServiceBoardsByParentIdSubtypes",
            "getServiceBoardsByParentIdItems",
            "postServiceBoardsByParentIdStatuses",
        ]
    );
}

#[tokio::test]
async fn system_info() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/system/info")))
        .respond_with(ok(json!({"version": "v2025.1.12345", "isCloud": true})))
        .expect(1)
        .mount(&server)
        .await;
    let info = client.system().info().get().await.unwrap();
    assert_eq!(info.version.as_deref(), Some("v2025.1.12345"));
    assert_eq!(info.is_cloud, Some(true));
    assert_operation(
        &recorder,
        "getSystemInfo",
        "/system/info",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn callbacks_create_and_delete() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/system/callbacks")))
        .and(body_json(json!({
            "url": "https://hooks.example.com/cw",
            "objectId": 1,
            "type": "Ticket",
            "level": "Owner"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 31})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{BASE}/system/callbacks/31")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let entry: CallbackEntry = serde_json::from_value(json!({
        "url": "https://hooks.example.com/cw",
        "objectId": 1,
        "type": "Ticket",
        "level": "Owner"
    }))
    .unwrap();
    let callbacks = client.system().callbacks();
    let created = callbacks.create(&entry).await.unwrap();
    callbacks.id(created.id.unwrap()).delete().await.unwrap();
    let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["postSystemCallbacks", "deleteSystemCallbacksById"]);
}

#[tokio::test]
async fn members_list_and_count() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/system/members")))
        .and(query_param("conditions", "inactiveFlag = false"))
        .respond_with(ok(json!([{"id": 3, "identifier": "jdoe"}])))
        .expect(1)
        .mount(&server)
        .await;
    let query = ListQuery::new().conditions(Condition::eq("inactiveFlag", false).unwrap());
    let members: Vec<Member> = client.system().members().list(&query).await.unwrap();
    assert_eq!(members[0].identifier.as_deref(), Some("jdoe"));
    assert_operation(
        &recorder,
        "getSystemMembers",
        "/system/members",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn priorities_get() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/priorities/2")))
        .respond_with(ok(json!({"id": 2, "name": "Priority 2 - High"})))
        .expect(1)
        .mount(&server)
        .await;
    let priority: Priority = client.service().priorities().id(2).get().await.unwrap();
    assert_eq!(priority.name.as_deref(), Some("Priority 2 - High"));
    assert_operation(
        &recorder,
        "getServicePrioritiesById",
        "/service/priorities/{id}",
        Idempotency::Safe,
    );
}

#[tokio::test]
async fn configurations_create_and_patch() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/company/configurations")))
        .and(query_param_is_missing("managedIdentifier"))
        .and(body_json(json!({"name": "FW-01", "type": {"id": 3}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 600})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/company/configurations/600")))
        .and(body_json(
            json!([{"op": "replace", "path": "notes", "value": "Rack 2"}]),
        ))
        .respond_with(ok(json!({"id": 600, "notes": "Rack 2"})))
        .expect(1)
        .mount(&server)
        .await;
    let configuration: CompanyConfiguration =
        serde_json::from_value(json!({"name": "FW-01", "type": {"id": 3}})).unwrap();
    let configurations = client.company().configurations();
    let created = configurations.create(&configuration).await.unwrap();
    let patch = Patch::new().replace("notes", "Rack 2").unwrap();
    configurations
        .id(created.id.unwrap())
        .patch(&patch)
        .await
        .unwrap();
    let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            "postCompanyConfigurations",
            "patchCompanyConfigurationsById"
        ]
    );
}

#[tokio::test]
async fn time_entries_create_and_list() {
    let (server, client, recorder) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/time/entries")))
        .and(body_json(json!({
            "chargeToId": 42,
            "chargeToType": "ServiceTicket",
            "notes": "Replaced toner"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 900})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/time/entries")))
        .and(query_param("conditions", "chargeToId = 42"))
        .respond_with(ok(json!([{"id": 900, "chargeToId": 42}])))
        .expect(1)
        .mount(&server)
        .await;
    let entry: TimeEntry = serde_json::from_value(json!({
        "chargeToId": 42,
        "chargeToType": "ServiceTicket",
        "notes": "Replaced toner"
    }))
    .unwrap();
    let entries = client.time().entries();
    assert_eq!(entries.create(&entry).await.unwrap().id, Some(900));
    let query = ListQuery::new().conditions(Condition::eq("chargeToId", 42).unwrap());
    let listed = entries.list(&query).await.unwrap();
    assert_eq!(listed[0].charge_to_id, Some(42));
    let names: Vec<String> = recorder.sent().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["postTimeEntries", "getTimeEntries"]);
}

#[tokio::test]
async fn handles_are_cheap_clones_and_show_their_path_values() {
    let (_server, client, _) = setup().await;
    let notes = client.service().tickets().id(42).notes().id(7);
    let debug = format!("{notes:?}");
    assert!(
        debug.contains("\"42\"") && debug.contains("\"7\""),
        "{debug}"
    );
    assert!(!debug.contains("privkey-secret"), "{debug}");
    let _copy = notes.clone();
}

#[test]
fn the_operation_index_lists_each_operation_once() {
    let index = include_str!("../src/api/generated/operations.md");
    let ids: Vec<&str> = index
        .lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| line.split('`').nth(1))
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 3053, "the 2025.1 spec has 3,053 operations");
    assert_eq!(unique.len(), ids.len(), "an operation is listed twice");
    for id in [
        "getServiceTickets",
        "postServiceTicketsSearch",
        "getSystemInfo",
        "postFinanceAgreementsByIdCopy",
    ] {
        assert!(unique.contains(id), "{id} is missing");
    }
}
