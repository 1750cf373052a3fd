//! The `fields` parameter (partial responses): which field paths the server should return.
//!
//! The same list serves the `columns` parameter of the reporting endpoints. How the server
//! prunes nested paths such as `status/id` is not documented.

use std::fmt;
use std::str::FromStr;

use super::{FieldPath, IntoFieldPath, QueryError};

/// A non-empty list of field paths, rendered comma-separated without spaces:
/// `id,name,status/id`.
///
/// ```
/// use connectwise_manage::query::Fields;
///
/// let fields = Fields::new(["id", "name", "status/id"])?;
/// assert_eq!(fields.to_string(), "id,name,status/id");
/// assert_eq!(fields.with("_info/lastUpdated")?.to_string(), "id,name,status/id,_info/lastUpdated");
/// assert!(Fields::new(["id", "bad path"]).is_err());
/// # Ok::<(), connectwise_manage::query::QueryError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fields {
    /// Never empty.
    paths: Vec<FieldPath>,
}

impl Fields {
    /// Checks every path and keeps them in order.
    ///
    /// # Errors
    ///
    /// [`QueryError::EmptyFields`] when there are none, [`QueryError::InvalidFieldPath`] for the
    /// first malformed path.
    pub fn new<I>(paths: I) -> Result<Self, QueryError>
    where
        I: IntoIterator,
        I::Item: IntoFieldPath,
    {
        let paths = paths
            .into_iter()
            .map(IntoFieldPath::into_field_path)
            .collect::<Result<Vec<_>, _>>()?;
        if paths.is_empty() {
            return Err(QueryError::EmptyFields);
        }
        Ok(Self { paths })
    }

    /// Adds one more path at the end.
    ///
    /// # Errors
    ///
    /// [`QueryError::InvalidFieldPath`] for a malformed path.
    pub fn with(mut self, path: impl IntoFieldPath) -> Result<Self, QueryError> {
        self.paths.push(path.into_field_path()?);
        Ok(self)
    }

    /// The paths in order; never empty.
    pub fn paths(&self) -> &[FieldPath] {
        &self.paths
    }

    /// Parses a comma-separated list; spaces around each path are ignored.
    ///
    /// # Errors
    ///
    /// [`QueryError::EmptyFields`] for blank text, [`QueryError::InvalidFieldPath`] for a
    /// malformed or empty entry (`id,,name`).
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        if text.trim().is_empty() {
            return Err(QueryError::EmptyFields);
        }
        Self::new(text.split(',').map(str::trim))
    }
}

impl From<FieldPath> for Fields {
    fn from(path: FieldPath) -> Self {
        Self { paths: vec![path] }
    }
}

impl FromStr for Fields {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, path) in self.paths.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            path.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_are_rejected() {
        assert_eq!(
            Fields::new(Vec::<&str>::new()),
            Err(QueryError::EmptyFields)
        );
        assert_eq!(Fields::parse(" "), Err(QueryError::EmptyFields));
    }

    #[test]
    fn parse_trims_and_checks_each_entry() {
        let fields = Fields::parse(" id , status/name,_info/lastUpdated ").expect("valid");
        assert_eq!(fields.to_string(), "id,status/name,_info/lastUpdated");
        assert!(matches!(
            Fields::parse("id,,name"),
            Err(QueryError::InvalidFieldPath(_))
        ));
        assert!(matches!(
            Fields::parse("id,name desc"),
            Err(QueryError::InvalidFieldPath(_))
        ));
    }

    #[test]
    fn a_single_path_converts() {
        let path = FieldPath::new("id").expect("valid");
        assert_eq!(Fields::from(path).to_string(), "id");
    }
}
