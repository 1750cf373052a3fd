//! The `x-content-signature` scheme, checked against vectors computed independently
//! (Python `hashlib`/`hmac`/`base64`), and the key URL response parser.

use connectwise_manage::callbacks::{
    CallbackError, compute_signature, parse_signing_key_response, verify_signature,
};
use secrecy::{ExposeSecret, SecretString};

const CONTACT_ADDED: &[u8] = include_bytes!("fixtures/callback_contact_added.json");

/// base64(HMAC-SHA256(SHA256("test-signing-key"), fixture bytes)), computed with Python.
const CONTACT_ADDED_SIGNATURE: &str = "8ojFbIGLP3i7cDBvEZpwIunV8f+qkfhTi6+f/FIMO4A=";

fn test_key() -> SecretString {
    SecretString::from("test-signing-key")
}

#[test]
fn known_answers() {
    assert_eq!(
        compute_signature(&test_key(), CONTACT_ADDED),
        CONTACT_ADDED_SIGNATURE
    );
    assert_eq!(
        compute_signature(&test_key(), b""),
        "sw/3rZGxx0rpnfo80SQ+ESW310QKHgwGoSG6jnFnl6Q="
    );
    // The key is hashed as UTF-8.
    assert_eq!(
        compute_signature(&SecretString::from("clé-ключ-🔑"), br#"{"ID":1}"#),
        "uNTL5qKMVn4hoAUGMHwaBPLAP3lxNXIEATvhWBv9NyA="
    );
    verify_signature(&test_key(), CONTACT_ADDED, CONTACT_ADDED_SIGNATURE)
        .expect("known signature verifies");
}

#[test]
fn tampered_body_fails() {
    let mut body = CONTACT_ADDED.to_vec();
    let position = body
        .windows(4)
        .position(|w| w == b"Dana")
        .expect("fixture names Dana");
    body[position] = b'd';
    assert!(matches!(
        verify_signature(&test_key(), &body, CONTACT_ADDED_SIGNATURE),
        Err(CallbackError::SignatureMismatch)
    ));
    // Same JSON, different bytes: the signature is over bytes, not over the parsed value.
    let mut spaced = CONTACT_ADDED.to_vec();
    spaced.push(b'\n');
    assert!(matches!(
        verify_signature(&test_key(), &spaced, CONTACT_ADDED_SIGNATURE),
        Err(CallbackError::SignatureMismatch)
    ));
}

#[test]
fn tampered_signature_and_wrong_key_fail() {
    let mut flipped = CONTACT_ADDED_SIGNATURE.to_owned();
    flipped.replace_range(0..1, "9");
    assert!(matches!(
        verify_signature(&test_key(), CONTACT_ADDED, &flipped),
        Err(CallbackError::SignatureMismatch)
    ));
    // A valid base64 value of the wrong length.
    assert!(matches!(
        verify_signature(&test_key(), CONTACT_ADDED, "AAAA"),
        Err(CallbackError::SignatureMismatch)
    ));
    assert!(matches!(
        verify_signature(
            &SecretString::from("test-signing-key "),
            CONTACT_ADDED,
            CONTACT_ADDED_SIGNATURE
        ),
        Err(CallbackError::SignatureMismatch)
    ));
}

#[test]
fn bad_base64_is_an_encoding_error() {
    for value in [
        "",
        "   ",
        "not base64!",
        "8ojF*IGLP3i7",
        "8ojFbIGLP3i7cDBvEZpwIunV8f-qkfhTi6-f_FIMO4A=",
    ] {
        match verify_signature(&test_key(), CONTACT_ADDED, value) {
            Err(CallbackError::SignatureEncoding { .. }) => {}
            other => panic!("{value:?}: unexpected {other:?}"),
        }
    }
}

#[test]
fn errors_never_show_the_key() {
    let key = SecretString::from("hunter2-signing-key");
    let errors = [
        verify_signature(&key, b"{}", "AAAA").expect_err("mismatch"),
        verify_signature(&key, b"{}", "%%").expect_err("encoding"),
        parse_signing_key_response(br#"{"signing_key": 5, "x": "hunter2-signing-key"}"#)
            .expect_err("not a string"),
    ];
    for error in errors {
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hunter2"), "{text}");
    }
    assert!(!format!("{key:?}").contains("hunter2"));
}

#[test]
fn key_responses_in_both_encodings() {
    let direct =
        parse_signing_key_response(br#"{"signing_key":"test-signing-key"}"#).expect("object form");
    let encoded = parse_signing_key_response(br#""{\"signing_key\":\"test-signing-key\"}""#)
        .expect("string form");
    assert_eq!(direct.expose_secret(), "test-signing-key");
    assert_eq!(encoded.expose_secret(), "test-signing-key");
    // The parsed key signs exactly like the literal one.
    assert_eq!(
        compute_signature(&encoded, CONTACT_ADDED),
        CONTACT_ADDED_SIGNATURE
    );
    for body in [
        &b""[..],
        b"null",
        b"{}",
        b"<html>expired</html>",
        br#"{"signing_key":null}"#,
    ] {
        assert!(
            matches!(
                parse_signing_key_response(body),
                Err(CallbackError::KeyResponse { .. })
            ),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}
