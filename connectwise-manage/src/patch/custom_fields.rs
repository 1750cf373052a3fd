//! Read-modify-write of a record's `customFields` array.
//!
//! ConnectWise cannot patch one custom field: a PATCH must replace the whole `customFields`
//! array. To change one field safely, take the record as fetched (kept as a lossless
//! [`serde_json::Value`], so nothing the SDK's models do not know about is dropped), change the
//! `value` of the single element with the wanted caption, and send every other element back
//! exactly as it came.

use serde_json::Value;

use super::PatchError;
use super::path::CUSTOM_FIELDS;

/// Returns the record's `customFields` array with the `value` of the field captioned `caption`
/// set to `value`, every other element (and every other key of the changed element) left as
/// fetched.
///
/// * `record` is the record as returned by a GET, as JSON.
/// * `caption` is matched **exactly and case-sensitively** against each element's `caption`:
///   captions are free text chosen by the administrator, and two captions that differ only in
///   case are different fields. Elements without a string `caption` are kept but never match.
/// * `value` is any JSON; `null` clears the field.
///
/// # Errors
///
/// * [`PatchError::MissingCustomFields`] when the record is not an object or has no
///   `customFields` array (for example when it was fetched with a `fields` filter).
/// * [`PatchError::CaptionNotFound`] listing the captions that exist.
/// * [`PatchError::AmbiguousCaption`] when several elements share the caption.
///
/// ```
/// use connectwise_manage::patch::custom_fields_with_value;
/// use serde_json::json;
///
/// let record = json!({
///     "id": 42,
///     "customFields": [
///         {"id": 5, "caption": "CloudPlus", "type": "Checkbox", "value": false},
///         {"id": 6, "caption": "Region", "type": "Text", "value": "EU"}
///     ]
/// });
/// let fields = custom_fields_with_value(&record, "CloudPlus", json!(true))?;
/// assert_eq!(fields[0]["value"], json!(true));
/// assert_eq!(fields[1], record["customFields"][1]);
/// # Ok::<(), connectwise_manage::patch::PatchError>(())
/// ```
pub fn custom_fields_with_value(
    record: &Value,
    caption: &str,
    value: Value,
) -> Result<Vec<Value>, PatchError> {
    let mut fields = record_custom_fields(record)?.to_vec();
    set_value_by_caption(&mut fields, caption, value)?;
    Ok(fields)
}

/// The record's `customFields` array, borrowed.
fn record_custom_fields(record: &Value) -> Result<&[Value], PatchError> {
    let object = record.as_object().ok_or(PatchError::MissingCustomFields {
        reason: "the record is not a JSON object",
    })?;
    match object.get(CUSTOM_FIELDS) {
        Some(Value::Array(fields)) => Ok(fields),
        Some(Value::Null) | None => Err(PatchError::MissingCustomFields {
            reason: "the key is absent or null (was the record fetched with a `fields` filter?)",
        }),
        Some(_) => Err(PatchError::MissingCustomFields {
            reason: "`customFields` is not an array",
        }),
    }
}

/// Sets the `value` of the single element captioned `caption`.
pub(crate) fn set_value_by_caption(
    fields: &mut [Value],
    caption: &str,
    value: Value,
) -> Result<(), PatchError> {
    let matching: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, field)| caption_of(field) == Some(caption))
        .map(|(index, _)| index)
        .collect();
    match matching.as_slice() {
        [] => Err(PatchError::CaptionNotFound {
            caption: caption.to_owned(),
            available: fields
                .iter()
                .filter_map(caption_of)
                .map(str::to_owned)
                .collect(),
        }),
        [index] => {
            if let Some(object) = fields[*index].as_object_mut() {
                object.insert("value".to_owned(), value);
            }
            Ok(())
        }
        several => Err(PatchError::AmbiguousCaption {
            caption: caption.to_owned(),
            count: several.len(),
            ids: several
                .iter()
                .filter_map(|&index| fields[index].get("id").and_then(Value::as_i64))
                .filter_map(|id| i32::try_from(id).ok())
                .collect(),
        }),
    }
}

fn caption_of(field: &Value) -> Option<&str> {
    field.get("caption").and_then(Value::as_str)
}

/// A short description of a JSON value's kind, for error messages that must not quote values.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn element_without_value_key_gets_one() {
        let record = json!({"customFields": [{"id": 1, "caption": "A"}]});
        let fields = custom_fields_with_value(&record, "A", Value::Null).expect("caption exists");
        assert_eq!(fields, [json!({"id": 1, "caption": "A", "value": null})]);
    }

    #[test]
    fn elements_without_caption_are_kept_and_not_listed() {
        let record = json!({"customFields": [{"id": 1}, {"id": 2, "caption": "B"}, 7]});
        match custom_fields_with_value(&record, "A", json!(1)) {
            Err(PatchError::CaptionNotFound { available, .. }) => assert_eq!(available, ["B"]),
            other => panic!("unexpected {other:?}"),
        }
        let fields = custom_fields_with_value(&record, "B", json!(1)).expect("caption exists");
        assert_eq!(fields[0], json!({"id": 1}));
        assert_eq!(fields[2], json!(7));
    }

    #[test]
    fn non_object_records_are_refused() {
        for record in [
            json!([]),
            json!({"customFields": null}),
            json!({"customFields": {}}),
        ] {
            assert!(matches!(
                custom_fields_with_value(&record, "A", json!(1)),
                Err(PatchError::MissingCustomFields { .. })
            ));
        }
    }
}
