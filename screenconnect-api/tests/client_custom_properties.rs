//! The custom-property read-modify-write: one slot changes, the other seven are written back as
//! they were.

mod client_support;

use client_support::{Harness, SESSION_ID, session_json};
use insta::assert_json_snapshot;
use screenconnect_api::Error;
use screenconnect_api::models::{CustomPropertyError, SessionId};
use serde_json::json;

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

#[tokio::test]
async fn one_slot_changes_and_the_others_are_kept() {
    let h = Harness::start().await;
    h.answer_json("GetSessionBySessionID", 200, json!([session_json(true)]))
        .await;
    h.answer_empty("UpdateSessionCustomProperties").await;
    let written = h
        .client()
        .set_custom_property(&id(), 3, "Laptop")
        .await
        .unwrap();
    assert_eq!(
        written.as_array(),
        &["Acme Ltd", "HQ", "Laptop", "", "", "", "Tag7", ""].map(String::from)
    );
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn an_unchanged_value_is_not_written() {
    let h = Harness::start().await;
    h.answer_json("GetSessionBySessionID", 200, json!([session_json(true)]))
        .await;
    h.answer_empty("UpdateSessionCustomProperties").await;
    let current = h
        .client()
        .set_custom_property(&id(), 2, "HQ")
        .await
        .unwrap();
    assert_eq!(current.get(2).unwrap(), "HQ");
    assert_eq!(h.count("UpdateSessionCustomProperties").await, 0);
}

#[tokio::test]
async fn a_missing_session_writes_nothing() {
    let h = Harness::start().await;
    h.answer_json("GetSessionBySessionID", 200, json!([])).await;
    h.answer_empty("UpdateSessionCustomProperties").await;
    let error = h
        .client()
        .set_custom_property(&id(), 1, "Acme")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Build { .. }), "{error:?}");
    assert!(error.to_string().contains("was not found"), "{error}");
    assert!(error.to_string().contains("nothing was written"), "{error}");
    assert_eq!(h.count("UpdateSessionCustomProperties").await, 0);
}

#[tokio::test]
async fn a_session_read_without_custom_properties_is_never_written_over() {
    for missing in [None, Some(json!(null))] {
        let h = Harness::start().await;
        let mut session = session_json(true);
        let object = session.as_object_mut().unwrap();
        object.remove("CustomPropertyValues");
        if let Some(value) = &missing {
            object.insert("CustomPropertyValues".to_owned(), value.clone());
        }
        h.answer_json("GetSessionBySessionID", 200, json!([session]))
            .await;
        h.answer_empty("UpdateSessionCustomProperties").await;
        let error = h
            .client()
            .set_custom_property(&id(), 3, "Laptop")
            .await
            .unwrap_err();
        let source = std::error::Error::source(&error)
            .and_then(|source| source.downcast_ref::<CustomPropertyError>());
        assert_eq!(source, Some(&CustomPropertyError::NotRead), "{error:?}");
        assert!(error.to_string().contains("nothing was written"), "{error}");
        assert_eq!(h.count("UpdateSessionCustomProperties").await, 0);
    }
}

#[tokio::test]
async fn an_index_outside_one_to_eight_is_refused_before_any_request() {
    let h = Harness::start().await;
    let client = h.client();
    for index in [0, 9] {
        let error = client
            .set_custom_property(&id(), index, "x")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Build { .. }), "{error:?}");
        assert!(error.to_string().contains("1 to 8"), "{error}");
    }
    assert!(h.requests().await.is_empty());
}

#[tokio::test]
async fn the_object_form_of_custom_properties_is_read_too() {
    let h = Harness::start().await;
    let mut session = session_json(false);
    session
        .as_object_mut()
        .unwrap()
        .remove("CustomPropertyValues");
    session["CustomProperties"] = json!({"CustomProperty1": "Acme Ltd", "CustomProperty8": "Last"});
    h.answer_json("GetSessionBySessionID", 200, json!([session]))
        .await;
    h.answer_empty("UpdateSessionCustomProperties").await;
    let written = h
        .client()
        .set_custom_property(&id(), 2, "Branch")
        .await
        .unwrap();
    assert_eq!(
        written.as_array(),
        &["Acme Ltd", "Branch", "", "", "", "", "", "Last"].map(String::from)
    );
}
