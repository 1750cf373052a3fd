//! How the generated models decode: known keys into their fields, unknown ones into `extra`,
//! through every way serde_json reads (a slice, a reader, a `Value`, a borrowed `Value`), with
//! nulls, the `Sort` alias, lenient timestamps, a field given twice and input that is not an
//! object, and a failing value reported by its path deep in a page.

use connectwise_manage::models::{CustomFieldValue, Ticket};
use http::StatusCode;
use msp_common::{Error, Idempotency, Operation, decode_body};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use time::macros::datetime;

/// A ticket with unknown fields at the top, inside a reference, inside `_info`, inside a list of
/// custom fields, and as an unknown object of its own.
fn ticket_with_unknowns() -> Value {
    json!({
        "id": 7,
        "summary": "Printer down",
        "futureFlag": true,
        "futureObject": {"nested": [1, {"deeper": null}], "text": "é\"\\"},
        "board": {"id": 1, "name": "Help Desk", "boardColour": "teal", "_info": {"board_href": "x"}},
        "status": {"id": 16, "Sort": 2, "statusHint": {"a": 1}},
        "requiredDate": "2025-03-05T02:30:00.250+02:00",
        "customFields": [
            {"id": 4, "caption": "Tier", "value": null, "futureCaptionStyle": "bold"}
        ],
        "_info": {"lastUpdated": "2025-01-01T00:00:00Z", "newLink_href": "y"}
    })
}

/// What the SDK writes back: everything as read, `Sort` as `sort`, the timestamp canonical.
fn ticket_as_written() -> Value {
    let mut expected = ticket_with_unknowns();
    expected["status"] = json!({"id": 16, "sort": 2, "statusHint": {"a": 1}});
    expected["requiredDate"] = json!("2025-03-05T00:30:00Z");
    expected
}

fn check_ticket(ticket: &Ticket) {
    assert_eq!(ticket.id, Some(7));
    assert_eq!(ticket.summary.as_deref(), Some("Printer down"));
    assert_eq!(ticket.extra["futureFlag"], json!(true));
    assert_eq!(
        ticket.extra["futureObject"]["nested"][1],
        json!({"deeper": null})
    );
    let board = ticket.board.as_ref().expect("board");
    assert_eq!(board.name.as_deref(), Some("Help Desk"));
    assert_eq!(board.extra["boardColour"], json!("teal"));
    let status = ticket.status.as_ref().expect("status");
    assert_eq!(status.sort, Some(2), "`Sort` is read into `sort`");
    assert_eq!(status.extra.len(), 1, "{:?}", status.extra);
    assert_eq!(
        ticket.required_date,
        Some(datetime!(2025-03-05 00:30:00.25 UTC))
    );
    let custom = &ticket.custom_fields.as_ref().expect("custom fields")[0];
    assert_eq!(custom.value, Value::Null);
    assert_eq!(custom.extra["futureCaptionStyle"], json!("bold"));
    assert_eq!(ticket.extra.len(), 2, "{:?}", ticket.extra);
}

#[test]
fn unknown_fields_round_trip_from_a_slice() {
    let bytes = serde_json::to_vec(&ticket_with_unknowns()).unwrap();
    let ticket: Ticket = serde_json::from_slice(&bytes).unwrap();
    check_ticket(&ticket);
    assert_eq!(serde_json::to_value(&ticket).unwrap(), ticket_as_written());
}

#[test]
fn unknown_fields_round_trip_from_a_reader() {
    let bytes = serde_json::to_vec(&ticket_with_unknowns()).unwrap();
    let ticket: Ticket = serde_json::from_reader(std::io::Cursor::new(bytes)).unwrap();
    check_ticket(&ticket);
    assert_eq!(serde_json::to_value(&ticket).unwrap(), ticket_as_written());
}

#[test]
fn unknown_fields_round_trip_from_a_value() {
    let ticket: Ticket = serde_json::from_value(ticket_with_unknowns()).unwrap();
    check_ticket(&ticket);
    assert_eq!(serde_json::to_value(&ticket).unwrap(), ticket_as_written());
    // Borrowing from a `Value` reads the same.
    let value = ticket_with_unknowns();
    assert_eq!(from_borrowed::<Ticket>(&value), ticket);
}

/// Decodes from `&Value`, a deserializer that lends its keys.
fn from_borrowed<T: DeserializeOwned>(value: &Value) -> T {
    T::deserialize(value).unwrap()
}

#[test]
fn escaped_keys_match_their_fields() {
    // `\u0069d` is `id`: the deserializer unescapes into a scratch buffer, not a borrowed key.
    let ticket: Ticket = serde_json::from_str(r#"{"\u0069d": 3, "sum\nmary": 1}"#).unwrap();
    assert_eq!(ticket.id, Some(3));
    assert_eq!(ticket.extra["sum\nmary"], json!(1));
}

#[test]
fn nulls_and_absent_fields_are_none() {
    let ticket: Ticket = serde_json::from_str(
        r#"{"id": null, "board": null, "requiredDate": null, "estimatedStartDate": "",
            "customFields": [{"value": null}], "_info": null}"#,
    )
    .unwrap();
    assert_eq!(
        ticket,
        Ticket {
            custom_fields: Some(vec![CustomFieldValue::default()]),
            ..Ticket::default()
        }
    );
    // An absent any-JSON value is `Null` too, and is written back as `null`.
    let custom: CustomFieldValue = serde_json::from_str(r#"{"id": 1}"#).unwrap();
    assert_eq!(custom.value, Value::Null);
    assert_eq!(
        serde_json::to_value(&custom).unwrap(),
        json!({"id": 1, "value": null})
    );
    let empty: Ticket = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Ticket::default());
}

#[test]
fn a_field_given_twice_is_an_error() {
    let known = serde_json::from_str::<Ticket>(r#"{"id": 1, "summary": "a", "id": 2}"#)
        .expect_err("id twice");
    assert!(
        known.to_string().contains("duplicate field `id`"),
        "{known}"
    );
    // The alias and the name are one field.
    let alias = serde_json::from_str::<Ticket>(r#"{"status": {"sort": 1, "Sort": 2}}"#)
        .expect_err("sort twice");
    assert!(
        alias.to_string().contains("duplicate field `sort`"),
        "{alias}"
    );
}

#[test]
fn input_that_is_not_an_object_is_an_error() {
    for input in [
        "[1, \"Printer down\"]",
        "[]",
        "5",
        "\"ticket\"",
        "true",
        "null",
    ] {
        let error = serde_json::from_str::<Ticket>(input).expect_err(input);
        assert!(
            error.to_string().contains("expected struct Ticket"),
            "{input}: {error}"
        );
    }
    let error = serde_json::from_value::<Ticket>(json!([7])).expect_err("array value");
    assert!(
        error.to_string().contains("expected struct Ticket"),
        "{error}"
    );
    // A nested model that is not an object names the nested type.
    let error = serde_json::from_str::<Ticket>(r#"{"board": [1]}"#).expect_err("board array");
    assert!(
        error.to_string().contains("expected struct BoardReference"),
        "{error}"
    );
}

#[test]
fn wrong_types_and_bad_timestamps_are_errors() {
    for input in [
        r#"{"id": "7"}"#,
        r#"{"id": 1.5}"#,
        r#"{"summary": 3}"#,
        r#"{"closedFlag": "yes"}"#,
        r#"{"requiredDate": "next week"}"#,
        r#"{"requiredDate": 20250101}"#,
        r#"{"board": {"id": 1, "_info": []}}"#,
        r#"{"id": 1,}"#,
        r#"{"id": 1"#,
    ] {
        assert!(serde_json::from_str::<Ticket>(input).is_err(), "{input}");
    }
    let error = serde_json::from_str::<Ticket>(r#"{"requiredDate": "next week"}"#).unwrap_err();
    assert!(error.to_string().contains("invalid timestamp"), "{error}");
}

#[test]
fn a_bad_value_deep_in_a_page_is_reported_by_its_path() {
    let page = json!([
        {"id": 1, "board": {"id": 3}},
        {"id": 2, "futureList": [{"id": "any"}], "customFields": [{"id": 1}, {"id": 2, "caption": "Tier"}]},
        {"id": 3, "customFields": [{"id": 1}, {"id": "two"}]}
    ]);
    let text = page.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let error = serde_path_to_error::deserialize::<_, Vec<Ticket>>(&mut deserializer)
        .expect_err("string id");
    assert_eq!(error.path().to_string(), "[2].customFields[1].id");

    // The list engine's decoder reports the same path.
    let operation = Operation::new("getServiceTickets", "/service/tickets", Idempotency::Safe);
    let body = serde_json::to_vec(&page).unwrap();
    let Err(Error::Decode(decode)) = decode_body::<Vec<Ticket>>(&operation, StatusCode::OK, &body)
    else {
        panic!("expected a decode error");
    };
    assert_eq!(decode.path, "[2].customFields[1].id");

    // A bad timestamp and a bad aliased field, by the names on the wire.
    for (body, path) in [
        (
            r#"[{"id": 1}, {"requiredDate": "soon"}]"#,
            "[1].requiredDate",
        ),
        (r#"[{"status": {"Sort": "first"}}]"#, "[0].status.Sort"),
        (r#"[{"board": {"_info": 5}}]"#, "[0].board._info"),
    ] {
        let Err(Error::Decode(decode)) =
            decode_body::<Vec<Ticket>>(&operation, StatusCode::OK, body.as_bytes())
        else {
            panic!("expected a decode error for {body}");
        };
        assert_eq!(decode.path, path, "{body}");
    }
}

/// A number is read as the nearest double, so a record read and written back sends what it
/// received: a float of seventeen significant digits in a typed field, and a long integer and a
/// long mantissa in unknown ones (both once came back a unit in the last place off).
#[test]
fn numbers_survive_decode_and_encode_exactly() {
    let body = br#"{"id":1,"budgetHours":0.30000000000000004,"actualHours":1234.5678901234567,
        "suld":[1,2006722586675415255661],
        "leazFlag":66666666666666666666666666666666666666666666666666666666666666666666666666666666666666}"#;
    let ticket: Ticket = serde_json::from_slice(body).unwrap();
    assert_eq!(ticket.budget_hours, Some(0.30000000000000004));
    assert_eq!(ticket.actual_hours, Some(1234.5678901234567));
    assert_eq!(
        ticket.extra["suld"][1].as_f64(),
        Some(2006722586675415255661.0)
    );
    assert_eq!(
        ticket.extra["leazFlag"].as_f64(),
        Some(66666666666666666666666666666666666666666666666666666666666666666666666666666666666666.0)
    );
    let again: Ticket = serde_json::from_slice(&serde_json::to_vec(&ticket).unwrap()).unwrap();
    assert_eq!(again, ticket);
}
