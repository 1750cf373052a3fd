//! Parsing callback bodies and decoding their entity.

use connectwise_manage::callbacks::{CallbackAction, CallbackError, CallbackPayload};
use serde::Deserialize;
use serde_json::{Value, json};

const CONTACT_ADDED: &[u8] = include_bytes!("fixtures/callback_contact_added.json");
const CONTACT_DELETED: &[u8] = include_bytes!("fixtures/callback_contact_deleted.json");
const TICKET_UPDATED: &[u8] = include_bytes!("fixtures/callback_ticket_updated.json");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contact {
    id: i64,
    first_name: String,
    company: CompanyRef,
    custom_fields: Vec<Value>,
}

#[derive(Debug, Deserialize)]
struct CompanyRef {
    identifier: String,
}

#[test]
fn added_contact_parses_with_all_keys() {
    let payload = CallbackPayload::from_slice(CONTACT_ADDED).expect("valid payload");
    assert_eq!(payload.action, CallbackAction::Added);
    assert_eq!(payload.id, 57960);
    assert_eq!(payload.callback_type, "contact");
    assert_eq!(payload.company_id, "northwind");
    assert_eq!(payload.member_id, "jdoe");
    assert_eq!(payload.from_url, "na.myconnectwise.net");
    assert_eq!(payload.callback_object_rec_id, Some(26604));
    assert_eq!(
        payload.message_id.as_deref(),
        Some("6f3c1e2a-8d4b-4c7e-9a15-2b7d0c9e4f81")
    );
    assert_eq!(
        payload.partner_id.as_deref(),
        Some("5f1a2b3c4d5e6f7a8b9c0d1e")
    );
    assert_eq!(
        payload.product_instance_id.as_deref(),
        Some("6a7b8c9d0e1f2a3b4c5d6e7f")
    );
    assert!(payload.key_url().starts_with(
        "https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=northwind&id="
    ));
    assert!(payload.extra.is_empty());
    assert!(!payload.is_deleted());

    let contact: Contact = payload.entity().expect("decodes").expect("present");
    assert_eq!(contact.id, 57960);
    assert_eq!(contact.first_name, "Dana");
    assert_eq!(contact.company.identifier, "NorthwindTraders");
    assert_eq!(contact.custom_fields[0]["value"], Value::Null);

    // Lossless access to the record.
    let raw: Value = payload.entity().expect("decodes").expect("present");
    assert_eq!(
        raw["_info"]["communications_href"],
        "https://na.myconnectwise.net/v2025_1//apis/3.0/company/contacts/57960/communications"
    );
}

#[test]
fn deleted_contact_has_no_entity() {
    let payload = CallbackPayload::from_slice(CONTACT_DELETED).expect("valid payload");
    assert!(payload.is_deleted());
    assert_eq!(payload.entity, None);
    assert!(
        payload
            .entity::<Contact>()
            .expect("nothing to decode")
            .is_none()
    );
}

#[test]
fn unknown_keys_are_kept_and_round_trip() {
    let payload = CallbackPayload::from_slice(TICKET_UPDATED).expect("valid payload");
    assert_eq!(payload.extra.get("PayloadVersion"), Some(&json!("3.0.0")));
    assert_eq!(payload.callback_object_rec_id, None);

    let original: Value = serde_json::from_slice(TICKET_UPDATED).expect("json");
    let round_trip = serde_json::to_value(&payload).expect("serialises");
    assert_eq!(round_trip, original);
}

#[test]
fn entity_decode_errors_name_the_path_inside_the_entity() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Ticket {
        id: i64,
        status: Status,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Status {
        id: i64,
    }
    let payload = CallbackPayload::from_slice(TICKET_UPDATED).expect("valid payload");
    match payload.entity::<Ticket>() {
        Err(CallbackError::Entity { path, .. }) => assert_eq!(path, "status.id"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn payload_errors_name_the_path() {
    let cases: [(&[u8], &str); 4] = [
        (br#"{"Action":"added","ID":"x"}"#, "ID"),
        (
            br#"{"Action":"added","ID":1,"Type":"ticket","CompanyId":"c","MemberId":"m","FromUrl":"h","Metadata":{}}"#,
            "Metadata",
        ),
        (
            br#"{"Action":"added","ID":1,"Type":"ticket","CompanyId":"c","MemberId":"m","FromUrl":"h","Metadata":{"key_url":"u"},"Entity":5}"#,
            "Entity",
        ),
        (b"[1]", "."),
    ];
    for (body, expected) in cases {
        match CallbackPayload::from_slice(body) {
            Err(CallbackError::Payload { path, .. }) => {
                assert_eq!(path, expected)
            }
            other => panic!("{}: unexpected {other:?}", String::from_utf8_lossy(body)),
        }
    }
    assert!(matches!(
        CallbackPayload::from_slice(b"{\"Action\":\"added\"} trailing"),
        Err(CallbackError::Payload { .. })
    ));
    assert!(matches!(
        CallbackPayload::from_slice(b""),
        Err(CallbackError::Payload { .. })
    ));
}

#[test]
fn entity_variants_are_tolerated() {
    let base = json!({
        "Action": "Updated", "ID": 1, "Type": "ticket", "CompanyId": "c", "MemberId": "m",
        "FromUrl": "h", "Metadata": {"key_url": "https://h/k", "other": 1}
    });
    let with = |entity: Option<Value>| {
        let mut body = base.clone();
        if let Some(entity) = entity {
            body["Entity"] = entity;
        }
        CallbackPayload::from_slice(body.to_string().as_bytes()).expect("valid payload")
    };
    assert_eq!(with(None).entity, None);
    assert_eq!(with(Some(json!(""))).entity, None);
    assert_eq!(with(Some(Value::Null)).entity, None);
    let inline = with(Some(json!({"id": 1})));
    assert_eq!(
        inline.entity::<Value>().expect("decodes"),
        Some(json!({"id": 1}))
    );
    let payload = with(None);
    assert_eq!(payload.action, CallbackAction::Updated);
    assert_eq!(payload.metadata.extra.get("other"), Some(&json!(1)));
    let other =
        CallbackPayload::from_slice(base.to_string().replace("Updated", "merged").as_bytes())
            .expect("valid payload");
    assert_eq!(other.action, CallbackAction::Other("merged".to_owned()));
}

#[test]
fn debug_output_hides_the_key_url_query() {
    let payload = CallbackPayload::from_slice(CONTACT_ADDED).expect("valid payload");
    let debug = format!("{payload:?}");
    assert!(!debug.contains("0b6c2d44"), "{debug}");
    assert!(debug.contains("na.myconnectwise.net"));
}
