//! The `orderBy` parameter: one or more field paths, each ascending or descending.
//!
//! A single key (`contact/name asc`) is documented; several comma-separated keys are accepted
//! by this type but unverified against the server. `orderBy` cannot be combined with
//! forward-only paging.

use std::fmt;
use std::str::FromStr;

use super::{FieldPath, IntoFieldPath, QueryError};

/// Sort direction of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// `asc`: smallest first.
    Ascending,
    /// `desc`: largest first.
    Descending,
}

impl SortDirection {
    /// `asc` or `desc`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ascending => "asc",
            Self::Descending => "desc",
        }
    }
}

impl fmt::Display for SortDirection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One sort key: a field path and a direction. Renders as `lastUpdated desc`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SortKey {
    field: FieldPath,
    direction: SortDirection,
}

impl SortKey {
    /// Checks the field path and builds a key.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn new(field: impl IntoFieldPath, direction: SortDirection) -> Result<Self, QueryError> {
        Ok(Self {
            field: field.into_field_path()?,
            direction,
        })
    }

    /// The field sorted on.
    pub fn field(&self) -> &FieldPath {
        &self.field
    }

    /// The direction.
    pub fn direction(&self) -> SortDirection {
        self.direction
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.direction)
    }
}

/// A typed `orderBy` value: one or more [`SortKey`]s, rendered `id asc, lastUpdated desc`.
///
/// ```
/// use connectwise_manage::query::OrderBy;
///
/// let order = OrderBy::asc("id")?.then_desc("lastUpdated")?;
/// assert_eq!(order.to_string(), "id asc, lastUpdated desc");
/// assert_eq!("ID ASC,lastUpdated  Desc".parse::<OrderBy>()?.to_string(), "ID asc, lastUpdated desc");
/// # Ok::<(), connectwise_manage::query::QueryError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrderBy {
    /// Never empty.
    keys: Vec<SortKey>,
}

impl OrderBy {
    /// Sorts by `field` ascending.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn asc(field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Ok(Self::from(SortKey::new(field, SortDirection::Ascending)?))
    }

    /// Sorts by `field` descending.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn desc(field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Ok(Self::from(SortKey::new(field, SortDirection::Descending)?))
    }

    /// Adds an ascending tie-breaker.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn then_asc(self, field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Ok(self.then(SortKey::new(field, SortDirection::Ascending)?))
    }

    /// Adds a descending tie-breaker.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn then_desc(self, field: impl IntoFieldPath) -> Result<Self, QueryError> {
        Ok(self.then(SortKey::new(field, SortDirection::Descending)?))
    }

    /// Adds a tie-breaker key.
    #[must_use]
    pub fn then(mut self, key: SortKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Builds from keys in priority order.
    ///
    /// # Errors
    ///
    /// [`QueryError::EmptyOrderBy`] when there are none.
    pub fn from_keys(keys: impl IntoIterator<Item = SortKey>) -> Result<Self, QueryError> {
        let keys: Vec<SortKey> = keys.into_iter().collect();
        if keys.is_empty() {
            return Err(QueryError::EmptyOrderBy);
        }
        Ok(Self { keys })
    }

    /// The keys in priority order; never empty.
    pub fn keys(&self) -> &[SortKey] {
        &self.keys
    }

    /// Parses `field asc|desc` keys separated by commas. Directions are case-insensitive and
    /// required (the server's default direction is not documented).
    ///
    /// # Errors
    ///
    /// [`QueryError::EmptyOrderBy`] for blank text, [`QueryError::InvalidSortKey`] for a key that
    /// is not `<path> asc|desc`, [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        if text.trim().is_empty() {
            return Err(QueryError::EmptyOrderBy);
        }
        let keys = text
            .split(',')
            .enumerate()
            .map(|(index, key)| parse_key(index, key))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_keys(keys)
    }
}

fn parse_key(index: usize, text: &str) -> Result<SortKey, QueryError> {
    let mut words = text.split_ascii_whitespace();
    let (Some(field), Some(direction), None) = (words.next(), words.next(), words.next()) else {
        return Err(QueryError::InvalidSortKey { index });
    };
    let direction = if direction.eq_ignore_ascii_case("asc") {
        SortDirection::Ascending
    } else if direction.eq_ignore_ascii_case("desc") {
        SortDirection::Descending
    } else {
        return Err(QueryError::InvalidSortKey { index });
    };
    SortKey::new(field, direction)
}

impl From<SortKey> for OrderBy {
    fn from(key: SortKey) -> Self {
        Self { keys: vec![key] }
    }
}

impl FromStr for OrderBy {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, key) in self.keys.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            key.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_renders_several_keys() {
        let order = OrderBy::desc("dateEntered")
            .and_then(|o| o.then_asc("company/name"))
            .and_then(|o| o.then_desc("id"))
            .expect("valid");
        assert_eq!(
            order.to_string(),
            "dateEntered desc, company/name asc, id desc"
        );
        assert_eq!(order.keys().len(), 3);
        assert_eq!(order.keys()[1].field().as_str(), "company/name");
    }

    #[test]
    fn rejects_bad_paths() {
        assert!(matches!(
            OrderBy::asc("a b"),
            Err(QueryError::InvalidFieldPath(_))
        ));
        let order = OrderBy::asc("id").expect("valid");
        assert!(matches!(
            order.then_desc(""),
            Err(QueryError::InvalidFieldPath(_))
        ));
    }

    #[test]
    fn parse_round_trips_and_reports_the_bad_key() {
        let text = "id asc, lastUpdated desc";
        assert_eq!(
            OrderBy::parse(text).map(|o| o.to_string()),
            Ok(text.to_owned())
        );
        assert_eq!(OrderBy::parse("  "), Err(QueryError::EmptyOrderBy));
        assert_eq!(
            OrderBy::parse("id"),
            Err(QueryError::InvalidSortKey { index: 0 })
        );
        assert_eq!(
            OrderBy::parse("id asc, name up"),
            Err(QueryError::InvalidSortKey { index: 1 })
        );
        assert_eq!(
            OrderBy::parse("id asc,"),
            Err(QueryError::InvalidSortKey { index: 1 })
        );
        assert_eq!(
            OrderBy::parse("id asc extra"),
            Err(QueryError::InvalidSortKey { index: 0 })
        );
        assert!(matches!(
            OrderBy::parse("a//b desc"),
            Err(QueryError::InvalidFieldPath(_))
        ));
    }

    #[test]
    fn from_keys_needs_one() {
        assert_eq!(OrderBy::from_keys([]), Err(QueryError::EmptyOrderBy));
    }
}
