//! Creating, patching, replacing and deleting records, with the server's validation and the
//! side effects the recipes rely on (a ticket closes when it moves to a closed status, a time entry
//! works out its hours, an owner-level callback gets object id 1).

use serde_json::{Map, Value, json};

use super::conditions::parse_instant;
use super::references::{canonical, resolve};
use super::reply::{Failure, FieldProblem};
use super::routes::{Kind, collection_key};
use super::sample::API_MEMBER_ID;
use super::store::Store;
use crate::clock::now_stamp;

/// `POST` on a collection: validates, fills defaults, stores and returns the record.
pub fn create(
    store: &mut Store,
    kind: Kind,
    parent_id: Option<i64>,
    body: Value,
) -> Result<Value, Failure> {
    let Value::Object(mut record) = body else {
        return Err(Failure::bad_request("the body must be a JSON object"));
    };
    record.remove("id");
    record.remove("_info");
    let mut problems: Vec<FieldProblem> = kind
        .required()
        .iter()
        .filter(|field| is_blank(record.get(**field)))
        .map(|field| FieldProblem::missing(field))
        .collect();
    if let Some(board) = parent_id.filter(|_| kind.parent() == Some(Kind::Boards)) {
        record.insert("board".to_owned(), json!({"id": board}));
    }
    resolve(store, kind, &mut record, None, &mut problems);
    prepare_new(store, kind, parent_id, &mut record, &mut problems);
    if !problems.is_empty() {
        return Err(Failure::invalid_object(kind, &problems));
    }
    let id = store.next_id(kind);
    let now = now_stamp();
    record.insert("id".to_owned(), json!(id));
    record.insert(
        "_info".to_owned(),
        json!({
            "lastUpdated": now,
            "updatedBy": store.acting_member(),
            "dateEntered": now,
            "enteredBy": store.acting_member(),
        }),
    );
    let record = Value::Object(record);
    store.put(&collection_key(kind, parent_id), record.clone());
    Ok(record)
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.trim().is_empty(),
        Some(_) => false,
    }
}

/// Defaults and checks that depend on the collection.
fn prepare_new(
    store: &Store,
    kind: Kind,
    parent_id: Option<i64>,
    record: &mut Map<String, Value>,
    problems: &mut Vec<FieldProblem>,
) {
    match kind {
        Kind::Tickets => prepare_ticket(store, record, problems),
        Kind::TicketNotes => prepare_note(store, parent_id, record, problems),
        Kind::TimeEntries => prepare_time_entry(store, record, problems),
        Kind::Callbacks => prepare_callback(store, record, problems),
        Kind::Configurations => {
            record.entry("activeFlag").or_insert(json!(true));
            record
                .entry("status")
                .or_insert(json!({"id": 1, "name": "Active"}));
        }
        _ => {}
    }
}

fn prepare_ticket(
    store: &Store,
    record: &mut Map<String, Value>,
    problems: &mut Vec<FieldProblem>,
) {
    if let Some(summary) = record.get("summary").and_then(Value::as_str)
        && summary.chars().count() > 100
    {
        problems.push(FieldProblem::invalid(
            "summary",
            "The summary may be at most 100 characters long.",
        ));
    }
    record.entry("recordType").or_insert(json!("ServiceTicket"));
    let board = record
        .get("board")
        .and_then(|board| board.get("id"))
        .and_then(Value::as_i64);
    if let Some(board) = board
        && record.get("status").is_none_or(Value::is_null)
    {
        set_default(store, record, Kind::BoardStatuses, Some(board), "status");
    }
    if record.get("priority").is_none_or(Value::is_null) {
        set_default(store, record, Kind::Priorities, None, "priority");
    }
    apply_ticket_status(store, record);
}

/// Sets `field` to the record of `kind` flagged `defaultFlag`, if the collection has one.
fn set_default(
    store: &Store,
    record: &mut Map<String, Value>,
    kind: Kind,
    parent: Option<i64>,
    field: &str,
) {
    let key = collection_key(kind, parent);
    let default = store
        .records(&key)
        .into_iter()
        .find(|candidate| candidate.get("defaultFlag") == Some(&json!(true)));
    if let Some(default) = default {
        record.insert(
            field.to_owned(),
            canonical(store, kind, &key, &default, field),
        );
    }
}

/// Keeps `closedFlag`, `closedDate` and `closedBy` in step with the ticket's status, as the
/// server does when a ticket moves to or from a closed status.
fn apply_ticket_status(store: &Store, record: &mut Map<String, Value>) {
    let board = record
        .get("board")
        .and_then(|board| board.get("id"))
        .and_then(Value::as_i64);
    let status = record
        .get("status")
        .and_then(|status| status.get("id"))
        .and_then(Value::as_i64);
    let (Some(board), Some(status)) = (board, status) else {
        record.entry("closedFlag").or_insert(json!(false));
        return;
    };
    let closing = store
        .get(&collection_key(Kind::BoardStatuses, Some(board)), status)
        .and_then(|status| status.get("closedStatus").and_then(Value::as_bool))
        .unwrap_or(false);
    let was_closed = record.get("closedFlag").and_then(Value::as_bool) == Some(true);
    record.insert("closedFlag".to_owned(), json!(closing));
    if closing && !was_closed {
        record.insert("closedDate".to_owned(), json!(now_stamp()));
        record.insert("closedBy".to_owned(), json!(store.acting_member()));
    } else if !closing {
        record.remove("closedDate");
        record.remove("closedBy");
    }
}

fn prepare_note(
    store: &Store,
    parent_id: Option<i64>,
    record: &mut Map<String, Value>,
    problems: &mut Vec<FieldProblem>,
) {
    let flag = |record: &Map<String, Value>, name: &str| {
        record.get(name).and_then(Value::as_bool).unwrap_or(false)
    };
    let detail = flag(record, "detailDescriptionFlag");
    let internal = flag(record, "internalAnalysisFlag");
    let resolution = flag(record, "resolutionFlag");
    if !(detail || internal || resolution) {
        problems.push(FieldProblem::invalid(
            "detailDescriptionFlag",
            "One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true.",
        ));
    }
    for (name, value) in [
        ("detailDescriptionFlag", detail),
        ("internalAnalysisFlag", internal),
        ("resolutionFlag", resolution),
    ] {
        record.insert(name.to_owned(), json!(value));
    }
    record.insert("internalFlag".to_owned(), json!(internal));
    record.insert("externalFlag".to_owned(), json!(detail || resolution));
    if let Some(ticket) = parent_id {
        record.insert("ticketId".to_owned(), json!(ticket));
    }
    if record.get("member").is_none_or(Value::is_null) {
        let key = collection_key(Kind::Members, None);
        if let Some(member) = store.get(&key, API_MEMBER_ID) {
            record.insert(
                "member".to_owned(),
                canonical(store, Kind::Members, &key, &member, "member"),
            );
        }
    }
    record.insert("dateCreated".to_owned(), json!(now_stamp()));
    record.insert("createdBy".to_owned(), json!(store.acting_member()));
}

const CHARGE_TO_TYPES: [&str; 4] = ["ServiceTicket", "ProjectTicket", "ChargeCode", "Activity"];
const BILLABLE_OPTIONS: [&str; 4] = ["Billable", "DoNotBill", "NoCharge", "NoDefault"];

fn prepare_time_entry(
    store: &Store,
    record: &mut Map<String, Value>,
    problems: &mut Vec<FieldProblem>,
) {
    let charge_to_type = record
        .get("chargeToType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !charge_to_type.is_empty() && !CHARGE_TO_TYPES.contains(&charge_to_type.as_str()) {
        problems.push(FieldProblem::invalid(
            "chargeToType",
            format!(
                "chargeToType must be one of {}.",
                CHARGE_TO_TYPES.join(", ")
            ),
        ));
    }
    if charge_to_type == "ServiceTicket" {
        match record.get("chargeToId").and_then(Value::as_i64) {
            None => problems.push(FieldProblem::missing("chargeToId")),
            Some(ticket_id) => {
                let key = collection_key(Kind::Tickets, None);
                match store.get(&key, ticket_id) {
                    None => problems.push(FieldProblem::invalid(
                        "chargeToId",
                        format!("Ticket {ticket_id} was not found."),
                    )),
                    Some(ticket) => {
                        record.insert(
                            "ticket".to_owned(),
                            canonical(store, Kind::Tickets, &key, &ticket, "ticket"),
                        );
                        if record.get("company").is_none_or(Value::is_null)
                            && let Some(company) = ticket.get("company")
                        {
                            record.insert("company".to_owned(), company.clone());
                        }
                    }
                }
            }
        }
    }
    let instant = |name: &str| {
        record
            .get(name)
            .and_then(Value::as_str)
            .map(|text| (text.to_owned(), parse_instant(text)))
    };
    let start = instant("timeStart");
    let end = instant("timeEnd");
    for (name, value) in [("timeStart", &start), ("timeEnd", &end)] {
        if let Some((text, None)) = value {
            problems.push(FieldProblem::invalid(
                name,
                format!("{text:?} is not a valid date and time."),
            ));
        }
    }
    if let (Some((_, Some(start))), Some((_, Some(end)))) = (&start, &end) {
        if end <= start {
            problems.push(FieldProblem::invalid(
                "timeEnd",
                "timeEnd must be later than timeStart.",
            ));
        } else {
            let hours = (*end - *start).as_seconds_f64() / 3600.0;
            record.insert(
                "actualHours".to_owned(),
                json!((hours * 100.0).round() / 100.0),
            );
        }
    }
    let billable = record
        .entry("billableOption")
        .or_insert(json!("Billable"))
        .clone();
    if !billable
        .as_str()
        .is_some_and(|option| BILLABLE_OPTIONS.contains(&option))
    {
        problems.push(FieldProblem::invalid(
            "billableOption",
            format!(
                "billableOption must be one of {}.",
                BILLABLE_OPTIONS.join(", ")
            ),
        ));
    }
    record.entry("hoursDeduct").or_insert(json!(0.0));
    record.insert("status".to_owned(), json!("Open"));
    record.insert("enteredBy".to_owned(), json!(store.acting_member()));
    record.insert("dateEntered".to_owned(), json!(now_stamp()));
}

fn prepare_callback(
    store: &Store,
    record: &mut Map<String, Value>,
    problems: &mut Vec<FieldProblem>,
) {
    let url = record
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let valid_url = url::Url::parse(url)
        .is_ok_and(|parsed| matches!(parsed.scheme(), "https" | "http") && parsed.has_host());
    if !url.is_empty() && !valid_url {
        problems.push(FieldProblem::invalid("url", "Invalid URL"));
    }
    if record
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|text| text.chars().count() > 100)
    {
        problems.push(FieldProblem::invalid(
            "description",
            "The description may be at most 100 characters long.",
        ));
    }
    let level = record
        .get("level")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let object_id = record.get("objectId").and_then(Value::as_i64).unwrap_or(0);
    if level.eq_ignore_ascii_case("owner") {
        // The server stores owner-level callbacks with object id 1, whatever was sent.
        record.insert(
            "objectId".to_owned(),
            json!(if object_id == 0 { 1 } else { object_id }),
        );
    } else if object_id == 0 && !level.is_empty() {
        problems.push(FieldProblem::missing("objectId"));
    }
    let same = |key: &str, a: &Value| {
        let (a, b) = (a.get(key), record.get(key));
        match (a.and_then(Value::as_str), b.and_then(Value::as_str)) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => a == b,
        }
    };
    let duplicate = store
        .records(&collection_key(Kind::Callbacks, None))
        .iter()
        .any(|existing| {
            existing.get("url") == record.get("url")
                && same("type", existing)
                && same("level", existing)
                && same("objectId", existing)
        });
    if duplicate {
        problems.push(FieldProblem {
            code: "ObjectExists",
            field: "objectId".to_owned(),
            message: "A matching callback entry already exists".to_owned(),
        });
    }
    record.insert("memberId".to_owned(), json!(API_MEMBER_ID));
    for flag in ["inactiveFlag", "isSoapCallbackFlag", "isSelfSuppressedFlag"] {
        record.entry(flag).or_insert(json!(false));
    }
    let serial = store.records(&collection_key(Kind::Callbacks, None)).len() + 1;
    record.insert(
        "connectWiseID".to_owned(),
        json!(format!("5a4d0000-0000-4000-8000-{serial:012x}")),
    );
}

/// `PATCH`: applies `op`/`path`/`value` operations. Top-level fields are replaced, added or
/// removed whole (reference objects included); array elements are reached by index. A path into
/// a reference object (`status/id`) is accepted and ignored, as the server is documented to do:
/// the answer is `200` with the record unchanged.
pub fn patch(
    store: &mut Store,
    kind: Kind,
    key: &str,
    id: i64,
    body: Value,
) -> Result<Value, Failure> {
    let Value::Array(operations) = body else {
        return Err(Failure::bad_request(
            "a PATCH body must be a JSON array of {op, path, value} operations",
        ));
    };
    let Some(Value::Object(mut record)) = store.get(key, id).map(std::borrow::Cow::into_owned)
    else {
        return Err(Failure::not_found(kind, id));
    };
    let mut touched: Vec<String> = Vec::new();
    for operation in &operations {
        let op = operation
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = operation
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim_start_matches('/');
        let value = operation.get("value").cloned().unwrap_or(Value::Null);
        if !matches!(op, "replace" | "add" | "remove") {
            return Err(Failure::bad_request(format!(
                "unsupported patch operation {op:?}; use replace, add or remove"
            )));
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let Some(first) = segments.first() else {
            return Err(Failure::bad_request("a patch operation needs a path"));
        };
        if first.eq_ignore_ascii_case("id") || first.eq_ignore_ascii_case("_info") {
            return Err(Failure::bad_request(format!("{first} cannot be changed")));
        }
        let field = record
            .keys()
            .find(|name| name.eq_ignore_ascii_case(first))
            .cloned()
            .unwrap_or_else(|| (*first).to_owned());
        if segments.len() == 1 {
            if op == "remove" {
                record.remove(&field);
            } else if field == "customFields" && op == "replace" {
                merge_custom_fields(&mut record, value);
            } else {
                record.insert(field.clone(), value);
            }
            touched.push(field);
            continue;
        }
        if let Some(Value::Array(items)) = record.get_mut(&field) {
            patch_array(items, &segments[1..], op, value)?;
            touched.push(field);
        }
        // A path into an object: acknowledged without effect, like the server.
    }
    let mut problems = Vec::new();
    resolve(store, kind, &mut record, Some(&touched), &mut problems);
    if kind == Kind::Tickets {
        if record
            .get("summary")
            .and_then(Value::as_str)
            .is_some_and(|summary| summary.chars().count() > 100)
        {
            problems.push(FieldProblem::invalid(
                "summary",
                "The summary may be at most 100 characters long.",
            ));
        }
        if touched.iter().any(|field| field == "status") {
            apply_ticket_status(store, &mut record);
        }
    }
    if !problems.is_empty() {
        return Err(Failure::invalid_object(kind, &problems));
    }
    touch_info(&mut record, store.acting_member());
    let record = Value::Object(record);
    store.put(key, record.clone());
    Ok(record)
}

/// A whole-array `customFields` replace merges by `id`: listed fields take the new value, fields
/// left out keep theirs.
fn merge_custom_fields(record: &mut Map<String, Value>, value: Value) {
    let Value::Array(updates) = value else {
        record.insert("customFields".to_owned(), value);
        return;
    };
    let existing = record
        .entry("customFields")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Value::Array(fields) = existing else {
        *existing = Value::Array(updates);
        return;
    };
    for update in updates {
        let id = update.get("id").and_then(Value::as_i64);
        match fields
            .iter_mut()
            .find(|field| id.is_some() && field.get("id").and_then(Value::as_i64) == id)
        {
            Some(field) => {
                if let (Some(field), Some(value)) = (field.as_object_mut(), update.get("value")) {
                    field.insert("value".to_owned(), value.clone());
                }
            }
            None => fields.push(update),
        }
    }
}

/// `add`/`replace`/`remove` at `index[/field]` of an array (`-` appends).
fn patch_array(
    items: &mut Vec<Value>,
    rest: &[&str],
    op: &str,
    value: Value,
) -> Result<(), Failure> {
    let index = rest[0];
    let out_of_range = || Failure::bad_request(format!("array index {index:?} is out of range"));
    if rest.len() == 1 {
        match op {
            "add" if index == "-" => items.push(value),
            "add" => {
                let at: usize = index.parse().map_err(|_| out_of_range())?;
                if at > items.len() {
                    return Err(out_of_range());
                }
                items.insert(at, value);
            }
            "replace" => {
                let at: usize = index.parse().map_err(|_| out_of_range())?;
                *items.get_mut(at).ok_or_else(out_of_range)? = value;
            }
            _ => {
                let at: usize = index.parse().map_err(|_| out_of_range())?;
                if at >= items.len() {
                    return Err(out_of_range());
                }
                items.remove(at);
            }
        }
        return Ok(());
    }
    let at: usize = index.parse().map_err(|_| out_of_range())?;
    let item = items.get_mut(at).ok_or_else(out_of_range)?;
    if let Some(object) = item.as_object_mut() {
        if op == "remove" {
            object.remove(rest[1]);
        } else {
            object.insert(rest[1].to_owned(), value);
        }
    }
    Ok(())
}

/// `PUT`: replaces every field but the id, with the same checks as a create.
pub fn replace(
    store: &mut Store,
    kind: Kind,
    key: &str,
    id: i64,
    body: Value,
) -> Result<Value, Failure> {
    let Some(existing) = store.get(key, id).map(std::borrow::Cow::into_owned) else {
        return Err(Failure::not_found(kind, id));
    };
    let Value::Object(mut record) = body else {
        return Err(Failure::bad_request("the body must be a JSON object"));
    };
    let mut problems: Vec<FieldProblem> = kind
        .required()
        .iter()
        .filter(|field| is_blank(record.get(**field)))
        .map(|field| FieldProblem::missing(field))
        .collect();
    resolve(store, kind, &mut record, None, &mut problems);
    if kind == Kind::Tickets {
        apply_ticket_status(store, &mut record);
    }
    if !problems.is_empty() {
        return Err(Failure::invalid_object(kind, &problems));
    }
    record.insert("id".to_owned(), json!(id));
    record.insert(
        "_info".to_owned(),
        existing.get("_info").cloned().unwrap_or_else(|| json!({})),
    );
    touch_info(&mut record, store.acting_member());
    let record = Value::Object(record);
    store.put(key, record.clone());
    Ok(record)
}

/// `DELETE`: removes the record.
pub fn delete(store: &mut Store, kind: Kind, key: &str, id: i64) -> Result<(), Failure> {
    if store.remove(key, id) {
        Ok(())
    } else {
        Err(Failure::not_found(kind, id))
    }
}

fn touch_info(record: &mut Map<String, Value>, member: &str) {
    let info = record
        .entry("_info")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(info) = info {
        info.insert("lastUpdated".to_owned(), json!(now_stamp()));
        info.insert("updatedBy".to_owned(), json!(member));
    }
}
