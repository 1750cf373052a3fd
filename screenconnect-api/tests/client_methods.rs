//! Every typed method against a mock server: the request it sends (method, path, headers and
//! body, snapshotted with the secret redacted) and how it reads the answer.

mod client_support;

use client_support::{Harness, SESSION_ID, details_json, session_json};
use insta::assert_json_snapshot;
use screenconnect_api::filter::{Field, Filter, SessionFilter};
use screenconnect_api::models::{CustomProperties, SessionId, SessionType};
use screenconnect_api::{Error, NewSession, OriginHeader, ReadArgs};
use serde_json::json;

fn id() -> SessionId {
    SessionId::new(SESSION_ID).unwrap()
}

#[tokio::test]
async fn sessions_by_name() {
    let h = Harness::start().await;
    h.answer_json("GetSessionsByName", 200, json!([session_json(false)]))
        .await;
    let sessions = h.client().sessions_by_name("ACME-LT-042").await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session_id.as_str(), SESSION_ID);
    assert_eq!(sessions[0].custom_properties.get(1).unwrap(), "Acme Ltd");
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn session_by_id_maps_the_list_to_an_option() {
    let h = Harness::start().await;
    h.answer_json("GetSessionBySessionID", 200, json!([session_json(true)]))
        .await;
    let session = h.client().session(&id()).await.unwrap().unwrap();
    assert_eq!(session.display_name(), "ACME-LT-042");
    assert!(session.is_online());
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn session_by_id_empty_list_is_none() {
    let h = Harness::start().await;
    h.answer_json("GetSessionBySessionID", 200, json!([])).await;
    assert_eq!(h.client().session(&id()).await.unwrap(), None);
}

#[tokio::test]
async fn session_by_id_accepts_a_bare_object_and_upper_case_ids() {
    let h = Harness::start().await;
    let mut session = session_json(false);
    session["SessionID"] = json!(SESSION_ID.to_uppercase());
    h.answer_json("GetSessionBySessionID", 200, session).await;
    let found = h.client().session(&id()).await.unwrap().unwrap();
    assert_eq!(found.session_id.as_str(), SESSION_ID.to_uppercase());
}

#[tokio::test]
async fn session_by_id_ignores_sessions_with_other_ids() {
    let h = Harness::start().await;
    let mut other = session_json(false);
    other["SessionID"] = json!("00000000-0000-4000-8000-000000000000");
    h.answer_json("GetSessionBySessionID", 200, json!([other]))
        .await;
    assert_eq!(h.client().session(&id()).await.unwrap(), None);
}

#[tokio::test]
async fn session_details() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessionDetailsBySessionID",
        200,
        details_json(
            true,
            json!([{"EventID": "e1", "EventType": 32, "Time": "2026-07-19T06:30:00Z", "Host": "Jane", "Data": "Replaced battery"}]),
        ),
    )
    .await;
    let details = h.client().session_details(&id()).await.unwrap();
    assert_eq!(details.events.len(), 1);
    assert!(details.is_online());
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn session_details_null_body_is_a_decode_error() {
    let h = Harness::start().await;
    h.answer_raw(
        "GetSessionDetailsBySessionID",
        200,
        "null",
        "application/json",
    )
    .await;
    let error = h.client().session_details(&id()).await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn sessions_by_filter_sends_the_rendered_filter() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessionsByFilter",
        200,
        json!([session_json(true), session_json(false)]),
    )
    .await;
    let filter = Field::new("SessionType")
        .unwrap()
        .equals(SessionType::Access)
        .and(Field::custom_property(1).unwrap().equals("O'Brien & Sons"));
    let sessions = h.client().sessions_where(&filter).await.unwrap();
    assert_eq!(sessions.len(), 2);
    let raw = SessionFilter::from_raw("GuestMachineName = 'ACME-LT-042'").unwrap();
    h.client().sessions_by_filter(&raw).await.unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn empty_filters_are_refused_before_sending() {
    let h = Harness::start().await;
    let error = h
        .client()
        .sessions_where(&Filter::all([]))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Build { .. }), "{error:?}");
    assert!(error.to_string().contains("GetSessionsByFilter"), "{error}");
    // The filter's own error is the source, not repeated in this level's message.
    let source = std::error::Error::source(&error)
        .expect("the filter error")
        .to_string();
    assert!(!error.to_string().contains(&source), "{error} / {source}");
    assert!(SessionFilter::from_raw("   ").is_err());
    assert!(h.requests().await.is_empty());
}

#[tokio::test]
async fn named_read_arguments() {
    let h = Harness::start().await;
    h.answer_json("GetSessionsByName", 200, json!([])).await;
    h.answer_json("GetSessionBySessionID", 200, json!([])).await;
    h.answer_json("GetSessionsByFilter", 200, json!([])).await;
    h.answer_empty("UpdateSessionName").await;
    let client = h
        .builder(h.config().with_read_args(ReadArgs::Named))
        .build()
        .unwrap();
    client.sessions_by_name("").await.unwrap();
    client.session(&id()).await.unwrap();
    client
        .sessions_by_filter(&SessionFilter::from_raw("Name = 'x'").unwrap())
        .await
        .unwrap();
    // Writes stay positional.
    client.update_session_name(&id(), "PC-02").await.unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn create_session() {
    let h = Harness::start().await;
    let mut created = session_json(false);
    created["SessionType"] = json!(0);
    created["Name"] = json!("Ticket 4711");
    h.answer_json("CreateSession", 200, created).await;
    let new = NewSession::new(SessionType::Support, "Ticket 4711")
        .code("1234")
        .public(true)
        .custom_properties(CustomProperties::from_values(["Acme Ltd", "", "IT"]).unwrap());
    let session = h.client().create_session(&new).await.unwrap().unwrap();
    assert_eq!(session.name, "Ticket 4711");
    assert_eq!(session.session_type, Some(SessionType::Support));
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn create_session_with_an_empty_answer() {
    let h = Harness::start().await;
    h.answer_empty("CreateSession").await;
    let new = NewSession::new(SessionType::Access, "PC-03");
    assert_eq!(h.client().create_session(&new).await.unwrap(), None);
}

#[tokio::test]
async fn update_session_name() {
    let h = Harness::start().await;
    h.answer_empty("UpdateSessionName").await;
    h.client()
        .update_session_name(&id(), "PC-02")
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn update_custom_properties_sends_all_eight() {
    let h = Harness::start().await;
    h.answer_empty("UpdateSessionCustomProperties").await;
    let props = CustomProperties::from_values(["Acme Ltd", "", "Laptop"]).unwrap();
    h.client()
        .update_custom_properties(&id(), &props)
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn add_note() {
    let h = Harness::start().await;
    h.answer_empty("AddNoteToSession").await;
    h.client()
        .add_note(&id(), "Replaced battery; ticket #4711")
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn send_command() {
    let h = Harness::start().await;
    h.answer_empty("SendCommandToSession").await;
    h.client()
        .send_command(&id(), "#!ps\nGet-Service Spooler")
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn send_message() {
    let h = Harness::start().await;
    h.answer_empty("SendMessageToSession").await;
    h.client()
        .send_message(&id(), "Rebooting in 5 minutes – please save your work")
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn send_toolbox_item() {
    let h = Harness::start().await;
    h.answer_empty("SendToolboxItemToSession").await;
    h.client()
        .send_toolbox_item(&id(), "Disk Cleanup")
        .await
        .unwrap();
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn blank_write_text_is_refused_before_sending() {
    let h = Harness::start().await;
    let client = h.client();
    assert!(matches!(
        client.add_note(&id(), " ").await,
        Err(Error::Build { .. })
    ));
    assert!(matches!(
        client.send_command(&id(), "").await,
        Err(Error::Build { .. })
    ));
    assert!(matches!(
        client.send_message(&id(), "\n").await,
        Err(Error::Build { .. })
    ));
    assert!(matches!(
        client.send_toolbox_item(&id(), "").await,
        Err(Error::Build { .. })
    ));
    assert!(h.requests().await.is_empty());
}

#[tokio::test]
async fn raw_calls() {
    let h = Harness::start().await;
    h.answer_json("GetSessionGroups", 200, json!([{"Name": "All Machines"}]))
        .await;
    h.answer_empty("SendMessageToSession").await;
    let client = h.client();
    let groups = client
        .call_read("GetSessionGroups", json!([]))
        .await
        .unwrap();
    assert_eq!(groups, Some(json!([{"Name": "All Machines"}])));
    let nothing = client
        .call_write("SendMessageToSession", json!([SESSION_ID, "Tech", "hello"]))
        .await
        .unwrap();
    assert_eq!(nothing, None);
    let error = client.call_read("Get/../x", json!([])).await.unwrap_err();
    assert!(matches!(error, Error::Build { .. }));
    assert_json_snapshot!(h.requests().await);
}

#[tokio::test]
async fn origin_header_can_be_overridden_or_left_out() {
    let h = Harness::start().await;
    h.answer_json("GetSessionsByName", 200, json!([])).await;
    let custom = h
        .builder(
            h.config()
                .with_origin(OriginHeader::Custom("https://portal.example.com".into()))
                .unwrap(),
        )
        .build()
        .unwrap();
    custom.sessions_by_name("x").await.unwrap();
    let off = h
        .builder(h.config().with_origin(OriginHeader::Off).unwrap())
        .build()
        .unwrap();
    off.sessions_by_name("x").await.unwrap();
    let requests = h.requests().await;
    assert_eq!(
        requests[0]["headers"]["Origin"],
        json!("https://portal.example.com")
    );
    assert_eq!(requests[1]["headers"]["Origin"], json!(null));
}

#[tokio::test]
async fn decode_errors_name_the_path() {
    let h = Harness::start().await;
    h.answer_json(
        "GetSessionsByName",
        200,
        json!([session_json(false), {"SessionID": 5}]),
    )
    .await;
    let error = h.client().sessions_by_name("x").await.unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.path.starts_with("[1]"), "{}", decode.path);
    assert_eq!(decode.operation, "GetSessionsByName");
}
