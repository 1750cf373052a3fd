//! Callback deliveries: the payload and the signature header.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use connectwise_manage::callbacks::{
    CallbackError, CallbackPayload, KeyUrlPolicy, compute_signature, parse_signing_key_response,
    verify_signature,
};
use secrecy::SecretString;

/// A callback body: parsing never panics; a parsed payload encodes and parses back to itself,
/// its entity decodes or fails with a typed error, and its key URL passes the site's policy
/// only when it is an `https` URL without credentials on one of its hosts. The same bytes read as a signing-key response
/// never panic either.
pub fn callback_payload(data: &[u8]) {
    let _ = parse_signing_key_response(data);
    let Ok(payload) = CallbackPayload::from_slice(data) else {
        return;
    };
    let encoded = serde_json::to_vec(&payload).expect("a payload encodes");
    let again = CallbackPayload::from_slice(&encoded)
        .unwrap_or_else(|error| panic!("a re-encoded payload does not parse: {error}"));
    assert_eq!(again, payload);
    if let Err(error) = payload.entity::<serde_json::Value>() {
        assert!(matches!(error, CallbackError::Entity { .. }), "{error:?}");
    }
    let policy = KeyUrlPolicy::for_site("api-na.myconnectwise.net").expect("a site host");
    if let Ok(url) = policy.check(payload.key_url()) {
        assert_eq!(url.scheme(), "https", "{url}");
        assert!(
            url.username().is_empty() && url.password().is_none(),
            "{url}"
        );
        let host = url.host_str().unwrap_or_default();
        assert!(
            policy.allowed_hosts().any(|allowed| allowed == host),
            "{url} passed a policy for other hosts"
        );
    }
}

/// A signing key, a signature header and a body, cut from the input: the key's own signature
/// always verifies; any header value either is refused with a typed error or verifies, and one
/// that verifies is the key's signature of this body (it fails for any other body).
pub fn callback_signature(data: &[u8]) {
    let Some((&key_len, rest)) = data.split_first() else {
        return;
    };
    let (key, rest) = rest.split_at(usize::from(key_len).min(rest.len()));
    let key = SecretString::from(String::from_utf8_lossy(key).into_owned());
    let split = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let (header, body) = (&rest[..split], rest.get(split + 1..).unwrap_or_default());

    let own = compute_signature(&key, body);
    assert!(verify_signature(&key, body, &own).is_ok());

    let Ok(header) = std::str::from_utf8(header) else {
        return;
    };
    match verify_signature(&key, body, header) {
        Ok(()) => {
            let claimed = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(header.trim().trim_end_matches('='))
                .expect("a verified signature is base64");
            assert_eq!(claimed, STANDARD.decode(&own).expect("base64"));
            let mut other = body.to_vec();
            other.push(b'.');
            assert!(matches!(
                verify_signature(&key, &other, header),
                Err(CallbackError::SignatureMismatch)
            ));
        }
        Err(CallbackError::SignatureEncoding { .. } | CallbackError::SignatureMismatch) => {}
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
}
