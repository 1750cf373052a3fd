//! A record as it was read, for a read-modify-write with `PUT`.
//!
//! `PUT` replaces the whole record: a field the body leaves out is reset by the server to its
//! default. The generated models hold every field as an `Option` that is left out when `None`,
//! so a field the server sent as `null` would be left out of the `PUT` and reset — an unset
//! due date could come back as today, an empty contact as the company's default one. A
//! [`Snapshot`] remembers which fields were read as `null` and writes them back as `null`
//! unless the record now holds a value for them.
//!
//! Two ways to change a record, and when to use each:
//!
//! - **`PATCH`** ([`Endpoint::patch`](crate::Endpoint::patch) with a [`Patch`](crate::patch::Patch))
//!   sends only the fields that change and leaves the rest, including changes someone else made
//!   since the read, as they are. Prefer it.
//! - **`PUT`** ([`Endpoint::update`](crate::Endpoint::update)) sends the whole record. Read it as
//!   a `Snapshot<T>`, change it through `DerefMut`, and send the snapshot:
//!
//! ```no_run
//! use connectwise_manage::{Client, Snapshot};
//! use connectwise_manage::models::Ticket;
//!
//! # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
//! let tickets = client.endpoint::<Snapshot<Ticket>>("/service/tickets");
//! let mut ticket = tickets.get(1234).await?;
//! ticket.summary = Some("Printer replaced".into());
//! tickets.update(1234, &ticket).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Nulls are remembered in objects at any depth (`contact`, `status.sort`), not inside arrays,
//! whose elements a caller may reorder or remove. Setting a field that was read with a value to
//! `None` still leaves it out of the body, as with the bare model.

use std::ops::{Deref, DerefMut};

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A record of type `T` plus the object fields the server sent as `null`; serialises as the
/// record with those fields written back as `null`. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<T> {
    record: T,
    /// Paths (object keys from the root) of the fields read as `null`.
    nulls: Vec<Vec<String>>,
}

impl<T: DeserializeOwned> Snapshot<T> {
    /// Decodes `value` as `T`, remembering its `null` fields.
    ///
    /// # Errors
    /// The decoder's error when `value` does not fit `T`.
    pub fn from_value(value: Value) -> Result<Self, serde_json::Error> {
        let mut nulls = Vec::new();
        collect_nulls(&value, &mut Vec::new(), &mut nulls);
        let record = serde_json::from_value(value)?;
        Ok(Self { record, nulls })
    }
}

impl<T> Snapshot<T> {
    /// The record.
    pub fn record(&self) -> &T {
        &self.record
    }

    /// The record, to change before writing it back.
    pub fn record_mut(&mut self) -> &mut T {
        &mut self.record
    }

    /// The record without the memory of its nulls.
    pub fn into_inner(self) -> T {
        self.record
    }

    /// The fields read as `null`, as `/`-separated paths (`contact`, `status/sort`), in the
    /// order they were read.
    pub fn null_fields(&self) -> impl Iterator<Item = String> + '_ {
        self.nulls.iter().map(|path| path.join("/"))
    }
}

impl<T> Deref for Snapshot<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.record
    }
}

impl<T> DerefMut for Snapshot<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.record
    }
}

impl<T: Serialize> Serialize for Snapshot<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut value = serde_json::to_value(&self.record).map_err(S::Error::custom)?;
        for path in &self.nulls {
            restore_null(&mut value, path);
        }
        value.serialize(serializer)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Snapshot<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_value(value).map_err(D::Error::custom)
    }
}

/// Records the path of every `null` in `value`'s objects, arrays excluded.
fn collect_nulls(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let Value::Object(object) = value else {
        return;
    };
    for (key, field) in object {
        prefix.push(key.clone());
        match field {
            Value::Null => out.push(prefix.clone()),
            Value::Object(_) => collect_nulls(field, prefix, out),
            _ => {}
        }
        prefix.pop();
    }
}

/// Writes `null` at `path` when its parent object is still there and the key is absent.
fn restore_null(value: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut object: &mut Map<String, Value> = match value {
        Value::Object(object) => object,
        _ => return,
    };
    for key in parents {
        match object.get_mut(key) {
            Some(Value::Object(inner)) => object = inner,
            _ => return,
        }
    }
    object.entry(last.clone()).or_insert(Value::Null);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::models::Ticket;

    fn snapshot(value: Value) -> Snapshot<Ticket> {
        Snapshot::from_value(value).expect("a ticket")
    }

    #[test]
    fn nulls_read_are_written_back() {
        let read = json!({
            "id": 7,
            "summary": "Printer offline",
            "contact": null,
            "requiredDate": null,
            "status": {"id": 1, "name": "New", "sort": null},
            "customFields": [{"id": 3, "value": null}]
        });
        let mut ticket = snapshot(read.clone());
        assert_eq!(
            ticket.null_fields().collect::<Vec<_>>(),
            ["contact", "requiredDate", "status/sort"]
        );
        // Unchanged, the body is what was read.
        assert_eq!(serde_json::to_value(&ticket).unwrap(), read);
        ticket.summary = Some("Printer replaced".into());
        let mut expected = read;
        expected["summary"] = json!("Printer replaced");
        assert_eq!(serde_json::to_value(&ticket).unwrap(), expected);
    }

    #[test]
    fn a_value_set_since_the_read_wins_over_the_null() {
        let mut ticket = snapshot(json!({"id": 7, "budgetHours": null, "status": null}));
        ticket.budget_hours = Some(2.5);
        ticket.status = Some(crate::models::ServiceStatusReference {
            id: Some(5),
            ..Default::default()
        });
        assert_eq!(
            serde_json::to_value(&ticket).unwrap(),
            json!({"id": 7, "budgetHours": 2.5, "status": {"id": 5}})
        );
    }

    #[test]
    fn the_bare_model_drops_the_nulls() {
        // Why the snapshot exists: the model alone leaves `contact` out of a PUT.
        let ticket: Ticket = serde_json::from_value(json!({"id": 7, "contact": null})).unwrap();
        assert_eq!(serde_json::to_value(&ticket).unwrap(), json!({"id": 7}));
    }

    #[test]
    fn a_removed_parent_takes_its_nulls_with_it() {
        let mut ticket = snapshot(json!({"id": 7, "status": {"id": 1, "sort": null}}));
        ticket.status = None;
        assert_eq!(serde_json::to_value(&ticket).unwrap(), json!({"id": 7}));
    }

    #[test]
    fn decoding_errors_surface() {
        let error = Snapshot::<Ticket>::from_value(json!({"id": "seven"})).unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
        let error = serde_json::from_value::<Snapshot<Ticket>>(json!([1])).unwrap_err();
        assert!(error.to_string().contains("invalid type"), "{error}");
    }
}
