//! A single JSON Patch operation in the form ConnectWise accepts.

use serde_json::Value;

use super::PatchPath;

/// One operation of a ConnectWise PATCH body.
///
/// Serialises to `{"op":"replace","path":"summary","value":"New"}`; `remove` carries no `value`.
/// A `value` of JSON `null` is sent as `null` (that is how a field is cleared), never dropped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum PatchOperation {
    /// Replace the value at `path`.
    Replace {
        /// Where to write.
        path: PatchPath,
        /// The new value.
        value: Value,
    },
    /// Add a value at `path` (for arrays: insert at an index, or append with `-`).
    Add {
        /// Where to write.
        path: PatchPath,
        /// The value to add.
        value: Value,
    },
    /// Remove the value at `path`.
    Remove {
        /// What to remove.
        path: PatchPath,
    },
}

impl PatchOperation {
    /// The operation's name as sent in `op`: `"replace"`, `"add"` or `"remove"`.
    pub fn op(&self) -> &'static str {
        match self {
            Self::Replace { .. } => "replace",
            Self::Add { .. } => "add",
            Self::Remove { .. } => "remove",
        }
    }

    /// The path the operation applies to.
    pub fn path(&self) -> &PatchPath {
        match self {
            Self::Replace { path, .. } | Self::Add { path, .. } | Self::Remove { path } => path,
        }
    }

    /// The operation's value, if it has one (`remove` has none).
    pub fn value(&self) -> Option<&Value> {
        match self {
            Self::Replace { value, .. } | Self::Add { value, .. } => Some(value),
            Self::Remove { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_in_connectwise_shape() {
        let path = PatchPath::parse("/summary").expect("valid path");
        let replace = PatchOperation::Replace {
            path: path.clone(),
            value: json!("New"),
        };
        let remove = PatchOperation::Remove { path: path.clone() };
        let clear = PatchOperation::Add {
            path,
            value: Value::Null,
        };
        assert_eq!(
            serde_json::to_string(&replace).expect("serialises"),
            r#"{"op":"replace","path":"summary","value":"New"}"#
        );
        assert_eq!(
            serde_json::to_string(&remove).expect("serialises"),
            r#"{"op":"remove","path":"summary"}"#
        );
        assert_eq!(
            serde_json::to_value(&clear).expect("serialises"),
            json!({"op": "add", "path": "summary", "value": null})
        );
    }
}
