//! The Manage server's request handler: authentication, routing, dispatch to listing and writes,
//! and what follows a write (the journal, the counters, the state file, callbacks).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use url::Url;

use super::callbacks::{Change, Deliveries, Target as CallbackTarget};
use super::conditions::lookup;
use super::listing::{ListParams, count, forward_only_page, page, project, select};
use super::reply::{Failure, Reply};
use super::routes::{self, Kind, Rest, collection_key};
use super::sample::API_MEMBER_IDENTIFIER;
use super::store::{Store, Write};
use super::tokens::Tokens;
use super::writes;
use super::{CLIENT_ID, CODEBASE, COMPANY, PRIVATE_KEY, PUBLIC_KEY};
use crate::counters::{Counters, Event};
use crate::seed::SeedOptions;
use crate::server::{Handler, Request, Response};
use crate::state::StateFile;

/// The name of the Manage section in the state file.
pub const STATE_SECTION: &str = "manage";

/// The Manage API.
#[derive(Debug)]
pub struct Api {
    pub(super) store: Arc<Mutex<Store>>,
    pub(super) counters: Arc<Counters>,
    pub(super) deliveries: Arc<Deliveries>,
    pub(super) tokens: Tokens,
    pub(super) state: Option<Arc<StateFile>>,
    pub(super) seed: SeedOptions,
    /// `127.0.0.1:port`, for requests that carry no `Host`.
    pub(super) authority: String,
}

/// Who a request acts as.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Caller {
    /// The member identifier writes are attributed to.
    member: String,
}

impl Api {
    pub(super) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: &Request) -> Result<Reply, Failure> {
        let url = effective_url(request, &self.authority);
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
        if is_key_path(&segments) {
            return self.signing_key(&url);
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
        let caller = self.authenticate(request)?;
        let method = request.method().as_str().to_ascii_uppercase();
        match rest {
            [system, info]
                if system.eq_ignore_ascii_case("system") && info.eq_ignore_ascii_case("info") =>
            {
                return match method.as_str() {
                    "GET" => Ok(system_info()),
                    other => Err(Failure::method_not_allowed(other)),
                };
            }
            [system, members, identifier, tokens]
                if system.eq_ignore_ascii_case("system")
                    && members.eq_ignore_ascii_case("members")
                    && tokens.eq_ignore_ascii_case("tokens") =>
            {
                return match method.as_str() {
                    "POST" => self.issue_token(identifier),
                    other => Err(Failure::method_not_allowed(other)),
                };
            }
            _ => {}
        }
        let target = routes::route(rest).ok_or_else(Failure::no_endpoint)?;
        let mut store = self.lock();
        if let (Some(parent), Some(parent_id)) = (target.kind.parent(), target.parent_id)
            && store
                .get(&collection_key(parent, None), parent_id)
                .is_none()
        {
            return Err(Failure::not_found(parent, parent_id));
        }
        let is_write = matches!(method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE")
            && target.rest != Rest::Search;
        let before = match (is_write, target.rest) {
            (true, Rest::Item(id)) => store.get(&target.key(), id).map(|r| r.into_owned()),
            _ => None,
        };
        store.set_acting_member(&caller.member);
        let outcome = dispatch(&mut store, request, &url, &method, &target);
        if is_write && let Ok(reply) = &outcome {
            store.log_write(Write {
                method: method.clone(),
                path: format!("/{}", rest.join("/")),
                status: reply.status,
                body: serde_json::from_slice(request.body()).ok(),
            });
            self.after_write(&mut store, &target, &method, reply, before, &caller);
        }
        outcome
    }

    /// Counts, saves and notifies a successful write.
    fn after_write(
        &self,
        store: &mut Store,
        target: &routes::Target,
        method: &str,
        reply: &Reply,
        before: Option<Value>,
        caller: &Caller,
    ) {
        let (event, action) = match method {
            "POST" => (Event::Created, "added"),
            "DELETE" => (Event::Deleted, "deleted"),
            _ => (Event::Updated, "updated"),
        };
        self.counters.record(event);
        if let Some(state) = &self.state {
            let saved = json!({"seed": self.seed, "store": store.saved()});
            if let Err(error) = state.save(STATE_SECTION, saved) {
                tracing::warn!(%error, "the sandbox state could not be saved");
            }
        }
        let Some(kind_type) = target.kind.callback_type() else {
            return;
        };
        let entity: Option<Value> = match method {
            "DELETE" => None,
            _ => reply
                .body
                .as_deref()
                .and_then(|body| serde_json::from_str(body).ok()),
        };
        let record = entity.as_ref().or(before.as_ref());
        let Some(id) = record
            .and_then(|record| record.get("id"))
            .and_then(Value::as_i64)
        else {
            return;
        };
        let targets = callback_targets(store, kind_type, record);
        if targets.is_empty() {
            return;
        }
        let change = Change {
            action,
            kind: kind_type,
            id,
            entity,
            member: caller.member.clone(),
        };
        self.deliveries.send(&change, &targets);
    }

    /// Checks `Authorization: Basic base64(company+public:private)` (the API member's keys or an
    /// impersonation token's) and the `clientId` header.
    fn authenticate(&self, request: &Request) -> Result<Caller, Failure> {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let credentials = header("authorization")
            .and_then(|value| {
                let (scheme, encoded) = value.split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("basic")
                    .then(|| encoded.trim().to_owned())
            })
            .and_then(|encoded| STANDARD.decode(encoded).ok())
            .and_then(|decoded| String::from_utf8(decoded).ok());
        let refused =
            || Failure::unauthorized("The API keys or the company id are not valid for this site.");
        let credentials = credentials.ok_or_else(refused)?;
        let (user, private) = credentials.split_once(':').ok_or_else(refused)?;
        let (company, public) = user.split_once('+').ok_or_else(refused)?;
        if !company.eq_ignore_ascii_case(COMPANY) {
            return Err(refused());
        }
        let member = if public == PUBLIC_KEY && private == PRIVATE_KEY {
            API_MEMBER_IDENTIFIER.to_owned()
        } else {
            self.tokens.member(public, private).ok_or_else(refused)?
        };
        if header("clientid").as_deref().map(str::trim) != Some(CLIENT_ID) {
            return Err(Failure::unauthorized(
                "A valid clientId header is required for all API calls.",
            ));
        }
        Ok(Caller { member })
    }

    fn issue_token(&self, identifier: &str) -> Result<Reply, Failure> {
        let store = self.lock();
        let exists = store
            .records(&collection_key(Kind::Members, None))
            .iter()
            .any(|member| {
                member
                    .get("identifier")
                    .and_then(Value::as_str)
                    .is_some_and(|found| found.eq_ignore_ascii_case(identifier))
            });
        if !exists {
            return Err(Failure::new(
                404,
                "NotFound",
                format!("Member {identifier} not found"),
            ));
        }
        Ok(Reply::ok(self.tokens.issue(identifier)))
    }

    /// `GET /{codebase}/system/callbackkey/index.rails?companyName=…&id=…` (no authentication,
    /// as the real one).
    fn signing_key(&self, url: &Url) -> Result<Reply, Failure> {
        let query: HashMap<String, String> = url
            .query_pairs()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.into_owned()))
            .collect();
        let known = query
            .get("companyname")
            .is_some_and(|company| company.eq_ignore_ascii_case(COMPANY))
            && query
                .get("id")
                .is_some_and(|id| self.deliveries.is_key_id(id));
        if !known {
            return Err(Failure::new(
                404,
                "NotFound",
                "The callback key was not found.",
            ));
        }
        Ok(Reply::ok(
            json!({"signing_key": self.deliveries.signing_key()}),
        ))
    }
}

impl Handler for Api {
    fn route(&self, request: &Request) -> String {
        let path = request.uri().path();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let pattern = match segments.as_slice() {
            [login, info, _]
                if login.eq_ignore_ascii_case("login")
                    && info.eq_ignore_ascii_case("companyinfo") =>
            {
                "login/companyinfo/{company}".to_owned()
            }
            segments if is_key_path(segments) => "system/callbackkey".to_owned(),
            [_, _, _, rest @ ..] => match routes::route(rest) {
                Some(target) => target.pattern(),
                None => match rest {
                    [_, _, _, tokens] if tokens.eq_ignore_ascii_case("tokens") => {
                        "system/members/{identifier}/tokens".to_owned()
                    }
                    [system, info]
                        if system.eq_ignore_ascii_case("system")
                            && info.eq_ignore_ascii_case("info") =>
                    {
                        "system/info".to_owned()
                    }
                    _ => "unknown".to_owned(),
                },
            },
            _ => "unknown".to_owned(),
        };
        format!("{} {pattern}", request.method())
    }

    fn faults_apply(&self, request: &Request) -> bool {
        // The signing key is the sandbox's helper for verifiers, not part of the API under test.
        let segments: Vec<&str> = request
            .uri()
            .path()
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        !is_key_path(&segments)
    }

    fn client_key(&self, request: &Request) -> Option<String> {
        request
            .headers()
            .get("clientid")
            .and_then(|value| value.to_str().ok())
            .map(|value| value.trim().to_owned())
    }

    async fn handle(&self, request: Request) -> Response {
        match self.answer(&request) {
            Ok(reply) => reply.into_response(),
            Err(failure) => failure.into_reply().into_response(),
        }
    }

    fn throttled(&self, wait: Duration, retry_after: &str) -> Response {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Failure::throttled(seconds.max(1))
            .into_reply()
            .header("Retry-After", retry_after.to_owned())
            .into_response()
    }

    fn server_error(&self, status: u16) -> Response {
        Failure::server_error(status).into_reply().into_response()
    }
}

fn is_key_path(segments: &[&str]) -> bool {
    matches!(segments, [_, system, key, index]
        if system.eq_ignore_ascii_case("system")
            && key.eq_ignore_ascii_case("callbackkey")
            && index.eq_ignore_ascii_case("index.rails"))
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
            let selected = select(store, kind, &key, &params)?;
            if is_forward_only(request) {
                forward_only_page(store, &key, url, &selected, &params)
            } else {
                Ok(page(store, &key, url, &selected, &params))
            }
        }
        ("GET", Rest::Count) => {
            let params = ListParams::from_url(url)?;
            Ok(count(store, &key, &select(store, kind, &key, &params)?))
        }
        ("POST", Rest::Search) => {
            let params = ListParams::from_url(url)?.with_search_body(&body(request)?)?;
            let selected = select(store, kind, &key, &params)?;
            Ok(page(store, &key, url, &selected, &params))
        }
        ("GET", Rest::Item(id)) => {
            let fields = url
                .query_pairs()
                .find(|(name, _)| name.eq_ignore_ascii_case("fields"))
                .map(|(_, value)| value.into_owned());
            let record = store
                .get(&key, id)
                .map(|record| record.into_owned())
                .ok_or_else(|| Failure::not_found(kind, id))?;
            Ok(Reply::ok(project(record, fields.as_deref())))
        }
        ("POST", Rest::Collection) => {
            writes::create(store, kind, target.parent_id, body(request)?).map(Reply::created)
        }
        ("PATCH", Rest::Item(id)) => writes::patch(store, kind, &key, id, body(request)?)
            .map(|record| Reply::ok(record).applied()),
        ("PUT", Rest::Item(id)) => writes::replace(store, kind, &key, id, body(request)?)
            .map(|record| Reply::ok(record).applied()),
        ("DELETE", Rest::Item(id)) => {
            writes::delete(store, kind, &key, id).map(|()| Reply::no_content().applied())
        }
        (other, _) => Err(Failure::method_not_allowed(other)),
    }
}

/// The callback entries that hear about a change to `record` of callback type `kind_type`:
/// active entries of that type at `owner` level, or at a level whose object is the record's
/// (`board` for tickets, `company` for the company's records).
fn callback_targets(store: &Store, kind_type: &str, record: Option<&Value>) -> Vec<CallbackTarget> {
    store
        .records(&collection_key(Kind::Callbacks, None))
        .into_iter()
        .filter(|entry| {
            let text = |name: &str| entry.get(name).and_then(Value::as_str).unwrap_or_default();
            if !text("type").eq_ignore_ascii_case(kind_type)
                || entry.get("inactiveFlag").and_then(Value::as_bool) == Some(true)
            {
                return false;
            }
            let level = text("level").to_ascii_lowercase();
            let object_id = entry.get("objectId").and_then(Value::as_i64);
            match level.as_str() {
                "owner" => true,
                "board" | "company" => {
                    record
                        .and_then(|record| lookup(record, &format!("{level}/id")))
                        .and_then(Value::as_i64)
                        == object_id
                }
                _ => false,
            }
        })
        .filter_map(|entry| {
            Some(CallbackTarget {
                entry_id: entry.get("id")?.as_i64()?,
                url: entry.get("url")?.as_str()?.to_owned(),
            })
        })
        .collect()
}

/// The URL as the client addressed it (links in responses must point back at the same origin).
fn effective_url(request: &Request, authority: &str) -> Url {
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or(authority);
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str());
    Url::parse(&format!("http://{host}{path}"))
        .or_else(|_| Url::parse(&format!("http://{authority}{path}")))
        .unwrap_or_else(|_| Url::parse("http://127.0.0.1/").unwrap_or_else(|_| unreachable!()))
}

fn body(request: &Request) -> Result<Value, Failure> {
    serde_json::from_slice(request.body())
        .map_err(|error| Failure::bad_request(format!("the body is not valid JSON: {error}")))
}

fn is_forward_only(request: &Request) -> bool {
    request
        .headers()
        .get("pagination-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("forward-only"))
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

/// `GET /system/info`.
fn system_info() -> Reply {
    Reply::ok(json!({
        "version": "v2025.1.99999",
        "isCloud": false,
        "serverTimeZone": "Eastern Standard Time",
        "licenseBits": [],
        "cloudRegion": "",
    }))
}
