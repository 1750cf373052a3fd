//! Generic access to any collection of the API, typed by the record model.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::{HeaderName, HeaderValue, Method};
use msp_common::{
    Error, FetchPage, Links, Operation, Page, PaginationError, Paginator, decode_json, url::Url,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::list_query::{ListQuery, Paging};
use crate::patch::Patch;
use crate::request::{ApiRequest, operation_name, split_path};

/// A collection such as `/service/tickets`, with its records decoded as `T` (a typed model, or
/// `serde_json::Value`).
///
/// Every call declares its operation to the retry layer: reads are safe to repeat, `PUT` and
/// `DELETE` are idempotent, `POST` and `PATCH` are never repeated after an answer that may have
/// been lost. Operation names follow ConnectWise's own (`getServiceTicketsByParentIdNotes`).
///
/// ```no_run
/// use connectwise_manage::{Client, ListQuery, query::Condition};
/// use futures::TryStreamExt;
///
/// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let agreements = client.endpoint::<serde_json::Value>("/finance/agreements");
/// let active = ListQuery::new().conditions(Condition::eq("cancelledFlag", false)?);
/// let mut stream = agreements.stream(&active);
/// while let Some(agreement) = stream.try_next().await? {
///     println!("{}", agreement["name"]);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Endpoint<T> {
    client: Client,
    segments: Vec<String>,
    route: String,
    api_version: Option<String>,
    model: PhantomData<fn() -> T>,
}

impl<T> Clone for Endpoint<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            segments: self.segments.clone(),
            route: self.route.clone(),
            api_version: self.api_version.clone(),
            model: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Endpoint<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("route", &self.route)
            .field("model", &std::any::type_name::<T>())
            .finish()
    }
}

/// The `{"count": N}` body of `/count`.
#[derive(serde::Deserialize)]
struct CountBody {
    count: u64,
}

impl<T> Endpoint<T> {
    pub(crate) fn new(client: Client, path: &str) -> Self {
        Self {
            client,
            segments: split_path(path),
            route: crate::request::route_of(path),
            api_version: None,
            model: PhantomData,
        }
    }

    /// An endpoint at already-split path segments (each percent-encoded on its own) with the
    /// spec's route template, which names the operations (`getServiceTicketsByParentIdNotes`).
    /// The typed accessors use it so that identifiers cannot change the path.
    pub(crate) fn at(client: Client, segments: Vec<String>, route: &str) -> Self {
        Self {
            client,
            segments,
            route: route.to_owned(),
            api_version: None,
            model: PhantomData,
        }
    }

    /// The route template, e.g. `/service/tickets/{parentId}/notes`.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// Asks for model version `version` on every call of this endpoint.
    pub fn with_api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// The child collection `name` of record `id`, e.g. a ticket's `notes`.
    pub fn child<U>(&self, id: i64, name: &str) -> Endpoint<U> {
        let mut segments = self.segments.clone();
        if segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        segments.push(id.to_string());
        segments.extend(split_path(name));
        let parent = self.route.replace("{parentId}", "{grandparentId}");
        Endpoint {
            client: self.client.clone(),
            segments,
            route: format!("{parent}/{{parentId}}/{}", name.trim_matches('/')),
            api_version: self.api_version.clone(),
            model: PhantomData,
        }
    }

    fn operation(&self, method: &Method, suffix: &str) -> Operation {
        let route = format!("{}{suffix}", self.route);
        let idempotency = match *method {
            Method::GET | Method::HEAD => msp_common::Idempotency::Safe,
            Method::PUT | Method::DELETE => msp_common::Idempotency::Idempotent,
            _ => msp_common::Idempotency::NonIdempotent,
        };
        Operation::new(operation_name(method, &route), route, idempotency)
    }

    fn request(&self, method: Method, extra: &[String], operation: Operation) -> ApiRequest {
        let mut segments = self.segments.clone();
        if !extra.is_empty() && segments.last().is_some_and(String::is_empty) {
            segments.pop();
        }
        segments.extend(extra.iter().cloned());
        let request = ApiRequest::with_segments(method, segments, operation);
        match &self.api_version {
            Some(version) => request.api_version(version.clone()),
            None => request,
        }
    }
}

impl<T> Endpoint<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// One page of records: `GET` with every query parameter of `query`.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Fields};
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let boards = client.endpoint::<serde_json::Value>("/service/boards");
    /// let first_page = boards
    ///     .list(&ListQuery::new().fields(Fields::new(["id", "name"])?).page_size(50))
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list(&self, query: &ListQuery) -> Result<Vec<T>, Error> {
        let operation = self.operation(&Method::GET, "");
        query.validate(operation.name())?;
        let request = self.list_request(query, operation);
        self.client.send_json(request).await
    }

    fn list_request(&self, query: &ListQuery, operation: Operation) -> ApiRequest {
        let mut request = self
            .request(Method::GET, &[], operation)
            .queries(query.to_pairs());
        if query.get_paging() == Paging::ForwardOnly {
            request = request.header(
                HeaderName::from_static("pagination-type"),
                HeaderValue::from_static("forward-only"),
            );
        }
        request
    }

    /// Every record, following `rel="next"` links page after page (default page size 1,000).
    ///
    /// In navigable paging, once the first page's `rel="last"` tells the page count, the pages
    /// after it are fetched ahead with the client's prefetch concurrency; records still come out
    /// in order. An `in (…)` list too long for one URL is split into several queries run one after
    /// another, each in server order.
    pub fn stream(&self, query: &ListQuery) -> BoxStream<'static, Result<T, Error>> {
        self.pages(query)
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Every page, for callers that checkpoint page by page.
    pub fn pages(&self, query: &ListQuery) -> BoxStream<'static, Result<Page<T>, Error>> {
        let this = self.clone();
        let query = query.with_default_page_size(self.client.shared().page_size);
        stream::once(async move {
            let operation = this.operation(&Method::GET, "");
            query.validate(operation.name())?;
            let base = this.client.base_url().await?;
            let queries = this.fit_url(&base, &query, &operation)?;
            let walks = stream::iter(queries).map(move |query| this.walk(base.clone(), query));
            Ok::<_, Error>(walks.flatten())
        })
        .try_flatten()
        .boxed()
    }

    /// Splits a query whose URL would be too long into queries that fit.
    fn fit_url(
        &self,
        base: &Url,
        query: &ListQuery,
        operation: &Operation,
    ) -> Result<Vec<ListQuery>, Error> {
        let limit = self.client.shared().max_url_length;
        let url = self.list_request(query, operation.clone()).url(base)?;
        if url.as_str().len() <= limit {
            return Ok(vec![query.clone()]);
        }
        let too_long = |detail: String| {
            Error::build(
                operation.name(),
                format!(
                    "the request URL would be {} characters, over the limit of {limit}: {detail}",
                    url.as_str().len()
                ),
            )
        };
        let Some(condition) = query.get_conditions() else {
            return Err(too_long(
                "shorten childConditions or customFieldConditions".into(),
            ));
        };
        let rest = url.as_str().len() - condition.encoded_len();
        let budget = limit
            .checked_sub(rest)
            .ok_or_else(|| too_long("the rest of the URL alone is too long".into()))?;
        let chunks = condition
            .split_in_list(budget)
            .map_err(|e| too_long(e.to_string()))?;
        tracing::debug!(chunks = chunks.len(), "split a long in-list");
        Ok(chunks
            .into_iter()
            .map(|chunk| query.with_conditions(chunk))
            .collect())
    }

    /// Walks one query's pages, prefetching when the page count is known.
    fn walk(&self, base: Url, query: ListQuery) -> BoxStream<'static, Result<Page<T>, Error>> {
        // Bulk: a long listing waits out a long `Retry-After` instead of failing halfway.
        let operation = self.operation(&Method::GET, "").bulk();
        let fetcher = Arc::new(PageFetcher {
            client: self.client.clone(),
            operation: operation.clone(),
            forward_only: query.get_paging() == Paging::ForwardOnly,
            api_version: self.api_version.clone(),
            model: PhantomData,
        });
        let prefetch = match query.get_paging() {
            Paging::Navigable => self.client.shared().prefetch,
            Paging::ForwardOnly => 1,
        };
        let first_request = self.list_request(&query, operation.clone());
        let first_page_number = query.get_page();
        stream::once(async move {
            let first_url = first_request.url(&base)?;
            let first = fetcher.fetch_page(first_url.clone()).await?;
            if first.items.is_empty() {
                return Ok(stream::empty().boxed());
            }
            let links = first.links.clone();
            let head = stream::once(futures::future::ready(Ok(first)));
            let last_page = links.last.as_ref().and_then(page_number);
            let Some(next) = links.next.clone() else {
                return Ok(head.boxed());
            };
            match last_page {
                Some(last) if prefetch > 1 && last > first_page_number + 1 => {
                    let last_url = links.last.clone().unwrap_or_else(|| next.clone());
                    if last_url.origin() != base.origin() {
                        return Err(Error::Pagination {
                            operation: operation.name().to_owned(),
                            source: PaginationError::ForeignOrigin {
                                origin: last_url.origin().ascii_serialization(),
                            },
                        });
                    }
                    Ok(head
                        .chain(prefetched(
                            fetcher,
                            operation,
                            base,
                            last_url,
                            first_page_number + 1,
                            last,
                            prefetch,
                        ))
                        .boxed())
                }
                _ => Ok(head
                    .chain(
                        Paginator::new(operation.name(), next)
                            .allowed_origin(&base)
                            .pages(ArcFetcher(fetcher)),
                    )
                    .boxed()),
            }
        })
        .try_flatten()
        .boxed()
    }

    /// One record: `GET {path}/{id}`.
    pub async fn get(&self, id: i64) -> Result<T, Error> {
        let operation = self.operation(&Method::GET, "/{id}");
        self.client
            .send_json(self.request(Method::GET, &[id.to_string()], operation))
            .await
    }

    /// One record, or `None` when it does not exist (404).
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, models::Company};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let companies = client.endpoint::<Company>("/company/companies");
    /// match companies.get_opt(250).await? {
    ///     Some(company) => println!("{:?}", company.name),
    ///     None => println!("no company 250"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_opt(&self, id: i64) -> Result<Option<T>, Error> {
        match self.get(id).await {
            Ok(record) => Ok(Some(record)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// How many records match: `GET {path}/count` with the query's filters.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Condition};
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let open = ListQuery::new().conditions(Condition::eq("closedFlag", false)?);
    /// let n = client.endpoint::<serde_json::Value>("/service/tickets").count(&open).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn count(&self, query: &ListQuery) -> Result<u64, Error> {
        let operation = self.operation(&Method::GET, "/count");
        let request = self
            .request(Method::GET, &["count".to_owned()], operation)
            .queries(query.count_pairs());
        let body: CountBody = self.client.send_json(request).await?;
        Ok(body.count)
    }

    /// Creates a record: `POST {path}` (answered 201 with the record). Never retried after an
    /// answer that may have been lost.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, models::TimeEntry};
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let entries = client.endpoint::<TimeEntry>("/time/entries");
    /// let entry = serde_json::json!({
    ///     "chargeToId": 12345, "chargeToType": "ServiceTicket",
    ///     "member": {"identifier": "automation"},
    ///     "timeStart": "2026-05-14T14:30:00Z", "timeEnd": "2026-05-14T14:31:00Z",
    ///     "notes": "Password reset by runbook", "billableOption": "Billable"
    /// });
    /// let created = entries.create(&entry).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create<B: Serialize + ?Sized>(&self, body: &B) -> Result<T, Error> {
        let operation = self.operation(&Method::POST, "");
        let request = self.request(Method::POST, &[], operation).json(body)?;
        self.client.send_json(request).await
    }

    /// Replaces a record: `PUT {path}/{id}`. Fields left out are reset by the server; prefer
    /// [`Endpoint::patch`].
    pub async fn update<B: Serialize + ?Sized>(&self, id: i64, body: &B) -> Result<T, Error> {
        let operation = self.operation(&Method::PUT, "/{id}");
        let request = self
            .request(Method::PUT, &[id.to_string()], operation)
            .json(body)?;
        self.client.send_json(request).await
    }

    /// Changes fields of a record: `PATCH {path}/{id}` with a JSON Patch. An empty patch is
    /// refused before sending.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, patch::Patch};
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let tickets = client.endpoint::<serde_json::Value>("/service/tickets");
    /// let change = Patch::new().priority_id(8).board_id(30).replace("summary", "VPN down at HQ")?;
    /// tickets.patch(12345, &change).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn patch(&self, id: i64, patch: &Patch) -> Result<T, Error> {
        let operation = self.operation(&Method::PATCH, "/{id}");
        if patch.is_empty() {
            return Err(Error::build(
                operation.name(),
                "the patch has no operations",
            ));
        }
        let request = self
            .request(Method::PATCH, &[id.to_string()], operation)
            .json(&patch.to_value())?;
        self.client.send_json(request).await
    }

    /// Deletes a record: `DELETE {path}/{id}` (answered 204).
    pub async fn delete(&self, id: i64) -> Result<(), Error> {
        let operation = self.operation(&Method::DELETE, "/{id}");
        self.client
            .send(self.request(Method::DELETE, &[id.to_string()], operation))
            .await
            .map(drop)
    }

    /// One page of records matching `query`, with the filters in the body of
    /// `POST {path}/search` (for filters too long for a URL). Safe to repeat: it is a read.
    ///
    /// ```no_run
    /// # use connectwise_manage::{Client, ListQuery, query::Condition};
    /// # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let query = ListQuery::new().conditions(Condition::like("summary", "*VPN*")?).page_size(100);
    /// let found = client.endpoint::<serde_json::Value>("/service/tickets").search(&query).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn search(&self, query: &ListQuery) -> Result<Vec<T>, Error> {
        let operation = Operation::safe(
            operation_name(&Method::POST, &format!("{}/search", self.route)),
            format!("{}/search", self.route),
        );
        query.validate(operation.name())?;
        let request = self
            .request(Method::POST, &["search".to_owned()], operation)
            .queries(query.search_pairs())
            .json(&query.search_body())?;
        self.client.send_json(request).await
    }

    /// Sets one custom field, found by its caption, and leaves every other custom field as it is:
    /// reads the record, replaces the whole `customFields` array with only that value changed, and
    /// patches it back.
    ///
    /// ```no_run
    /// # use connectwise_manage::Client;
    /// # async fn run(client: Client) -> Result<(), connectwise_manage::Error> {
    /// let companies = client.endpoint::<serde_json::Value>("/company/companies");
    /// companies.set_custom_field(250, "RMM Site", "HQ").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn set_custom_field(
        &self,
        id: i64,
        caption: &str,
        value: impl Into<Value>,
    ) -> Result<T, Error> {
        let operation = self.operation(&Method::GET, "/{id}");
        let record: Value = self
            .client
            .send_json(self.request(Method::GET, &[id.to_string()], operation.clone()))
            .await?;
        let patch = Patch::new()
            .set_custom_field(&record, caption, value.into())
            .map_err(|e| Error::Build {
                operation: operation.name().to_owned(),
                message: e.to_string(),
                source: Some(Box::new(e)),
            })?;
        self.patch(id, &patch).await
    }
}

/// Fetches pages `from..=to` (built from the `last` link) with bounded concurrency, in order,
/// stopping at the first empty page, then follows any `next` link the final page carries.
fn prefetched<T: DeserializeOwned + Send + 'static>(
    fetcher: Arc<PageFetcher<T>>,
    operation: Operation,
    base: Url,
    last_url: Url,
    from: u32,
    to: u32,
    concurrency: usize,
) -> BoxStream<'static, Result<Page<T>, Error>> {
    let tail_next: Arc<Mutex<Option<Url>>> = Arc::default();
    let record_tail = tail_next.clone();
    let fetch = fetcher.clone();
    let middle = stream::iter(from..=to)
        .map(move |page| {
            let fetcher = fetch.clone();
            let url = with_page(&last_url, page);
            async move { fetcher.fetch_page(url).await.map(|p| (page, p)) }
        })
        .buffered(concurrency)
        .try_take_while(|(_, page)| futures::future::ready(Ok(!page.items.is_empty())))
        .map_ok(move |(number, page)| {
            if number == to {
                *record_tail.lock().unwrap_or_else(|e| e.into_inner()) = page.links.next.clone();
            }
            page
        });
    let tail = stream::once(async move {
        let next = tail_next.lock().unwrap_or_else(|e| e.into_inner()).take();
        match next {
            Some(next) => Paginator::new(operation.name(), next)
                .allowed_origin(&base)
                .pages(ArcFetcher(fetcher)),
            None => stream::empty().boxed(),
        }
    })
    .flatten();
    middle.chain(tail).boxed()
}

/// The `page` query parameter of a link.
fn page_number(url: &Url) -> Option<u32> {
    url.query_pairs()
        .find(|(name, _)| name.eq_ignore_ascii_case("page"))
        .and_then(|(_, value)| value.parse().ok())
}

/// `url` with its `page` parameter set to `page`, every other parameter kept in order.
fn with_page(url: &Url, page: u32) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case("page") {
                (name.into_owned(), page.to_string())
            } else {
                (name.into_owned(), value.into_owned())
            }
        })
        .collect();
    let mut url = url.clone();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

/// Fetches one page of a listing through the client, reading its `Link` header.
struct PageFetcher<T> {
    client: Client,
    operation: Operation,
    forward_only: bool,
    api_version: Option<String>,
    model: PhantomData<fn() -> T>,
}

#[async_trait::async_trait]
impl<T: DeserializeOwned + Send + 'static> FetchPage<T> for PageFetcher<T> {
    async fn fetch_page(&self, url: Url) -> Result<Page<T>, Error> {
        let mut request = ApiRequest::get_url(url.clone(), self.operation.clone());
        if self.forward_only {
            request = request.header(
                HeaderName::from_static("pagination-type"),
                HeaderValue::from_static("forward-only"),
            );
        }
        if let Some(version) = &self.api_version {
            request = request.api_version(version.clone());
        }
        let response = self.client.send(request).await?;
        let links =
            Links::from_headers(response.headers(), &url).map_err(|e| Error::Pagination {
                operation: self.operation.name().to_owned(),
                source: e.into(),
            })?;
        let items: Vec<T> = decode_json(&self.operation, &response)?;
        Ok(Page::new(items, links, url))
    }
}

/// Lets the shared fetcher serve the generic paginator.
struct ArcFetcher<T>(Arc<PageFetcher<T>>);

#[async_trait::async_trait]
impl<T: DeserializeOwned + Send + 'static> FetchPage<T> for ArcFetcher<T> {
    async fn fetch_page(&self, url: Url) -> Result<Page<T>, Error> {
        self.0.fetch_page(url).await
    }
}
