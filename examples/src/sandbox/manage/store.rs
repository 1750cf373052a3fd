//! The sandbox's data: every collection's records as JSON, id counters, and a journal of the
//! writes it accepted.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::routes::{Kind, collection_key};

/// A write the sandbox accepted: what tests and demos look at to see what a recipe changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    /// `POST`, `PATCH`, `PUT` or `DELETE`.
    pub method: String,
    /// The path below `/apis/3.0`, e.g. `/service/tickets/1001`.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// The request body, when it was JSON.
    pub body: Option<Value>,
}

/// All records, keyed by collection (see [`collection_key`]).
#[derive(Debug, Default)]
pub struct Store {
    collections: BTreeMap<String, Vec<Value>>,
    next_ids: HashMap<Kind, i64>,
    journal: Vec<Write>,
    /// The API base URL, e.g. `http://127.0.0.1:4711/v4_6_release/apis/3.0/`, for `_info` links.
    pub base: String,
}

impl Store {
    /// An empty store serving links under `base`.
    pub fn new(base: String) -> Self {
        Self {
            base,
            ..Self::default()
        }
    }

    /// The records of a collection (empty when it has none).
    pub fn records(&self, key: &str) -> &[Value] {
        self.collections.get(key).map_or(&[], Vec::as_slice)
    }

    /// The records of a collection, for changes.
    pub fn records_mut(&mut self, key: &str) -> &mut Vec<Value> {
        self.collections.entry(key.to_owned()).or_default()
    }

    /// One record by id.
    pub fn find(&self, key: &str, id: i64) -> Option<&Value> {
        self.records(key)
            .iter()
            .find(|record| id_of(record) == Some(id))
    }

    /// One record by id, for changes.
    pub fn find_mut(&mut self, key: &str, id: i64) -> Option<&mut Value> {
        self.collections
            .get_mut(key)?
            .iter_mut()
            .find(|record| id_of(record) == Some(id))
    }

    /// Adds seed records to a collection, keeping its id counter ahead of them.
    pub fn seed(&mut self, kind: Kind, parent_id: Option<i64>, records: Vec<Value>) {
        let highest = records.iter().filter_map(id_of).max().unwrap_or(0);
        let next = self.next_ids.entry(kind).or_insert(1);
        *next = (*next).max(highest + 1);
        self.records_mut(&collection_key(kind, parent_id))
            .extend(records);
    }

    /// A fresh id for a new record of `kind`.
    pub fn next_id(&mut self, kind: Kind) -> i64 {
        let next = self.next_ids.entry(kind).or_insert(1);
        let id = *next;
        *next += 1;
        id
    }

    /// Records an accepted write.
    pub fn log_write(&mut self, write: Write) {
        self.journal.push(write);
    }

    /// The writes accepted so far.
    pub fn journal(&self) -> &[Write] {
        &self.journal
    }

    /// Every collection key, for inspection.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.collections.keys().map(String::as_str)
    }
}

/// A record's `id`.
pub fn id_of(record: &Value) -> Option<i64> {
    record.get("id").and_then(Value::as_i64)
}
