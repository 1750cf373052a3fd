//! Shared set-up of the accessor tests: a client pointed at a wiremock server through a transport
//! that records the operation each request declares (its traced name and idempotency).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use connectwise_manage::Client;
use connectwise_manage::msp_common::{
    Idempotency, Operation, ReqwestConfig, ReqwestTransport, RetryPolicy, Transport,
    TransportError, bytes::Bytes,
};
use wiremock::MockServer;

/// The API base below the mock server.
pub const BASE: &str = "/v4_6_release/apis/3.0";

/// What one request declared and where it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// The HTTP method.
    pub method: String,
    /// The operation name (the spec's operationId).
    pub name: String,
    /// The route template.
    pub route: String,
    /// The declared idempotency.
    pub idempotency: Idempotency,
    /// The path and query the request went to, below the mock server.
    pub target: String,
}

/// Sends through reqwest and records every request's operation.
#[derive(Debug)]
pub struct Recorder {
    inner: ReqwestTransport,
    sent: Mutex<Vec<Sent>>,
}

impl Recorder {
    /// Everything sent so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The one request sent so far.
    pub fn only(&self) -> Sent {
        let sent = self.sent();
        assert_eq!(sent.len(), 1, "expected one request, got {sent:#?}");
        sent[0].clone()
    }
}

#[async_trait::async_trait]
impl Transport for Recorder {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let operation = Operation::of(&request);
        let uri = request.uri();
        let target = match uri.query() {
            Some(query) => format!("{}?{query}", uri.path()),
            None => uri.path().to_owned(),
        };
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Sent {
                method: request.method().to_string(),
                name: operation.name().to_owned(),
                route: operation.route().to_owned(),
                idempotency: operation.idempotency(),
                target,
            });
        self.inner.send(request).await
    }
}

/// A mock server and a client whose requests are recorded.
pub async fn setup() -> (MockServer, Client, Arc<Recorder>) {
    let server = MockServer::start().await;
    let recorder = Arc::new(Recorder {
        inner: ReqwestTransport::new(&ReqwestConfig::default()).expect("reqwest transport"),
        sent: Mutex::new(Vec::new()),
    });
    let client = Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .retry_policy(RetryPolicy::none())
        .without_codebase_discovery()
        .transport(recorder.clone())
        .build()
        .expect("valid configuration");
    (server, client, recorder)
}

/// Asserts the one request declared `name`, `route` and `idempotency`.
pub fn assert_operation(recorder: &Recorder, name: &str, route: &str, idempotency: Idempotency) {
    let sent = recorder.only();
    assert_eq!(sent.name, name, "{sent:?}");
    assert_eq!(sent.route, route, "{sent:?}");
    assert_eq!(sent.idempotency, idempotency, "{sent:?}");
}
