//! Shared setup for the client tests: a wiremock server, a client whose sleeps and clock are
//! injected (nothing waits in real time), and a view of the received requests that is stable
//! across runs and never contains the test secret.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use msp_common::{ManualClock, RecordingSleep};
use screenconnect_api::{Client, ClientBuilder, Config, RetryPolicy, SecretString};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A fake secret; snapshots show `[redacted]` in its place.
pub const SECRET: &str = "fake-test-secret-4f1d9a";

/// The default extension id, as it appears in request paths.
pub const EXTENSION: &str = "2d558935-686a-4bd0-9991-07539f5fe749";

/// A session id used throughout.
pub const SESSION_ID: &str = "6f1c7a52-3b1e-4d0a-9c2f-0a7e5d9b1c11";

/// The path of web method `name` under the default extension.
pub fn method_path(name: &str) -> String {
    format!("/App_Extensions/{EXTENSION}/Service.ashx/{name}")
}

/// A server, and the injected sleeper and clock a client built by [`Harness::client`] uses.
pub struct Harness {
    pub server: MockServer,
    pub sleep: RecordingSleep,
    pub clock: ManualClock,
}

impl Harness {
    pub async fn start() -> Self {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000));
        Self {
            server: MockServer::start().await,
            sleep: RecordingSleep::advancing(clock.clone()),
            clock,
        }
    }

    /// The configuration pointing at the mock server.
    pub fn config(&self) -> Config {
        Config::new(&self.server.uri(), SecretString::from(SECRET)).expect("valid test config")
    }

    /// A builder with the injected sleeper and clock and a reproducible retry schedule.
    pub fn builder(&self, config: Config) -> ClientBuilder {
        Client::builder(config)
            .sleep(Arc::new(self.sleep.clone()))
            .clock(Arc::new(self.clock.clone()))
            .retry_policy(RetryPolicy::interactive())
            .jitter_seed(7)
    }

    /// The default client.
    pub fn client(&self) -> Client {
        self.builder(self.config()).build().expect("client builds")
    }

    /// Answers `name` with `status` and a JSON body.
    pub async fn answer_json(&self, name: &str, status: u16, body: Value) {
        Mock::given(method("POST"))
            .and(path(method_path(name)))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// Answers `name` with `status` and a raw body.
    pub async fn answer_raw(&self, name: &str, status: u16, body: &str, content_type: &str) {
        Mock::given(method("POST"))
            .and(path(method_path(name)))
            .respond_with(
                ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type),
            )
            .mount(&self.server)
            .await;
    }

    /// Answers `name` with 200 and an empty body, as void methods do.
    pub async fn answer_empty(&self, name: &str) {
        Mock::given(method("POST"))
            .and(path(method_path(name)))
            .respond_with(ResponseTemplate::new(200))
            .mount(&self.server)
            .await;
    }

    /// The requests received so far, as stable JSON: method, path, the headers the client sets
    /// (the secret replaced by `[redacted]` after checking it, the instance origin by
    /// `[instance]`), and the JSON body.
    pub async fn requests(&self) -> Vec<Value> {
        let instance = self.server.uri();
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|request| {
                let header = |name: &str| {
                    request
                        .headers
                        .get(name)
                        .map(|value| value.to_str().unwrap_or("<non-ascii>").to_owned())
                };
                let auth = header("ctrlauthheader");
                assert_eq!(
                    auth.as_deref(),
                    Some(SECRET),
                    "CTRLAuthHeader carries the raw secret"
                );
                let origin = header("origin").map(|value| {
                    if value == instance {
                        "[instance]".to_owned()
                    } else {
                        value
                    }
                });
                let body: Value = if request.body.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_slice(&request.body).expect("request bodies are JSON")
                };
                json!({
                    "method": request.method.as_str(),
                    "path": request.url.path(),
                    "query": request.url.query(),
                    "headers": {
                        "CTRLAuthHeader": auth.map(|_| "[redacted]"),
                        "Origin": origin,
                        "Content-Type": header("content-type"),
                        "Accept": header("accept"),
                        "Authorization": header("authorization"),
                    },
                    "body": body,
                })
            })
            .collect()
    }

    /// How many requests reached `name`.
    pub async fn count(&self, name: &str) -> usize {
        let wanted = method_path(name);
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|request| request.url.path() == wanted)
            .count()
    }
}

/// A session as the server sends it; `online` adds a guest connection to `ActiveConnections`.
pub fn session_json(online: bool) -> Value {
    let connections = if online {
        json!([{"ConnectionID": "0b8f3f64-1f0e-4bde-8d4c-2f3b6c1a9e01", "ProcessType": 2, "ParticipantName": ""}])
    } else {
        json!([])
    };
    json!({
        "SessionID": SESSION_ID,
        "Name": "ACME-LT-042",
        "SessionType": 2,
        "Host": "",
        "IsPublic": false,
        "Code": "",
        "CustomPropertyValues": ["Acme Ltd", "HQ", "", "", "", "", "Tag7", ""],
        "GuestInfo": {"MachineName": "ACME-LT-042", "OperatingSystemName": "Microsoft Windows 11 Pro"},
        "ActiveConnections": connections,
        "LastConnectedEventTime": "2026-07-19T06:41:50.0000000Z",
        "LastEventTime": "0001-01-01T00:00:00"
    })
}

/// Session details with `events`.
pub fn details_json(online: bool, events: Value) -> Value {
    json!({
        "Session": session_json(online),
        "Events": events,
        "Connections": []
    })
}
