//! The session filter language of `GetSessionsByFilter`: comparisons of flat session properties
//! (`GuestMachineName = 'ACME-WS-042'`, `GuestConnectedCount > 0`, `CustomProperty1 = 'Acme'`)
//! combined with `AND`, `OR`, `NOT` and parentheses, plus `LIKE` (`%` any run, `_` one
//! character) and `IS [NOT] NULL`. Text is single-quoted with `''` for a quote (double quotes are
//! accepted too) and compared without regard to case. Enum fields (`SessionType`) compare with
//! their name (`'Access'`) or number.

use super::fleet::{FieldValue, SessionRecord};

/// Why a filter was refused, worded as the server words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterError {
    /// The text does not parse; holds the token where parsing stopped.
    Syntax(String),
    /// A field the server does not know.
    UnknownField(String),
}

impl FilterError {
    /// The message of the server's fault.
    pub fn message(&self) -> String {
        match self {
            FilterError::Syntax(near) if near.is_empty() => {
                "Incorrect syntax near the end of the expression.".to_owned()
            }
            FilterError::Syntax(near) => format!("Incorrect syntax near '{near}'."),
            FilterError::UnknownField(name) => format!("Invalid column name '{name}'."),
        }
    }
}

/// A parsed filter.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `field op literal`.
    Compare(String, Op, Literal),
    /// `field [NOT] LIKE 'pattern'`.
    Like(String, String, bool),
    /// `field IS [NOT] NULL`.
    Null(String, bool),
    /// Both.
    And(Box<Filter>, Box<Filter>),
    /// Either.
    Or(Box<Filter>, Box<Filter>),
    /// Not.
    Not(Box<Filter>),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`.
    Eq,
    /// `<>` or `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// Quoted text.
    Text(String),
    /// A number.
    Number(f64),
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Op(Op),
    Open,
    Close,
}

impl Token {
    fn shown(&self) -> String {
        match self {
            Token::Word(word) => word.clone(),
            Token::Text(text) => text.clone(),
            Token::Number(n) => n.to_string(),
            Token::Op(op) => match op {
                Op::Eq => "=",
                Op::Ne => "<>",
                Op::Lt => "<",
                Op::Le => "<=",
                Op::Gt => ">",
                Op::Ge => ">=",
            }
            .to_owned(),
            Token::Open => "(".to_owned(),
            Token::Close => ")".to_owned(),
        }
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(word) if word.eq_ignore_ascii_case(keyword))
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, FilterError> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '\'' | '"' => {
                let quote = c;
                let mut value = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(FilterError::Syntax(format!("{quote}{value}"))),
                        Some(&q) if q == quote && chars.get(i + 1) == Some(&quote) => {
                            value.push(quote);
                            i += 2;
                        }
                        Some(&q) if q == quote => {
                            i += 1;
                            break;
                        }
                        Some(&other) => {
                            value.push(other);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Text(value));
            }
            '=' | '<' | '>' | '!' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('<', Some('>')) | ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', _) => (Op::Gt, 1),
                    ('=', _) => (Op::Eq, 1),
                    _ => return Err(FilterError::Syntax(c.to_string())),
                };
                out.push(Token::Op(op));
                i += len;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let n = word
                    .parse::<f64>()
                    .map_err(|_| FilterError::Syntax(word.clone()))?;
                out.push(Token::Number(n));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            other => return Err(FilterError::Syntax(other.to_string())),
        }
    }
    Ok(out)
}

/// Parses `text`, checking field names with `known` (`Ok` for a field sessions have).
pub fn parse(text: &str, known: impl Fn(&str) -> bool) -> Result<Filter, FilterError> {
    let tokens = tokens(text)?;
    let mut parser = Parser {
        tokens,
        at: 0,
        known: &known,
    };
    let filter = parser.or()?;
    match parser.peek() {
        None => Ok(filter),
        Some(token) => Err(FilterError::Syntax(token.shown())),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    known: &'a dyn Fn(&str) -> bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, FilterError> {
        let token = self
            .tokens
            .get(self.at)
            .cloned()
            .ok_or_else(|| FilterError::Syntax(String::new()))?;
        self.at += 1;
        Ok(token)
    }

    fn keyword(&mut self, keyword: &str) -> bool {
        if self.peek().is_some_and(|token| token.is_keyword(keyword)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.and()?;
        while self.keyword("OR") {
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, FilterError> {
        let mut left = self.not()?;
        while self.keyword("AND") {
            left = Filter::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Filter, FilterError> {
        if self.keyword("NOT") {
            return Ok(Filter::Not(Box::new(self.not()?)));
        }
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let inner = self.or()?;
            return match self.next()? {
                Token::Close => Ok(inner),
                other => Err(FilterError::Syntax(other.shown())),
            };
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Filter, FilterError> {
        let field = match self.next()? {
            Token::Word(word) if !is_reserved(&word) => word,
            other => return Err(FilterError::Syntax(other.shown())),
        };
        if !(self.known)(&field) {
            return Err(FilterError::UnknownField(field));
        }
        if self.keyword("IS") {
            let negated = self.keyword("NOT");
            return match self.next()? {
                token if token.is_keyword("NULL") => Ok(Filter::Null(field, !negated)),
                other => Err(FilterError::Syntax(other.shown())),
            };
        }
        let negated = self.keyword("NOT");
        if self.keyword("LIKE") {
            return match self.next()? {
                Token::Text(pattern) => Ok(Filter::Like(field, pattern, negated)),
                other => Err(FilterError::Syntax(other.shown())),
            };
        }
        if negated {
            return Err(FilterError::Syntax("NOT".to_owned()));
        }
        let op = match self.next()? {
            Token::Op(op) => op,
            other => return Err(FilterError::Syntax(other.shown())),
        };
        let literal = match self.next()? {
            Token::Text(text) => Literal::Text(text),
            Token::Number(n) => Literal::Number(n),
            Token::Word(word) if word.eq_ignore_ascii_case("true") => Literal::Number(1.0),
            Token::Word(word) if word.eq_ignore_ascii_case("false") => Literal::Number(0.0),
            other => return Err(FilterError::Syntax(other.shown())),
        };
        Ok(Filter::Compare(field, op, literal))
    }
}

fn is_reserved(word: &str) -> bool {
    ["AND", "OR", "NOT", "LIKE", "IS", "NULL"]
        .iter()
        .any(|reserved| word.eq_ignore_ascii_case(reserved))
}

impl Filter {
    /// Whether `session` matches.
    pub fn matches(&self, session: &SessionRecord) -> bool {
        let value = |field: &str| session.field(field).unwrap_or(FieldValue::Null);
        match self {
            Filter::And(a, b) => a.matches(session) && b.matches(session),
            Filter::Or(a, b) => a.matches(session) || b.matches(session),
            Filter::Not(inner) => !inner.matches(session),
            Filter::Null(field, is_null) => (value(field) == FieldValue::Null) == *is_null,
            Filter::Like(field, pattern, negated) => match value(field) {
                FieldValue::Text(text) => like(&text, pattern) != *negated,
                _ => false,
            },
            Filter::Compare(field, op, literal) => compare(&value(field), *op, literal),
        }
    }
}

fn compare(value: &FieldValue, op: Op, literal: &Literal) -> bool {
    let ordering = match (value, literal) {
        (FieldValue::Null, _) => return false,
        (FieldValue::Text(text), Literal::Text(wanted)) => {
            text.to_lowercase().cmp(&wanted.to_lowercase()).into()
        }
        (FieldValue::Text(text), Literal::Number(n)) => match text.trim().parse::<f64>() {
            Ok(number) => number.partial_cmp(n),
            Err(_) => return false,
        },
        (FieldValue::Number(number), Literal::Number(n)) => number.partial_cmp(n),
        (FieldValue::Number(number), Literal::Text(text)) => match text.trim().parse::<f64>() {
            Ok(n) => number.partial_cmp(&n),
            Err(_) => return false,
        },
        (FieldValue::Bool(flag), Literal::Number(n)) => f64::from(u8::from(*flag)).partial_cmp(n),
        (FieldValue::Bool(flag), Literal::Text(text)) => {
            let wanted = match text.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return false,
            };
            flag.cmp(&wanted).into()
        }
        (FieldValue::Enum(name, _), Literal::Text(text)) => {
            name.to_lowercase().cmp(&text.trim().to_lowercase()).into()
        }
        (FieldValue::Enum(_, code), Literal::Number(n)) => code.partial_cmp(n),
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        Op::Eq => ordering.is_eq(),
        Op::Ne => ordering.is_ne(),
        Op::Lt => ordering.is_lt(),
        Op::Le => ordering.is_le(),
        Op::Gt => ordering.is_gt(),
        Op::Ge => ordering.is_ge(),
    }
}

/// SQL `LIKE` without regard to case: `%` any run of characters, `_` exactly one.
fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    // Classic two-pointer wildcard match with backtracking to the last `%`.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '_' || pattern[p] == text[t]) {
            t += 1;
            p += 1;
        } else if p < pattern.len() && pattern[p] == '%' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(field: &str) -> bool {
        !field.starts_with("Bogus")
    }

    #[test]
    fn precedence_and_shapes() {
        let filter = parse(
            "SessionType = 'Access' AND (Name LIKE 'ACME-%' OR NOT GuestConnectedCount > 0)",
            known,
        )
        .unwrap();
        let Filter::And(left, right) = filter else {
            panic!("AND at the top")
        };
        assert_eq!(
            *left,
            Filter::Compare(
                "SessionType".to_owned(),
                Op::Eq,
                Literal::Text("Access".to_owned())
            )
        );
        assert!(matches!(*right, Filter::Or(..)));
        assert_eq!(
            parse("Name = 'O''BRIEN-PC'", known).unwrap(),
            Filter::Compare(
                "Name".to_owned(),
                Op::Eq,
                Literal::Text("O'BRIEN-PC".to_owned())
            )
        );
        assert_eq!(
            parse("CustomProperty2 IS NOT NULL", known).unwrap(),
            Filter::Null("CustomProperty2".to_owned(), false)
        );
    }

    #[test]
    fn errors_name_the_place() {
        assert_eq!(
            parse("GuestConnectedCount >", known),
            Err(FilterError::Syntax(String::new()))
        );
        assert_eq!(
            parse("Name = 'x' AND > 3", known),
            Err(FilterError::Syntax(">".to_owned()))
        );
        assert_eq!(
            parse("BogusField = 1", known),
            Err(FilterError::UnknownField("BogusField".to_owned()))
        );
        assert_eq!(
            parse("Name = 'unterminated", known),
            Err(FilterError::Syntax("'unterminated".to_owned()))
        );
        assert_eq!(
            FilterError::Syntax(">".to_owned()).message(),
            "Incorrect syntax near '>'."
        );
    }

    #[test]
    fn like_patterns() {
        assert!(like("ACME-WS-042", "acme-%"));
        assert!(like("ACME-WS-042", "%WS%"));
        assert!(like("ACME-WS-042", "ACME-WS-04_"));
        assert!(!like("ACME-WS-042", "ACME-WS-04"));
        assert!(like("", "%"));
        assert!(!like("abc", "a%d"));
    }
}
