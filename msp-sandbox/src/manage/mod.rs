//! The ConnectWise Manage API: `/login/companyinfo/{company}` and the REST API v3.0 under
//! `/v4_6_release/apis/3.0/`, served from the [seed](crate::seed) plus what clients changed.
//!
//! It behaves like the real API (protocol reference in the crate docs) for:
//!
//! - `GET /login/companyinfo/{company}` (codebase `v4_6_release/`; `null` for another company),
//!   `GET /system/info`;
//! - Basic authentication `company+public:private` and the `clientId` header on every API path
//!   (`401` otherwise), and member impersonation tokens from
//!   `POST /system/members/{identifier}/tokens`;
//! - `conditions`, `childConditions` and `customFieldConditions` read by the sandbox's own
//!   parser ([`conditions`]); `orderBy`; `fields`; `page`/`pageSize` (default 25, at most
//!   1,000) with `Link` headers carrying `next`, `last`, and `first`/`prev` past page one, in
//!   the real server's format (the request's parameters form-encoded, then `pageSize` and
//!   `page`); forward-only paging (`pagination-type: forward-only`, `pageId`); `/count`;
//!   `POST …/search`;
//! - `POST` answered `201` with the stored record, `PATCH` (a JSON Patch array; top-level
//!   fields replaced, reference objects whole, array elements by index, `customFields` merged
//!   by id; paths into a reference acknowledged and ignored, as the server is documented to
//!   do), `PUT`, and `DELETE` answered `204`;
//! - reference objects in bodies found by `id`, `identifier` or `name` and stored in the
//!   server's shape; validation errors as `400 InvalidObject` with field errors; unknown records
//!   as `404 NotFound`; unknown paths as `404 ConnectWiseApi`; unusable conditions as
//!   `400 ApiFindCondition`; a body that is not JSON as `400 BadRequest`;
//! - callbacks registered in `/system/callbacks`, delivered signed ([`callbacks`]).
//!
//! The collections served: `service/tickets` (and their `notes`), `service/boards` (and their
//! `statuses` and `types`), `service/priorities`, `company/companies`, `company/contacts`,
//! `company/configurations`, `company/configurations/types`, `system/members`,
//! `system/callbacks`, `time/entries`, `time/workTypes`.

mod api;
pub mod callbacks;
pub mod conditions;
mod generated;
mod listing;
mod references;
mod reply;
pub mod routes;
mod sample;
mod store;
mod tokens;
mod writes;

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use crate::counters::Counters;
use crate::faults::{FaultOptions, Faults};
use crate::seed::{Seed, SeedOptions};
use crate::server::{self, ServerHandle};
use crate::state::StateFile;

pub use generated::{FIRST_GENERATED_TICKET, GENERATED_NOTE_BASE};
pub use sample::{API_MEMBER_ID, API_MEMBER_IDENTIFIER};
pub use store::Write;

use api::{Api, STATE_SECTION};
use callbacks::Deliveries;
use generated::Generator;
use store::{SavedStore, Store};

/// The sandbox tenant's company id.
pub const COMPANY: &str = "sandbox";
/// The sandbox API member's public key.
pub const PUBLIC_KEY: &str = "sandbox-public-key";
/// The sandbox API member's private key (not a secret: the sandbox only listens on loopback).
pub const PRIVATE_KEY: &str = "sandbox-private-key";
/// The `clientId` the sandbox expects.
pub const CLIENT_ID: &str = "5a4db0c5-0000-4000-8000-00000000c11d";
/// The codebase the sandbox serves.
pub const CODEBASE: &str = "v4_6_release";

/// Options for [`ManageServer::start`].
#[derive(Clone, Debug, Default)]
pub struct ManageOptions {
    /// The data to serve.
    pub seed: SeedOptions,
    /// Faults to inject.
    pub faults: FaultOptions,
    /// The port (`0` for a free one).
    pub port: u16,
    /// Where changes are kept across restarts; `None` keeps them in memory only.
    pub state: Option<Arc<StateFile>>,
    /// How callbacks are retried.
    pub callbacks: CallbackOptions,
}

/// How callback deliveries are retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackOptions {
    /// The waits before each further attempt (the real server: 2 s, then 4 s).
    pub retry_waits: Vec<Duration>,
    /// How long a receiver has to answer (the real server: 5 s).
    pub timeout: Duration,
}

impl Default for CallbackOptions {
    /// The real server's schedule.
    fn default() -> Self {
        CallbackOptions {
            retry_waits: callbacks::RETRY_WAITS.to_vec(),
            timeout: callbacks::TIMEOUT,
        }
    }
}

/// The credentials the sandbox accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The company id (`CW_COMPANY`).
    pub company: &'static str,
    /// The public key (`CW_PUBLIC_KEY`).
    pub public_key: &'static str,
    /// The private key (`CW_PRIVATE_KEY`).
    pub private_key: &'static str,
    /// The `clientId` (`CW_CLIENT_ID`).
    pub client_id: &'static str,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The same rule as for real keys: never in Debug output.
        f.debug_struct("Credentials")
            .field("company", &self.company)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// The credentials of every Manage sandbox.
pub const CREDENTIALS: Credentials = Credentials {
    company: COMPANY,
    public_key: PUBLIC_KEY,
    private_key: PRIVATE_KEY,
    client_id: CLIENT_ID,
};

/// A running Manage server. It stops when dropped.
pub struct ManageServer {
    handle: ServerHandle,
    api: Arc<Api>,
}

impl fmt::Debug for ManageServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManageServer")
            .field("site", &self.site())
            .finish_non_exhaustive()
    }
}

impl ManageServer {
    /// Starts a server on `127.0.0.1`. With a state file that already holds Manage state, the
    /// seed saved there is used (the changes only make sense over it) and the changes are
    /// applied over it.
    ///
    /// # Errors
    /// When the port cannot be bound or the saved state cannot be read.
    pub async fn start(options: ManageOptions) -> io::Result<ManageServer> {
        let listener = server::bind(options.port).await?;
        let address = listener.local_addr()?;
        let origin = format!("http://{address}");
        let saved = options
            .state
            .as_ref()
            .and_then(|state| state.section(STATE_SECTION));
        let (seed_options, saved_store) = match saved {
            Some(saved) => {
                let seed: SeedOptions = serde_json::from_value(saved["seed"].clone())
                    .map_err(|error| invalid_state(&error))?;
                let store: SavedStore = serde_json::from_value(saved["store"].clone())
                    .map_err(|error| invalid_state(&error))?;
                (seed, Some(store))
            }
            None => (options.seed.clone(), None),
        };
        let seed = Seed::new(&seed_options);
        let mut store = Store::new(
            format!("{origin}/{CODEBASE}/apis/3.0/"),
            Generator::default(),
        );
        let unresolved = sample::populate(&mut store, &seed);
        debug_assert!(unresolved.is_empty(), "{unresolved:?}");
        if let Some(saved) = saved_store {
            store.restore(saved);
        }
        let counters = Arc::new(Counters::new());
        let api = Arc::new(Api {
            store: Arc::new(Mutex::new(store)),
            deliveries: Arc::new(Deliveries::new(
                counters.clone(),
                COMPANY,
                &origin,
                CODEBASE,
                seed_options.seed,
                options.callbacks,
            )),
            counters: counters.clone(),
            tokens: tokens::Tokens::default(),
            state: options.state,
            seed: seed_options,
            authority: address.to_string(),
        });
        let faults = Arc::new(Faults::new(options.faults));
        let handle = server::serve_on(listener, api.clone(), faults, counters)?;
        Ok(ManageServer { handle, api })
    }

    /// The site to give a client: `http://127.0.0.1:{port}`.
    pub fn site(&self) -> String {
        self.handle.origin()
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.handle.address().port()
    }

    /// The API base URL: `http://127.0.0.1:{port}/v4_6_release/apis/3.0/`.
    pub fn api_url(&self) -> String {
        format!("{}/{CODEBASE}/apis/3.0/", self.handle.origin())
    }

    /// The credentials the server accepts.
    pub fn credentials(&self) -> Credentials {
        CREDENTIALS
    }

    /// The seed options the data was generated from.
    pub fn seed(&self) -> &SeedOptions {
        &self.api.seed
    }

    /// What the server did so far.
    pub fn counters(&self) -> &Counters {
        &self.api.counters
    }

    /// The key callbacks are signed with (what the `key_url` they carry serves).
    pub fn signing_key(&self) -> &str {
        self.api.deliveries.signing_key()
    }

    /// Waits until every callback delivery started so far has succeeded or been given up.
    pub async fn callbacks_settled(&self) {
        self.api.deliveries.settled().await;
    }

    /// A copy of every record of a collection, by its API path (`/service/tickets`,
    /// `/service/tickets/1001/notes`); empty for a path the server does not serve. Generated
    /// records are rendered, so mind the size of a large seed.
    pub fn records(&self, path: &str) -> Vec<Value> {
        let Some(key) = key_of(path) else {
            return Vec::new();
        };
        self.api.lock().records(&key)
    }

    /// How many records a collection has, by its API path.
    pub fn len(&self, path: &str) -> usize {
        key_of(path).map_or(0, |key| self.api.lock().len(&key))
    }

    /// A copy of one record, by collection path and id.
    pub fn record(&self, path: &str, id: i64) -> Option<Value> {
        let key = key_of(path)?;
        self.api.lock().get(&key, id).map(Cow::into_owned)
    }

    /// The body a list of `path` with no filters would be answered with for `page` (from 1) of
    /// `page_size` records: what the server writes per page, for measuring its cost.
    pub fn page_json(&self, path: &str, page: usize, page_size: usize) -> Option<String> {
        let key = key_of(path)?;
        let store = self.api.lock();
        let start = page.saturating_sub(1).saturating_mul(page_size);
        let ids = store.ids_at(&key, start, page_size);
        Some(listing::render(&store, &key, &ids, None))
    }

    /// The writes accepted so far, oldest first.
    pub fn writes(&self) -> Vec<Write> {
        self.api.lock().journal().to_vec()
    }
}

fn invalid_state(error: &serde_json::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the Manage section of the state file cannot be read: {error}"),
    )
}

/// The storage key of a collection path such as `/service/tickets/1001/notes`.
fn key_of(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let target = routes::route(&segments)?;
    (target.rest == routes::Rest::Collection).then(|| target.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_keep_the_private_key_and_client_id_out_of_debug() {
        let shown = format!("{CREDENTIALS:?}");
        assert!(shown.contains(PUBLIC_KEY));
        assert!(!shown.contains(PRIVATE_KEY), "{shown}");
        assert!(!shown.contains(CLIENT_ID), "{shown}");
    }

    #[tokio::test]
    async fn a_server_is_reachable_until_dropped() {
        let server = ManageServer::start(ManageOptions::default()).await.unwrap();
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], server.port()));
        assert!(tokio::net::TcpStream::connect(address).await.is_ok());
        assert!(format!("{server:?}").contains(&server.site()));
        drop(server);
        // The listener is closed with the handle (the accept loop is aborted at once; the
        // port is free again once the runtime has run the abort).
        let mut rebound = false;
        for _ in 0..100 {
            tokio::task::yield_now().await;
            if tokio::net::TcpListener::bind(address).await.is_ok() {
                rebound = true;
                break;
            }
        }
        assert!(rebound, "the port is still taken");
    }
}
