//! Listing a collection as the server does: `conditions`, `childConditions`,
//! `customFieldConditions`, `orderBy`, `fields`, `page`/`pageSize` with `Link` headers,
//! forward-only paging, `/count` and `POST …/search`.
//!
//! A selection is a list of ids: filters look at records one at a time (generated ones rendered
//! and dropped again), and only the page being answered is written out, straight from the store.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use url::Url;

use super::conditions::{self, Condition, check, is_recognized, lookup};
use super::reply::{Failure, Reply};
use super::routes::Kind;
use super::store::Store;

/// How many records condition checks learn field types from.
const TYPE_SAMPLE: usize = 50;

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
            "The conditions could not be read: {error}. String values should be enclosed with \
             double or single quotes; DateTime values should be enclosed in square brackets; \
             numbers should consist of only digits, and optionally a decimal point and a negation \
             sign; boolean values should be indicated with the keywords true or false; null \
             values should be indicated by the keyword null."
        ))
    })
}

/// One `orderBy` key: a field path and whether it sorts descending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortKey {
    /// The field path.
    pub field: String,
    /// Descending rather than ascending.
    pub descending: bool,
}

/// Reads `orderBy`: `field [asc|desc]` keys separated by commas.
///
/// # Errors
/// A message for an empty key or a direction other than `asc`/`desc`.
pub fn parse_order_by(text: &str) -> Result<Vec<SortKey>, String> {
    text.split(',')
        .map(|key| {
            let mut words = key.split_whitespace();
            let field = words
                .next()
                .ok_or_else(|| format!("orderBy has an empty key in {text:?}"))?;
            let descending = match words.next() {
                None => false,
                Some(word) if word.eq_ignore_ascii_case("asc") => false,
                Some(word) if word.eq_ignore_ascii_case("desc") => true,
                Some(word) => {
                    return Err(format!(
                        "orderBy direction must be asc or desc, not {word:?}"
                    ));
                }
            };
            if words.next().is_some() {
                return Err(format!(
                    "orderBy key {key:?} has more than a field and a direction"
                ));
            }
            Ok(SortKey {
                field: field.to_owned(),
                descending,
            })
        })
        .collect()
}

type Test = fn(&Condition, &Value) -> bool;

/// The records a list request selected.
#[derive(Clone, Debug)]
pub enum Selection {
    /// The whole collection in id order: pages are taken from the store as they are needed,
    /// without listing a million ids first.
    All,
    /// These ids, in this order.
    Ids(Arc<Vec<i64>>),
}

impl Selection {
    /// How many records were selected.
    pub fn len(&self, store: &Store, key: &str) -> usize {
        match self {
            Selection::All => store.len(key),
            Selection::Ids(ids) => ids.len(),
        }
    }

    /// `count` ids from position `start`.
    pub fn slice(&self, store: &Store, key: &str, start: usize, count: usize) -> Vec<i64> {
        match self {
            Selection::All => store.ids_at(key, start, count),
            Selection::Ids(ids) => {
                let start = start.min(ids.len());
                ids[start..start.saturating_add(count).min(ids.len())].to_vec()
            }
        }
    }

    /// Up to `count` ids above `after` (the selection is in id order without `orderBy`).
    pub fn after(&self, store: &Store, key: &str, after: i64, count: usize) -> Vec<i64> {
        match self {
            Selection::All => store.ids_after(key, after, count),
            Selection::Ids(ids) => {
                let start = ids.partition_point(|id| *id <= after);
                ids[start..start.saturating_add(count).min(ids.len())].to_vec()
            }
        }
    }
}

/// The ids of the records matching the filters, in the requested order (default: by id).
pub fn select(
    store: &Store,
    kind: Kind,
    key: &str,
    params: &ListParams,
) -> Result<Selection, Failure> {
    let cache_key = format!(
        "{key}\n{:?}\n{:?}\n{:?}\n{:?}",
        params.conditions, params.child_conditions, params.custom_field_conditions, params.order_by
    );
    if let Some(ids) = store.cached_selection(&cache_key) {
        return Ok(Selection::Ids(ids));
    }
    // Rendered only for a request that has conditions or an order to check.
    let records = OnceCell::new();
    let sample = OnceCell::new();
    let sample = || -> &[&Value] {
        sample.get_or_init(|| {
            records
                .get_or_init(|| store.sample(key, TYPE_SAMPLE))
                .iter()
                .collect::<Vec<_>>()
        })
    };
    let mut filters: Vec<(Condition, Test)> = Vec::new();
    for (text, test, checked) in [
        (&params.conditions, conditions::matches as Test, true),
        (
            &params.child_conditions,
            conditions::matches_child as Test,
            false,
        ),
        (
            &params.custom_field_conditions,
            conditions::matches_custom_field as Test,
            false,
        ),
    ] {
        let Some(text) = text.as_deref().filter(|text| !text.trim().is_empty()) else {
            continue;
        };
        let condition = parse_condition(text)?;
        if checked {
            check(&condition, kind, sample()).map_err(Failure::find_condition)?;
        }
        filters.push((condition, test));
    }
    let order = match params
        .order_by
        .as_deref()
        .filter(|text| !text.trim().is_empty())
    {
        Some(text) => {
            let order = parse_order_by(text).map_err(|message| {
                Failure::bad_request(format!("orderBy could not be read: {message}"))
            })?;
            for key in &order {
                let first = key.field.split('/').next().unwrap_or(&key.field);
                if !is_recognized(first, kind, sample()) {
                    return Err(Failure::find_condition(format!(
                        "{} is not a recognized name.",
                        key.field
                    )));
                }
            }
            Some(order)
        }
        None => None,
    };
    if filters.is_empty() && order.is_none() {
        return Ok(Selection::All);
    }
    let ids = store.ids(key);
    let mut selected: Vec<(Vec<Option<Value>>, i64)> = Vec::new();
    for id in ids {
        let Some(record) = store.get(key, id) else {
            continue;
        };
        if !filters
            .iter()
            .all(|(condition, test)| test(condition, &record))
        {
            continue;
        }
        let sort_values = order.as_ref().map_or_else(Vec::new, |order| {
            order
                .iter()
                .map(|key| lookup(&record, &key.field).cloned())
                .collect()
        });
        selected.push((sort_values, id));
    }
    if let Some(order) = &order {
        // Stable, so equal keys stay in id order.
        selected.sort_by(|(a, _), (b, _)| {
            order
                .iter()
                .zip(a.iter().zip(b))
                .map(|(key, (a, b))| {
                    let ordering = compare_values(a.as_ref(), b.as_ref());
                    if key.descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                })
                .find(|ordering| ordering.is_ne())
                .unwrap_or(Ordering::Equal)
        });
    }
    let ids = Arc::new(selected.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
    store.cache_selection(cache_key, ids.clone());
    Ok(Selection::Ids(ids))
}

/// Writes the records of `ids` as a JSON array, projected to `fields` when given.
pub fn render(store: &Store, key: &str, ids: &[i64], fields: Option<&str>) -> String {
    let fields = fields.filter(|fields| !fields.trim().is_empty());
    let mut out = String::with_capacity(ids.len() * 1024 + 2);
    out.push('[');
    let mut first = true;
    for &id in ids {
        let start = out.len();
        if !first {
            out.push(',');
        }
        let written = match fields {
            None => store.write_json(key, id, &mut out),
            Some(fields) => match store.get(key, id) {
                Some(record) => {
                    out.push_str(&project(Cow::into_owned(record), Some(fields)).to_string());
                    true
                }
                None => false,
            },
        };
        if written {
            first = false;
        } else {
            out.truncate(start);
        }
    }
    out.push(']');
    out
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
pub fn page(
    store: &Store,
    key: &str,
    request_url: &Url,
    selection: &Selection,
    params: &ListParams,
) -> Reply {
    let total = selection.len(store, key);
    let size = params.page_size;
    let last_page = total.div_ceil(size).max(1);
    let start = (params.page - 1).saturating_mul(size);
    let ids = selection.slice(store, key, start, size);
    let body = render(store, key, &ids, params.fields.as_deref());
    let mut links = Vec::new();
    let link = |page: usize, rel: &str| {
        format!(
            "<{}>; rel=\"{rel}\"",
            paged_url(request_url, "page", size, page as u64)
        )
    };
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
    let reply = Reply::raw(200, body);
    if links.is_empty() {
        reply
    } else {
        reply.header("Link", links.join(", "))
    }
}

/// A forward-only page: records after `pageId` by id, with a `next` link while the page is full
/// and an empty `Link` header at the end.
///
/// # Errors
/// `orderBy` cannot be combined with forward-only paging.
pub fn forward_only_page(
    store: &Store,
    key: &str,
    request_url: &Url,
    selection: &Selection,
    params: &ListParams,
) -> Result<Reply, Failure> {
    if params.order_by.is_some() {
        return Err(Failure::bad_request(
            "orderBy cannot be used with forward-only pagination",
        ));
    }
    let after = params.page_id.unwrap_or(0);
    let page = selection.after(store, key, after, params.page_size);
    let next = match page.last() {
        Some(last) if page.len() == params.page_size => format!(
            "<{}>; rel=\"next\"",
            paged_url(request_url, "pageId", params.page_size, *last as u64)
        ),
        _ => String::new(),
    };
    let body = render(store, key, &page, params.fields.as_deref());
    Ok(Reply::raw(200, body).header("Link", next))
}

/// `{"count": N}`.
pub fn count(store: &Store, key: &str, selection: &Selection) -> Reply {
    Reply::ok(json!({"count": selection.len(store, key)}))
}

/// The request URL for another page: the request's parameters without `pageSize` and `position`
/// (`page` or `pageId`), then `pageSize` and `position`, re-encoded as the server writes them
/// (.NET style: `+` for spaces and lower-case `%xx`).
fn paged_url(request_url: &Url, position: &str, size: usize, value: u64) -> String {
    let mut pairs: Vec<(String, String)> = request_url
        .query_pairs()
        .filter(|(name, _)| {
            !name.eq_ignore_ascii_case(position) && !name.eq_ignore_ascii_case("pageSize")
        })
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.push(("pageSize".to_owned(), size.to_string()));
    pairs.push((position.to_owned(), value.to_string()));
    let query: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", dotnet_encode(name), dotnet_encode(value)))
        .collect();
    let mut url = request_url.clone();
    url.set_query(None);
    format!("{url}?{}", query.join("&"))
}

/// Form-encodes `text` with lower-case hex digits, as .NET's `HttpUtility.UrlEncode` does.
fn dotnet_encode(text: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_encoded_as_the_server_writes_them() {
        // The captured link of the protocol reference (§2.1): the request's path kept, trailing
        // slash included; `+` for spaces, lower-case escapes; pageSize then page last.
        let request = Url::parse(
            "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/\
             ?conditions=LastUpdated%20%3E%3D%20%5B2025-04-01T20%3A02%3A28Z%5D&page=1&pageSize=2",
        )
        .unwrap();
        assert_eq!(
            paged_url(&request, "page", 2, 2),
            "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/\
             ?conditions=LastUpdated+%3e%3d+%5b2025-04-01T20%3a02%3a28Z%5d&pageSize=2&page=2"
        );
        let forward = Url::parse("http://127.0.0.1:9/x?pageId=5&pageSize=3").unwrap();
        assert_eq!(
            paged_url(&forward, "pageId", 3, 8),
            "http://127.0.0.1:9/x?pageSize=3&pageId=8"
        );
    }

    #[test]
    fn order_by_keys() {
        assert_eq!(
            parse_order_by("summary, dateEntered DESC").unwrap(),
            [
                SortKey {
                    field: "summary".to_owned(),
                    descending: false
                },
                SortKey {
                    field: "dateEntered".to_owned(),
                    descending: true
                },
            ]
        );
        assert!(parse_order_by("summary sideways").is_err());
        assert!(parse_order_by("a asc extra").is_err());
        assert!(parse_order_by("a,,b").is_err());
    }
}
