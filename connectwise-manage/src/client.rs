//! The [`Client`]: one tenant, one set of credentials, and the request pipeline they share.

use std::fmt;
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::{HeaderValue, Method};
use msp_common::bytes::Bytes;
use msp_common::{
    DecodedPage, Error, Executor, FetchPage, Links, Operation, PageDecoder, Paginator, RawPage,
    decode_json, url::Url,
};
use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::list::PageOptions;

use crate::codebase::{ApiBase, CodebaseCache, CodebaseMode};
use crate::endpoint::Endpoint;
use crate::error::{error_object, signals_moved_codebase};
use crate::impersonation::MemberTokens;
use crate::request::{Credentials, Request};
use crate::site::Site;
use crate::tenant_info::TenantInfo;

/// A ConnectWise Manage client. Cheap to clone: clones share connections, the codebase cache and
/// any rate budget.
///
/// Build one with [`Client::builder`] or [`Client::from_env`], then reach records through the
/// typed accessors (`client.service().tickets()`) or any path with [`Client::endpoint`]. Both
/// build [`Call`]s and [`crate::List`]s, which run on two engine functions: [`Client::execute`]
/// and [`Client::paginate`].
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
    /// `Accept` for [`Shared::api_version`], built once: most requests send it.
    accept: HeaderValue,
    codebase: CodebaseCache,
    pub(crate) page_size: u32,
    pub(crate) prefetch: usize,
    pub(crate) prefetch_bytes: u64,
    pub(crate) max_pages: u64,
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
    pub(crate) accept: HeaderValue,
    pub(crate) codebase: CodebaseMode,
    pub(crate) page_size: u32,
    pub(crate) prefetch: usize,
    pub(crate) prefetch_bytes: u64,
    pub(crate) max_pages: u64,
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
                codebase: CodebaseCache::new(parts.codebase, parts.site.clone()),
                site: parts.site,
                company: parts.company,
                public_key: parts.public_key,
                authorization: parts.authorization,
                client_id: parts.client_id,
                api_version: parts.api_version,
                accept: parts.accept,
                page_size: parts.page_size,
                prefetch: parts.prefetch,
                prefetch_bytes: parts.prefetch_bytes,
                max_pages: parts.max_pages,
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
        // Only here are operation names and idempotency derived from the path and method; the
        // typed accessors carry the spec's.
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
    pub async fn company_info(&self) -> Result<TenantInfo, Error> {
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
        let info: Option<TenantInfo> = decode_json(&operation, &response)?;
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
        Ok(self.api_base().await?.codebase.clone())
    }

    /// The API base URL, e.g. `https://api-na.myconnectwise.net/v2025_1/apis/3.0/`.
    pub async fn base_url(&self) -> Result<Url, Error> {
        Ok(self.api_base().await?.url.clone())
    }

    /// The codebase and the base URL under it, cached together.
    async fn api_base(&self) -> Result<Arc<ApiBase>, Error> {
        // Discovery is boxed: it runs once per client, and unboxed its future would be part of
        // every call's.
        self.shared
            .codebase
            .get_or_discover(|| Box::pin(self.discover_codebase()))
            .await
    }

    /// Sends `request` and returns the success response: the engine every [`Call`] runs on.
    ///
    /// A success status whose body is an API error object (`{"code": "InvalidObject",
    /// "message": …}`) is an [`Error::Api`], not a record: decoding it would give an empty
    /// record with the error in `extra`, which a following `PUT` would send back.
    ///
    /// When codebase discovery is on and a path answers 404 with no API error body (the sign of a
    /// codebase retired by a release), the codebase is discovered again once and, if it changed,
    /// the request is sent once more.
    pub async fn execute(&self, request: Request) -> Result<http::Response<Bytes>, Error> {
        self.send(&request).await
    }

    /// [`Client::execute`] of a borrowed request. The request is held once, by the caller's
    /// future, instead of once more by every future it is handed down to.
    pub(crate) async fn send(&self, request: &Request) -> Result<http::Response<Bytes>, Error> {
        let response = self.send_following_codebase(request).await?;
        match error_object(request.operation(), &response) {
            Some(error) => Err(Error::Api(Box::new(error))),
            None => Ok(response),
        }
    }

    /// Every page of the listing whose first page is `request`, each decoded once by `decoder`:
    /// the engine every [`List`](crate::List) runs on.
    ///
    /// Follows `rel="next"` links through msp-common's one page walker with the client's rails:
    /// links must stay on the base URL's origin, a link back to a page already read ends the walk
    /// before anything repeats, and at most [`PageOptions::max_pages`] pages are read (the
    /// client's [`crate::ClientBuilder::max_pages`] unless set). In navigable paging, once the
    /// first page's `rel="last"` tells the page count, the pages after it are fetched ahead
    /// ([`PageOptions::prefetch`]) and decoded where they are fetched, in parallel on the
    /// runtime's worker threads; pages still come out in order. The pages ahead hold at most
    /// [`PageOptions::prefetch_bytes`] of response bodies, and only one of them per worker thread
    /// but one (at least one) is decoded before it is asked for. A request with
    /// `pagination-type: forward-only` is walked by `pageId`, one page at a time.
    ///
    /// ```no_run
    /// use connectwise_manage::models::Ticket;
    /// use connectwise_manage::{Client, PageDecoder, PageOptions};
    /// use futures::TryStreamExt;
    ///
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let request = client.service().tickets().list(&Default::default()).request()?;
    /// let mut pages = client.paginate(request, PageOptions::default(), PageDecoder::of::<Ticket>());
    /// while let Some(page) = pages.try_next().await? {
    ///     let page = page.into_page::<Ticket>()?;
    ///     println!("{} tickets from {}", page.items.len(), page.url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn paginate(
        &self,
        request: Request,
        options: PageOptions,
        decoder: PageDecoder,
    ) -> BoxStream<'static, Result<DecodedPage, Error>> {
        let client = self.clone();
        // Bulk: a long listing waits out a long `Retry-After` instead of failing halfway.
        let request = request.bulk();
        stream::once(async move {
            let base = client.base_url().await?;
            let first = request.url(&base)?;
            let forward_only = request
                .headers()
                .get("pagination-type")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"forward-only"));
            let shared = client.shared();
            let paginator = Paginator::new(request.operation().clone(), first)
                .allowed_origin(&base)
                .max_pages(options.max_pages.unwrap_or(shared.max_pages));
            let paginator = if forward_only {
                paginator.page_parameter("pageId", 0)
            } else {
                paginator
                    .page_parameter("page", 1)
                    .prefetch(options.prefetch.unwrap_or(shared.prefetch))
                    .prefetch_bytes(options.prefetch_bytes.unwrap_or(shared.prefetch_bytes))
            };
            let fetcher = Arc::new(PageFetcher {
                client: client.clone(),
                template: request,
            });
            Ok::<_, Error>(paginator.decoded(fetcher, decoder))
        })
        .try_flatten()
        .boxed()
    }

    /// A typed call of any request, for what neither the accessors nor [`Client::endpoint`]
    /// cover: the success body decodes as `T`.
    pub fn call<T: DeserializeOwned>(&self, request: Request) -> Call<T> {
        Call::json(self.clone(), Ok(request))
    }

    async fn send_following_codebase(
        &self,
        request: &Request,
    ) -> Result<http::Response<Bytes>, Error> {
        let base = self.api_base().await?;
        let result = self.send_under(request, &base).await;
        match result {
            Err(Error::Api(ref api))
                if !request.is_absolute()
                    && self.shared.codebase.discovers()
                    && signals_moved_codebase(api) =>
            {
                let fresh = self
                    .shared
                    .codebase
                    .refresh(&base, || Box::pin(self.discover_codebase()))
                    .await?;
                if fresh.codebase == base.codebase {
                    return result;
                }
                tracing::info!("the tenant's codebase changed; resending");
                self.send_under(request, &fresh).await
            }
            other => other,
        }
    }

    /// Sends `request` under `base` with this client's credentials.
    async fn send_under(
        &self,
        request: &Request,
        base: &ApiBase,
    ) -> Result<http::Response<Bytes>, Error> {
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
        let accept_override;
        let accept = match request.version() {
            None => &self.shared.accept,
            Some(version) => {
                accept_override = crate::request::accept_value(request.operation(), version)?;
                &accept_override
            }
        };
        let http_request = request.to_http(&base.url, &credentials, accept)?;
        self.shared.executor.send(http_request).await
    }

    /// Sends with the API member's own keys, whatever member this client impersonates.
    ///
    /// Boxed because it is reached from inside [`Client::execute`] (fetching an impersonation token).
    pub(crate) fn send_as_api_member(
        &self,
        request: Request,
    ) -> futures::future::BoxFuture<'static, Result<http::Response<Bytes>, Error>> {
        let api_member = Client {
            shared: self.shared.clone(),
            member: None,
        };
        Box::pin(async move { api_member.execute(request).await })
    }

    /// `GET` of a single object at `path`, such as `/system/info`. The operation is named from the
    /// path, as for [`Client::endpoint`].
    pub fn get_json<T: DeserializeOwned>(&self, path: &str) -> Call<T> {
        let route = crate::request::route_of(path);
        let name = crate::request::operation_name(&Method::GET, &route);
        self.call(Request::new(
            Method::GET,
            path,
            Operation::safe(name, route),
        ))
    }
}

/// Fetches one page of a listing through the client, with the headers and model version of the
/// listing's first request, and reads its `Link` header.
struct PageFetcher {
    client: Client,
    template: Request,
}

#[async_trait::async_trait]
impl FetchPage for PageFetcher {
    async fn fetch_page(&self, url: Url) -> Result<RawPage, Error> {
        let request = self.template.at_url(url.clone());
        let response = self.client.send(&request).await?;
        let links =
            Links::from_headers(response.headers(), &url).map_err(|e| Error::Pagination {
                operation: self.template.operation().name().to_owned(),
                source: e.into(),
            })?;
        Ok(RawPage::new(response.into_body(), links, url))
    }
}
