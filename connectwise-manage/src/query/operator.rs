//! Comparison operators of the conditions grammar.

use std::fmt;

/// A comparison operator. Renders in lowercase (`not like`, `in`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// `contains`: substring match (the server documents it for string fields).
    Contains,
    /// `not contains`
    NotContains,
    /// `like`: pattern match where `*` and `%` are wildcards.
    Like,
    /// `not like`
    NotLike,
    /// `in`: the field equals one of a list of values.
    In,
    /// `not in`
    NotIn,
}

impl Operator {
    /// Every operator, in declaration order.
    pub const ALL: [Self; 12] = [
        Self::Eq,
        Self::Ne,
        Self::Lt,
        Self::Le,
        Self::Gt,
        Self::Ge,
        Self::Contains,
        Self::NotContains,
        Self::Like,
        Self::NotLike,
        Self::In,
        Self::NotIn,
    ];

    /// The operator as it is rendered, e.g. `!=` or `not contains`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Contains => "contains",
            Self::NotContains => "not contains",
            Self::Like => "like",
            Self::NotLike => "not like",
            Self::In => "in",
            Self::NotIn => "not in",
        }
    }

    /// True for `in` and `not in`, which take a list of values; every other operator takes a
    /// single value.
    pub const fn takes_list(self) -> bool {
        matches!(self, Self::In | Self::NotIn)
    }

    /// True for `contains`, `like` and their `not` forms. The server matches these as SQL
    /// `LIKE` patterns, where `[` opens a character class, so a literal `[` in their values is
    /// written `[[]` (see the [render module](crate::query::render)).
    pub const fn is_pattern(self) -> bool {
        matches!(
            self,
            Self::Contains | Self::NotContains | Self::Like | Self::NotLike
        )
    }

    /// True for the `not` forms (`not contains`, `not like`, `not in`).
    pub const fn is_not_form(self) -> bool {
        matches!(self, Self::NotContains | Self::NotLike | Self::NotIn)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
