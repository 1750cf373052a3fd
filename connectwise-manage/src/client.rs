//! The [`Client`]: one tenant, one set of credentials, and the request pipeline they share.

use std::fmt;
use std::sync::Arc;

use http::{HeaderValue, Method};
use msp_common::bytes::Bytes;
use msp_common::{Error, Executor, Operation, decode_json, url::Url};
use serde::de::DeserializeOwned;

use crate::codebase::{CodebaseCache, CodebaseMode};
use crate::company_info::CompanyInfo;
use crate::endpoint::Endpoint;
use crate::error::signals_moved_codebase;
use crate::impersonation::MemberTokens;
use crate::request::{ApiRequest, Credentials};
use crate::site::Site;

/// A ConnectWise Manage client. Cheap to clone: clones share connections, the codebase cache and
/// any rate budget.
///
/// Build one with [`Client::builder`] or [`Client::from_env`], then reach records through any path
/// with [`Client::endpoint`].
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    member: Option<Arc<MemberTokens>>,
}

pub(crate) struct Shared {
    pub(crate) executor: Executor,
    pub(crate) site: Site,
    pub(crate) company: String,
    public_key: String,
    pub(crate) authorization: HeaderValue,
    pub(crate) client_id: HeaderValue,
    pub(crate) api_version: String,
    codebase: CodebaseCache,
    pub(crate) page_size: u32,
    pub(crate) prefetch: usize,
    pub(crate) max_url_length: usize,
}

/// What [`crate::ClientBuilder::build`] hands over.
pub(crate) struct Parts {
    pub(crate) executor: Executor,
    pub(crate) site: Site,
    pub(crate) company: String,
    pub(crate) public_key: String,
    pub(crate) authorization: HeaderValue,
    pub(crate) client_id: HeaderValue,
    pub(crate) api_version: String,
    pub(crate) codebase: CodebaseMode,
    pub(crate) page_size: u32,
    pub(crate) prefetch: usize,
    pub(crate) max_url_length: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("site", &self.shared.site)
            .field("company", &self.shared.company)
            .field("public_key", &self.shared.public_key)
            .field("private_key", &"<redacted>")
            .field("client_id", &"<redacted>")
            .field("api_version", &self.shared.api_version)
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> crate::ClientBuilder {
        crate::ClientBuilder::new()
    }

    /// A client configured from the `CW_*` environment variables (see
    /// [`crate::ClientBuilder::from_env`]); the error names every missing variable.
    pub fn from_env() -> Result<Client, Error> {
        crate::ClientBuilder::from_env().build()
    }

    pub(crate) fn from_parts(parts: Parts) -> Client {
        Client {
            shared: Arc::new(Shared {
                executor: parts.executor,
                site: parts.site,
                company: parts.company,
                public_key: parts.public_key,
                authorization: parts.authorization,
                client_id: parts.client_id,
                api_version: parts.api_version,
                codebase: CodebaseCache::new(parts.codebase),
                page_size: parts.page_size,
                prefetch: parts.prefetch,
                max_url_length: parts.max_url_length,
            }),
            member: None,
        }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// The tenant's site.
    pub fn site(&self) -> &Site {
        &self.shared.site
    }

    /// The login company id.
    pub fn company_id(&self) -> &str {
        &self.shared.company
    }

    /// The model version sent by default.
    pub fn api_version(&self) -> &str {
        &self.shared.api_version
    }

    /// Any collection of the API by path, with records decoded as `T` (a model, or
    /// `serde_json::Value` for anything): `client.endpoint::<Value>("/finance/agreements")`.
    pub fn endpoint<T>(&self, path: &str) -> Endpoint<T> {
        Endpoint::new(self.clone(), path)
    }

    /// A client that acts as `member` (the member's identifier), through impersonation tokens from
    /// `POST /system/members/{identifier}/tokens`. Tokens are fetched on first use and renewed
    /// shortly before they expire; the clone shares everything else with this client.
    ///
    /// ```no_run
    /// # async fn run(client: connectwise_manage::Client) -> Result<(), connectwise_manage::Error> {
    /// // Notes and time entries created through `as_tech` are attributed to jdoe.
    /// let as_tech = client.impersonate("jdoe");
    /// let note = serde_json::json!({"text": "Checked the backups", "internalAnalysisFlag": true});
    /// as_tech.endpoint::<serde_json::Value>("/service/tickets/42/notes").create(&note).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn impersonate(&self, member: impl Into<String>) -> Client {
        Client {
            shared: self.shared.clone(),
            member: Some(Arc::new(MemberTokens::new(member.into()))),
        }
    }

    /// Asks `/login/companyinfo/{company}` about the tenant (no credentials are sent).
    pub async fn company_info(&self) -> Result<CompanyInfo, Error> {
        let mut url = self.shared.site.origin().clone();
        url.path_segments_mut()
            .map_err(|()| Error::build("getCompanyInfo", "the site cannot have a path"))?
            .pop_if_empty()
            .extend(["login", "companyinfo", self.shared.company.as_str()]);
        let operation = Operation::safe("getCompanyInfo", "/login/companyinfo/{company}");
        let request = http::Request::get(url.as_str())
            .header(http::header::ACCEPT, "application/json")
            .body(Bytes::new())
            .map_err(|e| Error::Build {
                operation: operation.name().to_owned(),
                message: "invalid company info request".to_owned(),
                source: Some(Box::new(e)),
            })?;
        let response = self
            .shared
            .executor
            .send(operation.clone().attach(request))
            .await?;
        let info: Option<CompanyInfo> = decode_json(&operation, &response)?;
        info.ok_or_else(|| {
            msp_common::ConfigError::invalid(
                "company",
                format!(
                    "ConnectWise does not know the company id {:?} on {}",
                    self.shared.company,
                    self.shared.site.host()
                ),
            )
            .into()
        })
    }

    async fn discover_codebase(&self) -> Result<String, Error> {
        let info = self.company_info().await?;
        let codebase = info.codebase.ok_or_else(|| {
            Error::from(msp_common::ConfigError::invalid(
                "company",
                "company info did not name a codebase",
            ))
        })?;
        let codebase = codebase.trim().trim_start_matches('/').to_owned();
        Ok(if codebase.ends_with('/') {
            codebase
        } else {
            format!("{codebase}/")
        })
    }

    /// The codebase in use, discovering it on first use.
    pub async fn codebase(&self) -> Result<String, Error> {
        self.shared
            .codebase
            .get_or_discover(|| self.discover_codebase())
            .await
    }

    /// The API base URL, e.g. `https://api-na.myconnectwise.net/v2025_1/apis/3.0/`.
    pub async fn base_url(&self) -> Result<Url, Error> {
        let codebase = self.codebase().await?;
        Ok(self.shared.site.api_base(&codebase)?)
    }

    /// Sends `request` and returns the success response.
    ///
    /// When codebase discovery is on and a path answers 404 with no API error body (the sign of a
    /// codebase retired by a release), the codebase is discovered again once and, if it changed,
    /// the request is sent once more.
    pub async fn send(&self, request: ApiRequest) -> Result<http::Response<Bytes>, Error> {
        let codebase = self.codebase().await?;
        let result = self.send_with_codebase(request.clone(), &codebase).await;
        match result {
            Err(Error::Api(ref api))
                if !request.is_absolute()
                    && self.shared.codebase.discovers()
                    && signals_moved_codebase(api) =>
            {
                let fresh = self
                    .shared
                    .codebase
                    .refresh(&codebase, || self.discover_codebase())
                    .await?;
                if fresh == codebase {
                    return result;
                }
                tracing::info!("the tenant's codebase changed; resending");
                self.send_with_codebase(request, &fresh).await
            }
            other => other,
        }
    }

    async fn send_with_codebase(
        &self,
        request: ApiRequest,
        codebase: &str,
    ) -> Result<http::Response<Bytes>, Error> {
        let base = self.shared.site.api_base(codebase)?;
        let member_header;
        let authorization = match &self.member {
            Some(member) => {
                member_header = member.authorization(self).await?;
                &member_header
            }
            None => &self.shared.authorization,
        };
        let credentials = Credentials {
            authorization: Some(authorization),
            client_id: Some(&self.shared.client_id),
        };
        let http_request = request.build(&base, &credentials, &self.shared.api_version)?;
        self.shared.executor.send(http_request).await
    }

    /// Sends with the API member's own keys, whatever member this client impersonates.
    ///
    /// Boxed because it is reached from inside [`Client::send`] (fetching an impersonation token).
    pub(crate) fn send_as_api_member(
        &self,
        request: ApiRequest,
    ) -> futures::future::BoxFuture<'static, Result<http::Response<Bytes>, Error>> {
        let api_member = Client {
            shared: self.shared.clone(),
            member: None,
        };
        Box::pin(async move { api_member.send(request).await })
    }

    /// Sends `request` and decodes the body as `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T, Error> {
        let operation = request.operation().clone();
        let response = self.send(request).await?;
        decode_json(&operation, &response)
    }

    /// `GET` of a single object at `path`, such as `/system/info`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let route = crate::request::route_of(path);
        let name = crate::request::operation_name(&Method::GET, &route);
        self.send_json(ApiRequest::new(
            Method::GET,
            path,
            Operation::safe(name, route),
        ))
        .await
    }
}
