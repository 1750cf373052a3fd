//! Snapshots of rendered conditions, `orderBy` and `fields`, built through the public API.

use std::fmt::Write as _;

use connectwise_manage::query::{
    Condition, Decimal, FieldPath, Fields, Operator, OrderBy, QueryError, SortDirection, SortKey,
    Value,
};
use time::macros::{datetime, utc_datetime};

/// Renders `label => output` lines so a whole table is reviewed as one snapshot.
fn table(rows: Vec<(&str, Result<String, QueryError>)>) -> String {
    let mut out = String::new();
    for (label, rendered) in rows {
        let rendered = rendered.unwrap_or_else(|error| format!("error: {error}"));
        let _ = writeln!(out, "{label}\n    {rendered}");
    }
    out
}

fn render(condition: Result<Condition, QueryError>) -> Result<String, QueryError> {
    condition.map(|c| c.to_string())
}

#[test]
fn builder_expressions_render_deterministically() {
    let decimal = |text: &str| Decimal::new(text).expect("valid decimal");
    let rows = vec![
        (
            "eq string",
            render(Condition::eq("board/name", "Help Desk")),
        ),
        ("ne integer", render(Condition::ne("company/id", 250))),
        ("lt negative", render(Condition::lt("balance", -5))),
        (
            "le decimal",
            render(Condition::le("hourlyRate", decimal("112.50"))),
        ),
        (
            "ge decimal beyond f64",
            render(Condition::ge(
                "amount",
                decimal("12345678901234567890.123456789"),
            )),
        ),
        ("gt u64 beyond i64", render(Condition::gt("id", u64::MAX))),
        (
            "gt float via Decimal",
            render(Condition::gt(
                "score",
                Decimal::try_from(0.1_f64).expect("finite float"),
            )),
        ),
        ("eq bool", render(Condition::eq("closedFlag", false))),
        (
            "eq option none",
            render(Condition::eq("parentTicketId", None::<i64>)),
        ),
        (
            "eq option some",
            render(Condition::eq("parentTicketId", Some(7))),
        ),
        ("is_null", render(Condition::is_null("value"))),
        ("is_not_null", render(Condition::is_not_null("value"))),
        (
            "datetime UTC",
            render(Condition::gt("lastUpdated", datetime!(2026-01-01 0:00 UTC))),
        ),
        (
            "datetime offset and fraction",
            render(Condition::ge(
                "_info/lastUpdated",
                datetime!(2016-08-20 20:04:26.987 +02:00),
            )),
        ),
        (
            "UtcDateTime",
            render(Condition::lt(
                "dateEntered",
                utc_datetime!(2015-12-23 05:53:27),
            )),
        ),
        (
            "contains",
            render(Condition::contains("summary", "Outlook")),
        ),
        (
            "not contains",
            render(Condition::not_contains("summary", "Low Priority")),
        ),
        (
            "like wildcard",
            render(Condition::like("contact/name", "Fred%")),
        ),
        (
            "not like",
            render(Condition::not_like("agreementStatus", "Cancel*")),
        ),
        (
            "in integers",
            render(Condition::in_list("board/id", [3, 2, 4])),
        ),
        (
            "in vec of strings",
            render(Condition::in_list("status/name", vec!["New", "Open"])),
        ),
        (
            "not in strings",
            render(Condition::not_in("status/name", ["Closed", "Resolved"])),
        ),
        (
            "in mixed values",
            render(Condition::in_list(
                "x",
                [
                    Value::from(1),
                    Value::Null,
                    Value::from("a"),
                    Value::from(true),
                ],
            )),
        ),
        (
            "string with double quote",
            render(Condition::eq("name", r#"The "Best" Co"#)),
        ),
        (
            "string with single quote",
            render(Condition::eq("name", "O'Brien")),
        ),
        (
            "string with both quotes",
            render(Condition::eq("name", r#"O'Brien "Jr""#)),
        ),
        (
            "string with backslash",
            render(Condition::eq("path", r"C:\Users\x")),
        ),
        (
            "string with trailing backslash",
            render(Condition::eq("path", r"C:\")),
        ),
        (
            "string with UNC path",
            render(Condition::eq("path", r"\\srv\share")),
        ),
        ("empty string", render(Condition::eq("summary", ""))),
        (
            "string with grammar text",
            render(Condition::eq("summary", "a = 1) or (b = 2")),
        ),
        (
            "unicode string",
            render(Condition::contains("summary", "Zoë – 日本")),
        ),
        (
            "and of three",
            Condition::eq("a", 1)
                .and_then(|a| Ok(a & Condition::eq("b", 2)? & Condition::eq("c", 3)?))
                .map(|c| c.to_string()),
        ),
        (
            "or of and",
            Condition::eq("a", 1)
                .and_then(|a| Ok((a & Condition::eq("b", 2)?) | Condition::eq("c", 3)?))
                .map(|c| c.to_string()),
        ),
        (
            "and of or",
            Condition::eq("a", 1)
                .and_then(|a| Ok(a & (Condition::eq("b", 2)? | Condition::eq("c", 3)?)))
                .map(|c| c.to_string()),
        ),
        (
            "grouping does not matter",
            Condition::eq("a", 1)
                .and_then(|a| {
                    Ok(a | (Condition::eq("b", 2)?
                        | (Condition::eq("c", 3)? | Condition::eq("d", 4)?)))
                })
                .map(|c| c.to_string()),
        ),
        (
            "all()",
            Ok(Condition::all([
                Condition::eq("company/id", 19298).expect("valid"),
                Condition::ne("status/name", "Closed").expect("valid"),
            ])
            .map_or_else(|| "none".to_owned(), |c| c.to_string())),
        ),
        (
            "customFieldConditions",
            Condition::eq("caption", "TomNumber")
                .and_then(|c| Ok(c & Condition::is_not_null("value")?))
                .map(|c| c.to_string()),
        ),
        (
            "childConditions",
            Condition::like("communicationItems/value", "john@Outlook.com")
                .and_then(|c| {
                    Ok(c & Condition::eq("communicationItems/communicationType", "Email")?)
                })
                .map(|c| c.to_string()),
        ),
        (
            "compare with Operator",
            render(Condition::compare("id", Operator::Ge, 10)),
        ),
        (
            "error: bad path",
            render(Condition::eq("status name", "New")),
        ),
        ("error: empty path", render(Condition::eq("", 1))),
        ("error: list with =", render(Condition::eq("id", [1, 2]))),
        (
            "error: empty in",
            render(Condition::in_list("id", Vec::<i64>::new())),
        ),
        (
            "error: nested list",
            render(Condition::in_list("id", [vec![1], vec![2]])),
        ),
        (
            "error: datetime out of range",
            render(Condition::gt(
                "lastUpdated",
                datetime!(9999-12-31 23:30 -01:00),
            )),
        ),
    ];
    insta::assert_snapshot!(table(rows));
}

#[test]
fn order_by_renders_keys_in_priority_order() {
    let rows = vec![
        ("asc", OrderBy::asc("contact/name").map(|o| o.to_string())),
        ("desc", OrderBy::desc("dateEntered").map(|o| o.to_string())),
        (
            "several keys",
            OrderBy::asc("id")
                .and_then(|o| o.then_desc("lastUpdated"))
                .and_then(|o| o.then_asc("company/identifier"))
                .map(|o| o.to_string()),
        ),
        (
            "from keys",
            SortKey::new("board/name", SortDirection::Ascending)
                .and_then(|k| OrderBy::from_keys([k]))
                .map(|o| o.to_string()),
        ),
        (
            "parsed",
            OrderBy::parse("Summary DESC ,  id Asc").map(|o| o.to_string()),
        ),
        (
            "error: bad path",
            OrderBy::asc("last updated").map(|o| o.to_string()),
        ),
        (
            "error: no direction",
            OrderBy::parse("id").map(|o| o.to_string()),
        ),
        ("error: empty", OrderBy::parse("").map(|o| o.to_string())),
    ];
    insta::assert_snapshot!(table(rows));
}

#[test]
fn fields_render_comma_separated() {
    let rows = vec![
        ("one", Fields::new(["id"]).map(|f| f.to_string())),
        (
            "several",
            Fields::new(["id", "name", "status/id"]).map(|f| f.to_string()),
        ),
        (
            "from FieldPath values",
            FieldPath::new("_info/lastUpdated")
                .map_err(QueryError::from)
                .and_then(|p| Fields::from(p).with("id"))
                .map(|f| f.to_string()),
        ),
        (
            "parsed with spaces",
            Fields::parse(" id , summary ").map(|f| f.to_string()),
        ),
        (
            "error: empty",
            Fields::new(Vec::<String>::new()).map(|f| f.to_string()),
        ),
        (
            "error: bad path",
            Fields::new(["id", "status/"]).map(|f| f.to_string()),
        ),
    ];
    insta::assert_snapshot!(table(rows));
}

#[test]
fn a_literal_bracket_in_a_pattern_is_written_as_the_guide_says() {
    let cases = [
        (
            Condition::contains("summary", "[URGENT]"),
            r#"summary contains "[[]URGENT]""#,
        ),
        (
            Condition::like("summary", "*[VPN]*"),
            r#"summary like "*[[]VPN]*""#,
        ),
        (
            Condition::not_contains("summary", "a[b"),
            r#"summary not contains "a[[]b""#,
        ),
        (
            Condition::not_like("summary", r#"it's "[x]""#),
            r#"summary not like "it's \"[[]x]\"""#,
        ),
        // Not a pattern: the bracket is sent as it is.
        (
            Condition::eq("summary", "[URGENT]"),
            r#"summary = "[URGENT]""#,
        ),
        (
            Condition::contains("summary", "x]"),
            r#"summary contains "x]""#,
        ),
    ];
    for (condition, expected) in cases {
        let condition = condition.expect("valid");
        assert_eq!(condition.to_string(), expected);
        assert_eq!(
            Condition::parse(expected).as_ref(),
            Ok(&condition),
            "{expected}"
        );
    }
}
