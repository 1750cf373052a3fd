//! What the generated accessors run on: a handle's place in the path tree and request building
//! from an operation's spec data (its `operationId`, path template and idempotency, all written
//! by the generator).
//!
//! Every accessor builds a [`Call`] or a [`List`] here, with no I/O; sending is done by the two
//! non-generic engine functions of the client. Only building the body and decoding the answer
//! into the accessor's model are generic, which keeps the crate quick to compile with every area
//! feature on.

use std::fmt;

use http::Method;
use msp_common::{Error, Idempotency, Operation};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::call;
use crate::client::Client;
use crate::list as listing;

pub(crate) use crate::ListQuery;
pub(crate) use crate::call::Call;
pub(crate) use crate::list::List;
pub(crate) use crate::patch::Patch;
pub(crate) use msp_common::bytes::Bytes;

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

pub(crate) const GET: Verb = Verb::Get;
pub(crate) const POST: Verb = Verb::Post;
pub(crate) const PUT: Verb = Verb::Put;
pub(crate) const PATCH: Verb = Verb::Patch;
pub(crate) const DELETE: Verb = Verb::Delete;

impl Verb {
    fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
            Verb::Put => Method::PUT,
            Verb::Patch => Method::PATCH,
            Verb::Delete => Method::DELETE,
        }
    }
}

/// The generator's word on whether an operation may be repeated, as the retry layer needs it.
pub(crate) const SAFE: Idempotency = Idempotency::Safe;
#[allow(dead_code, reason = "only accessors of some area features use it")]
pub(crate) const IDEMPOTENT: Idempotency = Idempotency::Idempotent;
pub(crate) const NON_IDEMPOTENT: Idempotency = Idempotency::NonIdempotent;

/// No request body.
pub(crate) const NO_BODY: Option<&'static ()> = None;

/// No query parameters beyond the path.
pub(crate) const NO_PARAMS: Option<&'static ()> = None;

/// A handle's place in the path tree: the client and the values of the path parameters met so
/// far (`5` in `/service/tickets/5/notes`), in order.
#[derive(Clone)]
pub(crate) struct Node {
    client: Client,
    values: Vec<String>,
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("path_values", &self.values)
            .finish_non_exhaustive()
    }
}

impl Node {
    /// The root of an area.
    pub(crate) fn root(client: &Client) -> Node {
        Node {
            client: client.clone(),
            values: Vec::new(),
        }
    }

    /// A child one path parameter further down.
    pub(crate) fn push(&self, value: String) -> Node {
        let mut values = self.values.clone();
        values.push(value);
        Node {
            client: self.client.clone(),
            values,
        }
    }

    /// The path segments of `route` with its `{…}` variables filled, in order, from the values
    /// this handle holds. A trailing `/` is kept as a final empty segment.
    fn segments(&self, operation: &Operation, route: &str) -> Result<Vec<String>, Error> {
        let mut values = self.values.iter();
        let mut segments = Vec::new();
        for part in route.split('/').skip(1) {
            match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) => {
                    let value = values.next().ok_or_else(|| {
                        Error::build(
                            operation.name(),
                            format!("no value for the path parameter `{name}`"),
                        )
                    })?;
                    if value.is_empty() {
                        return Err(Error::build(
                            operation.name(),
                            format!("the path parameter `{name}` is empty"),
                        ));
                    }
                    segments.push(value.clone());
                }
                None => segments.push(part.to_owned()),
            }
        }
        if values.next().is_some() {
            return Err(Error::build(
                operation.name(),
                "the handle holds more path values than the route takes",
            ));
        }
        Ok(segments)
    }
}

/// Serialises a parameter struct into query pairs: `None` fields are left out, strings go as they
/// are, numbers and booleans in their JSON spelling, and a nested object (a model sent as query
/// parameters) one pair per field.
fn query_pairs<P: Serialize + ?Sized>(
    operation: &Operation,
    params: &P,
) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(params).map_err(|e| Error::Build {
        operation: operation.name().to_owned(),
        message: "the query parameters could not be serialised".to_owned(),
        source: Some(Box::new(e)),
    })?;
    let mut pairs = Vec::new();
    if let serde_json::Value::Object(fields) = value {
        for (name, value) in fields {
            match value {
                serde_json::Value::Object(inner) => {
                    for (inner_name, inner_value) in inner {
                        push_scalar(operation, &mut pairs, inner_name, inner_value)?;
                    }
                }
                other => push_scalar(operation, &mut pairs, name, other)?,
            }
        }
    }
    Ok(pairs)
}

fn push_scalar(
    operation: &Operation,
    pairs: &mut Vec<(String, String)>,
    name: String,
    value: serde_json::Value,
) -> Result<(), Error> {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => pairs.push((name, text)),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            pairs.push((name, value.to_string()));
        }
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            return Err(Error::build(
                operation.name(),
                format!("the query parameter `{name}` is not a single value"),
            ));
        }
    }
    Ok(())
}

/// The request of an operation at `node`, or why it cannot be built.
fn request(
    node: &Node,
    verb: Verb,
    operation: Operation,
    route: &'static str,
) -> Result<crate::Request, Error> {
    let segments = node.segments(&operation, route)?;
    Ok(crate::Request::with_segments(
        verb.method(),
        segments,
        operation,
    ))
}

/// Builds a request with its body and query parameters; the generic part is only turning them
/// into JSON.
#[allow(clippy::too_many_arguments)]
fn prepare<B, P>(
    node: &Node,
    verb: Verb,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Result<crate::Request, Error>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    let operation = Operation::new(id, route, idempotency);
    let pairs = params
        .map(|params| query_pairs(&operation, params))
        .transpose()?;
    let mut request = request(node, verb, operation, route)?;
    if let Some(pairs) = pairs {
        request = request.queries(pairs);
    }
    match body {
        Some(body) => request.json(body),
        None => Ok(request),
    }
}

/// `GET` of a list: the records matching `query`, page after page.
pub(crate) fn list<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> List<T> {
    let base = request(node, Verb::Get, Operation::safe(id, route), route);
    List::new(node.client.clone(), base, query)
}

/// `GET …/count` with the filters of `query`.
pub(crate) fn count(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> Call<u64> {
    let request = request(node, Verb::Get, Operation::safe(id, route), route)
        .map(|request| listing::count_request(request, query));
    Call::new(node.client.clone(), request, call::count)
}

/// `POST …/search`: the filters of `query` in the body, fields and paging in the query string.
/// A read, so the generator declares it safe to repeat although it is a `POST`.
pub(crate) fn search<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> Call<Vec<T>>
where
    T: DeserializeOwned,
{
    let request = request(node, Verb::Post, Operation::safe(id, route), route)
        .and_then(|request| listing::search_request(request, query));
    Call::json(node.client.clone(), request)
}

/// A call whose success body decodes as `T`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn json<B, P, T>(
    node: &Node,
    verb: Verb,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Call<T>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let request = prepare(node, verb, idempotency, id, route, body, params);
    Call::json(node.client.clone(), request)
}

/// A call whose success body, when there is one, decodes as `T`; an empty body is `None`.
#[allow(dead_code, reason = "only accessors of some area features use it")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn json_opt<B, P, T>(
    node: &Node,
    verb: Verb,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Call<Option<T>>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let request = prepare(node, verb, idempotency, id, route, body, params);
    Call::new(node.client.clone(), request, call::json_opt::<T>)
}

/// A call whose success body is not read.
#[allow(clippy::too_many_arguments)]
pub(crate) fn unit<B, P>(
    node: &Node,
    verb: Verb,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Call<()>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    let request = prepare(node, verb, idempotency, id, route, body, params);
    Call::new(node.client.clone(), request, call::unit)
}

/// A call whose success body is returned as raw bytes (files, images).
#[allow(dead_code, reason = "only accessors of some area features use it")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn bytes<B, P>(
    node: &Node,
    verb: Verb,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Call<Bytes>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    let request = prepare(node, verb, idempotency, id, route, body, params);
    Call::new(node.client.clone(), request, call::bytes)
}

/// `PATCH` with a JSON Patch document; an empty patch is refused before anything is sent.
pub(crate) fn patch<P, T>(
    node: &Node,
    idempotency: Idempotency,
    id: &'static str,
    route: &'static str,
    patch: &Patch,
    params: Option<&P>,
) -> Call<T>
where
    P: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let request = prepare(node, PATCH, idempotency, id, route, NO_BODY, params)
        .and_then(|request| crate::endpoint::patch_body(request, patch));
    Call::json(node.client.clone(), request)
}

/// `GET` of one record, `None` when the server answers 404.
pub(crate) fn get_opt<T>(node: &Node, id: &'static str, route: &'static str) -> Call<Option<T>>
where
    T: DeserializeOwned,
{
    let request = prepare(node, GET, SAFE, id, route, NO_BODY, NO_PARAMS);
    Call::new(node.client.clone(), request, call::found::<T>)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::builder()
            .site("https://cw.example.com")
            .company("acme")
            .public_key("pub")
            .private_key("priv")
            .client_id("id")
            .without_codebase_discovery()
            .build()
            .expect("valid configuration")
    }

    fn op() -> Operation {
        Operation::safe("getX", "/x")
    }

    #[test]
    fn routes_are_filled_in_order_and_keep_a_trailing_slash() {
        let node = Node::root(&client()).push("5".into()).push("j doe".into());
        assert_eq!(
            node.segments(&op(), "/system/members/{parentId}/x/{memberIdentifier}")
                .expect("filled"),
            ["system", "members", "5", "x", "j doe"]
        );
        let node = Node::root(&client()).push("7".into());
        assert_eq!(
            node.segments(&op(), "/time/accruals/{parentId}/details/")
                .expect("filled"),
            ["time", "accruals", "7", "details", ""]
        );
    }

    #[test]
    fn missing_empty_and_surplus_values_are_build_errors() {
        let root = Node::root(&client());
        let missing = root.segments(&op(), "/a/{id}").expect_err("no value");
        assert!(missing.to_string().contains("`id`"), "{missing}");
        let empty = root
            .push(String::new())
            .segments(&op(), "/system/members/{memberIdentifier}")
            .expect_err("empty value");
        assert!(
            empty.to_string().contains("`memberIdentifier` is empty"),
            "{empty}"
        );
        let surplus = root
            .push("1".into())
            .segments(&op(), "/a")
            .expect_err("surplus value");
        assert!(matches!(surplus, Error::Build { .. }), "{surplus}");
    }

    #[derive(Serialize)]
    struct Params {
        #[serde(rename = "lastModified", skip_serializing_if = "Option::is_none")]
        last_modified: Option<String>,
        #[serde(rename = "useDefaultFlag", skip_serializing_if = "Option::is_none")]
        use_default_flag: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<i32>,
        #[serde(rename = "managedInformation", skip_serializing_if = "Option::is_none")]
        managed: Option<serde_json::Value>,
    }

    #[test]
    fn parameters_become_query_pairs() {
        let params = Params {
            last_modified: Some("2025-01-02T03:04:05Z".into()),
            use_default_flag: Some(false),
            id: None,
            managed: Some(serde_json::json!({
                "managedIdentifier": "abc",
                "inactiveConfigurationStatusId": 4,
                "level": null
            })),
        };
        let mut pairs = query_pairs(&op(), &params).expect("pairs");
        pairs.sort();
        assert_eq!(
            pairs,
            [
                ("inactiveConfigurationStatusId".to_owned(), "4".to_owned()),
                ("lastModified".to_owned(), "2025-01-02T03:04:05Z".to_owned()),
                ("managedIdentifier".to_owned(), "abc".to_owned()),
                ("useDefaultFlag".to_owned(), "false".to_owned()),
            ]
        );
        let nested = serde_json::json!({"a": [1, 2]});
        let error = query_pairs(&op(), &nested).expect_err("arrays are refused");
        assert!(error.to_string().contains("`a`"), "{error}");
    }

    #[test]
    fn calls_carry_the_spec_name_route_and_idempotency() {
        let node = Node::root(&client()).push("5".into());
        let call: Call<serde_json::Value> = json(
            &node,
            PUT,
            IDEMPOTENT,
            "putServiceTicketsById",
            "/service/tickets/{id}",
            Some(&serde_json::json!({"summary": "x"})),
            NO_PARAMS,
        );
        let request = call.request().expect("built");
        assert_eq!(request.operation().name(), "putServiceTicketsById");
        assert_eq!(request.operation().route(), "/service/tickets/{id}");
        assert_eq!(request.operation().idempotency(), IDEMPOTENT);
        assert_eq!(request.path(), "/service/tickets/5");
        assert_eq!(request.body(), Some(&br#"{"summary":"x"}"#[..]));

        let empty: Call<serde_json::Value> = patch(
            &node,
            NON_IDEMPOTENT,
            "patchServiceTicketsById",
            "/service/tickets/{id}",
            &Patch::new(),
            NO_PARAMS,
        );
        let error = empty.request().expect_err("an empty patch");
        assert!(error.to_string().contains("no operations"), "{error}");
    }
}
