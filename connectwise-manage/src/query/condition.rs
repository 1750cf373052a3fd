//! The condition tree and its builder.
//!
//! A [`Condition`] is either a single [`Comparison`] or an `and`/`or` of at least two
//! conditions. The tree is kept in one normal form so that building, rendering and parsing agree:
//! `and` and `or` are n-ary and flattened (`a & (b & c)` is the same tree as `(a & b) & c`, an
//! `and` of three), and grouping that does not change meaning leaves no trace.

use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign};

use super::{Comparison, IntoFieldPath, Operator, QueryError, Value};

/// A conditions expression: what goes into `conditions`, `childConditions` or
/// `customFieldConditions`.
///
/// Build it with the constructors ([`Condition::eq`], [`Condition::in_list`], ...) and combine
/// with [`and`](Condition::and)/[`or`](Condition::or) or the `&`/`|` operators; parse raw text
/// with [`Condition::parse`]; render with `to_string()`. Every `Condition` value is valid, so
/// rendering cannot fail; the constructors return `Result` because they check their field path
/// and value there and then.
///
/// The variants are public so that callers can walk the tree.
///
/// ```
/// use connectwise_manage::query::{Condition, Operator};
///
/// let c = Condition::eq("board/name", "Help Desk")? & Condition::ne("closedFlag", true)?;
/// let Condition::And(clauses) = &c else { unreachable!() };
/// let operators: Vec<Operator> = clauses
///     .iter()
///     .filter_map(|clause| match clause {
///         Condition::Compare(comparison) => Some(comparison.operator()),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(operators, [Operator::Eq, Operator::Ne]);
/// # Ok::<(), connectwise_manage::query::QueryError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// A single `field operator value` test.
    Compare(Comparison),
    /// Every clause must hold. Clauses are never themselves `And`.
    And(Clauses),
    /// At least one clause must hold. Clauses are never themselves `Or`.
    Or(Clauses),
}

/// The two or more operands of an `and` or `or`.
///
/// None of them is the same connective as the parent (those are flattened into it), which is
/// what makes the tree's shape independent of how the expression was grouped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Clauses(Vec<Condition>);

impl Clauses {
    /// The clauses in order.
    pub fn as_slice(&self) -> &[Condition] {
        &self.0
    }

    /// Iterates over the clauses in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Condition> {
        self.0.iter()
    }

    /// Takes the clauses out.
    pub fn into_vec(self) -> Vec<Condition> {
        self.0
    }

    /// Builds clauses without the invariant checks; the caller upholds them.
    pub(super) fn from_vec_unchecked(clauses: Vec<Condition>) -> Self {
        Self(clauses)
    }
}

impl<'a> IntoIterator for &'a Clauses {
    type Item = &'a Condition;
    type IntoIter = std::slice::Iter<'a, Condition>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Clauses {
    type Item = Condition;
    type IntoIter = std::vec::IntoIter<Condition>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Which connective a flattening join builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Connective {
    And,
    Or,
}

impl Condition {
    /// `field operator value` for any operator; the named constructors below are shorthands.
    ///
    /// # Errors
    ///
    /// See [`Comparison::new`].
    pub fn compare(
        field: impl IntoFieldPath,
        operator: Operator,
        value: impl Into<Value>,
    ) -> Result<Self, QueryError> {
        Comparison::new(field, operator, value).map(Self::Compare)
    }

    /// `field = value`.
    ///
    /// # Errors
    ///
    /// An invalid field path, a list value, or a datetime outside the years 0000 to 9999.
    pub fn eq(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Eq, value)
    }

    /// `field != value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn ne(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Ne, value)
    }

    /// `field < value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn lt(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Lt, value)
    }

    /// `field <= value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn le(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Le, value)
    }

    /// `field > value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn gt(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Gt, value)
    }

    /// `field >= value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn ge(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Ge, value)
    }

    /// `field contains value` (substring match).
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn contains(
        field: impl IntoFieldPath,
        value: impl Into<Value>,
    ) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Contains, value)
    }

    /// `field not contains value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn not_contains(
        field: impl IntoFieldPath,
        value: impl Into<Value>,
    ) -> Result<Self, QueryError> {
        Self::compare(field, Operator::NotContains, value)
    }

    /// `field like value`; `*` and `%` in the value are wildcards.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn like(field: impl IntoFieldPath, value: impl Into<Value>) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Like, value)
    }

    /// `field not like value`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::eq`].
    pub fn not_like(
        field: impl IntoFieldPath,
        value: impl Into<Value>,
    ) -> Result<Self, QueryError> {
        Self::compare(field, Operator::NotLike, value)
    }

    /// `field in (v1, v2, ...)`.
    ///
    /// # Errors
    ///
    /// An invalid field path, an empty list, an item that is itself a list, or a datetime
    /// outside the years 0000 to 9999.
    pub fn in_list<I>(field: impl IntoFieldPath, values: I) -> Result<Self, QueryError>
    where
        I: IntoIterator,
        I::Item: Into<Value>,
    {
        Self::compare(field, Operator::In, values.into_iter().collect::<Value>())
    }

    /// `field not in (v1, v2, ...)`.
    ///
    /// # Errors
    ///
    /// As for [`Condition::in_list`].
    pub fn not_in<I>(field: impl IntoFieldPath, values: I) -> Result<Self, QueryError>
    where
        I: IntoIterator,
        I::Item: Into<Value>,
    {
        Self::compare(
            field,
            Operator::NotIn,
            values.into_iter().collect::<Value>(),
        )
    }

    /// `field = null`.
    ///
    /// # Errors
    ///
    /// An invalid field path.
    pub fn is_null(field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Eq, Value::Null)
    }

    /// `field != null`.
    ///
    /// # Errors
    ///
    /// An invalid field path.
    pub fn is_not_null(field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Self::compare(field, Operator::Ne, Value::Null)
    }

    /// Both must hold; same as `self & other`.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        join(Connective::And, self, other)
    }

    /// Either must hold; same as `self | other`.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        join(Connective::Or, self, other)
    }

    /// The `and` of all given conditions: `None` when there are none, the condition itself when
    /// there is one.
    pub fn all(conditions: impl IntoIterator<Item = Self>) -> Option<Self> {
        conditions.into_iter().reduce(Self::and)
    }

    /// The `or` of all given conditions: `None` when there are none, the condition itself when
    /// there is one.
    pub fn any(conditions: impl IntoIterator<Item = Self>) -> Option<Self> {
        conditions.into_iter().reduce(Self::or)
    }

    /// The comparison, when this is a single comparison.
    pub fn as_comparison(&self) -> Option<&Comparison> {
        match self {
            Self::Compare(comparison) => Some(comparison),
            Self::And(_) | Self::Or(_) => None,
        }
    }
}

/// Joins two conditions under a connective, flattening operands that already use it. Reuses the
/// left operand's clause list so that long chains build in linear time.
fn join(connective: Connective, left: Condition, right: Condition) -> Condition {
    let mut clauses = match (connective, left) {
        (Connective::And, Condition::And(clauses)) | (Connective::Or, Condition::Or(clauses)) => {
            clauses.0
        }
        (_, other) => vec![other],
    };
    match (connective, right) {
        (Connective::And, Condition::And(more)) | (Connective::Or, Condition::Or(more)) => {
            clauses.extend(more.0);
        }
        (_, other) => clauses.push(other),
    }
    let clauses = Clauses(clauses);
    match connective {
        Connective::And => Condition::And(clauses),
        Connective::Or => Condition::Or(clauses),
    }
}

impl From<Comparison> for Condition {
    fn from(comparison: Comparison) -> Self {
        Self::Compare(comparison)
    }
}

impl BitAnd for Condition {
    type Output = Self;

    fn bitand(self, rhs: Self) -> Self {
        self.and(rhs)
    }
}

impl BitOr for Condition {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.or(rhs)
    }
}

impl BitAndAssign for Condition {
    fn bitand_assign(&mut self, rhs: Self) {
        let placeholder = Self::Or(Clauses(Vec::new()));
        let left = std::mem::replace(self, placeholder);
        *self = left.and(rhs);
    }
}

impl BitOrAssign for Condition {
    fn bitor_assign(&mut self, rhs: Self) {
        let placeholder = Self::And(Clauses(Vec::new()));
        let left = std::mem::replace(self, placeholder);
        *self = left.or(rhs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(field: &str, value: i64) -> Condition {
        Condition::eq(field, value).expect("valid comparison")
    }

    fn clause_count(condition: &Condition) -> usize {
        match condition {
            Condition::Compare(_) => 1,
            Condition::And(clauses) | Condition::Or(clauses) => clauses.as_slice().len(),
        }
    }

    #[test]
    fn and_chains_flatten_whatever_the_grouping() {
        let (a, b, c) = (eq("a", 1), eq("b", 2), eq("c", 3));
        let left = (a.clone() & b.clone()) & c.clone();
        let right = a.clone() & (b.clone() & c.clone());
        assert_eq!(left, right);
        assert!(matches!(&left, Condition::And(_)));
        assert_eq!(clause_count(&left), 3);
        assert_eq!(Condition::all([a, b, c]), Some(left));
    }

    #[test]
    fn mixed_connectives_nest() {
        let condition = (eq("a", 1) & eq("b", 2)) | eq("c", 3);
        let Condition::Or(clauses) = &condition else {
            panic!("expected an or, got {condition:?}");
        };
        assert!(matches!(
            clauses.as_slice(),
            [Condition::And(_), Condition::Compare(_)]
        ));
    }

    #[test]
    fn all_and_any_handle_zero_and_one() {
        assert_eq!(Condition::all([]), None);
        assert_eq!(Condition::any([]), None);
        assert_eq!(Condition::any([eq("a", 1)]), Some(eq("a", 1)));
    }

    #[test]
    fn assign_operators_match_binary_ones() {
        let mut condition = eq("a", 1);
        condition &= eq("b", 2);
        condition |= eq("c", 3);
        assert_eq!(condition, (eq("a", 1) & eq("b", 2)) | eq("c", 3));
    }

    #[test]
    fn null_shorthands_compare_with_null() {
        let is_null = Condition::is_null("value").expect("valid");
        let comparison = is_null.as_comparison().expect("a comparison");
        assert_eq!(comparison.operator(), Operator::Eq);
        assert_eq!(comparison.value(), &Value::Null);
        let not_null = Condition::is_not_null("value").expect("valid");
        assert_eq!(
            not_null.as_comparison().map(Comparison::operator),
            Some(Operator::Ne)
        );
    }
}
