//! Property tests of ScreenConnect session filters: a filter the client builds from arbitrary
//! text (quotes, both quote characters, brackets, `%`, keywords, non-ASCII) and numbers,
//! combined and negated to any depth, renders to text the server's parser reads back with every
//! comparison, in order, unchanged; and any filter text at all is parsed or refused, never a
//! panic.

use msp_sandbox::screenconnect::filter::{self as server, Literal as ServerLiteral, Op};
use proptest::prelude::*;
use screenconnect_api::filter::{Field, Filter, Literal};

/// One comparison as the server should read it back (a negated `LIKE` is counted with the
/// negations: the client writes it `NOT (… LIKE …)`).
#[derive(Clone, Debug, PartialEq)]
enum Leaf {
    Compare(String, Op, ServerLiteral),
    Like(String, String),
    Null(String, bool),
}

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => any::<char>().prop_filter("no NUL", |c| *c != '\0').prop_map(String::from),
        2 => prop::sample::select(vec![
            "'", "''", "\"", "(", ")", "[", "]", "%", "_", " AND ", " OR ", "NOT", "=", "\\", "é",
            "日本", "😀",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z0-9 ]{1,4}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["Name", "GuestMachineName", "SessionType", "Host"])
            .prop_map(str::to_owned),
        (1usize..=8).prop_map(|n| format!("CustomProperty{n}")),
        // A name like a word of the filter language is refused by the client (tested there).
        "[A-Z][a-zA-Z0-9_]{0,10}(\\.[A-Z][a-zA-Z0-9_]{0,6})?".prop_filter(
            "a word of the filter language",
            |name| Field::new(name.clone()).is_ok()
        ),
    ]
}

fn literal() -> impl Strategy<Value = (Literal, ServerLiteral)> {
    prop_oneof![
        3 => text().prop_map(|t| (Literal::Text(t.clone()), ServerLiteral::Text(t))),
        1 => (-1_000_000_000i64..1_000_000_000)
            .prop_map(|n| (Literal::Integer(n), ServerLiteral::Number(n as f64))),
    ]
}

fn comparison() -> impl Strategy<Value = (Filter, Vec<Leaf>, usize)> {
    let ops = prop::sample::select(vec![0u8, 1, 2, 3, 4, 5]);
    prop_oneof![
        4 => (field(), ops, literal()).prop_map(|(name, op, (client, server))| {
            let field = Field::new(name.clone()).unwrap();
            let (filter, op) = match op {
                0 => (field.equals(client), Op::Eq),
                1 => (field.not_equals(client), Op::Ne),
                2 => (field.less_than(client), Op::Lt),
                3 => (field.less_or_equal(client), Op::Le),
                4 => (field.greater_than(client), Op::Gt),
                _ => (field.greater_or_equal(client), Op::Ge),
            };
            (filter, vec![Leaf::Compare(name, op, server)], 0)
        }),
        1 => (field(), text(), any::<bool>()).prop_map(|(name, pattern, negated)| {
            let field = Field::new(name.clone()).unwrap();
            let filter = if negated { field.not_like(pattern.clone()) } else { field.like(pattern.clone()) };
            (filter, vec![Leaf::Like(name, pattern)], usize::from(negated))
        }),
        1 => (field(), any::<bool>()).prop_map(|(name, null)| {
            let field = Field::new(name.clone()).unwrap();
            let filter = if null { field.is_null() } else { field.is_not_null() };
            (filter, vec![Leaf::Null(name, null)], 0)
        }),
    ]
}

/// Filters nested up to 8 levels deep, with the leaves in the order they are written and the
/// number of negations.
fn filter() -> impl Strategy<Value = (Filter, Vec<Leaf>, usize)> {
    comparison().prop_recursive(8, 64, 4, |inner| {
        prop_oneof![
            (any::<bool>(), prop::collection::vec(inner.clone(), 2..4)).prop_map(|(all, parts)| {
                let leaves = parts.iter().flat_map(|(_, l, _)| l.clone()).collect();
                let negations = parts.iter().map(|(_, _, n)| n).sum();
                let filters = parts.into_iter().map(|(f, _, _)| f);
                let filter = if all {
                    Filter::all(filters)
                } else {
                    Filter::any(filters)
                };
                (filter, leaves, negations)
            }),
            inner.prop_map(|(filter, leaves, negations)| (!filter, leaves, negations + 1)),
        ]
    })
}

/// The leaves of a parsed filter in order; returns the number of negations.
fn leaves(filter: &server::Filter, out: &mut Vec<Leaf>) -> usize {
    match filter {
        server::Filter::Compare(field, op, literal) => {
            out.push(Leaf::Compare(field.clone(), *op, literal.clone()));
            0
        }
        server::Filter::Like(field, pattern, negated) => {
            out.push(Leaf::Like(field.clone(), pattern.clone()));
            usize::from(*negated)
        }
        server::Filter::Null(field, null) => {
            out.push(Leaf::Null(field.clone(), *null));
            0
        }
        server::Filter::And(left, right) | server::Filter::Or(left, right) => {
            leaves(left, out) + leaves(right, out)
        }
        server::Filter::Not(inner) => leaves(inner, out) + 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_server_reads_back_what_the_client_wrote((filter, expected, negations) in filter()) {
        let text = filter.render().unwrap();
        let parsed = server::parse(&text, |_| true);
        prop_assert!(parsed.is_ok(), "{}: {:?}", text, parsed.as_ref().err());
        let mut found = Vec::new();
        let found_negations = leaves(&parsed.unwrap(), &mut found);
        prop_assert_eq!(found, expected, "{}", text);
        prop_assert_eq!(found_negations, negations, "{}", text);
    }

    #[test]
    fn any_filter_text_is_parsed_or_refused(input in text()) {
        if let Err(error) = server::parse(&input, |_| true) {
            prop_assert!(!error.message().is_empty());
        }
    }
}
