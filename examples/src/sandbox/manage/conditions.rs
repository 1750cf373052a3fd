//! Evaluating `conditions`, `childConditions` and `customFieldConditions` over JSON records, the
//! way the server does.
//!
//! The text is parsed with [`Condition::parse`], the SDK's own parser, and the tree is walked over
//! each record:
//!
//! - field paths use `/` for sub-fields (`board/name`), and names match without regard to case;
//! - `lastUpdated`, `dateEntered`, `updatedBy` and `enteredBy` are read from `_info` when the
//!   record has no such top-level field, as the server allows;
//! - string comparisons ignore case (SQL Server's default collation); `contains` is a substring
//!   test; `like` treats `*` and `%` as "any run of characters";
//! - `[datetime]` literals compare as instants with timestamp strings;
//! - a missing or `null` field only satisfies `= null` (SQL's three-valued logic makes every
//!   other test on `NULL` false, `not` forms included).
//!
//! [`check`] refuses what the server refuses with `400 ApiFindCondition`: unknown field names,
//! child collections in `conditions`, and literals of the wrong type for the field.

use std::cmp::Ordering;

use connectwise_manage::query::{Comparison, Condition, Operator, Value as Literal};
use serde_json::Value;
use time::OffsetDateTime;

use super::routes::Kind;

/// Fields the server serves from `_info` although conditions name them at the top level.
const INFO_FIELDS: [&str; 4] = ["lastUpdated", "dateEntered", "updatedBy", "enteredBy"];

/// The value at `path` (`/`-separated, names matched without regard to case), with the `_info`
/// fallback for `lastUpdated`, `dateEntered`, `updatedBy` and `enteredBy`.
pub fn lookup<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('/');
    let first = segments.next()?;
    let mut current = get_ignoring_case(record, first).or_else(|| {
        let from_info = !path.contains('/')
            && INFO_FIELDS
                .iter()
                .any(|name| name.eq_ignore_ascii_case(first));
        if from_info {
            get_ignoring_case(record.get("_info")?, first)
        } else {
            None
        }
    })?;
    for segment in segments {
        current = get_ignoring_case(current, segment)?;
    }
    Some(current)
}

fn get_ignoring_case<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    object.get(key).or_else(|| {
        object
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    })
}

/// Whether `record` satisfies a `conditions` expression.
pub fn matches(condition: &Condition, record: &Value) -> bool {
    evaluate(condition, &|path: &str| lookup(record, path))
}

/// Whether `record` satisfies a `childConditions` expression: some element of the child
/// collection named by the paths' first segment (`communicationItems/value`) satisfies the whole
/// expression.
pub fn matches_child(condition: &Condition, record: &Value) -> bool {
    let Some(collection) = first_field(condition).and_then(|path| path.split('/').next()) else {
        return false;
    };
    let Some(Value::Array(items)) = lookup(record, collection) else {
        return false;
    };
    items.iter().any(|item| {
        evaluate(condition, &|path: &str| match path.split_once('/') {
            Some((head, rest)) if head.eq_ignore_ascii_case(collection) => lookup(item, rest),
            _ => lookup(record, path),
        })
    })
}

/// Whether `record` satisfies a `customFieldConditions` expression: some element of its
/// `customFields` satisfies the whole expression (`caption = "X" and value != null`).
pub fn matches_custom_field(condition: &Condition, record: &Value) -> bool {
    let Some(Value::Array(fields)) = lookup(record, "customFields") else {
        return false;
    };
    fields
        .iter()
        .any(|field| evaluate(condition, &|path: &str| lookup(field, path)))
}

fn first_field(condition: &Condition) -> Option<&str> {
    match condition {
        Condition::Compare(comparison) => Some(comparison.field().as_str()),
        Condition::And(clauses) | Condition::Or(clauses) => clauses.iter().find_map(first_field),
    }
}

fn evaluate<'a, F>(condition: &Condition, resolve: &F) -> bool
where
    F: Fn(&str) -> Option<&'a Value>,
{
    match condition {
        Condition::Compare(comparison) => compare(comparison, resolve(comparison.field().as_str())),
        Condition::And(clauses) => clauses.iter().all(|clause| evaluate(clause, resolve)),
        Condition::Or(clauses) => clauses.iter().any(|clause| evaluate(clause, resolve)),
    }
}

fn compare(comparison: &Comparison, actual: Option<&Value>) -> bool {
    let operator = comparison.operator();
    let literal = comparison.value();
    let actual = actual.filter(|value| !value.is_null());
    let Some(actual) = actual else {
        return operator == Operator::Eq && *literal == Literal::Null;
    };
    if *literal == Literal::Null {
        return operator == Operator::Ne;
    }
    let ordered = |accept: fn(Ordering) -> bool| order(actual, literal).is_some_and(accept);
    match operator {
        Operator::Eq => equals(actual, literal),
        Operator::Ne => !equals(actual, literal),
        Operator::Lt => ordered(Ordering::is_lt),
        Operator::Le => ordered(Ordering::is_le),
        Operator::Gt => ordered(Ordering::is_gt),
        Operator::Ge => ordered(Ordering::is_ge),
        Operator::Contains => text_test(actual, literal, |a, b| a.contains(b)).unwrap_or(false),
        Operator::NotContains => text_test(actual, literal, |a, b| !a.contains(b)).unwrap_or(false),
        Operator::Like => text_test(actual, literal, like).unwrap_or(false),
        Operator::NotLike => text_test(actual, literal, |a, b| !like(a, b)).unwrap_or(false),
        Operator::In => list(literal).iter().any(|item| equals(actual, item)),
        Operator::NotIn => !list(literal).iter().any(|item| equals(actual, item)),
    }
}

fn list(literal: &Literal) -> &[Literal] {
    match literal {
        Literal::List(items) => items,
        _ => &[],
    }
}

/// Applies a test to the lower-cased text of both sides; `None` unless both are text.
fn text_test(actual: &Value, literal: &Literal, test: fn(&str, &str) -> bool) -> Option<bool> {
    let (Value::String(actual), Literal::String(literal)) = (actual, literal) else {
        return None;
    };
    Some(test(&actual.to_lowercase(), &literal.to_lowercase()))
}

fn equals(actual: &Value, literal: &Literal) -> bool {
    order(actual, literal) == Some(Ordering::Equal)
        || matches!((actual, literal), (Value::Bool(a), Literal::Boolean(b)) if a == b)
}

/// Orders the record's value against a literal of a comparable type.
fn order(actual: &Value, literal: &Literal) -> Option<Ordering> {
    match (actual, literal) {
        (Value::String(actual), Literal::String(literal)) => {
            Some(actual.to_lowercase().cmp(&literal.to_lowercase()))
        }
        (Value::String(actual), Literal::DateTime(literal)) => {
            Some(parse_instant(actual)?.cmp(literal))
        }
        (Value::Number(actual), Literal::Integer(literal)) => match actual.as_i64() {
            Some(actual) => Some(actual.cmp(literal)),
            None => actual.as_f64()?.partial_cmp(&(*literal as f64)),
        },
        (Value::Number(actual), Literal::Decimal(literal)) => actual
            .as_f64()?
            .partial_cmp(&literal.as_str().parse::<f64>().ok()?),
        _ => None,
    }
}

/// A timestamp as the API writes it, read leniently.
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    connectwise_manage::models::datetime::parse(text).ok()
}

/// `like` matching on lower-cased text: `*` and `%` match any run of characters, everything else
/// matches itself.
fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    let (mut t, mut p) = (0, 0);
    // Where the last wildcard was, and the text position it was tried against.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && matches!(pattern[p], '*' | '%') {
            backtrack = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star, tried)) = backtrack {
            p = star + 1;
            t = tried + 1;
            backtrack = Some((star, tried + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| matches!(c, '*' | '%'))
}

/// Refuses what the server answers with `400 ApiFindCondition`: an unknown field name, a child
/// collection (those belong in `childConditions`), or a literal whose type does not suit the
/// field. The message is the server's kind of message.
pub fn check(condition: &Condition, kind: Kind, records: &[Value]) -> Result<(), String> {
    match condition {
        Condition::Compare(comparison) => check_comparison(comparison, kind, records),
        Condition::And(clauses) | Condition::Or(clauses) => clauses
            .iter()
            .try_for_each(|clause| check(clause, kind, records)),
    }
}

/// Whether conditions may name `field` (the first segment of a path) on records of `kind`.
pub fn is_recognized(field: &str, kind: Kind, records: &[Value]) -> bool {
    field.eq_ignore_ascii_case("id")
        || INFO_FIELDS
            .iter()
            .any(|name| name.eq_ignore_ascii_case(field))
        || kind
            .fields()
            .iter()
            .any(|name| name.eq_ignore_ascii_case(field))
        || records
            .iter()
            .any(|record| get_ignoring_case(record, field).is_some())
}

fn check_comparison(comparison: &Comparison, kind: Kind, records: &[Value]) -> Result<(), String> {
    let path = comparison.field().as_str();
    let first = path.split('/').next().unwrap_or(path);
    let not_recognized = || format!("{path} is not a recognized name.");
    if !is_recognized(first, kind, records) {
        return Err(not_recognized());
    }
    let is_child_collection = records
        .iter()
        .any(|record| matches!(lookup(record, first), Some(Value::Array(_))));
    if is_child_collection {
        return Err(not_recognized());
    }
    let Some(sample) = records
        .iter()
        .filter_map(|record| lookup(record, path))
        .find(|value| !value.is_null())
    else {
        return Ok(());
    };
    if sample.is_object() && *comparison.value() != Literal::Null {
        return Err(format!(
            "{path} is a reference; compare one of its fields, such as {path}/id or {path}/name."
        ));
    }
    let text_operator = matches!(
        comparison.operator(),
        Operator::Contains | Operator::NotContains | Operator::Like | Operator::NotLike
    );
    if text_operator && !sample.is_string() {
        return Err(format!(
            "{} is only valid for string fields; {path} is {}.",
            comparison.operator(),
            sample_kind(sample)
        ));
    }
    let literals: Vec<&Literal> = match comparison.value() {
        Literal::List(items) => items.iter().collect(),
        single => vec![single],
    };
    for literal in literals {
        let expected = sample_kind(sample);
        let fits = match literal {
            Literal::Null => true,
            Literal::String(_) => expected == "a string",
            Literal::DateTime(_) => expected == "a datetime",
            Literal::Integer(_) | Literal::Decimal(_) => expected == "a numeric",
            Literal::Boolean(_) => expected == "a boolean",
            Literal::List(_) => false,
        };
        if !fits {
            return Err(format!(
                "Expected {expected} value for {path}, not {}. Strings are quoted, datetimes are \
                 in square brackets, numbers are digits with an optional point and sign, \
                 booleans are true or false, and null is the keyword null.",
                literal_kind(literal)
            ));
        }
    }
    Ok(())
}

fn sample_kind(sample: &Value) -> &'static str {
    match sample {
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a numeric",
        Value::String(text) if parse_instant(text).is_some() && text.len() >= 19 => "a datetime",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
        Value::Null => "null",
    }
}

fn literal_kind(literal: &Literal) -> &'static str {
    match literal {
        Literal::String(_) => "a string",
        Literal::Integer(_) | Literal::Decimal(_) => "a numeric",
        Literal::Boolean(_) => "a boolean",
        Literal::Null => "null",
        Literal::DateTime(_) => "a datetime",
        Literal::List(_) => "a list",
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_wildcards() {
        assert!(like("printer offline", "printer*"));
        assert!(like("printer offline", "%offline"));
        assert!(like("printer offline", "*ter*off*"));
        assert!(like("abc", "abc"));
        assert!(like("", "*"));
        assert!(!like("printer", "print"));
        assert!(!like("printer", "*x*"));
        assert!(like("aaab", "*ab"));
    }
}
