//! An in-process fake ConnectWise Manage server for the recipes, their tests and demos.
//!
//! [`ManageSandbox::start`] binds `127.0.0.1` on a free port and serves a sample tenant (see
//! [`ManageSandbox`] for what is in it). It behaves like the real API for everything the recipes
//! use:
//!
//! - `GET /login/companyinfo/{company}` (codebase `v4_6_release/`; `null` for another company);
//! - paths under `/v4_6_release/apis/3.0/`, with Basic authentication and the `clientId` header
//!   checked (401 otherwise);
//! - `conditions`, `childConditions` and `customFieldConditions` evaluated with the SDK's own
//!   parser (see [`conditions`]); `orderBy`; `fields`; `page`/`pageSize` (default 25, at most
//!   1,000) with `Link` headers carrying `next`, `last`, and `first`/`prev` past page one;
//!   forward-only paging; `/count`; `POST …/search`;
//! - `POST` answered `201` with the stored record, `PATCH` replacing top-level fields (reference
//!   objects whole; paths into a reference are acknowledged and ignored, as the server is
//!   documented to do), `PUT`, and `DELETE` answered `204`;
//! - reference objects in bodies found by `id`, `identifier` or `name` and stored in the server's
//!   shape; validation errors as `400 InvalidObject` with field errors; unknown records as
//!   `404 NotFound`; unknown paths as `404 ConnectWiseApi`; unusable conditions as
//!   `400 ApiFindCondition`.
//!
//! The sample data lives in `seed.rs`.

pub mod conditions;
mod listing;
mod references;
mod reply;
mod responder;
pub mod routes;
mod seed;
mod store;
mod writes;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use connectwise_manage::{Client, ClientBuilder, Error, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

pub use seed::{API_MEMBER_ID, API_MEMBER_IDENTIFIER};
pub use store::Write;

use responder::Responder;
use store::Store;

/// The sandbox tenant's company id.
pub const COMPANY: &str = "sandbox";
/// The sandbox API member's public key.
pub const PUBLIC_KEY: &str = "sandbox-public-key";
/// The sandbox API member's private key (not a secret: the sandbox only runs on loopback).
pub const PRIVATE_KEY: &str = "sandbox-private-key";
/// The `clientId` the sandbox expects.
pub const CLIENT_ID: &str = "5a4db0c5-0000-4000-8000-00000000c11d";
/// The codebase the sandbox serves.
pub const CODEBASE: &str = "v4_6_release";

/// A running fake Manage server with the sample tenant:
///
/// - companies `ACME` (Acme Corporation, id 250), `NORTHWIND` (251), `CONTOSO` (252) and the MSP
///   itself, `BRIGHTPATH`, with five contacts;
/// - members `amorgan`, `bnguyen` and the API member `automation` (id 200);
/// - boards "Help Desk" (id 1; statuses New, In Progress, Waiting on Client, Scheduled, Closed;
///   types Password Reset, Printer, Network, New User, Email, Hardware, Security, Software) and
///   "Network Operations" (id 2);
/// - priorities "Priority 1 - Emergency Response" to "Priority 4 - Schedule Maintenance" and
///   "Do Not Respond"; work types Remote Support, Onsite Support, Automation; configuration types
///   Workstation, Server, Laptop, Network Device with five configurations;
/// - tickets 1001 to 1014, most of them "New" on the Help Desk, each with the contact's
///   description as its first note; one time entry; one contact callback.
///
/// The server stops when the value is dropped.
pub struct ManageSandbox {
    server: MockServer,
    store: Arc<Mutex<Store>>,
}

impl fmt::Debug for ManageSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManageSandbox")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl ManageSandbox {
    /// Starts a sandbox with the sample tenant on `127.0.0.1` and a free port.
    pub async fn start() -> ManageSandbox {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let mut store = Store::new(format!("{}/{CODEBASE}/apis/3.0/", server.uri()));
        // The sample data is checked by a unit test; nothing can be unresolved here.
        let _unresolved = seed::populate(&mut store);
        let store = Arc::new(Mutex::new(store));
        Mock::given(any())
            .respond_with(Responder::new(store.clone()))
            .mount(&server)
            .await;
        ManageSandbox { server, store }
    }

    /// The server's origin, e.g. `http://127.0.0.1:41235`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder pointed at the sandbox with its credentials, and without retries (the
    /// sandbox never answers with anything worth retrying).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .site(self.uri())
            .company(COMPANY)
            .public_key(PUBLIC_KEY)
            .private_key(PRIVATE_KEY)
            .client_id(CLIENT_ID)
            .retry_policy(RetryPolicy::none())
    }

    /// A client for the sandbox.
    ///
    /// # Errors
    /// Only if the client cannot be built (it always can for the sandbox's settings).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// A copy of every record of a collection, by its API path (`/service/tickets`,
    /// `/service/tickets/1001/notes`); empty for a path the sandbox does not serve.
    pub fn records(&self, path: &str) -> Vec<Value> {
        let Some(key) = key_of(path) else {
            return Vec::new();
        };
        self.lock().records(&key).to_vec()
    }

    /// A copy of one record, by collection path and id.
    pub fn record(&self, path: &str, id: i64) -> Option<Value> {
        let key = key_of(path)?;
        self.lock().find(&key, id).cloned()
    }

    /// The writes accepted so far, oldest first.
    pub fn writes(&self) -> Vec<Write> {
        self.lock().journal().to_vec()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The storage key of a collection path such as `/service/tickets/1001/notes`.
fn key_of(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let target = routes::route(&segments)?;
    (target.rest == routes::Rest::Collection).then(|| target.key())
}
