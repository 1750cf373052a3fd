//! `CallbackVerifier` end to end with a fake signing key source that counts fetches.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use connectwise_manage::callbacks::{
    CallbackError, CallbackVerifier, DEFAULT_KEY_CACHE_CAPACITY, KeyUrlPolicy, SIGNATURE_HEADER,
    SigningKeySource, compute_signature,
};
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use url::Url;

const TICKET_UPDATED: &[u8] = include_bytes!("fixtures/callback_ticket_updated.json");

/// Serves one current key (which tests can rotate) and records each fetch.
struct FakeKeySource {
    key: Mutex<String>,
    fail: bool,
    fetches: AtomicUsize,
    urls: Mutex<Vec<String>>,
}

impl FakeKeySource {
    fn new(key: &str) -> Arc<Self> {
        Arc::new(Self {
            key: Mutex::new(key.to_owned()),
            fail: false,
            fetches: AtomicUsize::new(0),
            urls: Mutex::new(Vec::new()),
        })
    }

    fn failing() -> Arc<Self> {
        Arc::new(Self {
            fail: true,
            ..Arc::into_inner(Self::new("unused")).expect("sole owner")
        })
    }

    fn rotate(&self, key: &str) {
        *self.key.lock().expect("lock") = key.to_owned();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

// Like a real source, Debug shows neither the key nor the URLs fetched.
impl std::fmt::Debug for FakeKeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeKeySource")
            .field("fetches", &self.fetches())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SigningKeySource for FakeKeySource {
    async fn fetch(&self, key_url: &Url) -> Result<SecretString, CallbackError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        self.urls.lock().expect("lock").push(key_url.to_string());
        if self.fail {
            return Err(CallbackError::key_fetch(
                key_url,
                std::io::Error::other("connection reset"),
            ));
        }
        Ok(SecretString::from(self.key.lock().expect("lock").clone()))
    }
}

const SITE: &str = "api-na.myconnectwise.net";
const KEY_URL: &str = "https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=northwind&id=0b6c2d44";

fn payload_body(company: &str, key_url: &str) -> Vec<u8> {
    json!({
        "Action": "updated", "ID": 1234, "Type": "ticket", "CompanyId": company,
        "MemberId": "jdoe", "FromUrl": "na.myconnectwise.net",
        "Entity": "{\"id\":1234,\"summary\":\"Printer offline\"}",
        "Metadata": {"key_url": key_url}
    })
    .to_string()
    .into_bytes()
}

fn signed(key: &str, body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let signature = compute_signature(&SecretString::from(key), body);
    headers.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_str(&signature).expect("base64 is a valid header value"),
    );
    headers
}

fn verifier(source: &Arc<FakeKeySource>) -> CallbackVerifier {
    CallbackVerifier::new(
        Arc::clone(source),
        KeyUrlPolicy::for_site(SITE).expect("valid host"),
    )
}

#[tokio::test]
async fn valid_callback_is_verified_and_its_key_cached() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);

    let payload = verifier
        .verify(&signed("key-one", &body), &body)
        .await
        .expect("valid callback");
    assert_eq!(payload.id, 1234);
    assert_eq!(source.fetches(), 1);
    assert_eq!(
        source.urls.lock().expect("lock").as_slice(),
        [KEY_URL.to_owned()]
    );

    // Same key URL again: served from the cache.
    verifier
        .verify(&signed("key-one", &body), &body)
        .await
        .expect("valid callback");
    assert_eq!(source.fetches(), 1);
    assert_eq!(verifier.cached_keys(), 1);
    assert_eq!(verifier.cache_capacity(), DEFAULT_KEY_CACHE_CAPACITY);
}

#[tokio::test]
async fn rotated_key_is_refetched_once() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);
    verifier
        .verify(&signed("key-one", &body), &body)
        .await
        .expect("valid callback");

    source.rotate("key-two");
    verifier
        .verify(&signed("key-two", &body), &body)
        .await
        .expect("verifies after refetching the rotated key");
    assert_eq!(source.fetches(), 2);

    // The new key is now cached.
    verifier
        .verify(&signed("key-two", &body), &body)
        .await
        .expect("valid callback");
    assert_eq!(source.fetches(), 2);
}

#[tokio::test]
async fn forged_signature_refetches_once_then_fails() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);
    verifier
        .verify(&signed("key-one", &body), &body)
        .await
        .expect("valid callback");

    let result = verifier.verify(&signed("attacker-key", &body), &body).await;
    assert!(matches!(result, Err(CallbackError::SignatureMismatch)));
    assert_eq!(source.fetches(), 2);

    // An uncached key that does not match fails after its single fetch.
    let fresh = CallbackVerifier::new(
        Arc::clone(&source),
        KeyUrlPolicy::for_site(SITE).expect("valid host"),
    );
    let result = fresh.verify(&signed("attacker-key", &body), &body).await;
    assert!(matches!(result, Err(CallbackError::SignatureMismatch)));
    assert_eq!(source.fetches(), 3);
}

#[tokio::test]
async fn tampered_body_is_refused() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let original = payload_body("northwind", KEY_URL);
    let headers = signed("key-one", &original);
    let tampered = String::from_utf8(original)
        .expect("utf-8")
        .replace("1234", "1235")
        .into_bytes();
    assert!(matches!(
        verifier.verify(&headers, &tampered).await,
        Err(CallbackError::SignatureMismatch)
    ));
}

#[tokio::test]
async fn signature_covers_raw_bytes_not_reserialised_json() {
    let source = FakeKeySource::new("key-one");
    let verifier = CallbackVerifier::new(
        Arc::clone(&source),
        KeyUrlPolicy::for_site(SITE).expect("valid host"),
    );
    // The fixture is pretty-printed: verifying it proves the raw bytes are used.
    verifier
        .verify(&signed("key-one", TICKET_UPDATED), TICKET_UPDATED)
        .await
        .expect("valid callback");
    let compact = serde_json::to_vec(
        &serde_json::from_slice::<serde_json::Value>(TICKET_UPDATED).expect("json"),
    )
    .expect("serialises");
    assert!(matches!(
        verifier
            .verify(&signed("key-one", TICKET_UPDATED), &compact)
            .await,
        Err(CallbackError::SignatureMismatch)
    ));
}

#[tokio::test]
async fn disallowed_key_urls_are_refused_without_fetching() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    for (key_url, host) in [
        (
            "https://attacker.example/key?companyName=northwind&id=secret-id",
            "attacker.example",
        ),
        (
            "https://169.254.169.254/latest/meta-data?id=secret-id",
            "169.254.169.254",
        ),
        (
            "https://eu.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=secret-id",
            "eu.myconnectwise.net",
        ),
    ] {
        let body = payload_body("northwind", key_url);
        match verifier.verify(&signed("key-one", &body), &body).await {
            Err(error @ CallbackError::KeyUrlHostNotAllowed { .. }) => {
                let text = error.to_string();
                assert!(text.contains(host), "{text}");
                assert!(!text.contains("secret-id"), "{text}");
            }
            other => panic!("{key_url}: unexpected {other:?}"),
        }
    }
    let body = payload_body(
        "northwind",
        "http://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=x",
    );
    assert!(matches!(
        verifier.verify(&signed("key-one", &body), &body).await,
        Err(CallbackError::KeyUrlSchemeNotAllowed { .. })
    ));
    let body = payload_body("northwind", "not a url");
    assert!(matches!(
        verifier.verify(&signed("key-one", &body), &body).await,
        Err(CallbackError::InvalidKeyUrl { .. })
    ));
    assert_eq!(source.fetches(), 0);
}

#[tokio::test]
async fn loopback_http_key_urls_are_allowed_when_the_host_is() {
    let source = FakeKeySource::new("key-one");
    let verifier = CallbackVerifier::new(
        Arc::clone(&source),
        KeyUrlPolicy::for_site("127.0.0.1").expect("valid host"),
    );
    let body = payload_body(
        "northwind",
        "http://127.0.0.1:18080/v2025_1//system/callbackkey/index.rails?id=1",
    );
    verifier
        .verify(&signed("key-one", &body), &body)
        .await
        .expect("loopback http is allowed");
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn header_problems_are_refused_without_fetching() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);

    assert!(matches!(
        verifier.verify(&HeaderMap::new(), &body).await,
        Err(CallbackError::MissingSignature)
    ));

    let mut twice = signed("key-one", &body);
    twice.append(SIGNATURE_HEADER, HeaderValue::from_static("AAAA"));
    assert!(matches!(
        verifier.verify(&twice, &body).await,
        Err(CallbackError::MultipleSignatures { count: 2 })
    ));

    let mut bad = HeaderMap::new();
    bad.insert(SIGNATURE_HEADER, HeaderValue::from_static("not base64!"));
    assert!(matches!(
        verifier.verify(&bad, &body).await,
        Err(CallbackError::SignatureEncoding { .. })
    ));

    let mut opaque = HeaderMap::new();
    opaque.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_bytes(b"\xffabc").expect("opaque header value"),
    );
    assert!(matches!(
        verifier.verify(&opaque, &body).await,
        Err(CallbackError::SignatureEncoding { .. })
    ));

    // Header names are case-insensitive; surrounding whitespace is ignored.
    let mut spaced = HeaderMap::new();
    let signature = compute_signature(&SecretString::from("key-one"), &body);
    spaced.insert(
        "X-Content-Signature",
        HeaderValue::from_str(&format!(" {signature} ")).expect("valid header value"),
    );
    assert_eq!(source.fetches(), 0);
    verifier
        .verify(&spaced, &body)
        .await
        .expect("valid callback");
}

#[tokio::test]
async fn invalid_payload_is_refused_without_fetching() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source);
    let body = br#"{"Action":"updated"}"#;
    assert!(matches!(
        verifier.verify(&signed("key-one", body), body).await,
        Err(CallbackError::Payload { .. })
    ));
    assert_eq!(source.fetches(), 0);
}

#[tokio::test]
async fn expected_company_is_enforced() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source).with_expected_company("Northwind");
    assert_eq!(verifier.expected_company(), Some("Northwind"));

    let ok = payload_body("northwind", KEY_URL);
    verifier
        .verify(&signed("key-one", &ok), &ok)
        .await
        .expect("company matches ignoring case");

    let other_company = payload_body("contoso", KEY_URL);
    match verifier
        .verify(&signed("key-one", &other_company), &other_company)
        .await
    {
        Err(CallbackError::CompanyMismatch { field, found, .. }) => {
            assert_eq!(field, "CompanyId");
            assert_eq!(found, "contoso");
        }
        other => panic!("unexpected {other:?}"),
    }

    let other_key_url = payload_body(
        "northwind",
        "https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=contoso&id=1",
    );
    assert!(matches!(
        verifier
            .verify(&signed("key-one", &other_key_url), &other_key_url)
            .await,
        Err(CallbackError::CompanyMismatch {
            field: "key_url companyName",
            ..
        })
    ));
    assert_eq!(source.fetches(), 1);
}

#[tokio::test]
async fn fetch_failures_propagate_and_are_not_cached() {
    let source = FakeKeySource::failing();
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);
    for attempt in 1..=2 {
        match verifier.verify(&signed("key-one", &body), &body).await {
            Err(error @ CallbackError::KeyFetch { .. }) => {
                let text = error.to_string();
                assert!(text.contains("na.myconnectwise.net"), "{text}");
                assert!(!text.contains("0b6c2d44"), "{text}");
                // The cause is the source, not repeated in this level's message.
                assert!(!text.contains("connection reset"), "{text}");
                let cause = std::error::Error::source(&error).map(ToString::to_string);
                assert_eq!(cause.as_deref(), Some("connection reset"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(source.fetches(), attempt);
    }
    assert_eq!(verifier.cached_keys(), 0);
}

#[tokio::test]
async fn cache_is_bounded_and_evicts_the_oldest() {
    let source = FakeKeySource::new("key-one");
    let verifier = verifier(&source).with_cache_capacity(2);
    let urls: Vec<String> = (1..=3).map(|id| format!("{KEY_URL}-{id}")).collect();
    for url in &urls {
        let body = payload_body("northwind", url);
        verifier
            .verify(&signed("key-one", &body), &body)
            .await
            .expect("valid callback");
    }
    assert_eq!(source.fetches(), 3);
    assert_eq!(verifier.cached_keys(), 2);

    // The newest two are cached; the first was evicted.
    let newest = payload_body("northwind", &urls[2]);
    verifier
        .verify(&signed("key-one", &newest), &newest)
        .await
        .expect("valid callback");
    assert_eq!(source.fetches(), 3);
    let oldest = payload_body("northwind", &urls[0]);
    verifier
        .verify(&signed("key-one", &oldest), &oldest)
        .await
        .expect("valid callback");
    assert_eq!(source.fetches(), 4);

    verifier.clear_cache();
    assert_eq!(verifier.cached_keys(), 0);

    let uncached = verifier.with_cache_capacity(0);
    for _ in 0..2 {
        uncached
            .verify(&signed("key-one", &newest), &newest)
            .await
            .expect("valid callback");
    }
    assert_eq!(source.fetches(), 6);
}

#[tokio::test]
async fn debug_output_shows_neither_keys_nor_key_urls() {
    let source = FakeKeySource::new("hunter2-key");
    let verifier = verifier(&source);
    let body = payload_body("northwind", KEY_URL);
    verifier
        .verify(&signed("hunter2-key", &body), &body)
        .await
        .expect("valid callback");
    let debug = format!("{verifier:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(!debug.contains("0b6c2d44"), "{debug}");
    assert!(debug.contains("na.myconnectwise.net"), "{debug}");
    // The source sees the real key.
    assert_eq!(
        source
            .fetch(&Url::parse(KEY_URL).expect("url"))
            .await
            .expect("key")
            .expose_secret(),
        "hunter2-key"
    );
}

#[tokio::test]
async fn works_behind_a_trait_object_and_across_tasks() {
    fn assert_send<T: Send>(_: &T) {}
    let source = FakeKeySource::new("key-one");
    let shared: Arc<dyn SigningKeySource> = source.clone();
    let verifier = Arc::new(CallbackVerifier::new(
        shared,
        KeyUrlPolicy::for_site(SITE).expect("valid host"),
    ));
    let body = payload_body("northwind", KEY_URL);
    let headers = signed("key-one", &body);
    assert_send(&verifier.verify(&headers, &body));

    let task = {
        let verifier = Arc::clone(&verifier);
        tokio::spawn(async move { verifier.verify(&headers, &body).await.map(|p| p.id) })
    };
    assert_eq!(task.await.expect("task ran").expect("valid callback"), 1234);
    assert_eq!(source.fetches(), 1);
}
