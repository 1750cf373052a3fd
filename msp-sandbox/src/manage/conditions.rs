//! The sandbox's own reading and evaluation of `conditions`, `childConditions` and
//! `customFieldConditions`, written from the protocol's grammar rather than shared with the
//! client, so that a mistake in the client's parser shows up against it.
//!
//! Grammar (keywords and field names ignore case):
//!
//! ```text
//! expression := term (OR term)*              AND binds tighter than OR
//! term       := factor (AND factor)*
//! factor     := "(" expression ")" | comparison
//! comparison := path operator literal
//! path       := name ("/" name)*
//! operator   := = | != | < | <= | > | >= | contains | like | in
//!             | not contains | not like | not in
//! literal    := "text" | 'text' (backslash escapes) | -12 | 3.5 | true | false | null
//!             | [2026-05-14T08:00:00Z] | ( literal, … )    the list only after in
//! ```
//!
//! Evaluation over JSON records follows the server:
//!
//! - field paths use `/` for sub-fields (`board/name`), and names match without regard to case;
//! - `lastUpdated`, `dateEntered`, `updatedBy` and `enteredBy` are read from `_info` when the
//!   record has no such top-level field;
//! - string comparisons ignore case (SQL Server's default collation); `contains` is a substring
//!   test; `like` treats `*` and `%` as "any run of characters";
//! - `[datetime]` literals compare as instants with timestamp strings;
//! - a missing or `null` field only satisfies `= null` (SQL's three-valued logic makes every
//!   other test on `NULL` false, `not` forms included).
//!
//! [`check`] refuses what the server refuses with `400 ApiFindCondition`: unknown field names,
//! child collections in `conditions`, and literals of the wrong type for the field.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;
use time::OffsetDateTime;

use super::routes::Kind;

/// Fields the server serves from `_info` although conditions name them at the top level.
pub const INFO_FIELDS: [&str; 4] = ["lastUpdated", "dateEntered", "updatedBy", "enteredBy"];

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// One comparison.
    Compare(Comparison),
    /// Every clause holds.
    And(Vec<Condition>),
    /// Some clause holds.
    Or(Vec<Condition>),
}

/// `path operator literal`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The field path, as written (`board/name`).
    pub field: String,
    /// The operator.
    pub operator: Operator,
    /// The literal.
    pub value: Literal,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains`
    Contains,
    /// `not contains`
    NotContains,
    /// `like`
    Like,
    /// `not like`
    NotLike,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

impl Operator {
    fn is_text(self) -> bool {
        matches!(
            self,
            Operator::Contains | Operator::NotContains | Operator::Like | Operator::NotLike
        )
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Contains => "contains",
            Operator::NotContains => "not contains",
            Operator::Like => "like",
            Operator::NotLike => "not like",
            Operator::In => "in",
            Operator::NotIn => "not in",
        })
    }
}

/// A literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `"text"` or `'text'`.
    String(String),
    /// Digits with an optional sign.
    Integer(i64),
    /// Digits with a point.
    Decimal(f64),
    /// `true` / `false`.
    Boolean(bool),
    /// `null`.
    Null,
    /// `[2026-05-14T08:00:00Z]`.
    DateTime(OffsetDateTime),
    /// `(a, b, …)` after `in`.
    List(Vec<Literal>),
}

/// Why a condition could not be read: what was expected and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The byte offset in the text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

impl Condition {
    /// Reads a condition.
    ///
    /// # Errors
    /// When `text` does not follow the grammar (see the module docs).
    pub fn parse(text: &str) -> Result<Condition, ParseError> {
        let mut parser = Parser { text, at: 0 };
        let condition = parser.expression(0)?;
        parser.skip_space();
        if parser.at < text.len() {
            return Err(parser.error("expected AND, OR or the end of the conditions"));
        }
        Ok(condition)
    }

    /// Every comparison in the condition.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        match self {
            Condition::Compare(comparison) => vec![comparison],
            Condition::And(clauses) | Condition::Or(clauses) => {
                clauses.iter().flat_map(Condition::comparisons).collect()
            }
        }
    }
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            offset: self.at,
            message: message.to_owned(),
        }
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    /// Consumes `keyword` when it is next as a whole word (ignoring case).
    fn keyword(&mut self, keyword: &str) -> bool {
        self.skip_space();
        let rest = self.rest();
        let matches = rest.len() >= keyword.len()
            && rest.is_char_boundary(keyword.len())
            && rest[..keyword.len()].eq_ignore_ascii_case(keyword)
            && !rest[keyword.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if matches {
            self.at += keyword.len();
        }
        matches
    }

    fn symbol(&mut self, symbol: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(symbol) {
            self.at += symbol.len();
            true
        } else {
            false
        }
    }

    fn expression(&mut self, depth: usize) -> Result<Condition, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("the conditions are nested too deeply"));
        }
        let mut clauses = vec![self.term(depth)?];
        while self.keyword("or") {
            clauses.push(self.term(depth)?);
        }
        Ok(if clauses.len() == 1 {
            clauses.remove(0)
        } else {
            Condition::Or(clauses)
        })
    }

    fn term(&mut self, depth: usize) -> Result<Condition, ParseError> {
        let mut clauses = vec![self.factor(depth)?];
        while self.keyword("and") {
            clauses.push(self.factor(depth)?);
        }
        Ok(if clauses.len() == 1 {
            clauses.remove(0)
        } else {
            Condition::And(clauses)
        })
    }

    fn factor(&mut self, depth: usize) -> Result<Condition, ParseError> {
        if self.symbol("(") {
            let inner = self.expression(depth + 1)?;
            if !self.symbol(")") {
                return Err(self.error("expected )"));
            }
            return Ok(inner);
        }
        let field = self.path()?;
        let operator = self.operator()?;
        let value = if matches!(operator, Operator::In | Operator::NotIn) {
            self.list()?
        } else {
            self.literal()?
        };
        Ok(Condition::Compare(Comparison {
            field,
            operator,
            value,
        }))
    }

    fn path(&mut self) -> Result<String, ParseError> {
        self.skip_space();
        let start = self.at;
        let mut expect_name = true;
        let mut end = start;
        for (offset, c) in self.rest().char_indices() {
            let fits = if expect_name {
                c.is_alphabetic() || c == '_'
            } else {
                c.is_alphanumeric() || c == '_' || c == '/'
            };
            if !fits {
                break;
            }
            expect_name = c == '/';
            end = start + offset + c.len_utf8();
        }
        self.at = end;
        let path = &self.text[start..end];
        if path.is_empty() {
            return Err(self.error("expected a field name"));
        }
        if path.ends_with('/') {
            return Err(self.error("expected a field name after /"));
        }
        Ok(path.to_owned())
    }

    fn operator(&mut self) -> Result<Operator, ParseError> {
        for (symbol, operator) in [
            ("!=", Operator::Ne),
            ("<=", Operator::Le),
            (">=", Operator::Ge),
            ("=", Operator::Eq),
            ("<", Operator::Lt),
            (">", Operator::Gt),
        ] {
            if self.symbol(symbol) {
                return Ok(operator);
            }
        }
        if self.keyword("contains") {
            return Ok(Operator::Contains);
        }
        if self.keyword("like") {
            return Ok(Operator::Like);
        }
        if self.keyword("in") {
            return Ok(Operator::In);
        }
        if self.keyword("not") {
            if self.keyword("contains") {
                return Ok(Operator::NotContains);
            }
            if self.keyword("like") {
                return Ok(Operator::NotLike);
            }
            if self.keyword("in") {
                return Ok(Operator::NotIn);
            }
            return Err(self.error("expected contains, like or in after not"));
        }
        Err(self.error("expected an operator (=, !=, <, <=, >, >=, contains, like, in, not)"))
    }

    fn list(&mut self) -> Result<Literal, ParseError> {
        if !self.symbol("(") {
            return Err(self.error("expected ( to open the list after in"));
        }
        let mut items = vec![self.literal()?];
        while self.symbol(",") {
            items.push(self.literal()?);
        }
        if !self.symbol(")") {
            return Err(self.error("expected , or ) in the list"));
        }
        Ok(Literal::List(items))
    }

    fn literal(&mut self) -> Result<Literal, ParseError> {
        self.skip_space();
        let Some(first) = self.rest().chars().next() else {
            return Err(self.error("expected a value"));
        };
        match first {
            '"' | '\'' => self.string(first),
            '[' => self.datetime(),
            '-' | '0'..='9' | '.' => self.number(),
            _ if self.keyword("true") => Ok(Literal::Boolean(true)),
            _ if self.keyword("false") => Ok(Literal::Boolean(false)),
            _ if self.keyword("null") => Ok(Literal::Null),
            _ => Err(self.error("expected a value")),
        }
    }

    fn string(&mut self, quote: char) -> Result<Literal, ParseError> {
        let start = self.at;
        self.at += 1;
        let mut text = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, c)) = chars.next() {
            if c == quote {
                self.at += offset + 1;
                return Ok(Literal::String(text));
            }
            if c == '\\' {
                match chars.next() {
                    Some((_, escaped)) => text.push(escaped),
                    None => break,
                }
            } else {
                text.push(c);
            }
        }
        self.at = start;
        Err(self.error("the string is not closed"))
    }

    fn datetime(&mut self) -> Result<Literal, ParseError> {
        let start = self.at;
        let Some(end) = self.rest().find(']') else {
            return Err(self.error("the datetime is not closed with ]"));
        };
        let inner = &self.rest()[1..end];
        let Some(instant) = parse_instant(inner.trim()) else {
            return Err(self.error("expected a datetime such as [2026-05-14T08:00:00Z]"));
        };
        self.at = start + end + 1;
        Ok(Literal::DateTime(instant))
    }

    fn number(&mut self) -> Result<Literal, ParseError> {
        let start = self.at;
        let length = self
            .rest()
            .char_indices()
            .find(|&(offset, c)| !(c.is_ascii_digit() || c == '.' || (offset == 0 && c == '-')))
            .map_or(self.rest().len(), |(offset, _)| offset);
        let text = &self.rest()[..length];
        let literal = if text.contains('.') {
            text.parse::<f64>().ok().map(Literal::Decimal)
        } else {
            text.parse::<i64>().ok().map(Literal::Integer)
        };
        match literal {
            Some(literal) => {
                self.at = start + length;
                Ok(literal)
            }
            None => Err(self.error("expected a number")),
        }
    }
}

/// A timestamp as the API writes it (`2026-05-14T08:00:00Z`, offsets and fractions accepted;
/// no offset means UTC; a bare date is its midnight UTC).
pub fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(instant);
    }
    if text.len() >= 19 {
        return OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).ok();
    }
    if text.len() == 10 {
        return OffsetDateTime::parse(&format!("{text}T00:00:00Z"), &Rfc3339).ok();
    }
    None
}

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

/// A member of an object by name, ignoring case.
pub fn get_ignoring_case<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
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
    let Some(collection) = condition
        .comparisons()
        .first()
        .and_then(|comparison| comparison.field.split('/').next())
    else {
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

fn evaluate<'a, F>(condition: &Condition, resolve: &F) -> bool
where
    F: Fn(&str) -> Option<&'a Value>,
{
    match condition {
        Condition::Compare(comparison) => compare(comparison, resolve(&comparison.field)),
        Condition::And(clauses) => clauses.iter().all(|clause| evaluate(clause, resolve)),
        Condition::Or(clauses) => clauses.iter().any(|clause| evaluate(clause, resolve)),
    }
}

fn compare(comparison: &Comparison, actual: Option<&Value>) -> bool {
    let operator = comparison.operator;
    let literal = &comparison.value;
    let Some(actual) = actual.filter(|value| !value.is_null()) else {
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
        Operator::Contains => text_test(actual, literal, |a, b| a.contains(b)),
        Operator::NotContains => text_test(actual, literal, |a, b| !a.contains(b)),
        Operator::Like => text_test(actual, literal, like),
        Operator::NotLike => text_test(actual, literal, |a, b| !like(a, b)),
        Operator::In => list(literal).iter().any(|item| equals(actual, item)),
        Operator::NotIn => !list(literal).iter().any(|item| equals(actual, item)),
    }
}

fn list(literal: &Literal) -> &[Literal] {
    match literal {
        Literal::List(items) => items,
        single => std::slice::from_ref(single),
    }
}

/// Applies a test to the lower-cased text of both sides; false unless both are text.
fn text_test(actual: &Value, literal: &Literal, test: fn(&str, &str) -> bool) -> bool {
    let (Value::String(actual), Literal::String(literal)) = (actual, literal) else {
        return false;
    };
    test(&actual.to_lowercase(), &literal.to_lowercase())
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
        (Value::Number(actual), Literal::Decimal(literal)) => actual.as_f64()?.partial_cmp(literal),
        _ => None,
    }
}

/// `like` matching on lower-cased text: `*` and `%` match any run of characters, everything else
/// matches itself; the whole value must match.
pub fn like(text: &str, pattern: &str) -> bool {
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

/// Whether conditions may name `field` (the first segment of a path) on records of `kind`.
pub fn is_recognized(field: &str, kind: Kind, sample: &[&Value]) -> bool {
    field.eq_ignore_ascii_case("id")
        || INFO_FIELDS
            .iter()
            .any(|name| name.eq_ignore_ascii_case(field))
        || kind
            .fields()
            .iter()
            .any(|name| name.eq_ignore_ascii_case(field))
        || sample
            .iter()
            .any(|record| get_ignoring_case(record, field).is_some())
}

/// Refuses what the server answers with `400 ApiFindCondition`: an unknown field name, a child
/// collection (those belong in `childConditions`), or a literal whose type does not suit the
/// field. `sample` holds records of the collection to learn field types from.
///
/// # Errors
/// The server's kind of message.
pub fn check(condition: &Condition, kind: Kind, sample: &[&Value]) -> Result<(), String> {
    condition
        .comparisons()
        .into_iter()
        .try_for_each(|comparison| check_comparison(comparison, kind, sample))
}

fn check_comparison(comparison: &Comparison, kind: Kind, sample: &[&Value]) -> Result<(), String> {
    let path = comparison.field.as_str();
    let first = path.split('/').next().unwrap_or(path);
    let not_recognized = || format!("{path} is not a recognized name.");
    if !is_recognized(first, kind, sample) {
        return Err(not_recognized());
    }
    let is_child_collection = sample
        .iter()
        .any(|record| matches!(lookup(record, first), Some(Value::Array(_))));
    if is_child_collection {
        return Err(not_recognized());
    }
    let Some(example) = sample
        .iter()
        .filter_map(|record| lookup(record, path))
        .find(|value| !value.is_null())
    else {
        return Ok(());
    };
    if example.is_object() && comparison.value != Literal::Null {
        return Err(format!(
            "{path} is a reference; compare one of its fields, such as {path}/id or {path}/name."
        ));
    }
    let expected = value_kind(example);
    if comparison.operator.is_text() && expected != "a string" {
        return Err(format!(
            "Expected a string value for {path}, not {expected}: {} is only valid for string \
             fields.",
            comparison.operator
        ));
    }
    for literal in list(&comparison.value) {
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
                "Expected {expected} value for {path}, not {}. String values should be enclosed \
                 with double or single quotes; DateTime values should be enclosed in square \
                 brackets; numbers should consist of only digits, and optionally a decimal point \
                 and a negation sign; boolean values should be indicated with the keywords true \
                 or false; null values should be indicated by the keyword null.",
                literal_kind(literal)
            ));
        }
    }
    Ok(())
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a numeric",
        Value::String(text) if text.len() >= 19 && parse_instant(text).is_some() => "a datetime",
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
    use super::*;

    fn compare(field: &str, operator: Operator, value: Literal) -> Condition {
        Condition::Compare(Comparison {
            field: field.to_owned(),
            operator,
            value,
        })
    }

    /// The examples of the protocol reference, each read into the expected tree.
    #[test]
    fn reads_the_reference_examples() {
        let string = |text: &str| Literal::String(text.to_owned());
        let table: Vec<(&str, Condition)> = vec![
            (
                r#"board/name="Integration""#,
                compare("board/name", Operator::Eq, string("Integration")),
            ),
            (
                "board/id in (3, 2, 4)",
                compare(
                    "board/id",
                    Operator::In,
                    Literal::List(vec![
                        Literal::Integer(3),
                        Literal::Integer(2),
                        Literal::Integer(4),
                    ]),
                ),
            ),
            (
                "lastUpdated > [2016-08-20T18:04:26Z]",
                compare(
                    "lastUpdated",
                    Operator::Gt,
                    Literal::DateTime(time::macros::datetime!(2016-08-20 18:04:26 UTC)),
                ),
            ),
            (
                "ClosedFlag = True",
                compare("ClosedFlag", Operator::Eq, Literal::Boolean(true)),
            ),
            (
                r#"Summary Not Contains "Low Priority""#,
                compare("Summary", Operator::NotContains, string("Low Priority")),
            ),
            (
                r#"status/name not in ("Closed","Resolved")"#,
                compare(
                    "status/name",
                    Operator::NotIn,
                    Literal::List(vec![string("Closed"), string("Resolved")]),
                ),
            ),
            (
                "summary like 'test'",
                compare("summary", Operator::Like, string("test")),
            ),
            (
                r#"caption="TomNumber" AND value !=null"#,
                Condition::And(vec![
                    compare("caption", Operator::Eq, string("TomNumber")),
                    compare("value", Operator::Ne, Literal::Null),
                ]),
            ),
            (
                r#"communicationItems/value like "john@Outlook.com" AND communicationItems/communicationType="Email""#,
                Condition::And(vec![
                    compare(
                        "communicationItems/value",
                        Operator::Like,
                        string("john@Outlook.com"),
                    ),
                    compare(
                        "communicationItems/communicationType",
                        Operator::Eq,
                        string("Email"),
                    ),
                ]),
            ),
            (
                r#"(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND  summary != "Some Summary""#,
                Condition::Or(vec![
                    Condition::And(vec![
                        Condition::And(vec![
                            compare("contact/name", Operator::Like, string("Fred%")),
                            compare("closedFlag", Operator::Eq, Literal::Boolean(false)),
                        ]),
                        compare(
                            "dateEntered",
                            Operator::Gt,
                            Literal::DateTime(time::macros::datetime!(2015-12-23 05:53:27 UTC)),
                        ),
                    ]),
                    Condition::And(vec![
                        compare("summary", Operator::Contains, string("test")),
                        compare("summary", Operator::Ne, string("Some Summary")),
                    ]),
                ]),
            ),
            (
                r#"name contains 'O\'Brien' or name = "say \"hi\"""#,
                Condition::Or(vec![
                    compare("name", Operator::Contains, string("O'Brien")),
                    compare("name", Operator::Eq, string("say \"hi\"")),
                ]),
            ),
            (
                "amount >= -12.5",
                compare("amount", Operator::Ge, Literal::Decimal(-12.5)),
            ),
        ];
        for (text, expected) in table {
            assert_eq!(Condition::parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn refuses_what_does_not_follow_the_grammar() {
        for text in [
            "",
            "summary = ",
            "summary",
            r#"summary = "open"#,
            "id in 1, 2",
            "id in (1, 2",
            "(id = 1",
            "id = 1 id = 2",
            "id not = 1",
            "board/ = 1",
            "lastUpdated > [yesterday]",
            "id = 1 and",
            "id == 1",
        ] {
            assert!(Condition::parse(text).is_err(), "{text:?} was accepted");
        }
        let deep = format!("{}id = 1{}", "(".repeat(100), ")".repeat(100));
        assert!(Condition::parse(&deep).is_err());
    }

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

    #[test]
    fn keywords_need_a_word_boundary() {
        // `notes` and `inactive` start like keywords but are field names.
        let parsed = Condition::parse("notes = 'x' and inactiveFlag = false").unwrap();
        assert_eq!(parsed.comparisons()[0].field, "notes");
        assert_eq!(parsed.comparisons()[1].field, "inactiveFlag");
        let parsed = Condition::parse("id in(1,2)").unwrap();
        assert_eq!(parsed.comparisons()[0].operator, Operator::In);
    }
}
