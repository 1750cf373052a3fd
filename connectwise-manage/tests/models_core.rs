//! Decoding the always-compiled models against responses shaped like real ones: a service
//! ticket, a company and a contact (company area), and a time entry (time area).
//!
//! The fixtures leave nulls out (as Manage does), carry fields the spec does not know, use enum
//! values the spec does not list, and have `_info` maps with `*_href` links. Each model must
//! decode, keep everything, and serialise back to the same JSON.

use connectwise_manage::models::{
    BillExpenses, BillProducts, BillTime, BillableOption, BillingMethod, BoardReference,
    ChargeToType, Company, CompanyReference, Contact, ContactCommunicationItemCommunicationType,
    ContactGender, ContactPresence, CustomFieldValue, CustomFieldValueEntryMethod,
    CustomFieldValueType, InfoMap, KnowledgeBaseLinkType, OpenEnum, PatchOperation, RecordType,
    Ticket, TicketImpact, TicketSeverity, TimeEntry, TimeEntryStatus,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use time::macros::datetime;

const TICKET: &str = include_str!("fixtures/model_ticket.json");
const COMPANY: &str = include_str!("fixtures/model_company.json");
const CONTACT: &str = include_str!("fixtures/model_contact.json");
const TIME_ENTRY: &str = include_str!("fixtures/model_time_entry.json");

/// Decodes with the failing field's path in the panic message.
fn decode<T: DeserializeOwned>(json: &str) -> T {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .unwrap_or_else(|e| panic!("decode failed at {}: {e}", e.path()))
}

fn value(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture is not JSON: {e}"))
}

/// The ticket fixture as the SDK writes it back: the status's `Sort` (the live tenant's
/// spelling) becomes the spec's `sort`, every other key as received.
fn ticket_as_written() -> Value {
    let mut ticket = value(TICKET);
    let status = ticket["status"].as_object_mut().expect("status object");
    let sort = status
        .remove("Sort")
        .expect("the fixture's status has Sort");
    status.insert("sort".to_owned(), sort);
    ticket
}

fn encode<T: serde::Serialize>(model: &T) -> Value {
    serde_json::to_value(model).unwrap_or_else(|e| panic!("encode failed: {e}"))
}

#[test]
fn ticket_decodes_typed_fields() {
    let ticket: Ticket = decode(TICKET);
    assert_eq!(ticket.id, Some(48211));
    assert_eq!(
        ticket.summary.as_deref(),
        Some("Printer on the third floor is offline")
    );
    assert_eq!(ticket.record_type, Some(RecordType::ServiceTicket));
    assert_eq!(ticket.severity, Some(TicketSeverity::Medium));
    assert_eq!(ticket.impact, Some(TicketImpact::Low));
    assert_eq!(ticket.billing_method, Some(BillingMethod::ActualRates));
    assert_eq!(ticket.bill_time, Some(BillTime::Billable));
    assert_eq!(ticket.bill_expenses, Some(BillExpenses::Billable));
    assert_eq!(ticket.bill_products, Some(BillProducts::NoDefault));
    assert_eq!(ticket.budget_hours, Some(2.5));
    assert_eq!(ticket.actual_hours, Some(1.25));
    assert_eq!(ticket.is_in_sla, Some(true));
    assert_eq!(ticket.required_date, Some(datetime!(2025-03-05 00:00 UTC)));
    // Dates the spec types as plain strings stay strings.
    assert_eq!(
        ticket.date_responded.as_deref(),
        Some("2025-03-03T15:02:11Z")
    );
    // Omitted fields are `None`, not errors.
    assert_eq!(ticket.closed_date, None);
    assert_eq!(ticket.parent_ticket_id, None);
    assert_eq!(ticket.integrator_tags, Some(Vec::new()));

    let board = ticket.board.as_ref().expect("board");
    assert_eq!(
        (board.id, board.name.as_deref()),
        (Some(1), Some("Help Desk"))
    );
    assert_eq!(
        board.info.as_ref().and_then(|i| i.link("board")),
        Some("https://na.myconnectwise.net/v4_6_release/apis/3.0/service/boards/1")
    );
    let owner = ticket.owner.as_ref().expect("owner");
    assert_eq!(owner.identifier.as_deref(), Some("jsmith"));
    let priority = ticket.priority.as_ref().expect("priority");
    assert_eq!(
        (priority.sort, priority.level.as_deref()),
        (Some(6), Some("Medium"))
    );
}

#[test]
fn ticket_keeps_unknown_fields_and_enum_values() {
    let ticket: Ticket = decode(TICKET);
    // A value the spec's enum does not list is kept verbatim.
    assert_eq!(
        ticket.knowledge_base_link_type,
        Some(KnowledgeBaseLinkType::Other("Opportunity".into()))
    );
    assert!(
        !ticket
            .knowledge_base_link_type
            .as_ref()
            .is_some_and(OpenEnum::is_known)
    );
    // Fields the spec does not declare land in `extra`, at every level.
    assert_eq!(ticket.extra["workflowRuleIds"], json!([12, 40]));
    assert_eq!(
        ticket.extra["aiSummary"]["generatedAt"],
        json!("2025-03-03T15:01:00Z")
    );
    assert_eq!(
        ticket.extra.len(),
        2,
        "{:?}",
        ticket.extra.keys().collect::<Vec<_>>()
    );
    // A live tenant's PascalCase `Sort` fills the typed field instead of hiding in `extra`.
    let status = ticket.status.as_ref().expect("status");
    assert_eq!(status.sort, Some(2));
    assert!(status.extra.is_empty(), "{:?}", status.extra);
    // Known fields of nested references are typed, not left in `extra`.
    let currency = ticket.currency.as_ref().expect("currency");
    assert_eq!(currency.currency_code.as_deref(), Some("USD"));
    assert_eq!(currency.number_of_decimals, Some(2));
    assert!(currency.extra.is_empty(), "{:?}", currency.extra);
}

#[test]
fn reference_fields_accept_the_casing_live_tenants_send() {
    let ticket: Ticket = decode(r#"{"id": 7, "status": {"id": 1, "name": "New", "Sort": 30}}"#);
    let status = ticket.status.expect("status");
    assert_eq!(status.sort, Some(30));
    assert!(status.extra.is_empty(), "{:?}", status.extra);
    let camel: Ticket = decode(r#"{"status": {"id": 1, "name": "New", "sort": 30}}"#);
    assert_eq!(camel.status.and_then(|s| s.sort), Some(30));
}

#[test]
fn ticket_info_is_parsed() {
    let ticket: Ticket = decode(TICKET);
    let info: &InfoMap = ticket.info.as_ref().expect("_info");
    assert_eq!(
        info.last_updated(),
        Some(datetime!(2025-03-03 16:00:12 UTC))
    );
    assert_eq!(info.updated_by(), Some("jsmith"));
    assert_eq!(
        info.date_entered(),
        Some(datetime!(2025-03-03 14:58:51 UTC))
    );
    assert_eq!(info.entered_by(), Some("Alex Doe"));
    // In the order the server sent them.
    let links: Vec<&str> = info.links().map(|(name, _)| name).collect();
    assert_eq!(
        links,
        [
            "activities",
            "scheduleentries",
            "documents",
            "configurations",
            "tasks",
            "notes",
            "products",
            "timeentries"
        ]
    );
    assert_eq!(
        info.link("notes"),
        Some("https://na.myconnectwise.net/v4_6_release/apis/3.0/service/tickets/48211/notes")
    );
}

#[test]
fn ticket_custom_fields_hold_any_json() {
    let ticket: Ticket = decode(TICKET);
    let fields = ticket.custom_fields.as_ref().expect("customFields");
    assert_eq!(fields.len(), 3);
    assert_eq!(fields[0].r#type, Some(CustomFieldValueType::Text));
    assert_eq!(
        fields[0].entry_method,
        Some(CustomFieldValueEntryMethod::EntryField)
    );
    assert_eq!(fields[0].value, Value::Null);
    assert_eq!(fields[1].value, json!(1.5));
    assert_eq!(fields[2].value, json!(true));
    assert_eq!(fields[2].extra["rowNum"], json!(1));
}

#[test]
fn ticket_round_trips_without_loss() {
    let ticket: Ticket = decode(TICKET);
    assert_eq!(encode(&ticket), ticket_as_written());
}

#[test]
fn ticket_read_modify_write_changes_only_what_was_changed() {
    let mut ticket: Ticket = decode(TICKET);
    ticket.summary = Some("Printer replaced".into());
    ticket.severity = Some(TicketSeverity::High);
    if let Some(fields) = ticket.custom_fields.as_mut() {
        fields[0].value = json!("TAG-0042");
    }
    let mut expected = ticket_as_written();
    expected["summary"] = json!("Printer replaced");
    expected["severity"] = json!("High");
    expected["customFields"][0]["value"] = json!("TAG-0042");
    assert_eq!(encode(&ticket), expected);
}

#[test]
fn request_bodies_carry_only_what_was_set() {
    let ticket = Ticket {
        summary: Some("New laptop for Alex".into()),
        board: Some(BoardReference {
            id: Some(1),
            ..Default::default()
        }),
        company: Some(CompanyReference {
            id: Some(250),
            ..Default::default()
        }),
        severity: Some("Critical".into()),
        ..Default::default()
    };
    assert_eq!(
        encode(&ticket),
        json!({
            "summary": "New laptop for Alex",
            "board": {"id": 1},
            "company": {"id": 250},
            "severity": "Critical"
        })
    );
    assert_eq!(encode(&Ticket::default()), json!({}));
}

#[test]
fn any_json_fields_always_serialise_so_null_clears() {
    let clear = CustomFieldValue {
        id: Some(7),
        ..Default::default()
    };
    assert_eq!(encode(&clear), json!({"id": 7, "value": null}));
    // `models::PatchOperation` is the PATCH builder's operation: a null value is sent, not dropped.
    let patch = connectwise_manage::patch::Patch::new()
        .replace("contact", serde_json::Value::Null)
        .unwrap();
    let operations: &[PatchOperation] = patch.operations();
    assert_eq!(
        encode(&operations),
        json!([{"op": "replace", "path": "contact", "value": null}])
    );
}

#[test]
fn explicit_nulls_decode_as_none() {
    let ticket: Ticket = decode(
        r#"{"id": 1, "summary": null, "board": null, "budgetHours": null, "severity": null,
            "requiredDate": null, "_info": null, "customFields": null}"#,
    );
    assert_eq!(ticket.id, Some(1));
    assert_eq!(ticket.summary, None);
    assert_eq!(ticket.board, None);
    assert_eq!(ticket.budget_hours, None);
    assert_eq!(ticket.severity, None);
    assert_eq!(ticket.required_date, None);
    assert_eq!(ticket.info, None);
    assert_eq!(ticket.custom_fields, None);
    assert!(ticket.extra.is_empty());
    // Nulls are not sent back: Manage treats a missing field and `null` alike on reads.
    assert_eq!(encode(&ticket), json!({"id": 1}));
}

#[test]
fn timestamps_are_lenient_on_input_and_canonical_on_output() {
    let ticket: Ticket = decode(
        r#"{"requiredDate": "2025-03-05T02:30:00.250+02:00", "estimatedStartDate": "2025-03-04T08:00:00"}"#,
    );
    assert_eq!(
        ticket.required_date,
        Some(datetime!(2025-03-05 00:30:00.25 UTC))
    );
    assert_eq!(
        ticket.estimated_start_date,
        Some(datetime!(2025-03-04 08:00 UTC))
    );
    assert_eq!(
        encode(&ticket),
        json!({"requiredDate": "2025-03-05T00:30:00Z", "estimatedStartDate": "2025-03-04T08:00:00Z"})
    );
}

#[test]
fn wrong_types_report_the_field() {
    let mut deserializer =
        serde_json::Deserializer::from_str(r#"{"id": 1, "board": {"id": "one"}}"#);
    let err =
        serde_path_to_error::deserialize::<_, Ticket>(&mut deserializer).expect_err("string id");
    assert_eq!(err.path().to_string(), "board.id");
    let err = serde_json::from_str::<Ticket>(r#"{"requiredDate": "next week"}"#)
        .expect_err("bad timestamp");
    assert!(err.to_string().contains("invalid timestamp"), "{err}");
}

#[test]
fn company_decodes_and_round_trips() {
    let company: Company = decode(COMPANY);
    assert_eq!(company.identifier.as_deref(), Some("Contoso"));
    assert_eq!(
        company.status.as_ref().and_then(|s| s.name.as_deref()),
        Some("Active")
    );
    assert_eq!(company.date_acquired, Some(datetime!(2019-06-01 04:00 UTC)));
    assert_eq!(company.annual_revenue, Some(12_500_000.0));
    assert_eq!(company.number_of_employees, Some(85));
    assert_eq!(company.fax_number.as_deref(), Some(""));
    assert_eq!(company.user_defined_field1.as_deref(), Some("Gold"));
    let types: Vec<&str> = company
        .types
        .iter()
        .flatten()
        .filter_map(|t| t.name.as_deref())
        .collect();
    assert_eq!(types, ["Client", "Managed Services"]);
    assert_eq!(
        company.extra["companyHealthScore"],
        json!({"score": 87, "trend": "Up"})
    );
    let info = company.info.as_ref().expect("_info");
    assert_eq!(info.updated_by(), Some("api-integration"));
    assert_eq!(info.links().count(), 6);
    let custom: Vec<&Value> = company
        .custom_fields
        .iter()
        .flatten()
        .map(|f| &f.value)
        .collect();
    assert_eq!(
        custom,
        [&json!("2025-12-31T00:00:00Z"), &json!(42), &Value::Null]
    );
    assert_eq!(encode(&company), value(COMPANY));
}

#[test]
fn contact_communication_items_and_custom_fields() {
    let contact: Contact = decode(CONTACT);
    assert_eq!(contact.first_name.as_deref(), Some("Alex"));
    assert_eq!(
        contact.gender,
        Some(ContactGender::Other("NonBinary".into()))
    );
    assert_eq!(contact.presence, Some(ContactPresence::Online));
    assert_eq!(contact.portal_security_level, Some(3));

    let items = contact
        .communication_items
        .as_ref()
        .expect("communicationItems");
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].communication_type,
        Some(ContactCommunicationItemCommunicationType::Email)
    );
    assert_eq!(items[0].value.as_deref(), Some("alex.doe@contoso.example"));
    assert_eq!(items[0].domain.as_deref(), Some("@contoso.example"));
    assert_eq!(
        items[0].r#type.as_ref().and_then(|t| t.name.as_deref()),
        Some("Email")
    );
    // `contactId` and `mobileGuid` are sent but not in this schema: kept in `extra`.
    assert_eq!(items[0].extra["contactId"], json!(57960));
    assert_eq!(items[1].extension.as_deref(), Some("204"));
    assert_eq!(
        items[2].communication_type,
        Some(ContactCommunicationItemCommunicationType::Other(
            "Chat".into()
        ))
    );

    let fields = contact.custom_fields.as_ref().expect("customFields");
    assert_eq!(fields[0].value, json!("08:00-16:00"));
    assert_eq!(fields[0].extra["podId"], json!("contact_overview"));
    assert_eq!(fields[1].value, json!(false));
    assert_eq!(fields[2].value, Value::Null);

    let info = contact.info.as_ref().expect("_info");
    assert_eq!(
        info.last_updated(),
        Some(datetime!(2025-01-20 17:45:03 UTC))
    );
    assert_eq!(
        info.link("communications"),
        Some(
            "https://na.myconnectwise.net/v2025_1//apis/3.0/company/contacts/57960/communications"
        )
    );
    assert_eq!(encode(&contact), value(CONTACT));
}

#[test]
fn contact_read_modify_write_keeps_unknown_values() {
    let mut contact: Contact = decode(CONTACT);
    contact.title = Some("Operations Director".into());
    if let Some(fields) = contact.custom_fields.as_mut() {
        fields[2].value = json!("B-1138");
    }
    let mut expected = value(CONTACT);
    expected["title"] = json!("Operations Director");
    expected["customFields"][2]["value"] = json!("B-1138");
    let written = encode(&contact);
    assert_eq!(written, expected);
    // The unknown enum values go back exactly as they came.
    assert_eq!(written["gender"], json!("NonBinary"));
    assert_eq!(
        written["communicationItems"][2]["communicationType"],
        json!("Chat")
    );
}

#[test]
fn time_entry_decodes_and_round_trips() {
    let entry: TimeEntry = decode(TIME_ENTRY);
    assert_eq!(entry.charge_to_type, Some(ChargeToType::ServiceTicket));
    assert_eq!(entry.charge_to_id, Some(48211));
    assert_eq!(entry.billable_option, Some(BillableOption::Billable));
    assert_eq!(
        entry.status,
        Some(TimeEntryStatus::Other("PendingManagerReview".into()))
    );
    assert_eq!(entry.time_start, Some(datetime!(2025-03-03 15:00 UTC)));
    assert_eq!(entry.time_end, Some(datetime!(2025-03-03 16:15 UTC)));
    assert_eq!(entry.date_entered, Some(datetime!(2025-03-03 16:16:40 UTC)));
    assert_eq!(entry.actual_hours, Some(1.25));
    assert_eq!(
        entry.member.as_ref().and_then(|m| m.daily_capacity),
        Some(8.0)
    );
    assert_eq!(entry.ticket.as_ref().and_then(|t| t.id), Some(48211));
    assert_eq!(
        entry.work_type.as_ref().and_then(|w| w.utilization_flag),
        Some(true)
    );
    // Declared on the work type reference, but not on the time entry itself.
    assert_eq!(entry.extra["utilizationFlag"], json!(true));
    assert_eq!(entry.custom_fields, Some(Vec::new()));
    let info = entry.info.as_ref().expect("_info");
    assert_eq!(
        info.get("chargeToMobileGuid"),
        Some("0b6c9b5e-3bb2-4d63-a1f5-8e6f8f4a1c52")
    );
    assert_eq!(info.date_entered(), None);
    assert_eq!(encode(&entry), value(TIME_ENTRY));
}

#[test]
fn time_entry_read_modify_write() {
    let mut entry: TimeEntry = decode(TIME_ENTRY);
    entry.notes = Some("Replaced the fuser unit.".into());
    entry.time_end = Some(datetime!(2025-03-03 16:45 UTC));
    entry.status = Some(TimeEntryStatus::ReadyToBill);
    let mut expected = value(TIME_ENTRY);
    expected["notes"] = json!("Replaced the fuser unit.");
    expected["timeEnd"] = json!("2025-03-03T16:45:00Z");
    expected["status"] = json!("ReadyToBill");
    assert_eq!(encode(&entry), expected);
}
