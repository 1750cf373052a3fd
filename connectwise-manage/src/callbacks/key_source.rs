//! Where the verifier gets signing keys from.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use secrecy::SecretString;
use url::Url;

use super::CallbackError;

/// Fetches the signing key a callback's `key_url` returns.
///
/// The SDK's HTTP client implements this with a plain `GET` of the URL and
/// [`parse_signing_key_response`](super::parse_signing_key_response); tests and other transports
/// can supply their own. The verifier has already checked the URL against its
/// [`KeyUrlPolicy`](super::KeyUrlPolicy) before calling `fetch`, and caches what it returns.
///
/// Implementations report failures with [`CallbackError::key_fetch`] (or
/// [`CallbackError::KeyResponse`] for a body that holds no key) and must not put the URL or
/// its query in an error.
#[async_trait]
pub trait SigningKeySource: Send + Sync + Debug {
    /// Fetches the signing key from `key_url`.
    async fn fetch(&self, key_url: &Url) -> Result<SecretString, CallbackError>;
}

#[async_trait]
impl<T: SigningKeySource + ?Sized> SigningKeySource for Arc<T> {
    async fn fetch(&self, key_url: &Url) -> Result<SecretString, CallbackError> {
        (**self).fetch(key_url).await
    }
}

#[async_trait]
impl<T: SigningKeySource + ?Sized> SigningKeySource for Box<T> {
    async fn fetch(&self, key_url: &Url) -> Result<SecretString, CallbackError> {
        (**self).fetch(key_url).await
    }
}
