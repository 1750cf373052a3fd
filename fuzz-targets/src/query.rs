//! The conditions, `orderBy` and `fields` parsers.

use connectwise_manage::query::{Condition, Fields, OrderBy};

/// Conditions text: parsing never panics, and a parsed condition renders to text that parses
/// back to the same condition and renders the same again (render is a fixed point).
pub fn conditions(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(condition) = Condition::parse(text) else {
        return;
    };
    let rendered = condition.to_string();
    let again = Condition::parse(&rendered)
        .unwrap_or_else(|error| panic!("rendered {rendered:?} does not parse: {error}"));
    assert_eq!(again, condition, "{text:?} rendered as {rendered:?}");
    assert_eq!(again.to_string(), rendered);
}

/// `orderBy` and `fields` text: the same parse → render → parse stability.
pub fn order_by_and_fields(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(order) = OrderBy::parse(text) {
        let rendered = order.to_string();
        let again = OrderBy::parse(&rendered)
            .unwrap_or_else(|error| panic!("rendered {rendered:?} does not parse: {error}"));
        assert_eq!(again, order, "{text:?} rendered as {rendered:?}");
    }
    if let Ok(fields) = Fields::parse(text) {
        let rendered = fields.to_string();
        let again = Fields::parse(&rendered)
            .unwrap_or_else(|error| panic!("rendered {rendered:?} does not parse: {error}"));
        assert_eq!(again, fields, "{text:?} rendered as {rendered:?}");
    }
}
