//! Pure request building: an [`Request`] plus the tenant's base URL and headers make an
//! `http::Request`, with no I/O, so every request the client sends can be checked in a test.

use std::fmt;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use msp_common::bytes::Bytes;
use msp_common::{Error, Operation, ParsedUrl, url::Url};
use serde::Serialize;

/// The media type that selects a model version: `application/vnd.connectwise.com+json; version=…`.
pub fn accept_header(version: &str) -> String {
    format!("application/vnd.connectwise.com+json; version={version}")
}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// Path segments below the API base (`["service", "tickets", "5"]`), each percent-encoded.
    Path(Vec<String>),
    /// An absolute URL, as a `Link` header gives it.
    Url(Url),
}

/// One call to the API, before the tenant's base URL and credentials are known.
///
/// Everything the call will send, except the credentials, can be read back: [`Request::method`],
/// [`Request::path`], [`Request::query_pairs`], [`Request::headers`],
/// [`Request::body`], and the [`Operation`] with the spec's `operationId`, the route template
/// and the idempotency the retry layer goes by. Its `Debug` output is meant for snapshots: the
/// body is shown as text.
#[derive(Clone)]
pub struct Request {
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
    operation: Operation,
    api_version: Option<String>,
    headers: HeaderMap,
}

impl Request {
    /// A request for `path` (e.g. `/service/tickets/5`), relative to the API base. Each
    /// `/`-separated segment is percent-encoded on its own, so a value cannot add a query.
    pub fn new(method: Method, path: &str, operation: Operation) -> Self {
        Self::with_segments(method, split_path(path), operation)
    }

    /// A request for already-split path segments, e.g. `["system", "members", "j doe", "tokens"]`.
    pub fn with_segments(method: Method, segments: Vec<String>, operation: Operation) -> Self {
        Self {
            method,
            target: Target::Path(segments),
            query: Vec::new(),
            body: None,
            operation,
            api_version: None,
            headers: HeaderMap::new(),
        }
    }

    /// A `GET` of an absolute URL (a next-page link).
    pub fn get_url(url: Url, operation: Operation) -> Self {
        Self {
            method: Method::GET,
            target: Target::Url(url),
            query: Vec::new(),
            body: None,
            operation,
            api_version: None,
            headers: HeaderMap::new(),
        }
    }

    /// The same request (method, headers, operation, model version) for the absolute `url`, as
    /// the pages after the first are fetched.
    pub(crate) fn at_url(&self, url: Url) -> Self {
        Self {
            target: Target::Url(url),
            query: Vec::new(),
            body: None,
            ..self.clone()
        }
    }

    /// The same request marked as one page of a bulk read, which the retry layer gives the
    /// client's bulk schedule (a long `Retry-After` is waited out instead of ending a listing).
    pub(crate) fn bulk(mut self) -> Self {
        self.operation = self.operation.bulk();
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds query parameters.
    pub fn queries(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.query.extend(pairs);
        self
    }

    /// Sets a JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Build {
            operation: self.operation.name().to_owned(),
            message: "the body could not be serialised as JSON".to_owned(),
            source: Some(Box::new(e)),
        })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// Adds a header that is not a credential (`pagination-type`, `x-cw-usertype`).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Asks for model version `version` instead of the client's default.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The operation this request performs.
    pub fn operation(&self) -> &Operation {
        &self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path below the API base, percent-encoded (`/service/tickets/5`), or the path of an
    /// absolute URL.
    pub fn path(&self) -> String {
        match &self.target {
            Target::Url(url) => url.path().to_owned(),
            Target::Path(segments) => {
                let mut url = Url::parse("http://path.invalid/").expect("a valid URL");
                if let Ok(mut path) = url.path_segments_mut() {
                    path.pop_if_empty();
                    path.extend(segments.iter().map(String::as_str));
                }
                url.path().to_owned()
            }
        }
    }

    /// The query parameters, in the order they are sent (before percent-encoding).
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The headers set on the request (`pagination-type`, …). Credentials and `Accept` are added
    /// only when the request is built for sending, so they never appear here.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The JSON body, if any.
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// The model version asked for by this request, when it overrides the client's default.
    pub fn version(&self) -> Option<&str> {
        self.api_version.as_deref()
    }

    /// `true` when the request names an absolute URL rather than a path below the base.
    pub fn is_absolute(&self) -> bool {
        matches!(self.target, Target::Url(_))
    }

    /// The full URL under `base` (which ends with `/apis/3.0/`).
    pub fn url(&self, base: &Url) -> Result<Url, Error> {
        let mut url = match &self.target {
            Target::Url(url) => url.clone(),
            Target::Path(segments) => {
                let mut url = base.clone();
                {
                    let mut path = url.path_segments_mut().map_err(|()| {
                        Error::build(self.operation.name(), "the base URL cannot have a path")
                    })?;
                    path.pop_if_empty();
                    path.extend(segments.iter().map(String::as_str));
                }
                url
            }
        };
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    /// Builds the `http::Request`: URL under `base`, the credential headers (already marked
    /// sensitive), `Accept` with the model version, and the [`Operation`] attached.
    pub fn build(
        self,
        base: &Url,
        credentials: &Credentials<'_>,
        default_version: &str,
    ) -> Result<http::Request<Bytes>, Error> {
        let version = self.api_version.as_deref().unwrap_or(default_version);
        let accept = accept_value(&self.operation, version)?;
        self.to_http(base, credentials, &accept)
    }

    /// [`Request::build`] with `Accept` already made, leaving the request whole (the client may
    /// send it again under a new codebase).
    pub(crate) fn to_http(
        &self,
        base: &Url,
        credentials: &Credentials<'_>,
        accept: &HeaderValue,
    ) -> Result<http::Request<Bytes>, Error> {
        let url = self.url(base)?;
        let mut request = http::Request::new(self.body.clone().unwrap_or_default());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = http::Uri::try_from(url.as_str())
            .map_err(|_| Error::build(self.operation.name(), "the URL is not a valid URI"))?;
        // The transport sends it as it is instead of parsing the URI back into a URL.
        request.extensions_mut().insert(ParsedUrl(url));
        let headers = request.headers_mut();
        headers.reserve(self.headers.len() + 4);
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        headers.insert(ACCEPT, accept.clone());
        if self.body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(authorization) = credentials.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        if let Some(client_id) = credentials.client_id {
            headers.insert(HeaderName::from_static("clientid"), client_id.clone());
        }
        Ok(self.operation.clone().attach(request))
    }
}

/// The `Accept` value asking for model `version`.
pub(crate) fn accept_value(operation: &Operation, version: &str) -> Result<HeaderValue, Error> {
    HeaderValue::try_from(accept_header(version)).map_err(|_| {
        Error::build(
            operation.name(),
            "the API version contains characters not allowed in a header",
        )
    })
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.body.as_deref().map(String::from_utf8_lossy);
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path())
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &body)
            .field("operation_id", &self.operation.name())
            .field("route", &self.operation.route())
            .field("idempotency", &self.operation.idempotency())
            .field("api_version", &self.api_version)
            .finish()
    }
}

/// The credential headers a request carries; both are marked sensitive by the client.
#[derive(Clone, Copy, Debug, Default)]
pub struct Credentials<'a> {
    /// `Authorization: Basic …`.
    pub authorization: Option<&'a HeaderValue>,
    /// `clientId: …`.
    pub client_id: Option<&'a HeaderValue>,
}

/// Splits `/service/tickets/5` into its non-empty segments. A trailing slash is kept (as a final
/// empty segment): some routes are written with one, and the server echoes it into its links.
pub(crate) fn split_path(path: &str) -> Vec<String> {
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if path.ends_with('/') && !segments.is_empty() {
        segments.push(String::new());
    }
    segments
}

/// The operation name ConnectWise's own API description uses for `method` on `route`:
/// `GET /service/tickets/{parentId}/notes` is `getServiceTicketsByParentIdNotes`.
pub fn operation_name(method: &Method, route: &str) -> String {
    let mut name = String::with_capacity(route.len() + 8);
    name.extend(method.as_str().chars().map(|c| c.to_ascii_lowercase()));
    for segment in route.split('/').filter(|s| !s.is_empty()) {
        if let Some(parameter) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            name.push_str("By");
            push_capitalised(&mut name, parameter);
        } else {
            push_capitalised(&mut name, segment);
        }
    }
    name
}

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A route template for a concrete path: numeric segments become `{id}`, so traces carry no ids.
pub(crate) fn route_of(path: &str) -> String {
    let mut route = String::with_capacity(path.len() + 1);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        route.push('/');
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            route.push_str("{id}");
        } else {
            route.push_str(segment);
        }
    }
    route
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_follow_the_api_description() {
        let cases = [
            (Method::GET, "/service/tickets", "getServiceTickets"),
            (
                Method::GET,
                "/service/tickets/{id}",
                "getServiceTicketsById",
            ),
            (
                Method::GET,
                "/service/tickets/count",
                "getServiceTicketsCount",
            ),
            (
                Method::POST,
                "/service/tickets/search",
                "postServiceTicketsSearch",
            ),
            (
                Method::PATCH,
                "/service/tickets/{parentId}/notes/{id}",
                "patchServiceTicketsByParentIdNotesById",
            ),
            (
                Method::POST,
                "/system/members/{memberIdentifier}/tokens",
                "postSystemMembersByMemberIdentifierTokens",
            ),
        ];
        for (method, route, expected) in cases {
            assert_eq!(operation_name(&method, route), expected);
        }
    }

    #[test]
    fn route_templates_hide_ids() {
        assert_eq!(
            route_of("/service/tickets/5/notes/17"),
            "/service/tickets/{id}/notes/{id}"
        );
        assert_eq!(route_of("service/boards"), "/service/boards");
    }

    #[test]
    fn segments_are_encoded_one_by_one() {
        let base = Url::parse("https://h.example/v4_6_release/apis/3.0/").unwrap();
        let request = Request::with_segments(
            Method::POST,
            vec![
                "system".into(),
                "members".into(),
                "j doe?x=1/..".into(),
                "tokens".into(),
            ],
            Operation::non_idempotent("t", "/t"),
        );
        assert_eq!(
            request.url(&base).unwrap().as_str(),
            "https://h.example/v4_6_release/apis/3.0/system/members/j%20doe%3Fx=1%2F../tokens"
        );
    }
}
