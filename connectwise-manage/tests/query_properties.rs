//! Property tests of the conditions language: any condition built from arbitrary values (both
//! quote characters, brackets, backslashes, non-ASCII text, control characters, deep nesting)
//! renders to text that parses back to the same condition, and any text at all parses or fails
//! with an error, never a panic. Failing cases shrink to a minimal condition.

use connectwise_manage::query::{
    Condition, Decimal, MAX_NESTING_DEPTH, Operator, ParseErrorKind, Value,
};
use proptest::prelude::*;
use time::OffsetDateTime;

/// Text mixing the characters the renderer has to escape with arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        "'", "\"", "\\", "(", ")", "[", "]", ",", "*", "%", " and ", " or ", "not in", "\n",
        "\u{0}", "é", "日本", "😀", "\u{202e}",
    ]);
    let piece = prop_oneof![
        3 => any::<char>().prop_map(String::from),
        2 => tricky.prop_map(str::to_owned),
        1 => "[a-zA-Z0-9 ]{1,4}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn field() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        prop::sample::select(vec![
            "and", "or", "not", "in", "like", "null", "true", "contains"
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(segment, 1..4).prop_map(|segments| segments.join("/"))
}

fn decimal() -> impl Strategy<Value = Decimal> {
    ("-?[0-9]{1,24}", prop::option::of("[0-9]{1,12}")).prop_map(|(whole, fraction)| {
        let text = match fraction {
            Some(fraction) => format!("{whole}.{fraction}"),
            None => whole,
        };
        Decimal::new(&text).expect("digits with an optional fraction are a decimal")
    })
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => text().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::Integer),
        1 => decimal().prop_map(Value::Decimal),
        1 => any::<bool>().prop_map(Value::Boolean),
        1 => Just(Value::Null),
        // The years 0001 to 9998 in UTC.
        1 => (-62_000_000_000i64..253_000_000_000).prop_map(|seconds| {
            Value::from(OffsetDateTime::from_unix_timestamp(seconds).expect("in range"))
        }),
    ]
}

fn comparison() -> impl Strategy<Value = Condition> {
    (prop::sample::select(Operator::ALL.to_vec()), field()).prop_flat_map(|(operator, field)| {
        let value = if operator.takes_list() {
            prop::collection::vec(scalar(), 1..5)
                .prop_map(Value::List)
                .boxed()
        } else {
            scalar().boxed()
        };
        value.prop_map(move |value| {
            Condition::compare(field.clone(), operator, value).expect("generated parts are valid")
        })
    })
}

/// Conditions nested up to 16 levels deep.
fn condition() -> impl Strategy<Value = Condition> {
    comparison().prop_recursive(16, 96, 4, |inner| {
        (any::<bool>(), prop::collection::vec(inner, 2..4)).prop_map(|(all, clauses)| {
            if all {
                Condition::all(clauses).expect("two or more clauses")
            } else {
                Condition::any(clauses).expect("two or more clauses")
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendering_then_parsing_gives_back_the_same_condition(condition in condition()) {
        let rendered = condition.to_string();
        let parsed = Condition::parse(&rendered);
        prop_assert!(parsed.is_ok(), "{rendered}: {:?}", parsed.err());
        prop_assert_eq!(parsed.unwrap(), condition, "{}", rendered);
    }

    #[test]
    fn a_value_of_any_text_survives_the_round_trip(field in field(), value in text()) {
        let condition = Condition::eq(field.as_str(), value.clone()).unwrap();
        let parsed = Condition::parse(&condition.to_string()).unwrap();
        let comparison = parsed.as_comparison().expect("one comparison");
        prop_assert_eq!(comparison.value(), &Value::String(value));
    }

    #[test]
    fn any_text_parses_or_is_refused_without_a_panic(input in text()) {
        if let Ok(parsed) = Condition::parse(&input) {
            // What is accepted is a fixed point of render, then parse.
            let again = Condition::parse(&parsed.to_string()).unwrap();
            prop_assert_eq!(again, parsed);
        }
    }
}

/// Nesting far deeper than any real filter is refused with a typed error, never a stack
/// overflow; nesting within the limit parses.
#[test]
fn very_deep_nesting_is_bounded() {
    let nested = |depth: usize| format!("{}id = 1{}", "(".repeat(depth), ")".repeat(depth));
    let parsed = Condition::parse(&nested(MAX_NESTING_DEPTH - 1)).unwrap();
    assert_eq!(parsed, Condition::eq("id", 1).unwrap());
    for depth in [MAX_NESTING_DEPTH + 1, 100_000] {
        let error = Condition::parse(&nested(depth)).unwrap_err();
        assert!(
            matches!(error.kind(), ParseErrorKind::NestingTooDeep { .. }),
            "{depth}: {error}"
        );
    }
}
