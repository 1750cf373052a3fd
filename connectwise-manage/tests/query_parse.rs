//! Parser tests through the public API: documented examples, malformed input, and the
//! render/parse round trip over generated conditions.

use std::fmt::Write as _;

use connectwise_manage::query::{Condition, Decimal, Operator, ParseErrorKind, Value};
use time::{Duration, OffsetDateTime, UtcOffset};

/// Parses each input and renders the result (or the error) for one snapshot.
fn parse_table(inputs: &[&str]) -> String {
    let mut out = String::new();
    for input in inputs {
        let result = match Condition::parse(input) {
            Ok(condition) => condition.to_string(),
            Err(error) => format!("error: {error}"),
        };
        let _ = writeln!(out, "{input}\n    {result}");
    }
    out
}

#[test]
fn documented_examples_parse() {
    insta::assert_snapshot!(parse_table(&[
        // Official swagger example, with a doubled space and mixed-case AND.
        r#"(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND  summary != "Some Summary""#,
        r#"Summary Not Contains "Low Priority""#,
        "board/id in (3, 2, 4)",
        "ClosedFlag = True",
        r#"caption="TomNumber" AND value !=null"#,
        r#"communicationItems/value like "john@Outlook.com" AND communicationItems/communicationType="Email""#,
        r#"board/name="integration" and summary="xyz""#,
        "LastUpdated = [2016-08-20T18:04:26Z]",
        "lastUpdated > [2016-08-20T18:04:26Z]",
        r#"Summary = "This is my string""#,
        "Board/Id = 123",
        "summary like 'test'",
        r#"status/name not in ("Closed","Resolved")"#,
        r#"AgreementStatus Not Like "Canceled""#,
        "id in (1,2,3)",
        "LastUpdated >= [2024-05-01T10:00:00+02:00]",
        "LastUpdated <= [2024-05-01T10:00:00.123456Z]",
        r#"contact/id=1042 and summary contains "Outlook""#,
        r#"board/name="Service Desk" AND status/name!="Closed""#,
        r#"company/id=250 AND type/name="Workstation""#,
    ]));
}

#[test]
fn precedence_grouping_and_case() {
    insta::assert_snapshot!(parse_table(&[
        "a = 1 or b = 2 and c = 3",
        "a = 1 and b = 2 or c = 3",
        "(a = 1 or b = 2) and c = 3",
        "a = 1 or (b = 2 or (c = 3 or d = 4))",
        "((((a = 1))))",
        "a = 1 AND b = 2 And c = 3 aNd d = 4",
        "a = 1 OR b = 2",
        "x IN (1)",
        "x NOT   IN (1, 2)",
        "x\tnot\ncontains\r\n'y'",
        "n = -0",
        "n = 00012.3400",
        "n = 99999999999999999999",
        "b = TRUE or b = fAlSe or b = NULL",
        r#"s = "it's" or s = 'say "hi"' or s = "both \" and '""#,
        r#"s = "C:\temp" or s = "\\\\srv""#,
    ]));
}

#[test]
fn malformed_input_is_reported_with_offsets() {
    insta::assert_snapshot!(parse_table(&[
        "",
        "   ",
        "a",
        "a =",
        "= 1",
        "a = 1 and",
        "a = 1 or or b = 2",
        "(a = 1",
        "a = 1)",
        "a = 1 b = 2",
        "a == 1",
        "a <> 1",
        "a ! 1",
        "a not = 1",
        "not a = 1",
        "a is null",
        "a = Fred",
        "a = \"open",
        "a = 'open",
        "a = [2020-01-01",
        "a = [2020-01-01]",
        "a = [2020-01-01T00:00:00]",
        "a = [2020-13-01T00:00:00Z]",
        "a = [ 2020-01-01T00:00:00Z ]",
        "a = 1.",
        "a = .5",
        "a = -",
        "a = +1",
        "a = 1e5",
        "a in 1",
        "a in ()",
        "a in (1,)",
        "a in (1 2)",
        "a in ((1))",
        "a = (1, 2)",
        "a/ = 1",
        "/a = 1",
        "a//b = 1",
        "1a = 1",
        "a.b = 1",
        "é = 1",
        "a = 1 andb = 2",
    ]));
}

/// Characters that stress quoting and tokenising when they appear inside strings.
const STRING_ALPHABET: &[&str] = &[
    "a", "Z", "0", " ", "\"", "'", "\\", "(", ")", ",", "[", "]", "=", "%", "*", "&", "+", "and",
    " or ", "not in", "\n", "\t", "é", "日", "😀", "\u{0}",
];

fn random_string(rng: &mut fastrand::Rng) -> String {
    (0..rng.usize(0..8))
        .map(|_| STRING_ALPHABET[rng.usize(..STRING_ALPHABET.len())])
        .collect()
}

fn random_field(rng: &mut fastrand::Rng) -> String {
    const SEGMENTS: &[&str] = &[
        "id",
        "status",
        "name",
        "_info",
        "lastUpdated",
        "Board",
        "x1",
        "and",
        "or",
        "not",
        "in",
        "true",
        "null",
        "contains",
        "_",
    ];
    (0..rng.usize(1..4))
        .map(|_| SEGMENTS[rng.usize(..SEGMENTS.len())])
        .collect::<Vec<_>>()
        .join("/")
}

fn random_decimal(rng: &mut fastrand::Rng) -> Decimal {
    let digits = |rng: &mut fastrand::Rng, n: usize| -> String {
        (0..n).map(|_| char::from(b'0' + rng.u8(0..10))).collect()
    };
    let mut text = String::new();
    if rng.bool() {
        text.push('-');
    }
    let whole_len = rng.usize(1..25);
    text.push_str(&digits(rng, whole_len));
    if rng.bool() {
        text.push('.');
        let fraction_len = rng.usize(1..12);
        text.push_str(&digits(rng, fraction_len));
    }
    Decimal::new(&text).expect("generated decimal text is valid")
}

fn random_datetime(rng: &mut fastrand::Rng) -> OffsetDateTime {
    let base = OffsetDateTime::UNIX_EPOCH;
    // Roughly the years 0001 to 9998, with sub-second noise and a random offset.
    let seconds = rng.i64(-62_000_000_000..253_000_000_000);
    let nanos = rng.i64(0..1_000_000_000);
    let offset = UtcOffset::from_whole_seconds(rng.i32(-50_000..50_000)).unwrap_or(UtcOffset::UTC);
    (base + Duration::seconds(seconds) + Duration::nanoseconds(nanos)).to_offset(offset)
}

fn random_scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(0..7) {
        0 | 1 => Value::String(random_string(rng)),
        2 => Value::Integer(match rng.u8(0..4) {
            0 => i64::MIN,
            1 => i64::MAX,
            _ => rng.i64(-1_000_000..1_000_000),
        }),
        3 => Value::Decimal(random_decimal(rng)),
        4 => Value::Boolean(rng.bool()),
        5 => Value::Null,
        _ => Value::from(random_datetime(rng)),
    }
}

fn random_comparison(rng: &mut fastrand::Rng) -> Condition {
    let operator = Operator::ALL[rng.usize(..Operator::ALL.len())];
    let value = if operator.takes_list() {
        Value::List((0..rng.usize(1..5)).map(|_| random_scalar(rng)).collect())
    } else {
        random_scalar(rng)
    };
    Condition::compare(random_field(rng), operator, value).expect("generated parts are valid")
}

fn random_condition(rng: &mut fastrand::Rng, depth: u32) -> Condition {
    if depth == 0 || rng.u8(0..3) == 0 {
        return random_comparison(rng);
    }
    let conjunction = rng.bool();
    let clauses = (0..rng.usize(2..5)).map(|_| random_condition(rng, depth - 1));
    let combined = if conjunction {
        Condition::all(clauses)
    } else {
        Condition::any(clauses)
    };
    combined.expect("at least two clauses")
}

#[test]
fn rendering_then_parsing_gives_back_the_same_condition() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_c0de);
    for round in 0..3_000 {
        let condition = random_condition(&mut rng, 4);
        let rendered = condition.to_string();
        match Condition::parse(&rendered) {
            Ok(parsed) => assert_eq!(parsed, condition, "round {round}: {rendered}"),
            Err(error) => panic!("round {round}: {rendered}\n{error}"),
        }
    }
}

/// Random edits of valid text must never panic; whatever still parses must be a fixed point
/// of render-then-parse.
#[test]
fn mangled_input_never_panics_and_accepted_input_normalises() {
    const INSERTS: &[&str] = &[
        "(",
        ")",
        "\"",
        "'",
        "\\",
        "[",
        "]",
        ",",
        " ",
        "and",
        "or",
        "not",
        "in",
        "=",
        "!",
        "<",
        ">",
        "-",
        ".",
        "0",
        "9",
        "é",
        "😀",
        "\u{0}",
        "/",
        "[2020-01-01T00:00:00Z]",
        "null",
    ];
    let mut rng = fastrand::Rng::with_seed(42);
    let mut accepted = 0;
    for _ in 0..5_000 {
        let mut text = random_condition(&mut rng, 3).to_string();
        for _ in 0..rng.usize(1..4) {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let at = boundaries[rng.usize(..boundaries.len())];
            match rng.u8(0..3) {
                0 => text.insert_str(at, INSERTS[rng.usize(..INSERTS.len())]),
                1 => {
                    let end = boundaries.iter().copied().find(|&b| b > at).unwrap_or(at);
                    text.replace_range(at..end, "");
                }
                _ => text.truncate(at),
            }
        }
        if let Ok(parsed) = Condition::parse(&text) {
            accepted += 1;
            assert_eq!(
                Condition::parse(&parsed.to_string()).as_ref(),
                Ok(&parsed),
                "{text}"
            );
        }
    }
    // The edits should leave a fair share valid, or the check above tests nothing.
    assert!(accepted > 200, "only {accepted} mangled inputs parsed");
}

#[test]
fn random_token_soup_never_panics() {
    const TOKENS: &[&str] = &[
        "a",
        "b/c",
        "(",
        ")",
        "=",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "contains",
        "like",
        "in",
        "not",
        "and",
        "or",
        "AND",
        "Or",
        "\"x\"",
        "'y'",
        "\"",
        "'",
        "1",
        "-2.5",
        "true",
        "null",
        "[2020-01-01T00:00:00Z]",
        "[",
        "]",
        ",",
        " ",
        "\\",
        "é",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    let mut accepted = 0;
    for _ in 0..20_000 {
        let text: String = (0..rng.usize(0..16))
            .map(|_| TOKENS[rng.usize(..TOKENS.len())])
            .collect::<Vec<_>>()
            .join(if rng.bool() { " " } else { "" });
        if let Ok(parsed) = Condition::parse(&text) {
            accepted += 1;
            assert_eq!(
                Condition::parse(&parsed.to_string()).as_ref(),
                Ok(&parsed),
                "{text}"
            );
        }
    }
    assert!(accepted > 0);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(99);
    for _ in 0..20_000 {
        let bytes: Vec<u8> = (0..rng.usize(0..40)).map(|_| rng.u8(..)).collect();
        let text = String::from_utf8_lossy(&bytes);
        let _ = Condition::parse(&text);
    }
}

#[test]
fn pattern_brackets_are_read_back_and_bare_ones_refused() {
    let parsed = Condition::parse(r#"summary contains "[[]URGENT] [[][[]]""#).unwrap();
    assert_eq!(
        parsed,
        Condition::contains("summary", "[URGENT] [[]").unwrap()
    );
    for bare in [
        r#"summary contains "[URGENT]""#,
        r#"summary like '[a-z]*'"#,
        r#"id = 1 and summary not like "x[""#,
    ] {
        let error = Condition::parse(bare).unwrap_err();
        assert_eq!(error.kind(), &ParseErrorKind::UnescapedBracket, "{bare}");
    }
    // Outside patterns a bracket is an ordinary character.
    assert_eq!(
        Condition::parse(r#"summary = "[URGENT]""#).unwrap(),
        Condition::eq("summary", "[URGENT]").unwrap()
    );
}
