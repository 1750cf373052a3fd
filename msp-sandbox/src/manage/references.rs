//! Reference objects in request bodies (`"status": {"id": 5}`): found by `id`, `identifier` or
//! `name` and stored in the server's shape, `{id, name[, identifier], _info: {<field>_href}}`.

use serde_json::{Map, Value, json};

use super::reply::FieldProblem;
use super::routes::{Kind, collection_key};
use super::store::{Store, id_of};

/// Where a reference field points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Points {
    /// A top-level collection.
    To(Kind),
    /// A collection of the record's board (its statuses, types or subtypes).
    ToBoard(Kind),
}

/// The reference fields of each collection, in resolution order (a ticket's board comes before
/// its status, which is looked up on that board).
fn reference_fields(kind: Kind) -> &'static [(&'static str, Points)] {
    match kind {
        Kind::Tickets => &[
            ("board", Points::To(Kind::Boards)),
            ("status", Points::ToBoard(Kind::BoardStatuses)),
            ("type", Points::ToBoard(Kind::BoardTypes)),
            ("subType", Points::ToBoard(Kind::BoardSubtypes)),
            ("priority", Points::To(Kind::Priorities)),
            ("company", Points::To(Kind::Companies)),
            ("contact", Points::To(Kind::Contacts)),
            ("owner", Points::To(Kind::Members)),
        ],
        Kind::TicketNotes => &[
            ("member", Points::To(Kind::Members)),
            ("contact", Points::To(Kind::Contacts)),
        ],
        Kind::Contacts => &[("company", Points::To(Kind::Companies))],
        Kind::Configurations => &[
            ("type", Points::To(Kind::ConfigurationTypes)),
            ("company", Points::To(Kind::Companies)),
            ("contact", Points::To(Kind::Contacts)),
            ("installedBy", Points::To(Kind::Members)),
        ],
        Kind::TimeEntries => &[
            ("company", Points::To(Kind::Companies)),
            ("member", Points::To(Kind::Members)),
            ("workType", Points::To(Kind::WorkTypes)),
        ],
        _ => &[],
    }
}

/// Resolves the reference fields of `record` named in `only` (all of them when `None`),
/// replacing each with its stored shape. Unresolvable references become problems.
pub fn resolve(
    store: &Store,
    kind: Kind,
    record: &mut Map<String, Value>,
    only: Option<&[String]>,
    problems: &mut Vec<FieldProblem>,
) {
    for (field, points) in reference_fields(kind) {
        if only.is_some_and(|names| !names.iter().any(|name| name.eq_ignore_ascii_case(field))) {
            continue;
        }
        let Some(value) = record.get(*field) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let (target, key) = match points {
            Points::To(target) => (*target, collection_key(*target, None)),
            Points::ToBoard(target) => {
                let Some(board) = record
                    .get("board")
                    .and_then(|board| board.get("id"))
                    .and_then(Value::as_i64)
                else {
                    problems.push(FieldProblem::invalid(
                        field,
                        format!("A board is needed to look up the {field}."),
                    ));
                    continue;
                };
                (*target, collection_key(*target, Some(board)))
            }
        };
        match find(store, target, &key, value) {
            Ok(found) => {
                let reference = canonical(store, target, &key, &found, field);
                record.insert((*field).to_owned(), reference);
            }
            Err(message) => problems.push(FieldProblem::invalid(field, message)),
        }
    }
}

/// The record a reference value points to.
fn find(store: &Store, target: Kind, key: &str, value: &Value) -> Result<Value, String> {
    let Some(object) = value.as_object() else {
        return Err("A reference must be an object with an id, identifier or name.".to_owned());
    };
    let found = if let Some(id) = object.get("id").and_then(Value::as_i64) {
        store.get(key, id).map(std::borrow::Cow::into_owned)
    } else if let Some(identifier) = object.get("identifier").and_then(Value::as_str) {
        store.records(key).into_iter().find(|record| {
            record
                .get("identifier")
                .and_then(Value::as_str)
                .is_some_and(|found| found.eq_ignore_ascii_case(identifier))
        })
    } else if let Some(name) = object.get("name").and_then(Value::as_str) {
        store
            .records(key)
            .into_iter()
            .find(|record| display_name(target, record).eq_ignore_ascii_case(name))
    } else {
        return Err("A reference must carry an id, identifier or name.".to_owned());
    };
    found.ok_or_else(|| format!("{} {} was not found.", target.noun(), value))
}

/// The name a reference shows: `name`, or first and last name for people.
pub fn display_name(kind: Kind, record: &Value) -> String {
    match kind {
        Kind::Contacts | Kind::Members => {
            let part = |key: &str| record.get(key).and_then(Value::as_str).unwrap_or_default();
            format!("{} {}", part("firstName"), part("lastName"))
                .trim()
                .to_owned()
        }
        Kind::Tickets => text(record, "summary"),
        _ => text(record, "name"),
    }
}

fn text(record: &Value, key: &str) -> String {
    record
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A record as a reference object in the server's shape.
pub fn canonical(store: &Store, kind: Kind, key: &str, record: &Value, field: &str) -> Value {
    let id = id_of(record).unwrap_or_default();
    let mut reference = Map::new();
    reference.insert("id".to_owned(), json!(id));
    if let Some(identifier) = record.get("identifier") {
        reference.insert("identifier".to_owned(), identifier.clone());
    }
    let name_key = if kind == Kind::Tickets {
        "summary"
    } else {
        "name"
    };
    reference.insert(name_key.to_owned(), json!(display_name(kind, record)));
    if kind == Kind::Priorities
        && let Some(sort) = record.get("sortOrder")
    {
        reference.insert("sort".to_owned(), sort.clone());
    }
    reference.insert(
        "_info".to_owned(),
        json!({ format!("{field}_href"): format!("{}{key}/{id}", store.base) }),
    );
    Value::Object(reference)
}
