//! Results shaped for a model: the few fields it needs from each record (references collapsed to
//! their name), and a `truncated` flag whenever a limit cut a list short.

use serde_json::{Map, Value, json};

/// The fields a ticket listing keeps.
pub const TICKET_FIELDS: [&str; 12] = [
    "id",
    "summary",
    "board",
    "status",
    "company",
    "contactName",
    "priority",
    "type",
    "subType",
    "owner",
    "closedFlag",
    "_info",
];

/// The fields a company listing keeps.
pub const COMPANY_FIELDS: [&str; 6] = ["id", "identifier", "name", "status", "city", "phoneNumber"];

/// The fields a contact listing keeps.
pub const CONTACT_FIELDS: [&str; 7] = [
    "id",
    "firstName",
    "lastName",
    "company",
    "title",
    "inactiveFlag",
    "communicationItems",
];

/// The fields a configuration listing keeps.
pub const CONFIGURATION_FIELDS: [&str; 9] = [
    "id",
    "name",
    "type",
    "status",
    "company",
    "serialNumber",
    "ipAddress",
    "osType",
    "lastLoginName",
];

/// The default number of records a listing returns.
pub const DEFAULT_LIMIT: u32 = 25;

/// The most records a listing returns.
pub const MAX_LIMIT: u32 = 200;

/// `record` with only `fields`: a reference object becomes its name (or identifier, or id),
/// `_info` becomes `lastUpdated`, contact communication items become `emails`/`phones`, and
/// absent or null fields are left out.
pub fn compact(record: &Value, fields: &[&str]) -> Value {
    let mut out = Map::new();
    for &field in fields {
        let Some(value) = record.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        match field {
            "_info" => {
                if let Some(updated) = value.get("lastUpdated") {
                    out.insert("lastUpdated".to_owned(), updated.clone());
                }
            }
            "communicationItems" => {
                for (kind, key) in [("Email", "emails"), ("Phone", "phones")] {
                    let values: Vec<Value> = value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|item| item["communicationType"] == kind)
                        .filter_map(|item| item.get("value").cloned())
                        .collect();
                    if !values.is_empty() {
                        out.insert(key.to_owned(), Value::Array(values));
                    }
                }
            }
            "company" => {
                out.insert(field.to_owned(), company_reference(value));
            }
            _ => {
                out.insert(field.to_owned(), reference_name(value));
            }
        }
    }
    Value::Object(out)
}

/// A reference object's name, identifier or id; any other value as it is.
pub fn reference_name(value: &Value) -> Value {
    match value {
        Value::Object(map) => ["name", "identifier", "id"]
            .iter()
            .find_map(|key| map.get(*key).filter(|v| !v.is_null()).cloned())
            .unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// A company reference keeps its id and name, which the model needs to narrow later calls.
fn company_reference(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for key in ["id", "identifier", "name"] {
                if let Some(v) = map.get(key).filter(|v| !v.is_null()) {
                    out.insert(key.to_owned(), v.clone());
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// A listing's answer: the records (at most `limit`) and whether more were there.
pub fn listing(key: &str, mut records: Vec<Value>, limit: usize) -> Value {
    let truncated = records.len() > limit;
    records.truncate(limit);
    json!({ key: records, "count": records.len(), "truncated": truncated })
}

/// The ids of `records` (`"path/id"`), for the audit log.
pub fn record_ids(path: &str, records: &[Value]) -> Vec<String> {
    records
        .iter()
        .filter_map(|record| record.get("id").and_then(Value::as_i64))
        .map(|id| format!("{path}/{id}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_collapse_and_limits_flag_truncation() {
        let record = json!({"id": 1, "status": {"id": 5, "name": "New"}, "extra": 1,
            "company": {"id": 250, "identifier": "ACME", "name": "Acme", "_info": {}}});
        let shaped = compact(&record, &["id", "status", "company", "owner"]);
        assert_eq!(
            shaped,
            json!({"id": 1, "status": "New", "company": {"id": 250, "identifier": "ACME", "name": "Acme"}})
        );
        let list = listing("tickets", vec![json!(1), json!(2), json!(3)], 2);
        assert_eq!(
            list,
            json!({"tickets": [1, 2], "count": 2, "truncated": true})
        );
        let list = listing("tickets", vec![json!(1)], 2);
        assert_eq!(list["truncated"], false);
    }
}
