//! The two sides of every comparison: the SDK's client, and the floor, a hand-written loop of
//! raw reqwest requests with the same headers and request timeout, decoding with `serde_json::from_slice` into the
//! same model.

use std::num::NonZeroU32;
use std::time::Duration;

use base64::Engine;
use connectwise_manage::models::Ticket;
use connectwise_manage::{Client, CodebaseMode, RateLimit, RetryPolicy};
use msp_sandbox::manage::{CODEBASE, CREDENTIALS};

/// The SDK's client for the sandbox at `site`, with the codebase fixed (as the floor has it) and
/// the given request budget; `retry` off makes a `429` an error the benchmark counts.
///
/// # Errors
/// When the client cannot be built.
pub fn sdk(
    site: &str,
    budget: Option<RateLimit>,
    retry: bool,
) -> Result<Client, connectwise_manage::Error> {
    let mut builder = Client::builder()
        .site(site)
        .company(CREDENTIALS.company)
        .public_key(CREDENTIALS.public_key)
        .private_key(CREDENTIALS.private_key)
        .client_id(CREDENTIALS.client_id)
        .codebase(CodebaseMode::Fixed(format!("{CODEBASE}/")));
    if let Some(budget) = budget {
        builder = builder.rate_limit(budget);
    }
    if !retry {
        builder = builder
            .retry_policy(RetryPolicy::none())
            .bulk_retry_policy(RetryPolicy::none());
    }
    builder.build()
}

/// A budget of `requests` per `window` seconds, evenly spaced.
pub fn budget(requests: u32, window: f64) -> RateLimit {
    RateLimit::new(
        NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN),
        Duration::from_secs_f64(window),
    )
}

/// The floor: reqwest, the sandbox's credentials in the same headers the SDK sends.
#[derive(Clone, Debug)]
pub struct Raw {
    http: reqwest::Client,
    api: String,
    authorization: String,
}

/// What went wrong in a floor request.
pub type RawError = Box<dyn std::error::Error + Send + Sync>;

impl Raw {
    /// A floor client for the API at `api` (`…/apis/3.0/`).
    ///
    /// # Errors
    /// When reqwest cannot build its client.
    pub fn new(api: &str) -> Result<Raw, RawError> {
        let basic = format!(
            "{}+{}:{}",
            CREDENTIALS.company, CREDENTIALS.public_key, CREDENTIALS.private_key
        );
        // What the SDK's default transport sets too: a `User-Agent` (so both send the same
        // headers) and a request timeout (so both run one timer per request).
        let defaults = msp_common::ReqwestConfig::default();
        Ok(Raw {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(defaults.user_agent)
                .timeout(defaults.request_timeout)
                .build()?,
            api: api.to_owned(),
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(basic)
            ),
        })
    }

    /// `GET` of `url`: the body and the `next` link.
    ///
    /// # Errors
    /// When the request fails or answers an error status.
    pub async fn get(
        &self,
        url: &str,
    ) -> Result<(msp_common::bytes::Bytes, Option<String>), RawError> {
        let response = self
            .http
            .get(url)
            .header(http::header::AUTHORIZATION, &self.authorization)
            .header("clientId", CREDENTIALS.client_id)
            .header(
                http::header::ACCEPT,
                connectwise_manage::accept_header(connectwise_manage::DEFAULT_API_VERSION),
            )
            .send()
            .await?
            .error_for_status()?;
        let next = response
            .headers()
            .get_all(http::header::LINK)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(next_link);
        Ok((response.bytes().await?, next))
    }

    /// The URL of `path` (relative to the API base, with its query).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.api, path.trim_start_matches('/'))
    }

    /// Streams every ticket in pages of `page_size`, following `next` links, each page decoded
    /// with `serde_json::from_slice` into `Vec<Ticket>`; `each` sees every ticket.
    ///
    /// # Errors
    /// When a request or a decode fails.
    pub async fn stream_tickets(
        &self,
        page_size: u32,
        mut each: impl FnMut(&Ticket) -> Result<(), String>,
    ) -> Result<(), RawError> {
        let mut url = self.url(&format!("service/tickets?pageSize={page_size}"));
        loop {
            let (body, next) = self.get(&url).await?;
            let page: Vec<Ticket> = serde_json::from_slice(&body)?;
            for ticket in &page {
                each(ticket)?;
            }
            match next {
                Some(next) if !page.is_empty() => url = next,
                _ => return Ok(()),
            }
        }
    }
}

/// The `rel="next"` target of one `Link` header value, read the simple way a hand-written
/// client does (the sandbox's links carry no commas without `conditions`).
pub fn next_link(value: &str) -> Option<String> {
    value.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let is_next = params
            .split(';')
            .any(|param| matches!(param.trim(), "rel=\"next\"" | "rel=next"));
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

/// Checks that a stream is exactly the seeded tickets: ids 1001, 1002, … with none missing,
/// none twice and none out of order.
#[derive(Debug)]
pub struct Check {
    next: i32,
    seen: u64,
    error: Option<String>,
}

impl Default for Check {
    fn default() -> Self {
        Check {
            next: 1001,
            seen: 0,
            error: None,
        }
    }
}

impl Check {
    /// Sees the next ticket of the stream.
    pub fn see(&mut self, ticket: &Ticket) -> Result<(), String> {
        let id = ticket.id.unwrap_or_default();
        if id != self.next {
            let error = format!("expected ticket {}, got {id}", self.next);
            self.error.get_or_insert(error.clone());
            return Err(error);
        }
        self.next += 1;
        self.seen += 1;
        Ok(())
    }

    /// `Ok` when exactly `expected` tickets were seen, in order.
    pub fn finish(&self, expected: u64) -> Result<(), String> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.seen != expected {
            return Err(format!("expected {expected} tickets, got {}", self.seen));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links() {
        let value = r#"<http://127.0.0.1:9/x?pageSize=2&page=2>; rel="next", <http://127.0.0.1:9/x?pageSize=2&page=9>; rel="last""#;
        assert_eq!(
            next_link(value).as_deref(),
            Some("http://127.0.0.1:9/x?pageSize=2&page=2")
        );
        assert_eq!(next_link(r#"<http://h/x?page=9>; rel="last""#), None);
    }

    #[test]
    fn checks_order_and_count() {
        let ticket = |id| Ticket {
            id: Some(id),
            ..Ticket::default()
        };
        let mut check = Check::default();
        check.see(&ticket(1001)).unwrap();
        check.see(&ticket(1002)).unwrap();
        assert!(check.finish(2).is_ok());
        assert!(check.finish(3).is_err());
        assert!(check.see(&ticket(1002)).is_err());
        assert!(check.finish(3).is_err());
    }
}
