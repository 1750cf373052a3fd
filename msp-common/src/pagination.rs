//! Following `rel="next"` links as a stream of pages or of items.
//!
//! Memory stays bounded by the page in hand: items are handed out from the current page and the
//! next page is requested only when it is drained. Visited URLs are remembered as 64-bit hashes to
//! detect loops without keeping the URLs.

use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use url::Url;

use crate::error::{Error, PaginationError};
use crate::link::Links;

/// One page of a listing.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records on this page, in server order.
    pub items: Vec<T>,
    /// The navigation links the server sent with it.
    pub links: Links,
    /// The URL this page was fetched from.
    pub url: Url,
}

impl<T> Page<T> {
    /// A page of `items` fetched from `url`, with `links`.
    pub fn new(items: Vec<T>, links: Links, url: Url) -> Self {
        Self { items, links, url }
    }
}

/// Fetches one page of a listing; the API clients implement it over their executor.
#[async_trait::async_trait]
pub trait FetchPage<T>: Send + Sync + 'static {
    /// Fetches the page at `url`.
    async fn fetch_page(&self, url: Url) -> Result<Page<T>, Error>;
}

/// A listing to walk: where it starts, which origin its links may point at, and how far to go.
#[derive(Clone, Debug)]
pub struct Paginator {
    operation: String,
    first: Url,
    origin: url::Origin,
    max_pages: Option<u64>,
}

impl Paginator {
    /// Starts at `first`; next links must stay on the origin of `first`.
    pub fn new(operation: impl Into<String>, first: Url) -> Self {
        Self {
            operation: operation.into(),
            origin: first.origin(),
            first,
            max_pages: None,
        }
    }

    /// Only follows links to the origin (scheme, host, port) of `base`, the client's configured
    /// base URL: the client's credentials go wherever a link leads.
    pub fn allowed_origin(mut self, base: &Url) -> Self {
        self.origin = base.origin();
        self
    }

    /// Stops with [`PaginationError::TooManyPages`] rather than fetch more than `pages` pages.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// The pages, in order. The stream ends after a page without a next link (a missing or empty
    /// `Link` header) or at an empty page, which is not yielded. A refused next link ends it with an
    /// error after the page that carried the link.
    pub fn pages<T, F>(self, fetcher: F) -> BoxStream<'static, Result<Page<T>, Error>>
    where
        T: Send + 'static,
        F: FetchPage<T>,
    {
        let state = Walk {
            fetcher: Arc::new(fetcher),
            seen: HashSet::from([url_hash(&self.first)]),
            next: Some(self.first.clone()),
            pending_error: if self.first.origin() == self.origin {
                None
            } else {
                Some(foreign(&self.first))
            },
            fetched: 0,
            paginator: self,
        };
        stream::unfold(state, Walk::step).boxed()
    }

    /// The items of every page, in order.
    pub fn items<T, F>(self, fetcher: F) -> BoxStream<'static, Result<T, Error>>
    where
        T: Send + 'static,
        F: FetchPage<T>,
    {
        self.pages(fetcher)
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

struct Walk<F> {
    fetcher: Arc<F>,
    paginator: Paginator,
    next: Option<Url>,
    seen: HashSet<u64>,
    pending_error: Option<PaginationError>,
    fetched: u64,
}

impl<F> Walk<F> {
    async fn step<T>(mut self) -> Option<(Result<Page<T>, Error>, Self)>
    where
        F: FetchPage<T>,
    {
        if let Some(error) = self.pending_error.take() {
            self.next = None;
            return Some((Err(self.error(error)), self));
        }
        let url = self.next.take()?;
        if let Some(limit) = self.paginator.max_pages
            && self.fetched >= limit
        {
            return Some((
                Err(self.error(PaginationError::TooManyPages { limit })),
                self,
            ));
        }
        let page = match self.fetcher.fetch_page(url).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), self)),
        };
        self.fetched += 1;
        if page.items.is_empty() {
            return None;
        }
        if let Some(next) = &page.links.next {
            if next.origin() != self.paginator.origin {
                self.pending_error = Some(foreign(next));
            } else if !self.seen.insert(url_hash(next)) {
                self.pending_error = Some(PaginationError::Loop { page: self.fetched });
            } else {
                self.next = Some(next.clone());
            }
        }
        Some((Ok(page), self))
    }

    fn error(&self, source: PaginationError) -> Error {
        Error::Pagination {
            operation: self.paginator.operation.clone(),
            source,
        }
    }
}

fn foreign(url: &Url) -> PaginationError {
    PaginationError::ForeignOrigin {
        origin: url.origin().ascii_serialization(),
    }
}

fn url_hash(url: &Url) -> u64 {
    let mut hasher = DefaultHasher::new();
    url.as_str().hash(&mut hasher);
    hasher.finish()
}
