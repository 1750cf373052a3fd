//! Callback delivery: when a ticket, contact, company or configuration is added, updated or
//! deleted, every active entry of `/system/callbacks` that covers the record gets a POST.
//!
//! - The payload has the real shape (protocol reference §7.2): `Action`, `CallbackObjectRecId`,
//!   `CompanyId`, `Entity` (the record as a JSON *string*, `null` on delete), `FromUrl`, `ID`,
//!   `MemberId`, `MessageId`, `Metadata.key_url`, `PartnerId`, `ProductInstanceId`, `Type`,
//!   sent as compact JSON.
//! - It is signed as the real server signs (§7.3): `x-content-signature` is
//!   `base64(HMAC-SHA256(SHA256(signing_key), body))`, and `Metadata.key_url` points at
//!   `/{codebase}/system/callbackkey/index.rails`, which this server answers with
//!   `{"signing_key": …}`.
//! - The record id is appended to the entry's URL as a raw string, as the real server does
//!   (register `…?recordId=`).
//! - Delivery is asynchronous. A receiver answering 404, 409, 419 or 429, failing to answer or
//!   taking longer than 5 seconds is tried again after 2 seconds and then after 4 more (§7.1);
//!   any 2xx is a success; anything else is final. Waits run on tokio's clock, so tests with
//!   paused time do not wait.
//! - Only loopback receivers (`127.0.0.0/8`, `localhost`, `::1`) are called: the sandbox never
//!   sends traffic off the machine. Entries pointing elsewhere are skipped.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use url::{Host, Url};

use crate::counters::{Counters, Event};
use crate::seed::mix;

/// The waits before the second and third attempts.
pub const RETRY_WAITS: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(4)];
/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What a change notifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `added`, `updated` or `deleted`.
    pub action: &'static str,
    /// The callback type (`ticket`, `contact`, `company`, `configuration`).
    pub kind: &'static str,
    /// The record id.
    pub id: i64,
    /// The record after the change (`None` on delete).
    pub entity: Option<Value>,
    /// The identifier of the member who made the change.
    pub member: String,
}

/// A callback entry a change goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The entry's id (`CallbackObjectRecId`).
    pub entry_id: i64,
    /// The entry's URL.
    pub url: String,
}

/// Delivers callbacks of one server.
#[derive(Debug)]
pub struct Deliveries {
    counters: Arc<Counters>,
    company: String,
    /// `127.0.0.1:port`, the `FromUrl`.
    host: String,
    key_url: String,
    signing_key: String,
    seed: u64,
    messages: AtomicU64,
    retry_waits: Vec<Duration>,
    timeout: Duration,
    in_flight: AtomicUsize,
    settled: Notify,
}

impl Deliveries {
    /// Deliveries for the server at `origin` (`http://127.0.0.1:port`) serving `codebase`.
    pub fn new(
        counters: Arc<Counters>,
        company: &str,
        origin: &str,
        codebase: &str,
        seed: u64,
        options: super::CallbackOptions,
    ) -> Self {
        let key_id = guid(seed, 0x006b_6579);
        let signing_key = format!("sandbox-signing-key-{:016x}", mix(seed ^ 0x7369_676e));
        Deliveries {
            counters,
            company: company.to_owned(),
            host: origin.trim_start_matches("http://").to_owned(),
            key_url: format!(
                "{origin}/{codebase}/system/callbackkey/index.rails?companyName={company}&id={key_id}"
            ),
            signing_key,
            seed,
            messages: AtomicU64::new(1),
            retry_waits: options.retry_waits,
            timeout: options.timeout,
            in_flight: AtomicUsize::new(0),
            settled: Notify::new(),
        }
    }

    /// The key URL callbacks carry.
    pub fn key_url(&self) -> &str {
        &self.key_url
    }

    /// The signing key the key URL serves.
    pub fn signing_key(&self) -> &str {
        &self.signing_key
    }

    /// Whether `id` is the key id of the key URL.
    pub fn is_key_id(&self, id: &str) -> bool {
        self.key_url.ends_with(&format!("&id={id}"))
    }

    /// The payload of `change` for `target`, as the bytes sent.
    pub fn payload(&self, change: &Change, target: &Target) -> Vec<u8> {
        let message = self.messages.fetch_add(1, Ordering::Relaxed);
        let body = json!({
            "Action": change.action,
            "CallbackObjectRecId": target.entry_id,
            "CompanyId": self.company,
            "Entity": change.entity.as_ref().map(Value::to_string),
            "FromUrl": self.host,
            "ID": change.id,
            "MemberId": change.member,
            "MessageId": guid(self.seed, message),
            "Metadata": {"key_url": self.key_url},
            "PartnerId": format!("{:024x}", u128::from(mix(self.seed ^ 0x7061_7274)) << 32),
            "ProductInstanceId": format!("{:024x}", u128::from(mix(self.seed ^ 0x696e_7374)) << 32),
            "Type": change.kind,
        });
        // Compact, keys in the order serde_json keeps them (sorted, as the captured payloads are).
        body.to_string().into_bytes()
    }

    /// Sends `change` to every target, in the background.
    pub fn send(self: &Arc<Self>, change: &Change, targets: &[Target]) {
        for target in targets {
            let Some(url) = receiver_url(&target.url, change.id) else {
                tracing::debug!(
                    entry = target.entry_id,
                    "callback receiver is not on loopback; skipped"
                );
                continue;
            };
            let body = Bytes::from(self.payload(change, target));
            let signature = sign(&self.signing_key, &body);
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            let deliveries = self.clone();
            tokio::spawn(async move {
                deliveries.deliver(url, body, signature).await;
                if deliveries.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
                    deliveries.settled.notify_waiters();
                }
            });
        }
    }

    async fn deliver(&self, url: Url, body: Bytes, signature: String) {
        for attempt in 0..=self.retry_waits.len() {
            let outcome =
                tokio::time::timeout(self.timeout, post(&url, body.clone(), &signature)).await;
            let retry = match outcome {
                Ok(Ok(status)) if (200..300).contains(&status) => {
                    self.counters.record(Event::CallbackDelivered);
                    return;
                }
                Ok(Ok(status)) => matches!(status, 404 | 409 | 419 | 429),
                // No answer, or none in time.
                Ok(Err(_)) | Err(_) => true,
            };
            self.counters.record(Event::CallbackFailed);
            match self.retry_waits.get(attempt) {
                Some(wait) if retry => tokio::time::sleep(*wait).await,
                _ => break,
            }
        }
        self.counters.record(Event::CallbackAbandoned);
    }

    /// Waits until every delivery started so far has succeeded or been given up.
    pub async fn settled(&self) {
        loop {
            let notified = self.settled.notified();
            if self.in_flight.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// The entry's URL with the record id appended, if it is an http URL on loopback.
fn receiver_url(url: &str, id: i64) -> Option<Url> {
    let url = Url::parse(&format!("{url}{id}")).ok()?;
    let loopback = match url.host()? {
        Host::Domain(domain) => domain.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(address) => address.is_loopback(),
        Host::Ipv6(address) => address.is_loopback(),
    };
    (url.scheme() == "http" && loopback).then_some(url)
}

/// `base64(HMAC-SHA256(SHA256(signing_key), body))`.
pub fn sign(signing_key: &str, body: &[u8]) -> String {
    let key = Sha256::digest(signing_key.as_bytes());
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A GUID-shaped id from the seed and a number.
fn guid(seed: u64, n: u64) -> String {
    let a = mix(seed ^ n.wrapping_mul(0x9e37_79b9));
    let b = mix(a ^ n);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// POSTs `body` to `url` over a fresh HTTP/1.1 connection; the answer's status.
async fn post(
    url: &Url,
    body: Bytes,
    signature: &str,
) -> Result<u16, Box<dyn std::error::Error + Send + Sync>> {
    let host = url.host_str().ok_or("no host")?;
    let port = url.port_or_known_default().ok_or("no port")?;
    let stream = tokio::net::TcpStream::connect((host.trim_matches(['[', ']']), port)).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let request = http::Request::post(path)
        .header(http::header::HOST, format!("{host}:{port}"))
        .header(http::header::CONTENT_TYPE, "application/json")
        .header("x-content-signature", signature)
        .body(Full::new(body))?;
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    // Read the answer so the receiver is not cut off mid-response.
    let _ = response.into_body().collect().await;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_follows_the_documented_recipe() {
        // key = SHA256("test-signing-key"); sig = base64(HMAC-SHA256(key, body)).
        let body = br#"{"Action":"added","ID":1}"#;
        let key = Sha256::digest(b"test-signing-key");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(body);
        let expected = STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(sign("test-signing-key", body), expected);
        assert_ne!(sign("other-key", body), expected);
    }

    #[test]
    fn only_loopback_receivers_are_called() {
        assert_eq!(
            receiver_url("http://127.0.0.1:9/hook?recordId=", 7)
                .map(String::from)
                .as_deref(),
            Some("http://127.0.0.1:9/hook?recordId=7")
        );
        assert!(receiver_url("http://localhost:9/hook?id=", 7).is_some());
        assert!(receiver_url("https://crm-sync.example.net/hooks/cw?recordId=", 7).is_none());
        assert!(receiver_url("http://10.0.0.1/hook?id=", 7).is_none());
    }

    #[test]
    fn payload_has_the_real_shape() {
        let deliveries = Deliveries::new(
            Arc::new(Counters::new()),
            "sandbox",
            "http://127.0.0.1:4000",
            "v4_6_release",
            1,
            crate::manage::CallbackOptions::default(),
        );
        let change = Change {
            action: "deleted",
            kind: "ticket",
            id: 1001,
            entity: None,
            member: "automation".to_owned(),
        };
        let bytes = deliveries.payload(
            &change,
            &Target {
                entry_id: 71,
                url: String::new(),
            },
        );
        let payload: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(payload["Entity"], Value::Null);
        assert_eq!(payload["ID"], 1001);
        assert_eq!(payload["CallbackObjectRecId"], 71);
        assert_eq!(payload["FromUrl"], "127.0.0.1:4000");
        assert!(payload["Metadata"]["key_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:4000/v4_6_release/system/callbackkey/index.rails?companyName=sandbox&id="));
        assert_eq!(payload["MessageId"].as_str().unwrap().len(), 36);
        assert_eq!(payload["PartnerId"].as_str().unwrap().len(), 24);
        let added = Change {
            action: "added",
            entity: Some(json!({"id": 1001, "summary": "x"})),
            ..change
        };
        let bytes = deliveries.payload(
            &added,
            &Target {
                entry_id: 71,
                url: String::new(),
            },
        );
        let payload: Value = serde_json::from_slice(&bytes).unwrap();
        let entity: Value = serde_json::from_str(payload["Entity"].as_str().unwrap()).unwrap();
        assert_eq!(entity["summary"], "x");
    }
}
