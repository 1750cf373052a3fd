//! Errors raised while receiving a ConnectWise callback.

/// Why a callback could not be accepted.
///
/// `Display` says this level only; the decoder's or the key source's error is the
/// [`source`](std::error::Error::source), so error-chain printers show each cause once.
///
/// No variant carries the signing key, and key URLs are reported by host only (their query holds
/// the id that unlocks the key).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The request has no `x-content-signature` header.
    #[error("the callback has no `x-content-signature` header")]
    MissingSignature,

    /// The request has more than one `x-content-signature` header.
    #[error("the callback has {count} `x-content-signature` headers; expected exactly one")]
    MultipleSignatures {
        /// How many headers were present.
        count: usize,
    },

    /// The signature header is not standard base64 text.
    #[error("the `x-content-signature` header is not valid base64: {reason}")]
    SignatureEncoding {
        /// What is wrong with it.
        reason: String,
    },

    /// The signature does not match the body and signing key.
    #[error("the callback signature does not match its body")]
    SignatureMismatch,

    /// The body is not a callback payload.
    #[error("the callback body is not a valid payload (at `{path}`)")]
    Payload {
        /// JSON path of the offending element (`.` for the root).
        path: String,
        /// The decoder's error.
        #[source]
        source: serde_json::Error,
    },

    /// The payload's `Entity` string does not decode into the requested type.
    #[error("the callback entity does not decode (at `{path}`)")]
    Entity {
        /// JSON path inside the entity of the offending element (`.` for the root).
        path: String,
        /// The decoder's error.
        #[source]
        source: serde_json::Error,
    },

    /// `Metadata.key_url` is not an absolute URL with a host.
    #[error("the callback key_url is not a usable URL: {reason}")]
    InvalidKeyUrl {
        /// What is wrong with it (never the URL itself).
        reason: String,
    },

    /// `Metadata.key_url` points at a host the verifier is not allowed to contact.
    #[error("refusing to fetch the signing key from host `{host}`: it is not an allowed host")]
    KeyUrlHostNotAllowed {
        /// The host named by the key URL.
        host: String,
    },

    /// `Metadata.key_url` uses a scheme other than `https` (or `http` on a loopback host).
    #[error(
        "refusing to fetch the signing key from host `{host}` over `{scheme}`: only https is \
         allowed (http only for loopback hosts)"
    )]
    KeyUrlSchemeNotAllowed {
        /// The URL's scheme.
        scheme: String,
        /// The host named by the key URL.
        host: String,
    },

    /// A host given to [`KeyUrlPolicy`](super::KeyUrlPolicy) is not a valid host name or IP
    /// address (ports and schemes are not part of a host).
    #[error("`{host}` is not a valid host to allow for signing key URLs")]
    InvalidAllowedHost {
        /// The host as given.
        host: String,
    },

    /// The payload names a different ConnectWise company than the verifier expects.
    #[error(
        "the callback's {field} is `{found}`, but this verifier only accepts company `{expected}`"
    )]
    CompanyMismatch {
        /// Where the company was read: `CompanyId` or the key URL's `companyName`.
        field: &'static str,
        /// The company the verifier was configured with.
        expected: String,
        /// The company the callback named.
        found: String,
    },

    /// The key URL answered with something that is not a signing key.
    #[error("the signing key response is not usable: {reason}")]
    KeyResponse {
        /// What is wrong with it (never the response text).
        reason: &'static str,
    },

    /// The delivery was accepted before (same `MessageId`, or the same body when it has none):
    /// a replay, refused by a [`ReplayGuard`](super::ReplayGuard).
    #[error("the callback was delivered before{}", message_id.as_deref().map(|id| format!(" (MessageId {id})")).unwrap_or_default())]
    Replayed {
        /// The delivery's `MessageId`, when it has one.
        message_id: Option<String>,
    },

    /// Fetching the signing key failed.
    #[error("fetching the signing key from host `{host}` failed")]
    KeyFetch {
        /// The host named by the key URL.
        host: String,
        /// The underlying failure (transport, status, ...).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl CallbackError {
    /// Wraps a failure of a [`SigningKeySource`](super::SigningKeySource) while fetching from
    /// `key_url`, keeping only the URL's host.
    ///
    /// The `source` must not itself print the URL: strip it first (for example with
    /// `reqwest::Error::without_url`), since the URL's query unlocks the signing key.
    pub fn key_fetch(
        key_url: &url::Url,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self::KeyFetch {
            host: key_url.host_str().unwrap_or_default().to_owned(),
            source: source.into(),
        }
    }
}
