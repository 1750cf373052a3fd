//! A single `field operator value` test, the leaf of a condition tree.

use super::{FieldPath, IntoFieldPath, Operator, QueryError, Value};

/// One `field operator value` test, e.g. `status/name != "Closed"`.
///
/// Built only through [`Comparison::new`] (or the [`Condition`](super::Condition) shorthands),
/// which guarantees it can be rendered and parsed back:
///
/// - `in` / `not in` hold a non-empty, flat [`Value::List`]; every other operator holds a
///   single value.
/// - Datetimes lie in the years 0000 to 9999 and are whole seconds.
/// - Integral decimals that fit an `i64` are stored as [`Value::Integer`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comparison {
    field: FieldPath,
    operator: Operator,
    value: Value,
}

impl Comparison {
    /// Checks and builds a comparison.
    ///
    /// # Errors
    ///
    /// - [`QueryError::InvalidFieldPath`] for a malformed path;
    /// - [`QueryError::ExpectedList`] / [`QueryError::UnexpectedList`] when the value's shape
    ///   does not suit the operator;
    /// - [`QueryError::EmptyList`] / [`QueryError::NestedList`] for unusable lists;
    /// - [`QueryError::DateTimeOutOfRange`] for a datetime outside the years 0000 to 9999.
    pub fn new(
        field: impl IntoFieldPath,
        operator: Operator,
        value: impl Into<Value>,
    ) -> Result<Self, QueryError> {
        let field = field.into_field_path()?;
        let Some(value) = value.into().normalized() else {
            return Err(QueryError::DateTimeOutOfRange { field });
        };
        check_value_shape(&field, operator, &value)?;
        Ok(Self {
            field,
            operator,
            value,
        })
    }

    /// Builds a copy of this `in` comparison holding `items` instead of its list. The items come
    /// from this comparison's own (already checked) list and must not be empty.
    pub(super) fn with_list(&self, items: Vec<Value>) -> Self {
        Self {
            field: self.field.clone(),
            operator: self.operator,
            value: Value::List(items),
        }
    }

    /// The field being tested.
    pub fn field(&self) -> &FieldPath {
        &self.field
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The value; a [`Value::List`] exactly when the operator is `in` or `not in`.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Splits the comparison into its parts.
    pub fn into_parts(self) -> (FieldPath, Operator, Value) {
        (self.field, self.operator, self.value)
    }
}

fn check_value_shape(
    field: &FieldPath,
    operator: Operator,
    value: &Value,
) -> Result<(), QueryError> {
    let error = |make: fn(FieldPath, Operator) -> QueryError| Err(make(field.clone(), operator));
    match value {
        Value::List(items) => {
            if !operator.takes_list() {
                return error(|field, operator| QueryError::UnexpectedList { field, operator });
            }
            if items.is_empty() {
                return error(|field, operator| QueryError::EmptyList { field, operator });
            }
            for item in items {
                if matches!(item, Value::List(_)) {
                    return error(|field, operator| QueryError::NestedList { field, operator });
                }
                check_scalar(field, item)?;
            }
            Ok(())
        }
        scalar => {
            if operator.takes_list() {
                return error(|field, operator| QueryError::ExpectedList { field, operator });
            }
            check_scalar(field, scalar)
        }
    }
}

fn check_scalar(field: &FieldPath, value: &Value) -> Result<(), QueryError> {
    match value {
        Value::DateTime(instant) if !(0..=9999).contains(&instant.year()) => {
            Err(QueryError::DateTimeOutOfRange {
                field: field.clone(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{datetime, utc_datetime};

    use super::*;
    use crate::query::Decimal;

    fn path(text: &str) -> FieldPath {
        FieldPath::new(text).expect("valid path")
    }

    #[test]
    fn list_operators_need_a_non_empty_flat_list() {
        assert_eq!(
            Comparison::new("id", Operator::In, 5),
            Err(QueryError::ExpectedList {
                field: path("id"),
                operator: Operator::In
            })
        );
        assert_eq!(
            Comparison::new("id", Operator::NotIn, Vec::<i32>::new()),
            Err(QueryError::EmptyList {
                field: path("id"),
                operator: Operator::NotIn
            })
        );
        assert_eq!(
            Comparison::new("id", Operator::In, vec![vec![1], vec![2]]),
            Err(QueryError::NestedList {
                field: path("id"),
                operator: Operator::In
            })
        );
        assert!(Comparison::new("id", Operator::In, [1]).is_ok());
    }

    #[test]
    fn single_value_operators_reject_lists() {
        for operator in Operator::ALL.into_iter().filter(|op| !op.takes_list()) {
            assert_eq!(
                Comparison::new("id", operator, [1, 2]),
                Err(QueryError::UnexpectedList {
                    field: path("id"),
                    operator
                })
            );
        }
    }

    #[test]
    fn datetimes_must_fit_four_digit_years() {
        let too_early = utc_datetime!(-0001-12-31 23:59:59);
        assert_eq!(
            Comparison::new("lastUpdated", Operator::Gt, too_early),
            Err(QueryError::DateTimeOutOfRange {
                field: path("lastUpdated")
            })
        );
        assert_eq!(
            Comparison::new("lastUpdated", Operator::In, [too_early]),
            Err(QueryError::DateTimeOutOfRange {
                field: path("lastUpdated")
            })
        );
        assert_eq!(
            Comparison::new("x", Operator::Gt, datetime!(9999-12-31 23:00:00 -02:00)),
            Err(QueryError::DateTimeOutOfRange { field: path("x") })
        );
        assert!(Comparison::new("x", Operator::Gt, utc_datetime!(0000-01-01 0:00)).is_ok());
        assert!(Comparison::new("x", Operator::Gt, utc_datetime!(9999-12-31 23:59:59)).is_ok());
    }

    #[test]
    fn values_are_normalized() {
        let decimal = Decimal::new("10").expect("valid");
        let comparison = Comparison::new("id", Operator::Eq, decimal).expect("valid");
        assert_eq!(comparison.value(), &Value::Integer(10));
    }

    #[test]
    fn bad_paths_are_reported() {
        assert!(matches!(
            Comparison::new("a b", Operator::Eq, 1),
            Err(QueryError::InvalidFieldPath(_))
        ));
    }
}
