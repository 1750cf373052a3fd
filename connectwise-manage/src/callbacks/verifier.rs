//! Authenticating callback requests end to end.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::HeaderMap;
use url::Url;

use super::key_cache::KeyCache;
use super::signature::{SIGNATURE_HEADER, check_decoded, decode_signature};
use super::{CallbackError, CallbackPayload, KeyUrlPolicy, ReplayGuard, SigningKeySource};

/// How many signing keys a [`CallbackVerifier`] caches unless told otherwise.
pub const DEFAULT_KEY_CACHE_CAPACITY: usize = 256;

/// Verifies callback requests: signature, key URL policy and payload.
///
/// [`CallbackVerifier::verify`] runs these steps and stops at the first failure:
///
/// 1. reads the single `x-content-signature` header and decodes it (no network traffic for an
///    unsigned request);
/// 2. parses the body as a [`CallbackPayload`];
/// 3. if an expected company is set, compares it with `CompanyId` and with the key URL's
///    `companyName` query parameter when present (ignoring ASCII case);
/// 4. checks `Metadata.key_url` against the [`KeyUrlPolicy`];
/// 5. takes the signing key for that URL from the cache, or fetches it through the
///    [`SigningKeySource`] and caches it;
/// 6. checks the HMAC over the **raw body bytes** in constant time. If a cached key does not
///    match, the key is fetched again once (keys can rotate) before the request is refused;
/// 7. with a [`ReplayGuard`] ([`CallbackVerifier::with_replay_guard`]), refuses a delivery it
///    accepted before and remembers this one. Without one, a captured callback verifies again
///    whenever it is sent.
///
/// The cache holds at most [`DEFAULT_KEY_CACHE_CAPACITY`] keys (see
/// [`CallbackVerifier::with_cache_capacity`]); the entry inserted longest ago is dropped first.
///
/// Each request with a new key URL, or with a bad signature and a cached key, costs one fetch;
/// receivers exposed to the internet should rate-limit callback requests before verifying.
#[derive(Debug)]
pub struct CallbackVerifier {
    source: Arc<dyn SigningKeySource>,
    policy: KeyUrlPolicy,
    expected_company: Option<String>,
    cache: Mutex<KeyCache>,
    replay: Option<ReplayGuard>,
}

impl CallbackVerifier {
    /// A verifier that fetches keys through `source` from the hosts `policy` allows.
    pub fn new(source: impl SigningKeySource + 'static, policy: KeyUrlPolicy) -> Self {
        Self {
            source: Arc::new(source),
            policy,
            expected_company: None,
            cache: Mutex::new(KeyCache::new(DEFAULT_KEY_CACHE_CAPACITY)),
            replay: None,
        }
    }

    /// Refuses deliveries `guard` has accepted before ([`CallbackError::Replayed`]); checked
    /// last, so only callbacks with a valid signature are remembered.
    pub fn with_replay_guard(self, guard: ReplayGuard) -> Self {
        Self {
            replay: Some(guard),
            ..self
        }
    }

    /// The replay guard in force, if any (to [`ReplayGuard::forget`] a delivery that could not
    /// be processed).
    pub fn replay_guard(&self) -> Option<&ReplayGuard> {
        self.replay.as_ref()
    }

    /// Sets how many keys are cached; `0` disables caching. Drops any cached keys.
    pub fn with_cache_capacity(self, capacity: usize) -> Self {
        Self {
            cache: Mutex::new(KeyCache::new(capacity)),
            ..self
        }
    }

    /// Only accepts callbacks for this ConnectWise company id (the company used to log in).
    ///
    /// On ConnectWise cloud every company's key URLs live on the same hosts, so the host policy
    /// alone cannot tell one company's callbacks from another's. With an expected company the
    /// verifier also refuses payloads whose `CompanyId`, or whose key URL's `companyName`
    /// parameter, names a different company. Comparison ignores ASCII case.
    pub fn with_expected_company(self, company_id: impl Into<String>) -> Self {
        Self {
            expected_company: Some(company_id.into()),
            ..self
        }
    }

    /// The key URL policy in force.
    pub fn policy(&self) -> &KeyUrlPolicy {
        &self.policy
    }

    /// The expected company, if one is set.
    pub fn expected_company(&self) -> Option<&str> {
        self.expected_company.as_deref()
    }

    /// How many signing keys are cached now.
    pub fn cached_keys(&self) -> usize {
        self.cache().len()
    }

    /// The cache's capacity.
    pub fn cache_capacity(&self) -> usize {
        self.cache().capacity()
    }

    /// Forgets every cached signing key.
    pub fn clear_cache(&self) {
        self.cache().clear();
    }

    /// Verifies a callback request and returns its payload.
    ///
    /// `headers` are the request's headers and `body` its body exactly as received.
    ///
    /// # Errors
    ///
    /// Any [`CallbackError`]; see the steps on [`CallbackVerifier`].
    pub async fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<CallbackPayload, CallbackError> {
        let claimed = decode_signature(signature_header(headers)?)?;
        let payload = CallbackPayload::from_slice(body)?;
        if let Some(expected) = &self.expected_company {
            check_company("CompanyId", expected, &payload.company_id)?;
        }
        let key_url = self.policy.check(payload.key_url())?;
        if let Some(expected) = &self.expected_company
            && let Some(company) = key_url_company(&key_url)
        {
            check_company("key_url companyName", expected, &company)?;
        }

        let cache_key = key_url.as_str().to_owned();
        let cached = self.cache().get(&cache_key);
        if let Some(key) = cached {
            if check_decoded(&key, body, &claimed).is_ok() {
                return self.accept(payload, body);
            }
            tracing::debug!(
                host = key_url.host_str().unwrap_or_default(),
                "callback signature did not match the cached signing key; fetching it again"
            );
        }
        let key = self.source.fetch(&key_url).await?;
        self.cache().insert(cache_key, key.clone());
        check_decoded(&key, body, &claimed)?;
        self.accept(payload, body)
    }

    /// The last step, once the signature holds: the replay check.
    fn accept(
        &self,
        payload: CallbackPayload,
        body: &[u8],
    ) -> Result<CallbackPayload, CallbackError> {
        if let Some(guard) = &self.replay {
            guard.check(&payload, body)?;
        }
        Ok(payload)
    }

    fn cache(&self) -> MutexGuard<'_, KeyCache> {
        // The cache is consistent after every call that can panic, so a poisoned lock is safe
        // to keep using.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The value of the single signature header.
fn signature_header(headers: &HeaderMap) -> Result<&str, CallbackError> {
    let mut values = headers.get_all(SIGNATURE_HEADER).iter();
    let Some(value) = values.next() else {
        return Err(CallbackError::MissingSignature);
    };
    let extra = values.count();
    if extra > 0 {
        return Err(CallbackError::MultipleSignatures { count: extra + 1 });
    }
    value
        .to_str()
        .map_err(|_| CallbackError::SignatureEncoding {
            reason: "the value holds characters that are not visible ASCII".to_owned(),
        })
}

fn key_url_company(key_url: &Url) -> Option<String> {
    key_url
        .query_pairs()
        .find(|(name, _)| name.eq_ignore_ascii_case("companyName"))
        .map(|(_, value)| value.into_owned())
}

fn check_company(field: &'static str, expected: &str, found: &str) -> Result<(), CallbackError> {
    if expected.eq_ignore_ascii_case(found) {
        Ok(())
    } else {
        Err(CallbackError::CompanyMismatch {
            field,
            expected: expected.to_owned(),
            found: found.to_owned(),
        })
    }
}
