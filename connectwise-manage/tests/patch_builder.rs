//! Bodies built by `connectwise_manage::patch::Patch`, and the paths it refuses.

use connectwise_manage::patch::{Patch, PatchError, PatchOperation, PatchPath, Reference};
use insta::assert_json_snapshot;
use serde::Serialize;
use serde::ser::Error as _;
use serde_json::json;

#[test]
fn ticket_update_body() {
    let patch = Patch::new()
        .replace("summary", "Printer offline on 3rd floor")
        .expect("valid path")
        .status_id(5)
        .board_name("Service Board")
        .priority_id(3)
        .owner_identifier("jdoe")
        .company_identifier("NorthwindTraders")
        .contact_id(812)
        .replace("budgetHours", 1.5)
        .expect("valid path")
        .replace("requiredDate", Option::<String>::None)
        .expect("valid path");
    assert_json_snapshot!("ticket_update_body", patch);
}

#[test]
fn contact_update_with_array_paths() {
    let patch = Patch::new()
        .replace("/firstName", "Dana")
        .expect("valid path")
        .replace("/communicationItems/1/value", "dana@northwind.example")
        .expect("valid path")
        .add(
            "communicationItems/-",
            json!({"type": {"id": 2}, "value": "555-0100", "communicationType": "Phone"}),
        )
        .expect("valid path")
        .remove("/communicationItems/0")
        .expect("valid path")
        .replace_reference("communicationItems/1/type", Reference::name("Direct"))
        .expect("valid path");
    assert_json_snapshot!("contact_update_with_array_paths", patch);
}

#[test]
fn reference_helpers_replace_whole_objects() {
    let patch = Patch::new()
        .replace_reference("status", Reference::id(5))
        .expect("valid path")
        .replace_reference("/company", Reference::identifier("ABC"))
        .expect("valid path")
        .replace_reference("board", Reference::name("Service Board"))
        .expect("valid path")
        .status_name("In Progress")
        .board_id(1)
        .company_id(250)
        .owner_id(178);
    assert_json_snapshot!("reference_helpers", patch);
    assert_eq!(
        serde_json::to_string(&patch.operations()[0]).expect("serialises"),
        r#"{"op":"replace","path":"status","value":{"id":5}}"#
    );
}

#[test]
fn serialisable_structs_and_nulls_are_sent_as_given() {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Site {
        address_line1: String,
        zip: Option<String>,
    }
    let patch = Patch::new()
        .replace(
            "site",
            Site {
                address_line1: "1 Main St".to_owned(),
                zip: None,
            },
        )
        .expect("valid path")
        .replace("doneFlag", false)
        .expect("valid path")
        .replace("resolveMinutes", 0)
        .expect("valid path");
    assert_eq!(
        serde_json::to_value(&patch).expect("a patch serialises"),
        json!([
            {"op": "replace", "path": "site", "value": {"addressLine1": "1 Main St", "zip": null}},
            {"op": "replace", "path": "doneFlag", "value": false},
            {"op": "replace", "path": "resolveMinutes", "value": 0}
        ])
    );
}

#[test]
fn reference_sub_paths_are_refused_with_guidance() {
    for (path, reference) in [
        ("status/id", "status"),
        ("/company/identifier", "company"),
        ("board/name", "board"),
        ("site/id", "site"),
    ] {
        let error = Patch::new()
            .replace(path, 5)
            .expect_err("reference sub-path must be refused");
        match &error {
            PatchError::ReferenceSubPath {
                path: p,
                reference: r,
            } => {
                assert_eq!(p, path);
                assert_eq!(r, reference);
            }
            other => panic!("{path}: unexpected {other:?}"),
        }
        let message = error.to_string();
        assert!(message.contains(path), "{message}");
        assert!(message.contains("replace the whole object"), "{message}");
    }
    // Every entry point applies the same rule.
    assert!(Patch::new().remove("status/id").is_err());
    assert!(Patch::new().add("owner/identifier", "jdoe").is_err());
    assert!(
        Patch::new()
            .replace_reference("status/id", Reference::id(5))
            .is_err()
    );
    assert!("board/name".parse::<PatchPath>().is_err());
}

#[test]
fn reference_sub_path_message() {
    let error = Patch::new()
        .replace("company/identifier", "ABC")
        .expect_err("refused");
    insta::assert_snapshot!("reference_sub_path_message", error.to_string());
}

#[test]
fn custom_field_sub_paths_are_refused() {
    let error = Patch::new()
        .replace("customFields/0/value", true)
        .expect_err("refused");
    assert!(
        matches!(error, PatchError::CustomFieldSubPath { ref path } if path == "customFields/0/value")
    );
    assert!(error.to_string().contains("set_custom_field"));
}

#[test]
fn malformed_paths_are_refused() {
    for path in ["", "/", "status//id", "summary/", "sum mary", "status.id"] {
        match Patch::new().replace(path, 1) {
            Err(PatchError::InvalidPath { path: p, .. }) => assert_eq!(p, path),
            other => panic!("{path:?}: unexpected {other:?}"),
        }
    }
}

#[test]
fn serialisation_failures_are_typed_errors() {
    struct Unserialisable;
    impl Serialize for Unserialisable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(S::Error::custom("clock is not representable"))
        }
    }
    match Patch::new().replace("/summary", Unserialisable) {
        Err(PatchError::Serialize { path, source }) => {
            assert_eq!(path, "summary");
            assert!(source.to_string().contains("clock is not representable"));
        }
        other => panic!("unexpected {other:?}"),
    }
    // Maps with non-string keys cannot become JSON objects.
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 1);
    assert!(matches!(
        Patch::new().add("x", map),
        Err(PatchError::Serialize { .. })
    ));
}

#[test]
fn operations_can_be_collected_and_inspected() {
    let path = PatchPath::parse("/summary").expect("valid path");
    let patch: Patch = vec![
        PatchOperation::Replace {
            path: path.clone(),
            value: json!("x"),
        },
        PatchOperation::Remove { path },
    ]
    .into_iter()
    .collect();
    assert_eq!(patch.len(), 2);
    assert!(!patch.is_empty());
    assert_eq!(patch.operations()[1].op(), "remove");
    assert_eq!(patch.operations()[1].value(), None);
    assert_eq!(patch.operations()[0].path().as_str(), "summary");
    assert_eq!(
        serde_json::to_string(&patch).expect("serialises"),
        r#"[{"op":"replace","path":"summary","value":"x"},{"op":"remove","path":"summary"}]"#
    );
    assert_eq!(
        serde_json::to_string(&Patch::new()).expect("serialises"),
        "[]"
    );
}
