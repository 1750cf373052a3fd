//! Filter expressions: comparisons combined with `AND`, `OR` and `NOT`, and their rendering.

use std::ops::Not;

use super::{Field, FilterError, Literal, SessionFilter};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CompareOp {
    /// `=`
    Equal,
    /// `<>`
    NotEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
}

impl CompareOp {
    /// The operator as written in a filter.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equal => "=",
            Self::NotEqual => "<>",
            Self::Less => "<",
            Self::LessOrEqual => "<=",
            Self::Greater => ">",
            Self::GreaterOrEqual => ">=",
        }
    }
}

/// A session filter expression, built from [`Field`] methods and combined with
/// [`Filter::and`], [`Filter::or`], [`Filter::all`], [`Filter::any`] and `!` (or
/// [`Filter::negate`]).
///
/// ```
/// use screenconnect_api::filter::{Field, Filter};
/// use screenconnect_api::models::SessionType;
///
/// let filter = Field::SESSION_TYPE
///     .equals(SessionType::Access)
///     .and(Field::GUEST_CONNECTED_COUNT.greater_than(0))
///     .and(
///         Field::GUEST_MACHINE_NAME
///             .equals("O'Brien-PC")
///             .or(Field::NAME.like("PC-%")),
///     );
/// assert_eq!(
///     filter.render().unwrap(),
///     "SessionType = 'Access' AND GuestConnectedCount > 0 AND \
///      (GuestMachineName = 'O''Brien-PC' OR Name LIKE 'PC-%')"
/// );
/// ```
///
/// Rendering puts every nested `AND`/`OR` group in parentheses and every negation in
/// `NOT (…)`, so precedence never depends on the server's parser.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare {
        field: Field,
        op: CompareOp,
        value: Literal,
    },
    Like {
        field: Field,
        pattern: String,
    },
    Null {
        field: Field,
        is_null: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl Filter {
    pub(super) fn compare(field: Field, op: CompareOp, value: Literal) -> Self {
        Self(Node::Compare { field, op, value })
    }

    pub(super) fn like(field: Field, pattern: String) -> Self {
        Self(Node::Like { field, pattern })
    }

    pub(super) fn null_check(field: Field, is_null: bool) -> Self {
        Self(Node::Null { field, is_null })
    }

    /// Both this and `other` must hold. Chained `and`s form one flat group.
    #[must_use]
    pub fn and(self, other: Filter) -> Filter {
        Self(Node::And(join(self.0, other.0, Group::And)))
    }

    /// This or `other` must hold. Chained `or`s form one flat group.
    #[must_use]
    pub fn or(self, other: Filter) -> Filter {
        Self(Node::Or(join(self.0, other.0, Group::Or)))
    }

    /// The negation, rendered `NOT (…)`. Same as `!filter`.
    #[must_use]
    pub fn negate(self) -> Filter {
        Self(Node::Not(Box::new(self.0)))
    }

    /// All of the filters must hold. An empty list is an error when rendered.
    #[must_use]
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Self(Node::And(filters.into_iter().map(|f| f.0).collect()))
    }

    /// Any of the filters must hold. An empty list is an error when rendered.
    #[must_use]
    pub fn any(filters: impl IntoIterator<Item = Filter>) -> Filter {
        Self(Node::Or(filters.into_iter().map(|f| f.0).collect()))
    }

    /// Writes the filter text.
    ///
    /// # Errors
    /// [`FilterError::EmptyGroup`] for an empty [`Filter::all`]/[`Filter::any`] anywhere in the
    /// expression, [`FilterError::NonFiniteNumber`] for a NaN or infinite number and
    /// [`FilterError::NulInText`] for text containing NUL.
    pub fn render(&self) -> Result<String, FilterError> {
        let mut out = String::new();
        render(&self.0, &mut out)?;
        Ok(out)
    }

    /// Renders the filter into the checked, non-empty form the client sends.
    ///
    /// # Errors
    /// As for [`Filter::render`].
    pub fn to_session_filter(&self) -> Result<SessionFilter, FilterError> {
        SessionFilter::from_raw(self.render()?)
    }
}

impl Not for Filter {
    type Output = Filter;

    fn not(self) -> Filter {
        self.negate()
    }
}

#[derive(Clone, Copy)]
enum Group {
    And,
    Or,
}

/// Appends `right` to `left`'s group when `left` is already a group of the same kind, so
/// `a.and(b).and(c)` is one three-way group rather than a nested pair.
fn join(left: Node, right: Node, group: Group) -> Vec<Node> {
    let mut items = match (group, left) {
        (Group::And, Node::And(items)) | (Group::Or, Node::Or(items)) if !items.is_empty() => items,
        (_, other) => vec![other],
    };
    match (group, right) {
        (Group::And, Node::And(more)) | (Group::Or, Node::Or(more)) if !more.is_empty() => {
            items.extend(more);
        }
        (_, other) => items.push(other),
    }
    items
}

/// A group of one is just its member.
fn unwrap_single(node: &Node) -> &Node {
    match node {
        Node::And(items) | Node::Or(items) if items.len() == 1 => unwrap_single(&items[0]),
        other => other,
    }
}

fn render(node: &Node, out: &mut String) -> Result<(), FilterError> {
    match unwrap_single(node) {
        Node::Compare { field, op, value } => {
            out.push_str(field.as_str());
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            value.render(out)?;
        }
        Node::Like { field, pattern } => {
            out.push_str(field.as_str());
            out.push_str(" LIKE ");
            Literal::Text(pattern.clone()).render(out)?;
        }
        Node::Null { field, is_null } => {
            out.push_str(field.as_str());
            out.push_str(if *is_null { " IS NULL" } else { " IS NOT NULL" });
        }
        Node::Not(inner) => {
            out.push_str("NOT (");
            render(inner, out)?;
            out.push(')');
        }
        Node::And(items) => render_group(items, " AND ", out)?,
        Node::Or(items) => render_group(items, " OR ", out)?,
    }
    Ok(())
}

fn render_group(items: &[Node], separator: &str, out: &mut String) -> Result<(), FilterError> {
    if items.is_empty() {
        return Err(FilterError::EmptyGroup);
    }
    for (position, item) in items.iter().enumerate() {
        if position > 0 {
            out.push_str(separator);
        }
        let item = unwrap_single(item);
        if matches!(item, Node::And(_) | Node::Or(_)) {
            out.push('(');
            render(item, out)?;
            out.push(')');
        } else {
            render(item, out)?;
        }
    }
    Ok(())
}
