//! Custom field updates: whole-array replacement and read-modify-write by caption.

use connectwise_manage::patch::{Patch, PatchError, custom_fields_with_value};
use insta::assert_json_snapshot;
use serde::Serialize;
use serde_json::{Value, json};

/// A contact as fetched: custom fields carry keys the SDK's models may not know.
fn fetched_contact() -> Value {
    json!({
        "id": 57960,
        "firstName": "Dana",
        "customFields": [
            {"id": 5, "caption": "Portal Access", "type": "Checkbox", "entryMethod": "EntryField",
             "numberOfDecimals": 0, "value": false, "connectWiseId": "1d2e3f40-aaaa-bbbb-cccc-0123456789ab",
             "rowNum": 1, "userDefinedFieldRecId": 5, "podId": "contact_overview"},
            {"id": 9, "caption": "Region", "type": "Text", "entryMethod": "List",
             "numberOfDecimals": 0, "value": "EU"},
            {"id": 12, "caption": "region", "type": "Text", "entryMethod": "EntryField",
             "numberOfDecimals": 0, "value": null},
            {"id": 14, "caption": "Seats", "type": "Number", "entryMethod": "EntryField",
             "numberOfDecimals": 2, "value": 12.5}
        ]
    })
}

#[test]
fn one_field_changes_and_the_rest_is_kept_as_fetched() {
    let record = fetched_contact();
    let fields =
        custom_fields_with_value(&record, "Region", json!("APAC")).expect("caption exists");
    let original = record["customFields"].as_array().expect("array");
    assert_eq!(fields.len(), original.len());
    for (index, (new, old)) in fields.iter().zip(original).enumerate() {
        if index == 1 {
            let mut expected = old.clone();
            expected["value"] = json!("APAC");
            assert_eq!(new, &expected);
        } else {
            assert_eq!(new, old, "element {index} must be untouched");
        }
    }
}

#[test]
fn set_custom_field_patch_body() {
    let record = fetched_contact();
    let patch = Patch::new()
        .replace("firstName", "Dana")
        .expect("valid path")
        .set_custom_field(&record, "Portal Access", json!(true))
        .expect("caption exists")
        .set_custom_field(&record, "region", json!("north"))
        .expect("caption exists")
        .set_custom_field(&record, "Seats", Value::Null)
        .expect("caption exists");
    // Several calls compose into one replace of the whole array.
    assert_eq!(patch.len(), 2);
    assert_json_snapshot!("set_custom_field_patch_body", patch);
}

#[test]
fn captions_match_exactly() {
    let record = fetched_contact();
    let upper = custom_fields_with_value(&record, "Region", json!(1)).expect("caption exists");
    let lower = custom_fields_with_value(&record, "region", json!(1)).expect("caption exists");
    assert_eq!(upper[1]["value"], json!(1));
    assert_eq!(upper[2]["value"], Value::Null);
    assert_eq!(lower[1]["value"], json!("EU"));
    assert_eq!(lower[2]["value"], json!(1));
    assert!(matches!(
        custom_fields_with_value(&record, "REGION", json!(1)),
        Err(PatchError::CaptionNotFound { .. })
    ));
    assert!(matches!(
        custom_fields_with_value(&record, "Region ", json!(1)),
        Err(PatchError::CaptionNotFound { .. })
    ));
}

#[test]
fn unknown_caption_lists_the_available_ones() {
    let error = custom_fields_with_value(&fetched_contact(), "Tier", json!("gold"))
        .expect_err("no such caption");
    match &error {
        PatchError::CaptionNotFound { caption, available } => {
            assert_eq!(caption, "Tier");
            assert_eq!(available, &["Portal Access", "Region", "region", "Seats"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    insta::assert_snapshot!("unknown_caption_message", error.to_string());
}

#[test]
fn duplicate_captions_are_ambiguous() {
    let record = json!({"customFields": [
        {"id": 3, "caption": "Tier", "value": "a"},
        {"id": 4, "caption": "Tier", "value": "b"},
        {"id": 5, "caption": "Other", "value": "c"}
    ]});
    match custom_fields_with_value(&record, "Tier", json!("gold")) {
        Err(PatchError::AmbiguousCaption {
            caption,
            count,
            ids,
        }) => {
            assert_eq!(caption, "Tier");
            assert_eq!(count, 2);
            assert_eq!(ids, [3, 4]);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        Patch::new()
            .set_custom_field(&record, "Tier", json!("gold"))
            .is_err()
    );
}

#[test]
fn records_without_custom_fields_are_refused() {
    for record in [
        json!({"id": 1}),
        json!({"id": 1, "customFields": null}),
        json!({"id": 1, "customFields": "none"}),
        json!("not a record"),
    ] {
        assert!(
            matches!(
                Patch::new().set_custom_field(&record, "Region", json!("EU")),
                Err(PatchError::MissingCustomFields { .. })
            ),
            "{record}"
        );
    }
}

#[test]
fn set_custom_field_builds_on_an_earlier_whole_array_replace() {
    let patch = Patch::new()
        .replace_custom_fields(vec![json!({"id": 1, "caption": "A", "value": 1})])
        .expect("array")
        .set_custom_field(&fetched_contact(), "A", json!(2))
        .expect("caption exists in the pending array");
    assert_eq!(
        serde_json::to_value(&patch).expect("a patch serialises"),
        json!([{"op": "replace", "path": "customFields", "value": [
            {"id": 1, "caption": "A", "value": 2}
        ]}])
    );
}

#[test]
fn replace_custom_fields_takes_any_serialisable_array() {
    #[derive(Serialize)]
    struct FieldValue {
        id: i64,
        value: Option<bool>,
    }
    let patch = Patch::new()
        .replace_custom_fields([
            FieldValue {
                id: 5,
                value: Some(true),
            },
            FieldValue { id: 6, value: None },
        ])
        .expect("array");
    assert_eq!(
        serde_json::to_value(&patch).expect("a patch serialises"),
        json!([{"op": "replace", "path": "customFields", "value": [
            {"id": 5, "value": true}, {"id": 6, "value": null}
        ]}])
    );
    match Patch::new().replace_custom_fields(json!({"id": 5})) {
        Err(PatchError::CustomFieldsNotArray { found }) => assert_eq!(found, "an object"),
        other => panic!("unexpected {other:?}"),
    }
}
