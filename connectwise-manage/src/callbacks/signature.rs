//! The `x-content-signature` scheme ConnectWise uses to sign callbacks.
//!
//! ConnectWise signs the raw body with HMAC-SHA256. The HMAC key is not the signing key itself
//! but the 32-byte SHA-256 digest of its UTF-8 bytes; the signature is the standard (padded)
//! base64 of the MAC:
//!
//! ```text
//! key = SHA-256(utf8(signing_key))
//! x-content-signature = base64(HMAC-SHA256(key, raw_body))
//! ```
//!
//! The signature covers the exact bytes received; re-serialising a parsed body would change
//! them, so verification must use the raw body.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::CallbackError;

/// Name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-content-signature";

type HmacSha256 = Hmac<Sha256>;

/// Decodes standard-alphabet base64 with or without `=` padding.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Computes the `x-content-signature` value for `body` signed with `signing_key`.
///
/// Useful to sign test deliveries; receivers should call [`verify_signature`] instead of
/// comparing strings.
///
/// ```
/// use connectwise_manage::callbacks::{compute_signature, verify_signature};
/// use secrecy::SecretString;
///
/// let key = SecretString::from("test-signing-key");
/// let body = br#"{"ID":1}"#;
/// let signature = compute_signature(&key, body);
/// verify_signature(&key, body, &signature)?;
/// # Ok::<(), connectwise_manage::callbacks::CallbackError>(())
/// ```
pub fn compute_signature(signing_key: &SecretString, body: &[u8]) -> String {
    STANDARD.encode(mac(signing_key, body))
}

/// Checks `signature` (the header's value; surrounding whitespace is ignored) against `body`
/// signed with `signing_key`. The MACs are compared in constant time.
///
/// # Errors
///
/// * [`CallbackError::SignatureEncoding`] when the value is not base64 (padding is optional).
/// * [`CallbackError::SignatureMismatch`] when it decodes but does not match.
pub fn verify_signature(
    signing_key: &SecretString,
    body: &[u8],
    signature: &str,
) -> Result<(), CallbackError> {
    let claimed = decode_signature(signature)?;
    check_decoded(signing_key, body, &claimed)
}

/// Decodes a signature header value (trimmed) into MAC bytes.
pub(crate) fn decode_signature(signature: &str) -> Result<Vec<u8>, CallbackError> {
    let signature = signature.trim();
    if signature.is_empty() {
        return Err(CallbackError::SignatureEncoding {
            reason: "the value is empty".to_owned(),
        });
    }
    LENIENT_STANDARD
        .decode(signature)
        .map_err(|error| CallbackError::SignatureEncoding {
            reason: error.to_string(),
        })
}

/// Compares already-decoded MAC bytes with the expected MAC in constant time.
pub(crate) fn check_decoded(
    signing_key: &SecretString,
    body: &[u8],
    claimed: &[u8],
) -> Result<(), CallbackError> {
    let expected = mac(signing_key, body);
    // `ct_eq` on slices of different lengths is false without comparing contents; the length
    // of a MAC is public, so that leaks nothing.
    if bool::from(expected.as_slice().ct_eq(claimed)) {
        Ok(())
    } else {
        Err(CallbackError::SignatureMismatch)
    }
}

fn mac(signing_key: &SecretString, body: &[u8]) -> [u8; 32] {
    let digest = Sha256::digest(signing_key.expose_secret().as_bytes());
    // HMAC pads keys shorter than the hash's 64-byte block with zeros, so filling a block-sized
    // key by hand is exactly what `new_from_slice` would do, without a fallible call.
    let mut key = hmac::digest::Key::<HmacSha256>::default();
    key[..digest.len()].copy_from_slice(&digest);
    let mut mac = <HmacSha256 as hmac::digest::KeyInit>::new(&key);
    mac.update(body);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_key_padding_matches_new_from_slice() {
        let key = SecretString::from("rotating-key-1");
        let digest = Sha256::digest(b"rotating-key-1");
        let mut reference =
            <HmacSha256 as Mac>::new_from_slice(&digest).expect("HMAC takes any key length");
        reference.update(b"body");
        let reference: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(mac(&key, b"body"), reference);
    }

    #[test]
    fn unpadded_signatures_are_accepted() {
        let key = SecretString::from("k");
        let signature = compute_signature(&key, b"x");
        assert!(signature.ends_with('='));
        let unpadded = signature.trim_end_matches('=');
        assert!(verify_signature(&key, b"x", unpadded).is_ok());
        assert!(verify_signature(&key, b"x", &format!("  {signature}\t")).is_ok());
    }
}
