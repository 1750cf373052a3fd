//! The one page walker: following `rel="next"` links (and, when the page count is known, fetching
//! the pages ahead) with the safety rails every listing needs.
//!
//! The walker works on raw page bodies ([`RawPage`]), so it is compiled once whatever the record
//! type; each page is decoded once, straight into `Vec<T>`, by [`RawPage::decode`].
//!
//! Rails, each checked before anything is handed out:
//! - **origin**: a link to another scheme, host or port is refused (the client's credentials go
//!   wherever a link leads);
//! - **loops**: a link to a page already fetched is refused before it is fetched, so no record is
//!   ever yielded twice. With a page parameter ([`Paginator::page_parameter`]) a link must also
//!   move forward: a link back to page 1 is a loop even when its URL is spelled differently;
//! - **page cap**: at most [`Paginator::max_pages`] pages ([`DEFAULT_MAX_PAGES`] unless set), then
//!   [`PaginationError::TooManyPages`], so an endless `next` chain or a `last` of two billion ends.
//!
//! Memory stays bounded by the pages in hand (one, or the prefetch window). Visited URLs are
//! remembered as 64-bit hashes.

use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use url::Url;

use crate::decode::decode_body;
use crate::error::{Error, PaginationError};
use crate::link::Links;
use crate::operation::Operation;

/// The page cap when none is set: 10,000 pages (ten million records at 1,000 a page).
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// One page of a listing, decoded.
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

/// One page of a listing as the server sent it: a JSON array body, not yet decoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RawPage {
    /// The response body (a JSON array of records).
    pub body: Bytes,
    /// The navigation links the server sent with it.
    pub links: Links,
    /// The URL this page was fetched from.
    pub url: Url,
}

impl RawPage {
    /// A page with `body` fetched from `url`, with `links`.
    pub fn new(body: Bytes, links: Links, url: Url) -> Self {
        Self { body, links, url }
    }

    /// `true` when the body is the empty JSON array `[]`, the end of a listing. Anything else
    /// counts as records, so a malformed body reaches the decoder and fails there.
    pub fn is_empty(&self) -> bool {
        let mut bytes = self
            .body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace());
        bytes.next() == Some(b'[') && bytes.next() == Some(b']') && bytes.next().is_none()
    }

    /// Decodes the body once into the records of the page. A record that does not fit is reported
    /// with its position and field (`[3].customFields[0].value`).
    pub fn decode<T: DeserializeOwned>(self, operation: &Operation) -> Result<Page<T>, Error> {
        let items = decode_body(operation, http::StatusCode::OK, &self.body)?;
        Ok(Page::new(items, self.links, self.url))
    }
}

/// Fetches one page of a listing; the API clients implement it over their executor.
#[async_trait::async_trait]
pub trait FetchPage: Send + Sync + 'static {
    /// Fetches the page at `url`.
    async fn fetch_page(&self, url: Url) -> Result<RawPage, Error>;
}

/// A listing to walk: where it starts, which origin its links may point at, and how far to go.
#[derive(Clone, Debug)]
pub struct Paginator {
    operation: Operation,
    first: Url,
    origin: url::Origin,
    max_pages: u64,
    prefetch: usize,
    page_parameter: Option<(String, u64)>,
}

impl Paginator {
    /// Starts at `first`; next links must stay on the origin of `first`.
    pub fn new(operation: Operation, first: Url) -> Self {
        Self {
            operation,
            origin: first.origin(),
            first,
            max_pages: DEFAULT_MAX_PAGES,
            prefetch: 1,
            page_parameter: None,
        }
    }

    /// Only follows links to the origin (scheme, host, port) of `base`, the client's configured
    /// base URL: the client's credentials go wherever a link leads.
    pub fn allowed_origin(mut self, base: &Url) -> Self {
        self.origin = base.origin();
        self
    }

    /// Ends with [`PaginationError::TooManyPages`] rather than fetch more than `pages` pages
    /// (default [`DEFAULT_MAX_PAGES`]; at least 1).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// The query parameter that numbers the pages (`page`, or a keyset parameter such as
    /// `pageId`), and its value when a URL does not carry it (1 for `page`). Each link must then
    /// move past every page fetched so far, or the walk ends with [`PaginationError::Loop`].
    pub fn page_parameter(mut self, name: impl Into<String>, absent: u64) -> Self {
        self.page_parameter = Some((name.into(), absent));
        self
    }

    /// Fetches up to `pages` pages at once once the first page's `rel="last"` link tells the page
    /// count (needs a numbering [`Paginator::page_parameter`]; 1, the default, fetches one page at
    /// a time). Pages still come out in order. The pages ahead are built from the `last` link with
    /// its page number replaced; a `next` link on the announced last page is followed after it.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages.max(1);
        self
    }

    /// The pages, in order. The stream ends after a page without a next link (a missing or empty
    /// `Link` header) or at an empty page, which is not yielded. A refused link ends it with an
    /// error after the last page that may be handed out.
    pub fn pages(self, fetcher: Arc<dyn FetchPage>) -> BoxStream<'static, Result<RawPage, Error>> {
        let pending = (self.first.origin() != self.origin).then(|| foreign(&self.first));
        let state = Walk {
            fetcher,
            next: Some(self.first.clone()),
            ahead: None,
            seen: HashSet::new(),
            highest: None,
            pending,
            fetched: 0,
            paginator: self,
        };
        stream::unfold(state, Walk::step).boxed()
    }

    /// The records of every page, in order, each page decoded once.
    pub fn items<T>(self, fetcher: Arc<dyn FetchPage>) -> BoxStream<'static, Result<T, Error>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let operation = self.operation.clone();
        self.pages(fetcher)
            .map(move |page| page.and_then(|page| page.decode::<T>(&operation)))
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// Pages fetched ahead, in order, and the page number of the last of them.
struct Ahead {
    pages: BoxStream<'static, Result<RawPage, Error>>,
    last: u64,
    /// Set when the page cap cut the run short: the page that would follow it.
    cut: Option<Url>,
}

struct Walk {
    fetcher: Arc<dyn FetchPage>,
    paginator: Paginator,
    next: Option<Url>,
    ahead: Option<Ahead>,
    seen: HashSet<u64>,
    highest: Option<u64>,
    pending: Option<PaginationError>,
    fetched: u64,
}

impl Walk {
    async fn step(mut self) -> Option<(Result<RawPage, Error>, Self)> {
        if let Some(error) = self.pending.take() {
            self.stop();
            return Some((Err(self.error(error)), self));
        }
        if let Some(ahead) = &mut self.ahead {
            let last = ahead.last;
            match ahead.pages.next().await {
                Some(Ok(page)) => {
                    self.fetched += 1;
                    if page.is_empty() {
                        self.stop();
                        return None;
                    }
                    if self.number(&page.url) == Some(last) {
                        let cut = self.ahead.take().and_then(|ahead| ahead.cut);
                        match cut {
                            Some(url) => self.next = Some(url),
                            None => self.follow(&page.links),
                        }
                    }
                    return Some((Ok(page), self));
                }
                Some(Err(error)) => {
                    self.stop();
                    return Some((Err(error), self));
                }
                None => self.ahead = None,
            }
        }
        let url = self.next.take()?;
        if self.fetched >= self.paginator.max_pages {
            self.stop();
            let limit = self.paginator.max_pages;
            return Some((
                Err(self.error(PaginationError::TooManyPages { limit })),
                self,
            ));
        }
        self.visit(&url);
        let page = match self.fetcher.fetch_page(url).await {
            Ok(page) => page,
            Err(error) => {
                self.stop();
                return Some((Err(error), self));
            }
        };
        self.fetched += 1;
        if page.is_empty() {
            self.stop();
            return None;
        }
        if !self.start_ahead(&page) {
            self.follow(&page.links);
        }
        Some((Ok(page), self))
    }

    /// Starts fetching the pages up to the announced last one, when prefetching applies.
    fn start_ahead(&mut self, page: &RawPage) -> bool {
        let Some((name, _)) = self.paginator.page_parameter.clone() else {
            return false;
        };
        if self.paginator.prefetch < 2 || page.links.next.is_none() {
            return false;
        }
        let (Some(current), Some(last_url)) = (self.number(&page.url), page.links.last.clone())
        else {
            return false;
        };
        let Some(last) = self.number(&last_url) else {
            return false;
        };
        if last <= current + 1 {
            return false;
        }
        if last_url.origin() != self.paginator.origin {
            self.pending = Some(foreign(&last_url));
            return true;
        }
        let budget = self.paginator.max_pages.saturating_sub(self.fetched);
        if budget == 0 {
            self.next = Some(with_page(&last_url, &name, current + 1));
            return true;
        }
        let end = last.min(current.saturating_add(budget));
        let cut = (end < last).then(|| with_page(&last_url, &name, end + 1));
        for number in current + 1..=end {
            self.visit(&with_page(&last_url, &name, number));
        }
        let fetcher = self.fetcher.clone();
        let pages = stream::iter(current + 1..=end)
            .map(move |number| {
                let fetcher = fetcher.clone();
                let url = with_page(&last_url, &name, number);
                async move { fetcher.fetch_page(url).await }
            })
            .buffered(self.paginator.prefetch)
            .boxed();
        self.ahead = Some(Ahead {
            pages,
            last: end,
            cut,
        });
        true
    }

    /// Takes the `next` link of a page, or the error that refuses it.
    fn follow(&mut self, links: &Links) {
        let Some(next) = &links.next else { return };
        if next.origin() != self.paginator.origin {
            self.pending = Some(foreign(next));
        } else if self.repeats(next) {
            self.pending = Some(PaginationError::Loop { page: self.fetched });
        } else {
            self.next = Some(next.clone());
        }
    }

    /// `true` when `url` is a page already fetched (or behind one, by its page number).
    fn repeats(&self, url: &Url) -> bool {
        if self.seen.contains(&url_key(url)) {
            return true;
        }
        matches!((self.number(url), self.highest), (Some(n), Some(high)) if n <= high)
    }

    fn visit(&mut self, url: &Url) {
        self.seen.insert(url_key(url));
        if let Some(number) = self.number(url) {
            self.highest = Some(self.highest.map_or(number, |high| high.max(number)));
        }
    }

    /// The page number of `url`, when pages are numbered.
    fn number(&self, url: &Url) -> Option<u64> {
        let (name, absent) = self.paginator.page_parameter.as_ref()?;
        match url
            .query_pairs()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
        {
            Some((_, value)) => value.parse().ok(),
            None => Some(*absent),
        }
    }

    fn stop(&mut self) {
        self.next = None;
        self.ahead = None;
    }

    fn error(&self, source: PaginationError) -> Error {
        Error::Pagination {
            operation: self.paginator.operation.name().to_owned(),
            source,
        }
    }
}

fn foreign(url: &Url) -> PaginationError {
    PaginationError::ForeignOrigin {
        origin: url.origin().ascii_serialization(),
    }
}

/// A hash of `url` that does not depend on the order or case of its query parameter names, so a
/// link that spells the same page differently is still recognised.
fn url_key(url: &Url) -> u64 {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| (name.to_ascii_lowercase(), value.into_owned()))
        .collect();
    pairs.sort();
    let mut hasher = DefaultHasher::new();
    url.origin().ascii_serialization().hash(&mut hasher);
    url.path().to_ascii_lowercase().hash(&mut hasher);
    pairs.hash(&mut hasher);
    hasher.finish()
}

/// `url` with its page parameter `name` set to `page`, every other parameter kept in order.
fn with_page(url: &Url, name: &str, page: u64) -> Url {
    let mut found = false;
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(key, value)| {
            if key.eq_ignore_ascii_case(name) {
                found = true;
                (key.into_owned(), page.to_string())
            } else {
                (key.into_owned(), value.into_owned())
            }
        })
        .collect();
    if !found {
        pairs.push((name.to_owned(), page.to_string()));
    }
    let mut url = url.clone();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &'static str) -> RawPage {
        RawPage::new(
            Bytes::from_static(body.as_bytes()),
            Links::default(),
            Url::parse("https://h.example/x").unwrap(),
        )
    }

    #[test]
    fn only_the_empty_array_is_an_empty_page() {
        assert!(raw("[]").is_empty());
        assert!(raw(" [ \n ] ").is_empty());
        assert!(!raw("[1]").is_empty());
        assert!(!raw("{}").is_empty());
        assert!(!raw("").is_empty());
    }

    #[test]
    fn url_keys_ignore_parameter_order_and_name_case() {
        let a = Url::parse("https://h.example/x?pageSize=2&page=3").unwrap();
        let b = Url::parse("https://h.example/x?page=3&PAGESIZE=2").unwrap();
        let c = Url::parse("https://h.example/x?page=4&pageSize=2").unwrap();
        assert_eq!(url_key(&a), url_key(&b));
        assert_ne!(url_key(&a), url_key(&c));
    }

    #[test]
    fn page_numbers_are_replaced_or_added() {
        let url = Url::parse("https://h.example/x?a=1&Page=9&b=2").unwrap();
        assert_eq!(
            with_page(&url, "page", 3).as_str(),
            "https://h.example/x?a=1&Page=3&b=2"
        );
        let bare = Url::parse("https://h.example/x?a=1").unwrap();
        assert_eq!(
            with_page(&bare, "page", 2).as_str(),
            "https://h.example/x?a=1&page=2"
        );
    }
}
