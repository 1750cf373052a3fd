//! What the generated accessors run on: a handle's place in the path tree, request building from
//! an operation's path template, and decoding.
//!
//! Thousands of accessors call the handful of functions here. The sending is done by non-generic
//! code (and list calls by [`Endpoint`] over raw JSON records); only the last step, decoding the
//! body into the accessor's model, is generic. That keeps the crate quick to compile with every
//! area feature on, and gives every model one decoding path, whichever accessor returned it.

use std::fmt;

use futures::future::{self, BoxFuture, FutureExt};
use futures::stream::{BoxStream, StreamExt};
use http::Method;
use msp_common::{Error, Idempotency, Operation, decode_json};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::client::Client;
use crate::endpoint::Endpoint;

pub(crate) use crate::ListQuery;
pub(crate) use crate::patch::Patch;
pub(crate) use msp_common::Page;
pub(crate) use msp_common::bytes::Bytes;

/// The future every single-call accessor returns: `Send` and `'static`, so it can be spawned.
pub type ApiFuture<T> = BoxFuture<'static, Result<T, Error>>;

/// The stream `stream()` and `pages()` accessors return.
pub type ApiStream<T> = BoxStream<'static, Result<T, Error>>;

/// One raw JSON record of a list, decoded into the accessor's model afterwards.
type Record = Box<RawValue>;

/// The HTTP method of an operation. Each declares how the retry layer may treat the call: `GET`
/// is safe, `PUT` and `DELETE` are idempotent, `POST` and `PATCH` are never repeated after an
/// answer that may have been lost.
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

    fn idempotency(self) -> Idempotency {
        match self {
            Verb::Get => Idempotency::Safe,
            Verb::Put | Verb::Delete => Idempotency::Idempotent,
            Verb::Post | Verb::Patch => Idempotency::NonIdempotent,
        }
    }
}

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

fn operation(verb: Verb, id: &'static str, route: &'static str) -> Operation {
    Operation::new(id, route, verb.idempotency())
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

/// Everything a call needs, or the error that stopped it from being built.
struct Call {
    client: Client,
    operation: Operation,
    request: Result<crate::ApiRequest, Error>,
}

/// Builds a call; the generic part is only turning the body and parameters into JSON.
fn prepare<B, P>(
    node: &Node,
    verb: Verb,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> Call
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    let operation = operation(verb, id, route);
    let body = body
        .map(|body| {
            serde_json::value::to_raw_value(body).map_err(|e| Error::Build {
                operation: operation.name().to_owned(),
                message: "the body could not be serialised as JSON".to_owned(),
                source: Some(Box::new(e)),
            })
        })
        .transpose();
    let query = params
        .map(|params| query_pairs(&operation, params))
        .transpose();
    build(node, verb, operation, route, body, query)
}

fn build(
    node: &Node,
    verb: Verb,
    operation: Operation,
    route: &'static str,
    body: Result<Option<Box<RawValue>>, Error>,
    query: Result<Option<Vec<(String, String)>>, Error>,
) -> Call {
    let request = (|| {
        let segments = node.segments(&operation, route)?;
        let mut request =
            crate::ApiRequest::with_segments(verb.method(), segments, operation.clone());
        if let Some(pairs) = query? {
            request = request.queries(pairs);
        }
        if let Some(body) = body? {
            request = request.json(&body)?;
        }
        Ok(request)
    })();
    Call {
        client: node.client.clone(),
        operation,
        request,
    }
}

/// Sends a call and returns the success response with its operation.
fn send(call: Call) -> BoxFuture<'static, Result<(Operation, http::Response<Bytes>), Error>> {
    async move {
        let response = call.client.send(call.request?).await?;
        Ok((call.operation, response))
    }
    .boxed()
}

/// Decodes one record of a list, with the record's position in the error path.
fn decode_record<T: DeserializeOwned>(
    operation: &Operation,
    record: &RawValue,
    index: Option<usize>,
) -> Result<T, Error> {
    let response = http::Response::new(Bytes::copy_from_slice(record.get().as_bytes()));
    decode_json(operation, &response).map_err(|error| match (error, index) {
        (Error::Decode(mut decode), Some(index)) => {
            decode.path = if decode.path == "." {
                format!("[{index}]")
            } else {
                format!("[{index}].{}", decode.path)
            };
            Error::Decode(decode)
        }
        (error, _) => error,
    })
}

fn decode_records<T: DeserializeOwned>(
    operation: &Operation,
    records: Vec<Record>,
) -> Result<Vec<T>, Error> {
    records
        .iter()
        .enumerate()
        .map(|(index, record)| decode_record(operation, record, Some(index)))
        .collect()
}

/// The paging layer over raw records, named from the route (the generator checks that this gives
/// the spec's operationId).
fn records(node: &Node, id: &'static str, route: &'static str) -> Result<Endpoint<Record>, Error> {
    let operation = operation(GET, id, route);
    let segments = node.segments(&operation, route)?;
    Ok(Endpoint::at(node.client.clone(), segments, route))
}

/// `GET` one page of a list.
pub(crate) fn list<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiFuture<Vec<T>>
where
    T: DeserializeOwned + Send + 'static,
{
    list_records(node, id, route, query.clone())
        .map(move |result| {
            result.and_then(|records| decode_records(&operation(GET, id, route), records))
        })
        .boxed()
}

fn list_records(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: ListQuery,
) -> BoxFuture<'static, Result<Vec<Record>, Error>> {
    let endpoint = records(node, id, route);
    async move { endpoint?.list(&query).await }.boxed()
}

/// Every record of a list, page after page.
pub(crate) fn stream<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    let operation = operation(GET, id, route);
    record_stream(node, id, route, query)
        .map(move |result| result.and_then(|record| decode_record(&operation, &record, None)))
        .boxed()
}

fn record_stream(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiStream<Record> {
    match records(node, id, route) {
        Ok(endpoint) => endpoint.stream(query),
        Err(error) => futures::stream::once(future::ready(Err(error))).boxed(),
    }
}

/// Every page of a list.
pub(crate) fn pages<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiStream<Page<T>>
where
    T: DeserializeOwned + Send + 'static,
{
    let operation = operation(GET, id, route);
    page_stream(node, id, route, query)
        .map(move |result| {
            result.and_then(|page| {
                let items = decode_records(&operation, page.items)?;
                Ok(Page::new(items, page.links, page.url))
            })
        })
        .boxed()
}

fn page_stream(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiStream<Page<Record>> {
    match records(node, id, route) {
        Ok(endpoint) => endpoint.pages(query),
        Err(error) => futures::stream::once(future::ready(Err(error))).boxed(),
    }
}

/// The `{"count": N}` body of a count route.
#[derive(serde::Deserialize)]
struct CountBody {
    count: u64,
}

/// `GET …/count` with the filters of `query`.
pub(crate) fn count(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiFuture<u64> {
    let call = build(
        node,
        GET,
        operation(GET, id, route),
        route,
        Ok(None),
        Ok(Some(query.count_pairs())),
    );
    send(call)
        .map(|result| {
            let (operation, response) = result?;
            let body: CountBody = decode_json(&operation, &response)?;
            Ok(body.count)
        })
        .boxed()
}

/// `POST …/search`: the filters of `query` in the body, fields and paging in the query string.
/// A read, so it is declared safe to repeat although it is a `POST`.
pub(crate) fn search<T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> ApiFuture<Vec<T>>
where
    T: DeserializeOwned + Send + 'static,
{
    search_records(node, id, route, query)
        .map(|result| {
            let (operation, records) = result?;
            decode_records(&operation, records)
        })
        .boxed()
}

fn search_records(
    node: &Node,
    id: &'static str,
    route: &'static str,
    query: &ListQuery,
) -> BoxFuture<'static, Result<(Operation, Vec<Record>), Error>> {
    let operation = Operation::safe(id, route);
    if let Err(error) = query.validate(operation.name()) {
        return future::ready(Err(error)).boxed();
    }
    let body = serde_json::value::to_raw_value(&query.search_body())
        .map(Some)
        .map_err(|e| Error::Build {
            operation: operation.name().to_owned(),
            message: "the search body could not be serialised".to_owned(),
            source: Some(Box::new(e)),
        });
    // Built with a safe operation: a search only reads, whatever its method.
    let call = build(
        node,
        POST,
        operation,
        route,
        body,
        Ok(Some(query.search_pairs())),
    );
    send(call)
        .map(|result| {
            let (operation, response) = result?;
            let records: Vec<Record> = decode_json(&operation, &response)?;
            Ok((operation, records))
        })
        .boxed()
}

/// A call whose success body decodes as `T`.
pub(crate) fn json<B, P, T>(
    node: &Node,
    verb: Verb,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> ApiFuture<T>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
    T: DeserializeOwned + Send + 'static,
{
    send(prepare(node, verb, id, route, body, params))
        .map(|result| {
            let (operation, response) = result?;
            decode_json(&operation, &response)
        })
        .boxed()
}

/// A call whose success body, when there is one, decodes as `T`; an empty body is `None`.
#[allow(dead_code, reason = "only accessors of some area features use it")]
pub(crate) fn json_opt<B, P, T>(
    node: &Node,
    verb: Verb,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> ApiFuture<Option<T>>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
    T: DeserializeOwned + Send + 'static,
{
    send(prepare(node, verb, id, route, body, params))
        .map(|result| {
            let (operation, response) = result?;
            if response.body().iter().all(u8::is_ascii_whitespace) {
                return Ok(None);
            }
            decode_json(&operation, &response).map(Some)
        })
        .boxed()
}

/// A call whose success body is not read.
pub(crate) fn unit<B, P>(
    node: &Node,
    verb: Verb,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> ApiFuture<()>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    send(prepare(node, verb, id, route, body, params))
        .map(|result| result.map(drop))
        .boxed()
}

/// A call whose success body is returned as raw bytes (files, images).
#[allow(dead_code, reason = "only accessors of some area features use it")]
pub(crate) fn bytes<B, P>(
    node: &Node,
    verb: Verb,
    id: &'static str,
    route: &'static str,
    body: Option<&B>,
    params: Option<&P>,
) -> ApiFuture<Bytes>
where
    B: Serialize + ?Sized,
    P: Serialize + ?Sized,
{
    send(prepare(node, verb, id, route, body, params))
        .map(|result| result.map(|(_, response)| response.into_body()))
        .boxed()
}

/// `PATCH` with a JSON Patch document; an empty patch is refused before anything is sent.
pub(crate) fn patch<P, T>(
    node: &Node,
    id: &'static str,
    route: &'static str,
    patch: &Patch,
    params: Option<&P>,
) -> ApiFuture<T>
where
    P: Serialize + ?Sized,
    T: DeserializeOwned + Send + 'static,
{
    if patch.is_empty() {
        return future::ready(Err(Error::build(id, "the patch has no operations"))).boxed();
    }
    json(node, PATCH, id, route, Some(&patch.to_value()), params)
}

/// `GET` of one record, `None` when the server answers 404.
pub(crate) fn get_opt<T>(node: &Node, id: &'static str, route: &'static str) -> ApiFuture<Option<T>>
where
    T: DeserializeOwned + Send + 'static,
{
    json::<(), (), T>(node, GET, id, route, None, None)
        .map(|result| match result {
            Ok(record) => Ok(Some(record)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        })
        .boxed()
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
        operation(GET, "getX", "/x")
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

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Record {
        id: u32,
        name: String,
    }

    #[test]
    fn records_decode_one_by_one_with_their_position() {
        let body = Bytes::from_static(br#"[{"id": 1, "name": "a"}, {"id": "two", "name": "b"}]"#);
        let records: Vec<Box<RawValue>> =
            decode_json(&op(), &http::Response::new(body)).expect("raw records");
        assert_eq!(records.len(), 2);
        let first: Record = decode_record(&op(), &records[0], Some(0)).expect("decodes");
        assert_eq!(
            first,
            Record {
                id: 1,
                name: "a".into()
            }
        );
        let error = decode_records::<Record>(&op(), records).expect_err("bad id");
        let Error::Decode(decode) = error else {
            panic!("not a decode error: {error}");
        };
        assert_eq!(decode.path, "[1].id");
        assert_eq!(decode.operation, "getX");
    }
}
