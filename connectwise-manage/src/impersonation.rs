//! Acting as another member: tokens from `POST /system/members/{identifier}/tokens`, used until
//! shortly before they expire.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderName, HeaderValue, Method};
use msp_common::secret::basic_auth;
use msp_common::{Error, Operation, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::client::Client;
use crate::request::Request;

/// Tokens are renewed this long before they expire, so a call never starts with a key about to lapse.
pub const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(60);

/// How long a token is used when the server names no expiration (its lifetime is undocumented).
pub const LIFETIME_WITHOUT_EXPIRATION: Duration = Duration::from_secs(30 * 60);

/// The impersonation keys of one member, shared by clones of an impersonating client.
pub(crate) struct MemberTokens {
    member: String,
    current: Mutex<Option<(HeaderValue, SystemTime)>>,
}

impl fmt::Debug for MemberTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberTokens")
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

/// The token body: `{publicKey, privateKey, expiration}`. No `Debug`: it holds a key.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Token {
    public_key: Option<String>,
    private_key: Option<String>,
    expiration: Option<String>,
}

impl MemberTokens {
    pub(crate) fn new(member: String) -> Self {
        Self {
            member,
            current: Mutex::new(None),
        }
    }

    /// The `Authorization` value for the member, fetching or renewing the token when needed.
    pub(crate) async fn authorization(&self, client: &Client) -> Result<HeaderValue, Error> {
        let mut current = self.current.lock().await;
        let now = client.shared().executor.clock().now();
        if let Some((header, renew_at)) = current.as_ref()
            && now < *renew_at
        {
            return Ok(header.clone());
        }
        // Boxed: a token is fetched only when the last one is about to expire, and every call's
        // future would otherwise carry room for the fetch.
        let (header, expires_at) = Box::pin(self.fetch(client, now)).await?;
        let renew_at = expires_at
            .checked_sub(RENEW_BEFORE_EXPIRY)
            .filter(|at| *at > now)
            .unwrap_or(now);
        *current = Some((header.clone(), renew_at));
        Ok(header)
    }

    async fn fetch(
        &self,
        client: &Client,
        now: SystemTime,
    ) -> Result<(HeaderValue, SystemTime), Error> {
        let operation = Operation::non_idempotent(
            "postSystemMembersByMemberIdentifierTokens",
            "/system/members/{memberIdentifier}/tokens",
        );
        let request = Request::with_segments(
            Method::POST,
            vec![
                "system".into(),
                "members".into(),
                self.member.clone(),
                "tokens".into(),
            ],
            operation.clone(),
        )
        .header(
            HeaderName::from_static("x-cw-usertype"),
            HeaderValue::from_static("member"),
        )
        .json(&serde_json::json!({ "memberIdentifier": self.member }))?;
        let response = client.send_as_api_member(request).await?;
        let token: Token = msp_common::decode_json(&operation, &response)?;
        let (Some(public_key), Some(private_key)) = (token.public_key, token.private_key) else {
            return Err(Error::build(
                operation.name(),
                "the token response lacks publicKey or privateKey",
            ));
        };
        let private_key = SecretString::from(private_key);
        let header = basic_auth(
            &format!("{}+{public_key}", client.company_id()),
            &private_key,
        )?;
        let expires_at = token
            .expiration
            .as_deref()
            .and_then(parse_expiration)
            .unwrap_or(now + LIFETIME_WITHOUT_EXPIRATION);
        Ok((header, expires_at))
    }
}

/// Reads `2026-11-22T10:00:00Z` (with or without a zone; no zone means UTC).
fn parse_expiration(text: &str) -> Option<SystemTime> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    let parsed = time::OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| time::OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339))
        .ok()?;
    Some(SystemTime::from(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expirations_with_and_without_zone() {
        let with = parse_expiration("2026-11-22T10:00:00Z").unwrap();
        let without = parse_expiration("2026-11-22T10:00:00").unwrap();
        assert_eq!(with, without);
        assert!(parse_expiration("soon").is_none());
    }
}
