//! Receiving ConnectWise Manage callbacks (webhooks).
//!
//! When a record changes, ConnectWise POSTs a [`CallbackPayload`] to each registered callback
//! URL. The body carries a signature in the `x-content-signature` header and, in
//! `Metadata.key_url`, the URL of the key it was signed with. This module holds:
//!
//! * [`CallbackPayload`] — the body, with the record decoded on demand by
//!   [`CallbackPayload::entity`];
//! * [`compute_signature`] / [`verify_signature`] — the signature scheme;
//! * [`parse_signing_key_response`] — the key URL's response;
//! * [`KeyUrlPolicy`] — which key URLs may be fetched (the URL comes from the untrusted body);
//! * [`CallbackVerifier`] — all of the above with a key cache, behind an injected
//!   [`SigningKeySource`];
//! * [`ReplayGuard`] — refuses a delivery accepted before (a captured callback sent again still
//!   carries a valid signature); give one to the verifier with
//!   [`CallbackVerifier::with_replay_guard`].
//!
//! ```
//! use std::sync::Arc;
//! use async_trait::async_trait;
//! use connectwise_manage::callbacks::{
//!     CallbackError, CallbackVerifier, KeyUrlPolicy, SigningKeySource, compute_signature,
//! };
//! use secrecy::SecretString;
//!
//! #[derive(Debug)]
//! struct FixedKey;
//!
//! #[async_trait]
//! impl SigningKeySource for FixedKey {
//!     async fn fetch(&self, _key_url: &url::Url) -> Result<SecretString, CallbackError> {
//!         Ok(SecretString::from("test-signing-key"))
//!     }
//! }
//!
//! # tokio_test_block_on(async {
//! let verifier = CallbackVerifier::new(FixedKey, KeyUrlPolicy::for_site("api-na.myconnectwise.net")?)
//!     .with_expected_company("acme");
//! let body = br#"{"Action":"deleted","ID":7,"Type":"ticket","CompanyId":"acme","MemberId":"jdoe",
//!     "FromUrl":"na.myconnectwise.net","Entity":null,
//!     "Metadata":{"key_url":"https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=acme&id=1"}}"#;
//! let mut headers = http::HeaderMap::new();
//! let signature = compute_signature(&SecretString::from("test-signing-key"), body);
//! headers.insert("x-content-signature", signature.parse().expect("base64 is a valid header"));
//!
//! let payload = verifier.verify(&headers, body).await?;
//! assert!(payload.is_deleted());
//! # Ok::<(), CallbackError>(())
//! # })?;
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(f)
//! # }
//! # Ok::<(), CallbackError>(())
//! ```

mod error;
mod key_cache;
mod key_fetch;
mod key_response;
mod key_source;
mod key_url;
mod payload;
mod registration;
mod replay;
mod signature;
mod verifier;

pub use error::CallbackError;
pub use key_response::parse_signing_key_response;
pub use key_source::SigningKeySource;
pub use key_url::KeyUrlPolicy;
pub use payload::{CallbackAction, CallbackMetadata, CallbackPayload};
pub use registration::{CallbackChange, EnsuredCallback};
pub use replay::ReplayGuard;
pub use signature::{SIGNATURE_HEADER, compute_signature, verify_signature};
pub use verifier::{CallbackVerifier, DEFAULT_KEY_CACHE_CAPACITY};
