//! Replay protection: a signed callback verifies once; the same delivery sent again is refused
//! for the guard's window, with the time moved by an injected clock.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use connectwise_manage::callbacks::{
    CallbackError, CallbackPayload, CallbackVerifier, KeyUrlPolicy, ReplayGuard, SIGNATURE_HEADER,
    SigningKeySource, compute_signature,
};
use connectwise_manage::msp_common::ManualClock;
use http::{HeaderMap, HeaderValue};
use secrecy::SecretString;
use serde_json::json;
use url::Url;

const KEY: &str = "test-signing-key";
const KEY_URL: &str =
    "https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=acme&id=1";

#[derive(Debug)]
struct FixedKey;

#[async_trait]
impl SigningKeySource for FixedKey {
    async fn fetch(&self, _key_url: &Url) -> Result<SecretString, CallbackError> {
        Ok(SecretString::from(KEY))
    }
}

fn body(message_id: Option<&str>, id: i64) -> Vec<u8> {
    let mut payload = json!({
        "Action": "updated", "ID": id, "Type": "ticket", "CompanyId": "acme",
        "MemberId": "jdoe", "FromUrl": "na.myconnectwise.net",
        "Entity": "{\"id\":1234}", "Metadata": {"key_url": KEY_URL}
    });
    if let Some(message_id) = message_id {
        payload["MessageId"] = json!(message_id);
    }
    payload.to_string().into_bytes()
}

fn signed(body: &[u8]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let signature = compute_signature(&SecretString::from(KEY), body);
    headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(&signature).unwrap());
    headers
}

fn guarded(window: Duration, capacity: usize) -> (CallbackVerifier, ManualClock) {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let guard = ReplayGuard::new(window, capacity).with_clock(Arc::new(clock.clone()));
    let verifier = CallbackVerifier::new(
        FixedKey,
        KeyUrlPolicy::for_site("api-na.myconnectwise.net").unwrap(),
    )
    .with_replay_guard(guard);
    (verifier, clock)
}

fn is_replay(result: &Result<CallbackPayload, CallbackError>) -> bool {
    matches!(result, Err(CallbackError::Replayed { .. }))
}

#[tokio::test]
async fn a_captured_callback_sent_again_is_refused() {
    let (verifier, clock) = guarded(Duration::from_secs(3600), 100);
    let body = body(Some("FBED4425-b1f3-425c-8bca-bb405891fc8e"), 1234);
    verifier
        .verify(&signed(&body), &body)
        .await
        .expect("first delivery");
    clock.advance(Duration::from_secs(3599));
    let again = verifier.verify(&signed(&body), &body).await;
    assert!(is_replay(&again), "{again:?}");
    let message = again.unwrap_err().to_string();
    assert!(
        message.contains("fbed4425") || message.contains("FBED4425"),
        "{message}"
    );
    // Another delivery (another MessageId) of the same change goes through.
    let other = body_with_id("0b6c2d44-0000-4000-8000-000000000001");
    verifier
        .verify(&signed(&other), &other)
        .await
        .expect("a new delivery");
    // The case of the id does not matter.
    let lower = String::from_utf8(body.clone())
        .unwrap()
        .replace("FBED4425", "fbed4425");
    assert!(is_replay(
        &verifier
            .verify(&signed(lower.as_bytes()), lower.as_bytes())
            .await
    ));
}

fn body_with_id(message_id: &str) -> Vec<u8> {
    body(Some(message_id), 1234)
}

#[tokio::test]
async fn the_window_and_the_capacity_bound_the_memory() {
    let (verifier, clock) = guarded(Duration::from_secs(60), 2);
    let first = body_with_id("00000000-0000-4000-8000-000000000001");
    verifier.verify(&signed(&first), &first).await.unwrap();
    // Past the window the delivery is forgotten (documented: the payload has no send time).
    clock.advance(Duration::from_secs(60));
    verifier.verify(&signed(&first), &first).await.unwrap();
    let guard = verifier.replay_guard().unwrap();
    assert_eq!(guard.len(), 1);
    for n in 2..=3 {
        let next = body_with_id(&format!("00000000-0000-4000-8000-00000000000{n}"));
        verifier.verify(&signed(&next), &next).await.unwrap();
    }
    assert_eq!(guard.len(), 2, "the oldest is dropped past the capacity");
    verifier.verify(&signed(&first), &first).await.unwrap();
}

#[tokio::test]
async fn without_a_message_id_the_body_is_the_key() {
    let (verifier, _) = guarded(Duration::from_secs(60), 10);
    let plain = body(None, 1);
    verifier.verify(&signed(&plain), &plain).await.unwrap();
    assert!(is_replay(&verifier.verify(&signed(&plain), &plain).await));
    let changed = body(None, 2);
    verifier.verify(&signed(&changed), &changed).await.unwrap();
}

#[tokio::test]
async fn a_forged_delivery_is_not_remembered_and_forget_allows_the_retry() {
    let (verifier, _) = guarded(Duration::from_secs(60), 10);
    let body = body_with_id("00000000-0000-4000-8000-0000000000aa");
    let mut forged = HeaderMap::new();
    forged.insert(
        SIGNATURE_HEADER,
        HeaderValue::from_str(&compute_signature(&SecretString::from("wrong"), &body)).unwrap(),
    );
    assert!(matches!(
        verifier.verify(&forged, &body).await,
        Err(CallbackError::SignatureMismatch)
    ));
    let payload = verifier
        .verify(&signed(&body), &body)
        .await
        .expect("genuine");
    // The receiver could not process it and answers 429; ConnectWise will send it again.
    verifier.replay_guard().unwrap().forget(&payload, &body);
    verifier
        .verify(&signed(&body), &body)
        .await
        .expect("the retry");
}

#[tokio::test]
async fn without_a_guard_a_replay_verifies() {
    let verifier = CallbackVerifier::new(
        FixedKey,
        KeyUrlPolicy::for_site("api-na.myconnectwise.net").unwrap(),
    );
    let body = body_with_id("00000000-0000-4000-8000-0000000000bb");
    verifier.verify(&signed(&body), &body).await.unwrap();
    verifier.verify(&signed(&body), &body).await.unwrap();
    assert!(verifier.replay_guard().is_none());
}
