//! The query parameters of a list, count or search call.

use msp_common::Error;
use serde_json::{Map, Value};

use crate::query::{Condition, Fields, OrderBy};

/// The largest page ConnectWise serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// How a listing is paged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paging {
    /// `page`/`pageSize` with `Link` headers carrying `next` and `last` (the default).
    #[default]
    Navigable,
    /// Keyset paging (`pagination-type: forward-only`, `pageId`): ordered by id, no `orderBy`,
    /// and the fast path for full syncs of large tables.
    ForwardOnly,
}

/// Filters, ordering, projection and paging for a list, count or search call.
///
/// ```
/// use connectwise_manage::query::{Condition, OrderBy};
/// use connectwise_manage::ListQuery;
///
/// let query = ListQuery::new()
///     .conditions(Condition::eq("board/name", "Help Desk")? & Condition::eq("closedFlag", false)?)
///     .order_by(OrderBy::desc("lastUpdated")?)
///     .page_size(250);
/// assert_eq!(
///     query.to_pairs(),
///     [
///         ("conditions".to_owned(), r#"(board/name = "Help Desk" and closedFlag = false)"#.to_owned()),
///         ("orderBy".to_owned(), "lastUpdated desc".to_owned()),
///         ("pageSize".to_owned(), "250".to_owned()),
///     ]
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListQuery {
    conditions: Option<Condition>,
    child_conditions: Option<Condition>,
    custom_field_conditions: Option<Condition>,
    order_by: Option<OrderBy>,
    fields: Option<Fields>,
    page: Option<u32>,
    page_size: Option<u32>,
    page_id: Option<i32>,
    paging: Paging,
    extra: Vec<(String, String)>,
}

impl ListQuery {
    /// An empty query: every record, server order, default page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Filters the records (`conditions`).
    pub fn conditions(mut self, condition: Condition) -> Self {
        self.conditions = Some(condition);
        self
    }

    /// Filters on child collections such as `communicationItems` (`childConditions`).
    pub fn child_conditions(mut self, condition: Condition) -> Self {
        self.child_conditions = Some(condition);
        self
    }

    /// Filters on custom field values by `caption` and `value` (`customFieldConditions`).
    pub fn custom_field_conditions(mut self, condition: Condition) -> Self {
        self.custom_field_conditions = Some(condition);
        self
    }

    /// Orders the records (`orderBy`); not allowed with [`Paging::ForwardOnly`].
    pub fn order_by(mut self, order: OrderBy) -> Self {
        self.order_by = Some(order);
        self
    }

    /// Returns only these fields (`fields`).
    pub fn fields(mut self, fields: Fields) -> Self {
        self.fields = Some(fields);
        self
    }

    /// Starts at this 1-based page (navigable paging only).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Records per page (1 to 1,000; larger values are refused before sending).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Starts after this record id (forward-only paging).
    pub fn page_id(mut self, id: i32) -> Self {
        self.page_id = Some(id);
        self
    }

    /// Chooses navigable or forward-only paging.
    pub fn paging(mut self, paging: Paging) -> Self {
        self.paging = paging;
        self
    }

    /// Shorthand for [`Paging::ForwardOnly`].
    pub fn forward_only(self) -> Self {
        self.paging(Paging::ForwardOnly)
    }

    /// Adds any other query parameter the endpoint takes.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// The filter, if any.
    pub fn get_conditions(&self) -> Option<&Condition> {
        self.conditions.as_ref()
    }

    /// The paging mode.
    pub fn get_paging(&self) -> Paging {
        self.paging
    }

    /// The 1-based page the listing starts at (1 when not set).
    pub fn get_page(&self) -> u32 {
        self.page.unwrap_or(1)
    }

    /// The page size, if set.
    pub fn get_page_size(&self) -> Option<u32> {
        self.page_size
    }

    /// A copy with other conditions (used to run one chunk of a split `in` list).
    pub(crate) fn with_conditions(&self, condition: Condition) -> Self {
        Self {
            conditions: Some(condition),
            ..self.clone()
        }
    }

    /// A copy with a default page size when none is set.
    pub(crate) fn with_default_page_size(&self, size: u32) -> Self {
        Self {
            page_size: Some(self.page_size.unwrap_or(size)),
            ..self.clone()
        }
    }

    /// Checks the combination before anything is sent.
    pub fn validate(&self, operation: &str) -> Result<(), Error> {
        if let Some(size) = self.page_size
            && !(1..=MAX_PAGE_SIZE).contains(&size)
        {
            return Err(Error::build(
                operation,
                format!("pageSize must be between 1 and {MAX_PAGE_SIZE}, not {size}"),
            ));
        }
        if self.page == Some(0) {
            return Err(Error::build(operation, "page numbers start at 1"));
        }
        if self.paging == Paging::ForwardOnly {
            if self.order_by.is_some() {
                return Err(Error::build(
                    operation,
                    "forward-only paging is ordered by id and cannot take orderBy; \
                     drop orderBy or use navigable paging",
                ));
            }
            if self.page.is_some() {
                return Err(Error::build(
                    operation,
                    "forward-only paging ignores page; use page_id to resume after a record",
                ));
            }
        } else if self.page_id.is_some() {
            return Err(Error::build(
                operation,
                "page_id only applies to forward-only paging",
            ));
        }
        Ok(())
    }

    /// The query-string parameters of a list call, in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.filter_pairs();
        if let Some(order) = &self.order_by {
            pairs.push(("orderBy".to_owned(), order.to_string()));
        }
        pairs.extend(self.paging_pairs());
        pairs
    }

    /// The query-string parameters of a count call: filters only.
    pub fn count_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = self.filter_pairs();
        pairs.retain(|(name, _)| name != "fields");
        pairs
    }

    /// The body of a `POST …/search` call: the filters and ordering, which may be long.
    pub fn search_body(&self) -> Value {
        let mut body = Map::new();
        let mut put = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                body.insert(name.to_owned(), Value::String(value));
            }
        };
        put(
            "conditions",
            self.conditions.as_ref().map(|c| c.to_string()),
        );
        put(
            "childConditions",
            self.child_conditions.as_ref().map(|c| c.to_string()),
        );
        put(
            "customFieldConditions",
            self.custom_field_conditions.as_ref().map(|c| c.to_string()),
        );
        put("orderBy", self.order_by.as_ref().map(|o| o.to_string()));
        Value::Object(body)
    }

    /// The query-string parameters of a search call: projection and paging.
    pub fn search_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(fields) = &self.fields {
            pairs.push(("fields".to_owned(), fields.to_string()));
        }
        pairs.extend(self.paging_pairs());
        pairs
    }

    fn filter_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let conditions = [
            ("conditions", &self.conditions),
            ("childConditions", &self.child_conditions),
            ("customFieldConditions", &self.custom_field_conditions),
        ];
        for (name, condition) in conditions {
            if let Some(condition) = condition {
                pairs.push((name.to_owned(), condition.to_string()));
            }
        }
        if let Some(fields) = &self.fields {
            pairs.push(("fields".to_owned(), fields.to_string()));
        }
        pairs.extend(self.extra.iter().cloned());
        pairs
    }

    fn paging_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(size) = self.page_size {
            pairs.push(("pageSize".to_owned(), size.to_string()));
        }
        if let Some(page) = self.page {
            pairs.push(("page".to_owned(), page.to_string()));
        }
        if let Some(id) = self.page_id {
            pairs.push(("pageId".to_owned(), id.to_string()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_only_refuses_order_by_and_page() {
        let query = ListQuery::new()
            .forward_only()
            .order_by(OrderBy::asc("name").unwrap());
        let error = query.validate("getCompanyCompanies").unwrap_err();
        assert!(error.to_string().contains("cannot take orderBy"), "{error}");
        assert!(
            ListQuery::new()
                .forward_only()
                .page(2)
                .validate("x")
                .is_err()
        );
        assert!(ListQuery::new().page_id(5).validate("x").is_err());
        assert!(
            ListQuery::new()
                .forward_only()
                .page_id(5)
                .validate("x")
                .is_ok()
        );
    }

    #[test]
    fn page_size_is_bounded() {
        assert!(ListQuery::new().page_size(1001).validate("x").is_err());
        assert!(ListQuery::new().page_size(0).validate("x").is_err());
        assert!(ListQuery::new().page(0).validate("x").is_err());
        assert!(ListQuery::new().page_size(1000).validate("x").is_ok());
    }

    #[test]
    fn search_splits_body_and_query() {
        let query = ListQuery::new()
            .conditions(Condition::like("summary", "test*").unwrap())
            .fields(Fields::new(["id", "summary"]).unwrap())
            .page_size(50);
        assert_eq!(
            query.search_body(),
            serde_json::json!({"conditions": "summary like \"test*\""})
        );
        assert_eq!(
            query.search_pairs(),
            [
                ("fields".to_owned(), "id,summary".to_owned()),
                ("pageSize".to_owned(), "50".to_owned())
            ]
        );
    }
}
