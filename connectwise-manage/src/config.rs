//! Building a [`Client`]: the tenant, the credentials, the model version, and the transport's retry,
//! rate and timeout settings.

use std::fmt;
use std::sync::Arc;

use msp_common::secret::{basic_auth, sensitive_header};
use msp_common::{
    Clock, ConfigError, Error, ExecutorBuilder, RateLimit, ReqwestConfig, RetryPolicy,
    SecretString, Sleep, Transport,
};

use crate::client::Client;
use crate::codebase::{CodebaseMode, DEFAULT_CODEBASE};
use crate::error::ManageErrorDecoder;
use crate::list_query::MAX_PAGE_SIZE;
use crate::site::Site;

/// The model version pinned by default: the version of the spec the typed models were generated
/// from, so a regenerated client sends the version its models describe.
pub const DEFAULT_API_VERSION: &str = crate::api::SPEC_VERSION;

/// The environment variables [`ClientBuilder::from_env`] reads.
pub const ENV_VARS: [&str; 6] = [
    "CW_SITE",
    "CW_COMPANY",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_CLIENT_ID",
    "CW_API_VERSION",
];

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// ```no_run
/// use connectwise_manage::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .site("na.myconnectwise.net")
///     .company("acme")
///     .public_key("pUbLiC")
///     .private_key("pRiVaTe")
///     .client_id("0f6b1f0e-0000-4000-8000-000000000000")
///     .retry_policy(RetryPolicy::background())
///     .build()?;
/// # Ok::<(), connectwise_manage::Error>(())
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    site: Option<String>,
    company: Option<String>,
    public_key: Option<String>,
    private_key: Option<SecretString>,
    client_id: Option<SecretString>,
    api_version: Option<String>,
    codebase: Option<CodebaseMode>,
    page_size: Option<u32>,
    prefetch: Option<usize>,
    prefetch_bytes: Option<u64>,
    max_pages: Option<u64>,
    max_url_length: Option<usize>,
    executor: ExecutorBuilder,
    /// The settings whose value came from the environment, so that an unusable one is reported
    /// by its variable's name.
    from_env: Vec<&'static str>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("site", &self.site)
            .field("company", &self.company)
            .field("public_key", &self.public_key)
            .field(
                "private_key",
                &self.private_key.as_ref().map(|_| "<redacted>"),
            )
            .field("client_id", &self.client_id.as_ref().map(|_| "<redacted>"))
            .field("api_version", &self.api_version)
            .field("codebase", &self.codebase)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder filled from `CW_SITE`, `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY`,
    /// `CW_CLIENT_ID` and, optionally, `CW_API_VERSION`. Missing variables are reported together,
    /// by name, when [`ClientBuilder::build`] runs.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self {
            site: get("CW_SITE"),
            company: get("CW_COMPANY"),
            public_key: get("CW_PUBLIC_KEY"),
            private_key: get("CW_PRIVATE_KEY").map(SecretString::from),
            client_id: get("CW_CLIENT_ID").map(SecretString::from),
            api_version: get("CW_API_VERSION"),
            ..Self::default()
        };
        for (setting, present) in [
            ("site", builder.site.is_some()),
            ("company", builder.company.is_some()),
            ("public_key", builder.public_key.is_some()),
        ] {
            if present {
                builder.from_env.push(setting);
            }
        }
        builder
    }

    /// How an unusable setting is named in errors: by its environment variable when its value
    /// came from there (`CW_SITE`), else by the builder method (`site`).
    fn setting_name(&self, setting: &'static str) -> String {
        if self.from_env.contains(&setting) {
            format!("CW_{}", setting.to_ascii_uppercase())
        } else {
            setting.to_owned()
        }
    }

    /// Marks `setting` as set through the builder.
    fn set_by_builder(&mut self, setting: &'static str) {
        self.from_env.retain(|name| *name != setting);
    }

    /// The tenant: a cloud host (`api-na.myconnectwise.net`), an on-premise host, or a full base
    /// URL (see [`Site`]).
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.set_by_builder("site");
        self.site = Some(site.into());
        self
    }

    /// The login company id.
    pub fn company(mut self, company: impl Into<String>) -> Self {
        self.set_by_builder("company");
        self.company = Some(company.into());
        self
    }

    /// The API member's public key.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.set_by_builder("public_key");
        self.public_key = Some(key.into());
        self
    }

    /// The API member's private key.
    pub fn private_key(mut self, key: impl Into<SecretString>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// The integration's `clientId`, which ConnectWise asks to be kept like a password.
    pub fn client_id(mut self, client_id: impl Into<SecretString>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The model version sent in `Accept` (default [`DEFAULT_API_VERSION`]); each request can
    /// override it.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// How the codebase is chosen (default: discovered through company info).
    pub fn codebase(mut self, mode: CodebaseMode) -> Self {
        self.codebase = Some(mode);
        self
    }

    /// Turns codebase discovery off: `v4_6_release/` is used, as on-premise servers expect.
    pub fn without_codebase_discovery(self) -> Self {
        self.codebase(CodebaseMode::Fixed(DEFAULT_CODEBASE.to_owned()))
    }

    /// Records per page when a listing does not say (default 1,000, the maximum).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// How many pages a navigable listing fetches ahead once it knows the page count
    /// (default 2; 1 turns prefetching off). Whatever the number, the pages ahead stay within
    /// [`ClientBuilder::prefetch_bytes`], and only one of them per worker thread of the runtime
    /// but one (at least one) is decoded before it is asked for; the others wait as bodies.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = Some(pages);
        self
    }

    /// The most response-body bytes a listing's pages fetched ahead may hold (default
    /// [`DEFAULT_PREFETCH_BYTES`](msp_common::DEFAULT_PREFETCH_BYTES), 8 MiB, about six pages
    /// of 1,000 tickets). While the pages ahead, each counted at the size of the largest page
    /// read so far, fill it, no more are fetched; one page is always fetched ahead when
    /// prefetching. Decoded records take several times their body, so this and the worker
    /// threads bound what a stream holds. A listing can set its own with
    /// [`List::prefetch_bytes`](crate::List::prefetch_bytes).
    pub fn prefetch_bytes(mut self, bytes: u64) -> Self {
        self.prefetch_bytes = Some(bytes);
        self
    }

    /// The most pages one listing reads before it ends with
    /// [`PaginationError::TooManyPages`](msp_common::PaginationError::TooManyPages) (default
    /// [`DEFAULT_MAX_PAGES`](msp_common::DEFAULT_MAX_PAGES), 10,000), so an endless `next` chain
    /// or a `last` link of two billion cannot keep a sync running forever. A listing can set its
    /// own with [`List::max_pages`](crate::List::max_pages).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// The longest request URL sent; longer `in (…)` lists are split (default 2,000 characters).
    pub fn max_url_length(mut self, length: usize) -> Self {
        self.max_url_length = Some(length);
        self
    }

    /// The retry schedule of single calls (default [`RetryPolicy::interactive`]: 3 attempts, a
    /// `Retry-After` of up to 10 s waited out, 30 s overall). Unless
    /// [`ClientBuilder::bulk_retry_policy`] is set too, it also applies to listings.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.executor = self.executor.retry_policy(policy);
        self
    }

    /// The retry schedule of each page request of a listing (every page that
    /// [`List::by_item`](crate::List::by_item), [`List::by_page`](crate::List::by_page) and
    /// [`List::all`](crate::List::all) fetch, typed or through [`Client::endpoint`](crate::Client::endpoint)).
    ///
    /// The default, when neither this nor [`ClientBuilder::retry_policy`] is set, is
    /// [`RetryPolicy::background`]: a 429 asking to wait up to 2 minutes is waited out, so a long
    /// listing does not end with an error halfway; a longer wait ends it with
    /// [`Error::RateLimited`] carrying the delay.
    pub fn bulk_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.executor = self.executor.bulk_retry_policy(policy);
        self
    }

    /// A client-side request budget shared by clones of the client, e.g.
    /// `RateLimit::per_minute(900)`.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.executor = self.executor.rate_limit(limit);
        self
    }

    /// Timeouts and user agent of the default transport.
    pub fn reqwest(mut self, config: ReqwestConfig) -> Self {
        self.executor = self.executor.reqwest(config);
        self
    }

    /// Sends through `transport` instead of reqwest.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.executor = self.executor.transport(transport);
        self
    }

    /// How to wait between attempts (tests inject a recording sleeper).
    pub fn sleep(mut self, sleep: Arc<dyn Sleep>) -> Self {
        self.executor = self.executor.sleep(sleep);
        self
    }

    /// Where time comes from (tests inject a manual clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.executor = self.executor.clock(clock);
        self
    }

    /// Checks the settings and builds the client. Nothing is sent until the first call.
    pub fn build(self) -> Result<Client, Error> {
        let mut missing = Vec::new();
        let mut need = |value: bool, name: &str| {
            if !value {
                missing.push(name.to_owned());
            }
        };
        need(self.site.is_some(), "CW_SITE (site)");
        need(self.company.is_some(), "CW_COMPANY (company)");
        need(self.public_key.is_some(), "CW_PUBLIC_KEY (public_key)");
        need(self.private_key.is_some(), "CW_PRIVATE_KEY (private_key)");
        need(self.client_id.is_some(), "CW_CLIENT_ID (client_id)");
        let site_name = self.setting_name("site");
        let company_name = self.setting_name("company");
        let public_key_name = self.setting_name("public_key");
        let (Some(site), Some(company), Some(public_key), Some(private_key), Some(client_id)) = (
            self.site,
            self.company,
            self.public_key,
            self.private_key,
            self.client_id,
        ) else {
            return Err(ConfigError::Missing { names: missing }.into());
        };
        let site = Site::parse(&site).map_err(|error| match error {
            ConfigError::Invalid { reason, .. } => ConfigError::invalid(site_name, reason),
            other => other,
        })?;
        let company = company.trim().to_owned();
        if company.is_empty() || company.contains(['+', ':', '/']) {
            return Err(ConfigError::invalid(company_name, "must be a plain company id").into());
        }
        if public_key.contains(':') {
            return Err(ConfigError::invalid(public_key_name, "must not contain ':'").into());
        }
        let authorization = basic_auth(&format!("{company}+{public_key}"), &private_key)?;
        let client_id = {
            use msp_common::ExposeSecret;
            sensitive_header(client_id.expose_secret().trim(), "client_id")?
        };
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        let accept = http::HeaderValue::try_from(crate::request::accept_header(&api_version))
            .map_err(|_| {
                ConfigError::invalid(
                    "api_version",
                    "contains characters that cannot be sent in an HTTP header",
                )
            })?;
        let codebase = match (site.pinned_codebase(), self.codebase) {
            (Some(pinned), _) => CodebaseMode::Fixed(pinned.to_owned()),
            (None, Some(CodebaseMode::Fixed(codebase))) => {
                CodebaseMode::Fixed(normalise_codebase(&codebase)?)
            }
            (None, mode) => mode.unwrap_or_default(),
        };
        let page_size = self.page_size.unwrap_or(MAX_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(ConfigError::invalid("page_size", "must be between 1 and 1000").into());
        }
        let executor = self
            .executor
            .error_decoder(Arc::new(ManageErrorDecoder))
            .build()?;
        Ok(Client::from_parts(crate::client::Parts {
            executor,
            site,
            company,
            public_key,
            authorization,
            client_id,
            api_version,
            accept,
            codebase,
            page_size,
            prefetch: self.prefetch.unwrap_or(2).max(1),
            prefetch_bytes: self
                .prefetch_bytes
                .unwrap_or(msp_common::DEFAULT_PREFETCH_BYTES),
            max_pages: self
                .max_pages
                .unwrap_or(msp_common::DEFAULT_MAX_PAGES)
                .max(1),
            max_url_length: self.max_url_length.unwrap_or(2000),
        }))
    }
}

/// `v2025_1` → `v2025_1/`, refusing anything that is not a single path segment.
fn normalise_codebase(codebase: &str) -> Result<String, ConfigError> {
    let trimmed = codebase.trim().trim_matches('/');
    if trimmed.is_empty()
        || !trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return Err(ConfigError::invalid(
            "codebase",
            "must be one path segment such as v2025_1",
        ));
    }
    Ok(format!("{trimmed}/"))
}
