//! The sandbox's request handler: authentication, routing, and dispatch to listing and writes.

use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use url::Url;
use wiremock::{Request, Respond, ResponseTemplate};

use super::listing::{ListParams, count, forward_only_page, page, project, select};
use super::reply::{Failure, Reply};
use super::routes::{self, Rest, collection_key};
use super::store::{Store, Write};
use super::writes;
use super::{CLIENT_ID, CODEBASE, COMPANY, PRIVATE_KEY, PUBLIC_KEY};

/// Answers every request from the shared store.
pub struct Responder {
    store: Arc<Mutex<Store>>,
}

impl Responder {
    /// A responder over `store`.
    pub fn new(store: Arc<Mutex<Store>>) -> Self {
        Self { store }
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        match handle(&mut store, request) {
            Ok(reply) => reply.into_template(),
            Err(failure) => failure.into_template(),
        }
    }
}

fn handle(store: &mut Store, request: &Request) -> Result<Reply, Failure> {
    let url = effective_url(request);
    let segments: Vec<&str> = url
        .path()
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    if let [login, info, company] = segments.as_slice()
        && login.eq_ignore_ascii_case("login")
        && info.eq_ignore_ascii_case("companyinfo")
    {
        return Ok(company_info(company, &url));
    }
    let [codebase, apis, version, rest @ ..] = segments.as_slice() else {
        return Err(Failure::no_endpoint());
    };
    if !codebase.eq_ignore_ascii_case(CODEBASE)
        || !apis.eq_ignore_ascii_case("apis")
        || *version != "3.0"
    {
        return Err(Failure::no_endpoint());
    }
    authenticate(request)?;
    let target = routes::route(rest).ok_or_else(Failure::no_endpoint)?;
    if let (Some(parent), Some(parent_id)) = (target.kind.parent(), target.parent_id)
        && store
            .find(&collection_key(parent, None), parent_id)
            .is_none()
    {
        return Err(Failure::not_found(parent, parent_id));
    }
    let method = request.method.as_str().to_ascii_uppercase();
    let reply = dispatch(store, request, &url, &method, &target)?;
    let is_write = matches!(method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE")
        && target.rest != Rest::Search;
    if is_write {
        store.log_write(Write {
            method: method.clone(),
            path: format!("/{}", rest.join("/")),
            status: reply.status,
            body: serde_json::from_slice(&request.body).ok(),
        });
    }
    Ok(reply)
}

fn dispatch(
    store: &mut Store,
    request: &Request,
    url: &Url,
    method: &str,
    target: &routes::Target,
) -> Result<Reply, Failure> {
    let kind = target.kind;
    let key = target.key();
    match (method, target.rest) {
        ("GET", Rest::Collection) => {
            let params = ListParams::from_url(url)?;
            let selected = select(kind, store.records(&key), &params)?;
            if is_forward_only(request) {
                forward_only_page(url, selected, &params)
            } else {
                page(url, selected, &params)
            }
        }
        ("GET", Rest::Count) => {
            let params = ListParams::from_url(url)?;
            Ok(count(&select(kind, store.records(&key), &params)?))
        }
        ("POST", Rest::Search) => {
            let params = ListParams::from_url(url)?.with_search_body(&body(request)?)?;
            let selected = select(kind, store.records(&key), &params)?;
            page(url, selected, &params)
        }
        ("GET", Rest::Item(id)) => {
            let fields = url
                .query_pairs()
                .find(|(name, _)| name.eq_ignore_ascii_case("fields"))
                .map(|(_, value)| value.into_owned());
            let record = store
                .find(&key, id)
                .cloned()
                .ok_or_else(|| Failure::not_found(kind, id))?;
            Ok(Reply::ok(project(record, fields.as_deref())))
        }
        ("POST", Rest::Collection) => {
            writes::create(store, kind, target.parent_id, body(request)?).map(Reply::created)
        }
        ("PATCH", Rest::Item(id)) => {
            writes::patch(store, kind, &key, id, body(request)?).map(Reply::ok)
        }
        ("PUT", Rest::Item(id)) => {
            writes::replace(store, kind, &key, id, body(request)?).map(Reply::ok)
        }
        ("DELETE", Rest::Item(id)) => {
            writes::delete(store, kind, &key, id).map(|()| Reply::no_content())
        }
        (other, _) => Err(Failure::method_not_allowed(other)),
    }
}

/// The URL as the client addressed it: wiremock only sees the path, so the host and port come
/// from the `Host` header (links in responses must point back at the same origin).
fn effective_url(request: &Request) -> Url {
    let mut url = request.url.clone();
    let host = request
        .headers
        .get("host")
        .and_then(|value| value.to_str().ok())
        .and_then(|host| Url::parse(&format!("http://{host}")).ok());
    if let Some(host) = host {
        // Both calls only fail for URLs that cannot have a host, which an http URL always can.
        let _ = url.set_host(host.host_str());
        let _ = url.set_port(host.port());
    }
    url
}

fn body(request: &Request) -> Result<Value, Failure> {
    serde_json::from_slice(&request.body)
        .map_err(|error| Failure::bad_request(format!("the body is not valid JSON: {error}")))
}

fn is_forward_only(request: &Request) -> bool {
    request
        .headers
        .get("pagination-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("forward-only"))
}

/// Checks `Authorization: Basic base64(company+public:private)` and the `clientId` header.
fn authenticate(request: &Request) -> Result<(), Failure> {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{COMPANY}+{PUBLIC_KEY}:{PRIVATE_KEY}"))
    );
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    if header("authorization").as_deref() != Some(expected.as_str()) {
        return Err(Failure::unauthorized(
            "The API keys or the company id are not valid for this site.",
        ));
    }
    if header("clientid").as_deref().map(str::trim) != Some(CLIENT_ID) {
        return Err(Failure::unauthorized(
            "A valid clientId header is required for all API calls.",
        ));
    }
    Ok(())
}

/// `/login/companyinfo/{company}`: the tenant's codebase, or `null` for an unknown company.
fn company_info(company: &str, url: &Url) -> Reply {
    if !company.eq_ignore_ascii_case(COMPANY) {
        return Reply::ok(Value::Null);
    }
    Reply::ok(json!({
        "CompanyName": "BrightPath IT Services (sandbox)",
        "Codebase": format!("{CODEBASE}/"),
        "VersionCode": "v2025.1",
        "VersionNumber": "v4.6.99999",
        "CompanyID": COMPANY,
        "IsCloud": "False",
        "SiteUrl": url.host_str().unwrap_or_default(),
    }))
}
