//! Member impersonation: `POST /system/members/{identifier}/tokens` issues a key pair that
//! authenticates as that member (`Basic base64(company+publicKey:privateKey)`) until it expires;
//! writes made with it are attributed to the member.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::clock::push_stamp;
use crate::seed::mix;

/// How long an issued token works (the real lifetime is undocumented; about four hours is
/// reported).
pub const LIFETIME: Duration = Duration::from_secs(4 * 3600);

/// The tokens issued so far.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: Mutex<HashMap<String, Issued>>,
    serial: AtomicU64,
}

#[derive(Debug)]
struct Issued {
    private_key: String,
    member: String,
    expires: SystemTime,
}

impl Tokens {
    /// Issues a token for `member`: `{publicKey, privateKey, expiration}`.
    pub fn issue(&self, member: &str) -> Value {
        let serial = self.serial.fetch_add(1, Ordering::Relaxed) + 1;
        let public_key = format!("impersonation-{serial}");
        let private_key = format!("{:016x}{:016x}", mix(serial), mix(!serial));
        let expires = SystemTime::now() + LIFETIME;
        let mut expiration = String::new();
        let unix = OffsetDateTime::from(expires).unix_timestamp();
        push_stamp(&mut expiration, unix);
        self.issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                public_key.clone(),
                Issued {
                    private_key: private_key.clone(),
                    member: member.to_owned(),
                    expires,
                },
            );
        json!({"publicKey": public_key, "privateKey": private_key, "expiration": expiration})
    }

    /// The member a live token's keys act as.
    pub fn member(&self, public_key: &str, private_key: &str) -> Option<String> {
        let issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        let token = issued.get(public_key)?;
        (token.private_key == private_key && SystemTime::now() < token.expires)
            .then(|| token.member.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_act_as_the_member() {
        let tokens = Tokens::default();
        let token = tokens.issue("amorgan");
        let public = token["publicKey"].as_str().unwrap();
        let private = token["privateKey"].as_str().unwrap();
        assert_eq!(tokens.member(public, private).as_deref(), Some("amorgan"));
        assert_eq!(tokens.member(public, "wrong"), None);
        assert_eq!(tokens.member("unknown", private), None);
        assert!(token["expiration"].as_str().unwrap().ends_with('Z'));
    }
}
