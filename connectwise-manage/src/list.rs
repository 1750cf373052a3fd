//! [`List`]: a typed listing, built with no I/O, read page by page, record by record or whole.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use http::{HeaderName, HeaderValue};
use msp_common::{DecodedPage, Error, Page, PageDecoder, url::Url};
use serde::de::DeserializeOwned;

use crate::call::{self, ApiFuture, Call};
use crate::client::Client;
use crate::list_query::{ListQuery, Paging};
use crate::query::{Condition, Fields, OrderBy};
use crate::request::Request;

/// The stream [`List::by_item`] and [`List::by_page`] return: `Send` and `'static`.
pub type ApiStream<T> = BoxStream<'static, Result<T, Error>>;

/// How far a listing walks and how much it fetches ahead; `None` takes the client's setting
/// ([`crate::ClientBuilder::prefetch`], [`crate::ClientBuilder::prefetch_bytes`],
/// [`crate::ClientBuilder::max_pages`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageOptions {
    /// Pages fetched at once once the page count is known (navigable paging only).
    pub prefetch: Option<usize>,
    /// The most response-body bytes the pages fetched ahead may hold.
    pub prefetch_bytes: Option<u64>,
    /// The most pages fetched before the walk ends with
    /// [`PaginationError::TooManyPages`](msp_common::PaginationError::TooManyPages).
    pub max_pages: Option<u64>,
}

/// One listing of records `T`: the first page request plus the options of the walk. Building one
/// sends nothing.
///
/// - `.await` sends one request and gives the **first page** (`Vec<T>`), as a one-page lookup
///   wants (`page_size(1)` for "the newest one").
/// - [`List::by_item`] streams every record, [`List::by_page`] every page (for checkpoints), and
///   [`List::all`] collects every record. They follow `Link` headers with the client's safety
///   rails: links to another origin, links back to a page already read, and walks longer than
///   the page cap end in [`Error::Pagination`] before any record is handed out twice.
/// - [`List::request`] is the first page's request, for inspection with no server.
///
/// Per-call options (page size, filters, ordering, fields, paging mode, prefetch, page cap, model
/// version) are methods on the value.
///
/// ```
/// use connectwise_manage::query::{Condition, OrderBy};
/// use connectwise_manage::{Client, Error, ListQuery};
///
/// # fn run(client: Client) -> Result<(), Error> {
/// let newest_open = client
///     .service()
///     .tickets()
///     .list(&ListQuery::new())
///     .conditions(Condition::eq("closedFlag", false)?)
///     .order_by(OrderBy::desc("id")?)
///     .page_size(1);
/// let request = newest_open.request()?;
/// assert_eq!(request.path(), "/service/tickets");
/// assert_eq!(
///     request.query_pairs()[1],
///     ("orderBy".to_owned(), "id desc".to_owned())
/// );
/// # Ok(())
/// # }
/// # let client = Client::builder().site("https://cw.example.com").company("acme")
/// #     .public_key("p").private_key("k").client_id("c").without_codebase_discovery()
/// #     .build().unwrap();
/// # run(client).unwrap();
/// ```
#[must_use = "a listing does nothing until it is awaited or streamed"]
pub struct List<T> {
    client: Client,
    base: Result<Request, Error>,
    query: ListQuery,
    options: PageOptions,
    model: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("request", &self.base)
            .field("query", &self.query)
            .field("options", &self.options)
            .field("model", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T> List<T> {
    /// A listing of `base` (a `GET` with its path and operation, no query) filtered by `query`.
    pub(crate) fn new(client: Client, base: Result<Request, Error>, query: &ListQuery) -> Self {
        Self {
            client,
            base,
            query: query.clone(),
            options: PageOptions::default(),
            model: PhantomData,
        }
    }

    /// The request of the first page, as it will be sent (the client's default page size filled
    /// in), or why it cannot be built. No I/O.
    pub fn request(&self) -> Result<Request, Error> {
        let base = self.base.as_ref().map_err(clone_error)?;
        let query = self.query_with_defaults();
        query.validate(base.operation().name())?;
        Ok(list_request(base, &query))
    }

    /// The query as given so far.
    pub fn query(&self) -> &ListQuery {
        &self.query
    }

    /// Replaces the query.
    pub fn with_query(mut self, query: ListQuery) -> Self {
        self.query = query;
        self
    }

    /// Filters the records (`conditions`).
    pub fn conditions(mut self, condition: Condition) -> Self {
        self.query = self.query.conditions(condition);
        self
    }

    /// Orders the records (`orderBy`); not with forward-only paging.
    pub fn order_by(mut self, order: OrderBy) -> Self {
        self.query = self.query.order_by(order);
        self
    }

    /// Returns only these fields (`fields`).
    pub fn fields(mut self, fields: Fields) -> Self {
        self.query = self.query.fields(fields);
        self
    }

    /// Records per page (1 to 1,000).
    pub fn page_size(mut self, size: u32) -> Self {
        self.query = self.query.page_size(size);
        self
    }

    /// Navigable or forward-only paging.
    pub fn paging(mut self, paging: Paging) -> Self {
        self.query = self.query.paging(paging);
        self
    }

    /// Pages fetched at once once the page count is known (1 turns prefetching off), within
    /// the byte budget of [`List::prefetch_bytes`].
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.options.prefetch = Some(pages.max(1));
        self
    }

    /// The most response-body bytes the pages fetched ahead may hold (see
    /// [`crate::ClientBuilder::prefetch_bytes`]).
    pub fn prefetch_bytes(mut self, bytes: u64) -> Self {
        self.options.prefetch_bytes = Some(bytes);
        self
    }

    /// Ends the walk with
    /// [`PaginationError::TooManyPages`](msp_common::PaginationError::TooManyPages) rather than
    /// fetch more than `pages` pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.options.max_pages = Some(pages.max(1));
        self
    }

    /// Asks for model version `version` instead of the client's default on every page.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.base = self.base.map(|base| base.api_version(version));
        self
    }

    fn query_with_defaults(&self) -> ListQuery {
        self.query
            .with_default_page_size(self.client.shared().page_size)
    }

    /// Every page, each decoded once by `decoder`; the non-generic part of [`List::by_page`].
    fn decoded_pages(self, decoder: PageDecoder) -> ApiStream<DecodedPage> {
        let query = self.query_with_defaults();
        // Each page's vector is sized for the page asked for, not grown record by record.
        let decoder = decoder.expecting(query.get_page_size().unwrap_or(0) as usize);
        let Self {
            client,
            base,
            options,
            ..
        } = self;
        stream::once(async move {
            let base = base?;
            query.validate(base.operation().name())?;
            let base_url = client.base_url().await?;
            let chunks = fit_url(&client, &base_url, &base, &query)?;
            let walks = stream::iter(chunks).map(move |chunk| {
                client.paginate(list_request(&base, &chunk), options, decoder.clone())
            });
            Ok::<_, Error>(walks.flatten())
        })
        .try_flatten()
        // The first error ends the listing, a page that did not decode included.
        .scan(false, |failed, page| {
            let item = (!*failed).then(|| {
                *failed = page.is_err();
                page
            });
            futures::future::ready(item)
        })
        .boxed()
    }
}

impl<T: DeserializeOwned + Send + 'static> List<T> {
    /// Every page, in order, each decoded once. With prefetch, the pages ahead are decoded
    /// where they are fetched, in parallel.
    ///
    /// An `in (…)` list too long for one URL is split into several listings run one after
    /// another, each in server order.
    pub fn by_page(self) -> ApiStream<Page<T>> {
        self.decoded_pages(PageDecoder::of::<T>())
            .map(|page| page.and_then(DecodedPage::into_page::<T>))
            .boxed()
    }

    /// Every record, in order.
    pub fn by_item(self) -> ApiStream<T> {
        msp_common::items_of(self.by_page())
    }

    /// Every record, collected.
    pub fn all(self) -> ApiFuture<Vec<T>> {
        Box::pin(self.by_item().try_collect())
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for List<T> {
    type Output = Result<Vec<T>, Error>;
    type IntoFuture = ApiFuture<Vec<T>>;

    /// The first page.
    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        Call::new(self.client, request, call::json::<Vec<T>>).into_future()
    }
}

/// Build errors are plain data; a listing hands its build error to every consumer.
fn clone_error(error: &Error) -> Error {
    match error {
        Error::Build {
            operation, message, ..
        } => Error::build(operation.clone(), message.clone()),
        other => Error::build("list", other.to_string()),
    }
}

/// The request of a listing's first page: the query in the URL, and `pagination-type:
/// forward-only` for keyset paging.
pub(crate) fn list_request(base: &Request, query: &ListQuery) -> Request {
    let mut request = base.clone().queries(query.to_pairs());
    if query.get_paging() == Paging::ForwardOnly {
        request = request.header(
            HeaderName::from_static("pagination-type"),
            HeaderValue::from_static("forward-only"),
        );
    }
    request
}

/// Splits a query whose URL would be too long into queries that fit.
fn fit_url(
    client: &Client,
    base_url: &Url,
    base: &Request,
    query: &ListQuery,
) -> Result<Vec<ListQuery>, Error> {
    let limit = client.shared().max_url_length;
    let url = list_request(base, query).url(base_url)?;
    if url.as_str().len() <= limit {
        return Ok(vec![query.clone()]);
    }
    let operation = base.operation().name();
    let too_long = |detail: String| {
        Error::build(
            operation,
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

/// The request of `GET …/count`: the query's filters only.
pub(crate) fn count_request(base: Request, query: &ListQuery) -> Request {
    base.queries(query.count_pairs())
}

/// The request of `POST …/search`: the filters in the body, fields and paging in the query.
pub(crate) fn search_request(base: Request, query: &ListQuery) -> Result<Request, Error> {
    query.validate(base.operation().name())?;
    base.queries(query.search_pairs())
        .json(&query.search_body())
}
