//! Conditions sent to the sandbox through the client: a table of conditions over the sample
//! tickets (the sandbox evaluates them with its own parser, so a mistake in either shows), and
//! the conditions the server refuses.
#![cfg(feature = "sandbox")]

use connectwise_manage::ListQuery;
use connectwise_manage::query::Condition;
use connectwise_manage::sandbox::Sandbox;
use serde_json::Value;

/// `(conditions, ids of the sample tickets that match)`.
const TABLE: &[(&str, &[i64])] = &[
    (r#"board/name = "Network Operations""#, &[1013]),
    // Strings compare without regard to case, field names too.
    (r#"BOARD/NAME = "network operations""#, &[1013]),
    (r#"status/name = "In Progress""#, &[1010]),
    (r#"status/name != "New""#, &[1010, 1011]),
    (r#"status/name not in ("New", "Closed")"#, &[1010]),
    ("closedFlag = true", &[1011]),
    ("closedFlag = False AND board/id = 2", &[1013]),
    ("id in (1001, 1003, 9999)", &[1001, 1003]),
    ("id >= 1012", &[1012, 1013, 1014]),
    ("id < 1003 or id > 1013", &[1001, 1002, 1014]),
    (r#"summary contains "PRINTER""#, &[1002]),
    (r#"summary not contains "e""#, &[]),
    // `like` takes `*` and `%` as wildcards, and must match the whole value.
    (r#"summary like "Please*""#, &[1009, 1012]),
    (r#"summary like "%mailbox""#, &[1009]),
    (r#"summary like "mailbox""#, &[]),
    (r#"summary not like "*e*""#, &[]),
    (
        r#"company/identifier = 'CONTOSO' and summary like '*invoice*'"#,
        &[1008],
    ),
    // `dateEntered` and `lastUpdated` come from `_info`; datetimes compare as instants.
    ("dateEntered < [2026-05-13T00:00:00Z]", &[1011]),
    ("dateEntered >= [2026-05-14T11:41:00+02:00]", &[1014]),
    ("lastUpdated < [2026-05-14T00:00:00Z]", &[1010, 1011]),
    // A missing field is null: only `= null` holds, every other test (negations too) fails.
    (
        "owner = null and closedFlag = false",
        &[
            1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1012, 1013, 1014,
        ],
    ),
    ("owner != null", &[1010]),
    (r#"owner/identifier != "amorgan""#, &[1010]),
    (
        r#"type/name = "Printer" or (type/name = "Network" and closedFlag = true)"#,
        &[1010, 1011],
    ),
    (
        "(id = 1001 or id = 1002) and (id = 1002 or id = 1003)",
        &[1002],
    ),
];

#[tokio::test]
async fn the_server_agrees_with_the_table() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    let tickets = client.endpoint::<Value>("/service/tickets");
    for (text, expected) in TABLE {
        // Sent as written, not as the builder would render it.
        let query = ListQuery::new().param("conditions", *text).page_size(1000);
        let found: Vec<i64> = tickets
            .list(&query)
            .await
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .iter()
            .map(|ticket| ticket["id"].as_i64().unwrap())
            .collect();
        assert_eq!(&found, expected, "{text}");
        let count = tickets
            .count(&ListQuery::new().param("conditions", *text))
            .await
            .unwrap();
        assert_eq!(count, expected.len() as u64, "count of {text}");
    }
}

#[tokio::test]
async fn the_builder_and_the_server_agree() {
    // The same conditions built with the SDK's builder and rendered by it.
    let sandbox = Sandbox::start().await.unwrap();
    let tickets = sandbox.client().endpoint::<Value>("/service/tickets");
    for (text, expected) in TABLE {
        let condition = Condition::parse(text).unwrap();
        let found: Vec<i64> = tickets
            .list(&ListQuery::new().conditions(condition).page_size(1000))
            .await
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .iter()
            .map(|ticket| ticket["id"].as_i64().unwrap())
            .collect();
        assert_eq!(&found, expected, "rendered {text}");
    }
}

async fn error_of(sandbox: &Sandbox, conditions: &str) -> (u16, Option<String>, String) {
    let client = sandbox.client();
    let error = client
        .endpoint::<Value>("/service/tickets")
        .list(&ListQuery::new().param("conditions", conditions))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    (api.status.as_u16(), api.code.clone(), api.message.clone())
}

#[tokio::test]
async fn unusable_conditions_are_refused_like_the_server_does() {
    let sandbox = Sandbox::start().await.unwrap();
    let (status, code, message) = error_of(&sandbox, "summary = ").await;
    assert_eq!((status, code.as_deref()), (400, Some("ApiFindCondition")));
    assert!(message.contains("could not be read"), "{message}");

    let (status, code, message) = error_of(&sandbox, "invoiceDate > [2026-01-01T00:00:00Z]").await;
    assert_eq!((status, code.as_deref()), (400, Some("ApiFindCondition")));
    assert!(
        message.starts_with("invoiceDate is not a recognized name."),
        "{message}"
    );

    // A literal of the wrong type for the field.
    let (status, _, message) = error_of(&sandbox, "closedFlag = 1").await;
    assert_eq!(status, 400);
    assert!(
        message.starts_with("Expected a boolean value for closedFlag, not a numeric."),
        "{message}"
    );
    let (_, _, message) = error_of(&sandbox, r#"dateEntered > "yesterday""#).await;
    assert!(
        message.starts_with("Expected a datetime value"),
        "{message}"
    );
    let (_, _, message) = error_of(&sandbox, "summary contains 5").await;
    assert!(message.starts_with("Expected a string value"), "{message}");

    // A reference compared as a whole, and a child collection in `conditions`.
    let (_, _, message) = error_of(&sandbox, "board = 1").await;
    assert!(message.contains("board/id"), "{message}");
    let client = sandbox.client();
    let error = client
        .endpoint::<Value>("/company/contacts")
        .list(&ListQuery::new().param("conditions", r#"communicationItems/value = "x""#))
        .await
        .unwrap_err();
    assert_eq!(
        error.api().and_then(|api| api.code.as_deref()),
        Some("ApiFindCondition")
    );
}
