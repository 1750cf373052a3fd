//! The ConnectWise Manage API: `/login/companyinfo/{company}` and the REST API v3.0 under
//! `/{codebase}/apis/3.0/`, served from the [seed](crate::seed) plus what clients changed.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::json;

use crate::counters::Counters;
use crate::faults::{FaultOptions, Faults};
use crate::seed::SeedOptions;
use crate::server::{self, Handler, Request, Response, ServerHandle};
use crate::state::StateFile;

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
#[derive(Debug)]
pub struct ManageServer {
    handle: ServerHandle,
    counters: Arc<Counters>,
}

impl ManageServer {
    /// Starts a server on `127.0.0.1`.
    ///
    /// # Errors
    /// When the port cannot be bound or the saved state cannot be read.
    pub async fn start(options: ManageOptions) -> io::Result<ManageServer> {
        let counters = Arc::new(Counters::new());
        let handler = Arc::new(Api {});
        let faults = Arc::new(Faults::new(options.faults));
        let handle = server::serve(options.port, handler, faults, counters.clone()).await?;
        Ok(ManageServer { handle, counters })
    }

    /// The site to give a client: `http://127.0.0.1:{port}`.
    pub fn site(&self) -> String {
        self.handle.origin()
    }

    /// The API base URL: `http://127.0.0.1:{port}/v4_6_release/apis/3.0/`.
    pub fn api_url(&self) -> String {
        format!("{}/{CODEBASE}/apis/3.0/", self.handle.origin())
    }

    /// The credentials the server accepts.
    pub fn credentials(&self) -> Credentials {
        CREDENTIALS
    }

    /// What the server did so far.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }
}

struct Api {}

impl Handler for Api {
    fn route(&self, request: &Request) -> String {
        format!("{} {}", request.method(), request.uri().path())
    }

    fn client_key(&self, request: &Request) -> Option<String> {
        request
            .headers()
            .get("clientid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }

    async fn handle(&self, _request: Request) -> Response {
        error(
            404,
            json!({"code": "ConnectWiseApi", "message": "The endpoint does not exist."}),
        )
    }

    fn throttled(&self, wait: Duration, retry_after: &str) -> Response {
        let mut response = error(
            429,
            json!({
                "error": "ConnectWiseAPI",
                "message": format!("Too many requests. Please try again in {} seconds.", wait.as_secs().max(1)),
            }),
        );
        if let Ok(value) = http::HeaderValue::from_str(retry_after) {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, value);
        }
        response
    }

    fn server_error(&self, status: u16) -> Response {
        error(
            status,
            json!({"code": "ConnectWiseApi", "message": "An error has occurred."}),
        )
    }
}

fn error(status: u16, body: serde_json::Value) -> Response {
    let mut response = Response::new(Bytes::from(body.to_string()));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}
