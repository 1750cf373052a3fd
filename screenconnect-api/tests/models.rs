//! Decoding the RESTful API's session and session-details responses from fixtures shaped like
//! live responses.

use screenconnect_api::models::{
    EventId, EventType, OnlineStatus, ProcessType, Session, SessionDetails, SessionType,
};
use time::macros::datetime;

const SESSIONS: &str = include_str!("fixtures/sessions_by_filter.json");
const DETAILS: &str = include_str!("fixtures/session_details.json");

fn sessions() -> Vec<Session> {
    serde_json::from_str(SESSIONS).expect("fixture decodes")
}

fn details() -> SessionDetails {
    serde_json::from_str(DETAILS).expect("fixture decodes")
}

#[test]
fn unattended_agent_with_blank_name() {
    let sessions = sessions();
    let agent = &sessions[0];
    assert_eq!(
        agent.session_id.as_str(),
        "6f1c7a52-3b1e-4d0a-9c2f-0a7e5d9b1c11"
    );
    assert_eq!(agent.name, "");
    assert_eq!(agent.display_name(), "ACME-LT-042");
    assert_eq!(agent.machine_name(), Some("ACME-LT-042"));
    assert_eq!(agent.session_type, Some(SessionType::Access));
    assert_eq!(agent.custom_properties.get(1).unwrap(), "Acme Ltd");
    assert_eq!(agent.custom_properties.get(2).unwrap(), "");
    assert_eq!(agent.custom_properties.get(3).unwrap(), "Laptop");
    assert_eq!(
        agent.guest_info.logged_on_user_name.as_deref(),
        Some("o'brien")
    );
    assert_eq!(agent.guest_info.system_memory_total_megabytes, Some(16384));
    assert_eq!(agent.guest_info.time_zone_offset_hours, Some(5.5));
    assert_eq!(
        agent.guest_info.last_boot_time,
        Some(datetime!(2026-07-18 22:10:05.1234567 UTC))
    );
    assert_eq!(agent.guest_client_version.as_deref(), Some("24.2.6.9003"));
    assert_eq!(agent.is_ended, Some(false));
    assert_eq!(agent.queued_event_type, Some(EventType::None));
    assert_eq!(agent.queued_event_data, None);
}

#[test]
fn seven_digit_and_never_timestamps() {
    let agent = &sessions()[0];
    assert_eq!(
        agent.guest_info_update_time,
        Some(datetime!(2026-07-19 06:41:52.6169911 UTC))
    );
    assert_eq!(agent.last_guest_disconnected_event_time, None);
    assert_eq!(agent.last_seen(), Some(datetime!(2026-07-19 06:40:00 UTC)));
}

#[test]
fn zoneless_times_are_utc() {
    let desk = &sessions()[1];
    assert_eq!(
        desk.last_guest_connected_event_time,
        Some(datetime!(2026-07-19 05:00:00 UTC))
    );
    assert_eq!(
        desk.last_guest_disconnected_event_time,
        Some(datetime!(2026-07-19 04:00:00.5 UTC))
    );
}

#[test]
fn session_type_as_number_or_name() {
    let sessions = sessions();
    assert_eq!(sessions[0].session_type, Some(SessionType::Access));
    assert_eq!(sessions[1].session_type, Some(SessionType::Access));
    assert_eq!(sessions[2].session_type, Some(SessionType::Support));
}

#[test]
fn custom_properties_object_form_and_null() {
    let sessions = sessions();
    let desk = &sessions[1];
    assert_eq!(desk.custom_properties.get(1).unwrap(), "Globex");
    assert_eq!(desk.custom_properties.get(2).unwrap(), "Springfield");
    assert_eq!(desk.custom_properties.get(3).unwrap(), "");
    assert_eq!(desk.custom_properties.get(8).unwrap(), "Kiosk");
    assert!(!desk.extra.contains_key("CustomProperties"));
    assert!(sessions[2].custom_properties.is_empty());
    assert_eq!(sessions[2].name, "");
    assert!(desk.guest_info.is_empty());
}

#[test]
fn both_custom_property_keys_prefer_the_array() {
    let both: Session = serde_json::from_str(
        r#"{"SessionID": "x", "CustomPropertyValues": ["A"], "CustomProperties": {"CustomProperty1": "B"}}"#,
    )
    .unwrap();
    assert_eq!(both.custom_properties.get(1).unwrap(), "A");
    assert!(both.extra.is_empty(), "{:?}", both.extra);
    let empty_array: Session = serde_json::from_str(
        r#"{"SessionID": "x", "CustomPropertyValues": [], "CustomProperties": {"CustomProperty2": "B"}}"#,
    )
    .unwrap();
    assert_eq!(empty_array.custom_properties.get(2).unwrap(), "B");
}

#[test]
fn malformed_custom_properties_are_an_error() {
    let err = serde_json::from_str::<Session>(
        r#"{"SessionID": "x", "CustomPropertyValues": ["1","2","3","4","5","6","7","8","9"]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("only 8 slots"), "{err}");
    let err = serde_json::from_str::<Session>(
        r#"{"SessionID": "x", "CustomProperties": {"Company": "Acme"}}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("unexpected custom property key"),
        "{err}"
    );
}

#[test]
fn missing_session_id_is_an_error() {
    let err = serde_json::from_str::<Session>(r#"{"Name": "PC"}"#).unwrap_err();
    assert!(err.to_string().contains("SessionID"), "{err}");
}

#[test]
fn unknown_fields_are_kept_and_written_back() {
    let sessions = sessions();
    let agent = &sessions[0];
    assert_eq!(agent.extra["LastAlteredVersion"], 7734);
    assert_eq!(agent.extra["Attributes"], 0);
    assert_eq!(
        agent.guest_info.extra["ScreenshotThumbnailBase64"],
        "iVBORw0KGgo="
    );
    let connection = &agent.active_connections.as_ref().unwrap()[0];
    assert_eq!(connection.extra["ClientType"], 1);

    let desk = &sessions[1];
    let written = serde_json::to_value(desk).unwrap();
    assert_eq!(written["SomeFutureField"]["Nested"][2], 3);
    assert_eq!(
        written["CustomPropertyValues"],
        serde_json::json!(["Globex", "Springfield", "", "", "", "", "", "Kiosk"])
    );

    // Reading back what was written gives the same session.
    let again: Session = serde_json::from_value(written).unwrap();
    assert_eq!(&again, desk);
    let agent_again: Session =
        serde_json::from_value(serde_json::to_value(agent).unwrap()).unwrap();
    assert_eq!(&agent_again, agent);
}

#[test]
fn written_session_snapshot() {
    let agent = &sessions()[0];
    insta::assert_json_snapshot!("written_agent_session", agent);
}

#[test]
fn online_status_rules() {
    let sessions = sessions();
    // A guest entry in ActiveConnections.
    assert_eq!(sessions[0].online_status(), OnlineStatus::Online);
    assert!(sessions[0].is_online());
    // No ActiveConnections: last guest connect is after the last disconnect.
    assert_eq!(sessions[1].online_status(), OnlineStatus::Online);
    // Only a technician is connected.
    assert_eq!(sessions[2].online_status(), OnlineStatus::Offline);
    assert!(!sessions[2].is_online());

    let unknown: Session = serde_json::from_str(r#"{"SessionID": "x"}"#).unwrap();
    assert_eq!(unknown.online_status(), OnlineStatus::Unknown);
    assert!(!unknown.is_online());
    let disconnected: Session = serde_json::from_str(
        r#"{"SessionID": "x", "LastGuestConnectedEventTime": "2026-07-19T04:00:00Z",
            "LastGuestDisconnectedEventTime": "2026-07-19T05:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(disconnected.online_status(), OnlineStatus::Offline);
}

#[test]
fn an_ended_session_is_not_online() {
    let ended: Session = serde_json::from_str(
        r#"{"SessionID": "x", "IsEnded": true,
            "LastGuestConnectedEventTime": "2026-07-19T04:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(ended.online_status(), OnlineStatus::Offline);
    let running: Session = serde_json::from_str(
        r#"{"SessionID": "x", "IsEnded": false,
            "LastGuestConnectedEventTime": "2026-07-19T04:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(running.online_status(), OnlineStatus::Online);
}

#[test]
fn details_with_events_but_no_session_decode() {
    let details: SessionDetails = serde_json::from_str(
        r#"{"Events": [{"EventID": "e1", "EventType": 44, "Time": "2026-07-19T06:41:57Z",
                        "Data": "hostname"}]}"#,
    )
    .expect("an events-only body decodes");
    assert!(details.session.is_none());
    assert_eq!(details.events().len(), 1);
    assert_eq!(details.online_status(), OnlineStatus::Unknown);
    let null_session: SessionDetails =
        serde_json::from_str(r#"{"Session": null, "Events": []}"#).unwrap();
    assert!(null_session.session.is_none());
}

#[test]
fn details_events_from_both_places_in_time_order() {
    let details = details();
    let ids: Vec<(&str, Option<EventType>, bool)> = details
        .events()
        .iter()
        .map(|found| {
            (
                found.event.event_id.as_ref().unwrap().as_str(),
                found.event.event_type.clone(),
                found.connection.is_some(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            (
                "e0000000-0000-4000-8000-000000000006",
                Some(EventType::OtherName("SomethingNew".to_owned())),
                false
            ),
            (
                "e0000000-0000-4000-8000-000000000011",
                Some(EventType::RanCommand),
                true
            ),
            (
                "e0000000-0000-4000-8000-000000000004",
                Some(EventType::AddedNote),
                false
            ),
            (
                "e0000000-0000-4000-8000-000000000010",
                Some(EventType::Connected),
                true
            ),
            (
                "e0000000-0000-4000-8000-000000000001",
                Some(EventType::QueuedCommand),
                false
            ),
            (
                "e0000000-0000-4000-8000-000000000002",
                Some(EventType::ProcessedCommand),
                false
            ),
            (
                "e0000000-0000-4000-8000-000000000003",
                Some(EventType::RanCommand),
                true
            ),
            (
                "e0000000-0000-4000-8000-000000000005",
                Some(EventType::Other(999)),
                false
            ),
        ]
    );
}

#[test]
fn ran_command_output_and_connection() {
    let details = details();
    let ran = details.events_of_type(&EventType::RanCommand);
    assert_eq!(ran.len(), 2);
    let latest = ran.last().unwrap();
    assert_eq!(
        latest.event.event_id,
        Some(EventId::new("e0000000-0000-4000-8000-000000000003"))
    );
    assert_eq!(
        latest.event.data_str(),
        Some("Volume Serial Number is 1234-ABCD\r\n__MSP_EXIT_nonce1234__0\r\n")
    );
    assert_eq!(latest.event.host.as_deref(), Some("RESTful API"));
    let connection = latest.connection.unwrap();
    assert_eq!(connection.process_type, Some(ProcessType::Guest));
    assert_eq!(
        latest.event.time,
        Some(datetime!(2026-07-19 06:41:57.2 UTC))
    );
}

#[test]
fn details_keep_unknown_fields_and_tolerate_null_lists() {
    let details = details();
    assert_eq!(details.extra["BaseTime"], "2026-07-19T06:50:00Z");
    assert!(details.connections[1].events.is_empty());
    let future = details
        .events
        .iter()
        .find(|event| event.event_type == Some(EventType::Other(999)))
        .unwrap();
    assert_eq!(future.extra["FutureDetail"], true);
}

#[test]
fn details_online_falls_back_to_connection_events() {
    let details = details();
    assert_eq!(
        details.session.as_ref().unwrap().online_status(),
        OnlineStatus::Unknown
    );
    assert_eq!(details.online_status(), OnlineStatus::Online);
    assert!(details.is_online());
}

#[test]
fn debug_of_session_details_hides_event_payloads() {
    let debug = format!("{:?}", details());
    assert!(!debug.contains("Volume Serial Number"), "{debug}");
    assert!(!debug.contains("Replaced battery"));
}
