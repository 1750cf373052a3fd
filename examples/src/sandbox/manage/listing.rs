//! Listing a collection as the server does: `conditions`, `childConditions`,
//! `customFieldConditions`, `orderBy`, `fields`, `page`/`pageSize` with `Link` headers,
//! forward-only paging, `/count` and `POST …/search`.

use std::cmp::Ordering;

use connectwise_manage::query::{Condition, OrderBy, SortDirection};
use serde_json::{Map, Value, json};
use url::Url;

use super::conditions::{self, check, is_recognized, lookup};
use super::reply::{Failure, Reply};
use super::routes::Kind;
use super::store::id_of;

/// The page size when a request names none.
pub const DEFAULT_PAGE_SIZE: usize = 25;
/// The largest page served; larger requests are clamped.
pub const MAX_PAGE_SIZE: usize = 1000;

/// The parameters of a list, count or search request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListParams {
    conditions: Option<String>,
    child_conditions: Option<String>,
    custom_field_conditions: Option<String>,
    order_by: Option<String>,
    fields: Option<String>,
    page: usize,
    page_size: usize,
    page_id: Option<i64>,
}

impl ListParams {
    /// Reads the query string (parameter names ignore case).
    pub fn from_url(url: &Url) -> Result<Self, Failure> {
        let mut params = ListParams {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            ..ListParams::default()
        };
        for (name, value) in url.query_pairs() {
            let value = value.into_owned();
            match name.to_ascii_lowercase().as_str() {
                "conditions" => params.conditions = Some(value),
                "childconditions" => params.child_conditions = Some(value),
                "customfieldconditions" => params.custom_field_conditions = Some(value),
                "orderby" => params.order_by = Some(value),
                "fields" => params.fields = Some(value),
                "page" => params.page = number("page", &value)?.max(1),
                "pagesize" => {
                    params.page_size = number("pageSize", &value)?.clamp(1, MAX_PAGE_SIZE)
                }
                "pageid" => {
                    params.page_id = Some(value.parse().map_err(|_| {
                        Failure::bad_request(format!(
                            "pageId must be a whole number, not {value:?}"
                        ))
                    })?)
                }
                _ => {}
            }
        }
        Ok(params)
    }

    /// Takes the filters and ordering of a `POST …/search` body, which override the query.
    pub fn with_search_body(mut self, body: &Value) -> Result<Self, Failure> {
        let Some(object) = body.as_object() else {
            return Err(Failure::bad_request(
                "the search body must be a JSON object",
            ));
        };
        for (name, value) in object {
            let Some(text) = value.as_str().map(str::to_owned) else {
                continue;
            };
            match name.to_ascii_lowercase().as_str() {
                "conditions" => self.conditions = Some(text),
                "childconditions" => self.child_conditions = Some(text),
                "customfieldconditions" => self.custom_field_conditions = Some(text),
                "orderby" => self.order_by = Some(text),
                _ => {}
            }
        }
        Ok(self)
    }
}

fn number(name: &str, value: &str) -> Result<usize, Failure> {
    value
        .trim()
        .parse()
        .map_err(|_| Failure::bad_request(format!("{name} must be a whole number, not {value:?}")))
}

fn parse_condition(text: &str) -> Result<Condition, Failure> {
    Condition::parse(text).map_err(|error| {
        Failure::find_condition(format!(
            "The conditions could not be read: {error}. Strings are quoted, datetimes are in \
             square brackets, numbers are digits with an optional point and sign, booleans are \
             true or false, and null is the keyword null."
        ))
    })
}

/// The records matching the filters, in the requested order (default: by id).
pub fn select(kind: Kind, records: &[Value], params: &ListParams) -> Result<Vec<Value>, Failure> {
    let filters = [
        (
            &params.conditions,
            conditions::matches as fn(&Condition, &Value) -> bool,
            true,
        ),
        (&params.child_conditions, conditions::matches_child, false),
        (
            &params.custom_field_conditions,
            conditions::matches_custom_field,
            false,
        ),
    ];
    let mut selected: Vec<&Value> = records.iter().collect();
    for (text, test, checked) in filters {
        let Some(text) = text else { continue };
        let condition = parse_condition(text)?;
        if checked {
            check(&condition, kind, records).map_err(Failure::find_condition)?;
        }
        selected.retain(|record| test(&condition, record));
    }
    let mut selected: Vec<Value> = selected.into_iter().cloned().collect();
    match &params.order_by {
        Some(text) => {
            let order: OrderBy = text.parse().map_err(|error| {
                Failure::bad_request(format!("orderBy could not be read: {error}"))
            })?;
            for key in order.keys() {
                let field = key.field().as_str();
                let first = field.split('/').next().unwrap_or(field);
                if !is_recognized(first, kind, records) {
                    return Err(Failure::find_condition(format!(
                        "{field} is not a recognized name."
                    )));
                }
            }
            selected.sort_by(|a, b| {
                order
                    .keys()
                    .iter()
                    .map(|key| {
                        let field = key.field().as_str();
                        let ordering = compare_values(lookup(a, field), lookup(b, field));
                        match key.direction() {
                            SortDirection::Ascending => ordering,
                            SortDirection::Descending => ordering.reverse(),
                        }
                    })
                    .find(|ordering| ordering.is_ne())
                    .unwrap_or(Ordering::Equal)
            });
        }
        None => selected.sort_by_key(id_of),
    }
    Ok(selected)
}

/// Orders two field values: nulls first (as SQL Server sorts them ascending), then numbers,
/// booleans and text (ignoring case).
fn compare_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(value: Option<&Value>) -> u8 {
        match value {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a.cmp(b),
        (Some(Value::String(a)), Some(Value::String(b))) => a.to_lowercase().cmp(&b.to_lowercase()),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A navigable page, with `Link` headers (`first`/`prev` past page 1, `next` before the last
/// page, `last` whenever there are records).
pub fn page(request_url: &Url, records: Vec<Value>, params: &ListParams) -> Result<Reply, Failure> {
    let total = records.len();
    let size = params.page_size;
    let last_page = total.div_ceil(size).max(1);
    let start = (params.page - 1).saturating_mul(size);
    let items: Vec<Value> = records
        .into_iter()
        .skip(start)
        .take(size)
        .map(|record| project(record, params.fields.as_deref()))
        .collect();
    let mut links = Vec::new();
    let link =
        |page: usize, rel: &str| format!("<{}>; rel=\"{rel}\"", page_url(request_url, size, page));
    if params.page > 1 {
        links.push(link(1, "first"));
        links.push(link((params.page - 1).min(last_page), "prev"));
    }
    if params.page < last_page {
        links.push(link(params.page + 1, "next"));
    }
    if total > 0 {
        links.push(link(last_page, "last"));
    }
    let reply = Reply::ok(Value::Array(items));
    Ok(if links.is_empty() {
        reply
    } else {
        reply.header("Link", links.join(", "))
    })
}

/// A forward-only page: records after `pageId` by id, with a `next` link while the page is full
/// and an empty `Link` header at the end.
pub fn forward_only_page(
    request_url: &Url,
    records: Vec<Value>,
    params: &ListParams,
) -> Result<Reply, Failure> {
    if params.order_by.is_some() {
        return Err(Failure::bad_request(
            "orderBy cannot be used with forward-only pagination",
        ));
    }
    let after = params.page_id.unwrap_or(0);
    let mut records: Vec<Value> = records
        .into_iter()
        .filter(|record| id_of(record).is_some_and(|id| id > after))
        .collect();
    records.sort_by_key(id_of);
    records.truncate(params.page_size);
    let next = match records.last().and_then(id_of) {
        Some(last) if records.len() == params.page_size => {
            let mut url = request_url.clone();
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(name, _)| {
                    !name.eq_ignore_ascii_case("pageId") && !name.eq_ignore_ascii_case("pageSize")
                })
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(pairs)
                .append_pair("pageSize", &params.page_size.to_string())
                .append_pair("pageId", &last.to_string());
            format!("<{url}>; rel=\"next\"")
        }
        _ => String::new(),
    };
    let items = records
        .into_iter()
        .map(|record| project(record, params.fields.as_deref()))
        .collect();
    Ok(Reply::ok(Value::Array(items)).header("Link", next))
}

/// `{"count": N}`.
pub fn count(records: &[Value]) -> Reply {
    Reply::ok(json!({"count": records.len()}))
}

/// The request URL for another page: the request's parameters without `page` and `pageSize`,
/// then `pageSize` and `page`, form-encoded (`+` for spaces) as the server writes them.
fn page_url(request_url: &Url, size: usize, page: usize) -> Url {
    let mut url = request_url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| {
            !name.eq_ignore_ascii_case("page") && !name.eq_ignore_ascii_case("pageSize")
        })
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("pageSize", &size.to_string())
        .append_pair("page", &page.to_string());
    url
}

/// A partial response: only the named fields (`id,summary,status/name`); the whole record when
/// `fields` is absent.
pub fn project(record: Value, fields: Option<&str>) -> Value {
    let Some(fields) = fields.filter(|fields| !fields.trim().is_empty()) else {
        return record;
    };
    let Value::Object(source) = record else {
        return record;
    };
    let mut projected = Map::new();
    for field in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let (head, rest) = match field.split_once('/') {
            Some((head, rest)) => (head, Some(rest)),
            None => (field, None),
        };
        let Some((name, value)) = source
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(head))
        else {
            continue;
        };
        match (rest, value) {
            (Some(sub), Value::Object(inner)) => {
                let Some((sub_name, sub_value)) = inner
                    .iter()
                    .find(|(sub_name, _)| sub_name.eq_ignore_ascii_case(sub))
                else {
                    continue;
                };
                let entry = projected
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(entry) = entry {
                    entry.insert(sub_name.clone(), sub_value.clone());
                }
            }
            _ => {
                projected.insert(name.clone(), value.clone());
            }
        }
    }
    Value::Object(projected)
}
