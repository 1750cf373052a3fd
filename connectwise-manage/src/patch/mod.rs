//! JSON Patch bodies for ConnectWise Manage `PATCH` requests.
//!
//! ConnectWise takes a JSON array of `{op, path, value}` operations with `op` one of `replace`,
//! `add` or `remove`. [`Patch`] builds that array and guards against the two mistakes the
//! server does not reliably report:
//!
//! * editing a field *inside* a reference object (`status/id`), which ConnectWise documents may
//!   answer `200 OK` without applying — the builder refuses such paths and offers
//!   [`Patch::replace_reference`] and typed helpers such as [`Patch::status_id`];
//! * patching one custom field, which ConnectWise does not support — the builder refuses
//!   `customFields/...` paths and offers [`Patch::set_custom_field`], a read-modify-write of the
//!   whole array.
//!
//! Paths are sent in the bare form (`summary`, `communicationItems/1/value`); a leading `/` in
//! the input is accepted and removed. See [`PatchPath`] for the exact rules.
//!
//! ```
//! use connectwise_manage::patch::{Patch, Reference};
//! use serde_json::json;
//!
//! let patch = Patch::new()
//!     .replace("summary", "Printer offline")?
//!     .status_id(5)
//!     .replace_reference("company", Reference::identifier("ABC"))?
//!     .remove("/budgetHours")?;
//!
//! assert_eq!(
//!     serde_json::to_value(&patch)?,
//!     json!([
//!         {"op": "replace", "path": "summary", "value": "Printer offline"},
//!         {"op": "replace", "path": "status", "value": {"id": 5}},
//!         {"op": "replace", "path": "company", "value": {"identifier": "ABC"}},
//!         {"op": "remove", "path": "budgetHours"}
//!     ])
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod custom_fields;
mod error;
mod operation;
mod path;
mod reference;

use serde::Serialize;
use serde_json::Value;

pub use custom_fields::custom_fields_with_value;
pub use error::PatchError;
pub use operation::PatchOperation;
pub use path::PatchPath;
pub use reference::Reference;

use custom_fields::{json_kind, set_value_by_caption};
use path::CUSTOM_FIELDS;

/// An ordered list of patch operations: the body of a ConnectWise `PATCH` request.
///
/// Methods that take a path or an arbitrary value return `Result<Self, PatchError>` (the path
/// may be refused, the value may fail to serialise); the typed reference helpers such as
/// [`Patch::status_id`] cannot fail and return `Self`. Values are serialised when they are
/// added, so a failure is reported at the call that caused it.
///
/// A `Patch` serialises to the JSON array ConnectWise expects. An empty patch serialises to `[]`;
/// check [`Patch::is_empty`] before sending if that is not wanted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Patch {
    operations: Vec<PatchOperation>,
}

impl Patch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a `replace` of the value at `path`.
    ///
    /// `value` may be anything `Serialize`; `None` / JSON `null` clears the field.
    ///
    /// # Errors
    ///
    /// The path is refused (see [`PatchPath`]) or the value fails to serialise.
    pub fn replace(self, path: &str, value: impl Serialize) -> Result<Self, PatchError> {
        let (path, value) = path_and_value(path, value)?;
        Ok(self.push(PatchOperation::Replace { path, value }))
    }

    /// Adds an `add` of `value` at `path` (for arrays, an index inserts and `-` appends).
    ///
    /// # Errors
    ///
    /// The path is refused (see [`PatchPath`]) or the value fails to serialise.
    pub fn add(self, path: &str, value: impl Serialize) -> Result<Self, PatchError> {
        let (path, value) = path_and_value(path, value)?;
        Ok(self.push(PatchOperation::Add { path, value }))
    }

    /// Adds a `remove` of the value at `path`.
    ///
    /// # Errors
    ///
    /// The path is refused (see [`PatchPath`]).
    pub fn remove(self, path: &str) -> Result<Self, PatchError> {
        let path = PatchPath::parse(path)?;
        Ok(self.push(PatchOperation::Remove { path }))
    }

    /// Adds a `replace` of the whole reference object at `path`, e.g.
    /// `replace_reference("status", Reference::id(5))` sends
    /// `{"op":"replace","path":"status","value":{"id":5}}`.
    ///
    /// # Errors
    ///
    /// The path is refused (see [`PatchPath`]); in particular `status/id` is refused — pass
    /// `status`.
    pub fn replace_reference(self, path: &str, reference: Reference) -> Result<Self, PatchError> {
        let path = PatchPath::parse(path)?;
        Ok(self.push(PatchOperation::Replace {
            path,
            value: reference.to_value(),
        }))
    }

    /// Sets `status` by id: `{"op":"replace","path":"status","value":{"id":id}}`.
    pub fn status_id(self, id: i32) -> Self {
        self.reference_at("status", Reference::id(id))
    }

    /// Sets `status` by name (ConnectWise looks the status up on the record's board).
    pub fn status_name(self, name: impl Into<String>) -> Self {
        self.reference_at("status", Reference::name(name))
    }

    /// Sets `board` by id.
    pub fn board_id(self, id: i32) -> Self {
        self.reference_at("board", Reference::id(id))
    }

    /// Sets `board` by name.
    pub fn board_name(self, name: impl Into<String>) -> Self {
        self.reference_at("board", Reference::name(name))
    }

    /// Sets `priority` by id.
    pub fn priority_id(self, id: i32) -> Self {
        self.reference_at("priority", Reference::id(id))
    }

    /// Sets `company` by id.
    pub fn company_id(self, id: i32) -> Self {
        self.reference_at("company", Reference::id(id))
    }

    /// Sets `company` by its identifier (the short company code).
    pub fn company_identifier(self, identifier: impl Into<String>) -> Self {
        self.reference_at("company", Reference::identifier(identifier))
    }

    /// Sets `contact` by id.
    pub fn contact_id(self, id: i32) -> Self {
        self.reference_at("contact", Reference::id(id))
    }

    /// Sets `owner` (a member) by id.
    pub fn owner_id(self, id: i32) -> Self {
        self.reference_at("owner", Reference::id(id))
    }

    /// Sets `owner` (a member) by member identifier, e.g. `"jdoe"`.
    pub fn owner_identifier(self, identifier: impl Into<String>) -> Self {
        self.reference_at("owner", Reference::identifier(identifier))
    }

    /// Adds a `replace` of the whole `customFields` array with `values`.
    ///
    /// `values` may be anything that serialises to a JSON array: a slice of custom field models,
    /// a `Vec<serde_json::Value>`, ... ConnectWise does not support changing a single element
    /// any other way. To change one field of a fetched record, prefer
    /// [`Patch::set_custom_field`], which keeps every other element as fetched.
    ///
    /// # Errors
    ///
    /// The value fails to serialise or is not an array.
    pub fn replace_custom_fields(self, values: impl Serialize) -> Result<Self, PatchError> {
        let value = to_value(CUSTOM_FIELDS, values)?;
        if !value.is_array() {
            return Err(PatchError::CustomFieldsNotArray {
                found: json_kind(&value),
            });
        }
        Ok(self.push(PatchOperation::Replace {
            path: PatchPath::trusted(CUSTOM_FIELDS),
            value,
        }))
    }

    /// Sets the value of the custom field captioned `caption` by replacing the whole
    /// `customFields` array, with every other element kept exactly as fetched.
    ///
    /// `record` is the record as fetched (lossless JSON). If this patch already holds a
    /// `replace` of `customFields` (from an earlier call or from
    /// [`Patch::replace_custom_fields`]), the change is applied to that array instead, so several
    /// calls compose into one operation rather than the last one undoing the others.
    ///
    /// Captions match exactly and case-sensitively; `value` `null` clears the field. See
    /// [`custom_fields_with_value`] for the errors.
    ///
    /// ```
    /// use connectwise_manage::patch::Patch;
    /// use serde_json::json;
    ///
    /// let record = json!({"id": 7, "customFields": [
    ///     {"id": 5, "caption": "CloudPlus", "type": "Checkbox", "value": false},
    ///     {"id": 6, "caption": "Region", "type": "Text", "value": "EU"}
    /// ]});
    /// let patch = Patch::new()
    ///     .set_custom_field(&record, "CloudPlus", json!(true))?
    ///     .set_custom_field(&record, "Region", json!(null))?;
    /// assert_eq!(
    ///     serde_json::to_value(&patch)?,
    ///     json!([{"op": "replace", "path": "customFields", "value": [
    ///         {"id": 5, "caption": "CloudPlus", "type": "Checkbox", "value": true},
    ///         {"id": 6, "caption": "Region", "type": "Text", "value": null}
    ///     ]}])
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_custom_field(
        mut self,
        record: &Value,
        caption: &str,
        value: Value,
    ) -> Result<Self, PatchError> {
        let pending = self.operations.iter_mut().rev().find_map(|op| match op {
            PatchOperation::Replace {
                path,
                value: Value::Array(fields),
            } if path.as_str() == CUSTOM_FIELDS => Some(fields),
            _ => None,
        });
        if let Some(fields) = pending {
            set_value_by_caption(fields, caption, value)?;
            return Ok(self);
        }
        let fields = custom_fields_with_value(record, caption, value)?;
        Ok(self.push(PatchOperation::Replace {
            path: PatchPath::trusted(CUSTOM_FIELDS),
            value: Value::Array(fields),
        }))
    }

    /// Appends an already-built operation.
    pub fn push(mut self, operation: PatchOperation) -> Self {
        self.operations.push(operation);
        self
    }

    /// The operations, in the order they will be sent.
    pub fn operations(&self) -> &[PatchOperation] {
        &self.operations
    }

    /// Consumes the patch, returning its operations.
    pub fn into_operations(self) -> Vec<PatchOperation> {
        self.operations
    }

    /// The number of operations.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    /// Whether the patch has no operations.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    fn reference_at(self, path: &'static str, reference: Reference) -> Self {
        self.push(PatchOperation::Replace {
            path: PatchPath::trusted(path),
            value: reference.to_value(),
        })
    }
}

impl From<Vec<PatchOperation>> for Patch {
    fn from(operations: Vec<PatchOperation>) -> Self {
        Self { operations }
    }
}

impl FromIterator<PatchOperation> for Patch {
    fn from_iter<I: IntoIterator<Item = PatchOperation>>(iter: I) -> Self {
        Self {
            operations: iter.into_iter().collect(),
        }
    }
}

impl Extend<PatchOperation> for Patch {
    fn extend<I: IntoIterator<Item = PatchOperation>>(&mut self, iter: I) {
        self.operations.extend(iter);
    }
}

impl IntoIterator for Patch {
    type Item = PatchOperation;
    type IntoIter = std::vec::IntoIter<PatchOperation>;

    fn into_iter(self) -> Self::IntoIter {
        self.operations.into_iter()
    }
}

fn path_and_value(path: &str, value: impl Serialize) -> Result<(PatchPath, Value), PatchError> {
    let path = PatchPath::parse(path)?;
    let value = to_value(path.as_str(), value)?;
    Ok((path, value))
}

fn to_value(path: &str, value: impl Serialize) -> Result<Value, PatchError> {
    serde_json::to_value(value).map_err(|source| PatchError::Serialize {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_paths_satisfy_the_rules() {
        for path in [
            "status",
            "board",
            "priority",
            "company",
            "contact",
            "owner",
            CUSTOM_FIELDS,
        ] {
            let parsed = PatchPath::parse(path).expect("constant path is valid");
            assert_eq!(parsed, PatchPath::trusted(path));
        }
    }

    #[test]
    fn serialises_to_the_operations_in_order() {
        let patch = Patch::new()
            .status_id(1)
            .remove("summary")
            .expect("valid path")
            .add("communicationItems/-", serde_json::json!({"value": "x"}))
            .expect("valid path");
        assert_eq!(
            serde_json::to_value(&patch).expect("serialises"),
            serde_json::json!([
                {"op": "replace", "path": "status", "value": {"id": 1}},
                {"op": "remove", "path": "summary"},
                {"op": "add", "path": "communicationItems/-", "value": {"value": "x"}},
            ])
        );
        assert_eq!(patch.len(), 3);
    }
}
