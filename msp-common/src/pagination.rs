//! The one page walker: following `rel="next"` links (and, when the page count is known, fetching
//! the pages ahead) with the safety rails every listing needs.
//!
//! The walker is compiled once whatever the record type: it hands out raw page bodies
//! ([`Paginator::pages`]), or pages decoded by a type-erased [`PageDecoder`]
//! ([`Paginator::decoded`]), each page decoded once, straight into `Vec<T>`. With prefetch, a
//! page is decoded in the task that fetched it, so the pages ahead are decoded in parallel on
//! the runtime's worker threads while the caller reads the current one; pages still come out in
//! order.
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
//! Memory stays bounded whatever the prefetch window: the pages ahead hold at most
//! [`Paginator::prefetch_bytes`] of response bodies (each page counted at the size of the
//! largest seen), and only one per worker thread of the runtime but one (at least one) is
//! decoded before the caller asks for it; the others wait as bodies, a fraction of the size of
//! their records. A walk therefore holds the caller's page, those decoded pages and the budget's
//! bodies, however many pages it is told to fetch ahead. Visited URLs are remembered as 64-bit
//! hashes.

use std::any::Any;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::future::{BoxFuture, FutureExt};
use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;
use tokio::sync::watch;
use url::Url;

use crate::decode::{decode_body, decode_records};
use crate::error::{Error, PaginationError};
use crate::link::Links;
use crate::operation::Operation;

/// The page cap when none is set: 10,000 pages (ten million records at 1,000 a page).
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// The response-body bytes the pages fetched ahead may hold when no budget is set
/// ([`Paginator::prefetch_bytes`]): 8 MiB, about six pages of 1,000 ConnectWise tickets.
pub const DEFAULT_PREFETCH_BYTES: u64 = 8 * 1024 * 1024;

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

/// The records of one page, decoded by a [`PageDecoder`]; their type is erased so that one
/// walker serves every record type.
pub struct Records {
    records: Box<dyn Any + Send>,
    type_name: &'static str,
}

impl fmt::Debug for Records {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Records")
            .field("type", &self.type_name)
            .finish_non_exhaustive()
    }
}

impl Records {
    /// The records, when they were decoded as `T`s; given back unchanged otherwise.
    pub fn into_vec<T: 'static>(self) -> Result<Vec<T>, Records> {
        let type_name = self.type_name;
        match self.records.downcast::<Vec<T>>() {
            Ok(records) => Ok(*records),
            Err(records) => Err(Records { records, type_name }),
        }
    }

    /// The record type they were decoded as.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

type DecodeFn = dyn Fn(&Operation, &[u8], usize) -> Result<Records, Error> + Send + Sync;

/// How a walk decodes its pages: into `Vec<T>` for one record type `T`, once per page, with
/// [`decode_body`]'s rules (the plain decoder first; path tracking only to explain a failure).
/// Cheap to clone.
#[derive(Clone)]
pub struct PageDecoder {
    decode: Arc<DecodeFn>,
    type_name: &'static str,
    expected: usize,
}

impl fmt::Debug for PageDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageDecoder")
            .field("type", &self.type_name)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

impl PageDecoder {
    /// Decodes page bodies (JSON arrays) into `Vec<T>`.
    pub fn of<T: DeserializeOwned + Send + 'static>() -> PageDecoder {
        let type_name = std::any::type_name::<T>();
        PageDecoder {
            decode: Arc::new(move |operation, body, expected| {
                let records: Vec<T> =
                    decode_records(operation, http::StatusCode::OK, body, expected)?;
                Ok(Records {
                    records: Box::new(records),
                    type_name,
                })
            }),
            type_name,
            expected: 0,
        }
    }

    /// Reserves room for `records` records in each page's vector before decoding it (the page
    /// size asked for), instead of letting the vector grow as records arrive; see
    /// [`decode_records`](crate::decode_records).
    #[must_use]
    pub fn expecting(mut self, records: usize) -> PageDecoder {
        self.expected = records;
        self
    }

    /// Decodes one page body.
    pub fn decode(&self, operation: &Operation, body: &[u8]) -> Result<Records, Error> {
        (self.decode)(operation, body, self.expected)
    }
}

/// One page of a walk with a [`PageDecoder`]: its records, decoded once.
#[derive(Debug)]
#[non_exhaustive]
pub struct DecodedPage {
    /// The records on this page, in server order.
    pub records: Records,
    /// The navigation links the server sent with it.
    pub links: Links,
    /// The URL this page was fetched from.
    pub url: Url,
}

impl DecodedPage {
    /// The page with its records as `T`s, the type its [`PageDecoder`] was made for; any other
    /// type is an [`Error::Build`] naming both.
    pub fn into_page<T: 'static>(self) -> Result<Page<T>, Error> {
        match self.records.into_vec::<T>() {
            Ok(items) => Ok(Page::new(items, self.links, self.url)),
            Err(records) => Err(Error::build(
                "page",
                format!(
                    "the page was decoded as {}, not {}",
                    records.type_name(),
                    std::any::type_name::<T>()
                ),
            )),
        }
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
    prefetch_bytes: u64,
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
            prefetch_bytes: DEFAULT_PREFETCH_BYTES,
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

    /// Fetches up to `pages` pages ahead once the first page's `rel="last"` link tells the page
    /// count (needs a numbering [`Paginator::page_parameter`]; 1, the default, fetches one page at
    /// a time). Pages still come out in order. The pages ahead are built from the `last` link with
    /// its page number replaced; a `next` link on the announced last page is followed after it.
    ///
    /// Memory stays bounded whatever `pages` is: the window also holds no more response bytes
    /// than [`Paginator::prefetch_bytes`] allows, and of the pages ahead only one per worker
    /// thread of the runtime but one (at least one) is decoded before it is asked for; the
    /// others wait as bodies, which are several times smaller than their decoded records.
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages.max(1);
        self
    }

    /// The most response-body bytes the pages fetched ahead may hold (default
    /// [`DEFAULT_PREFETCH_BYTES`]). The walk starts a page ahead only while the pages ahead, each
    /// counted at the size of the largest page read so far, fit in `bytes`; it starts more as
    /// pages are handed out. One page is always fetched ahead when prefetching, however small
    /// the budget.
    pub fn prefetch_bytes(mut self, bytes: u64) -> Self {
        self.prefetch_bytes = bytes;
        self
    }

    /// The pages, in order, undecoded. The stream ends after a page without a next link (a
    /// missing or empty `Link` header) or at an empty page, which is not yielded. A refused link
    /// ends it with an error after the last page that may be handed out.
    pub fn pages(self, fetcher: Arc<dyn FetchPage>) -> BoxStream<'static, Result<RawPage, Error>> {
        let operation = self.operation.name().to_owned();
        self.walk(fetcher, None)
            .map(move |page| {
                let page = page?;
                match page.content {
                    Content::Raw(body) => Ok(RawPage::new(body, page.links, page.url)),
                    Content::Records(records) => Err(mixed_up(&operation, &records)),
                }
            })
            .boxed()
    }

    /// The pages, in order, each decoded once by `decoder`, and where prefetch fetches it: the
    /// pages ahead are decoded in parallel while the current one is read. Ends as
    /// [`Paginator::pages`] does; a page that does not decode ends the walk with its
    /// [`Error::Decode`] after the pages before it.
    pub fn decoded(
        self,
        fetcher: Arc<dyn FetchPage>,
        decoder: PageDecoder,
    ) -> BoxStream<'static, Result<DecodedPage, Error>> {
        let operation = self.operation.name().to_owned();
        self.walk(fetcher, Some(decoder))
            .map(move |page| {
                let page = page?;
                let records = match page.content {
                    Content::Records(records) => records,
                    Content::Raw(_) => {
                        return Err(Error::build(
                            operation.clone(),
                            "the walk did not decode its pages",
                        ));
                    }
                };
                Ok(DecodedPage {
                    records,
                    links: page.links,
                    url: page.url,
                })
            })
            .boxed()
    }

    /// The records of every page, in order, each page decoded once.
    pub fn items<T>(self, fetcher: Arc<dyn FetchPage>) -> BoxStream<'static, Result<T, Error>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        items_of(
            self.decoded(fetcher, PageDecoder::of::<T>())
                .map(|page| page.and_then(DecodedPage::into_page::<T>))
                .boxed(),
        )
    }

    fn walk(
        self,
        fetcher: Arc<dyn FetchPage>,
        decoder: Option<PageDecoder>,
    ) -> BoxStream<'static, Result<Fetched, Error>> {
        let pending = (self.first.origin() != self.origin).then(|| foreign(&self.first));
        let state = Walk {
            fetcher,
            decoder,
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
}

/// The records of `pages`, one by one and in order; an error is handed on where it comes.
///
/// Each record moves once, from its page's vector to the caller: a ticket is several
/// kilobytes, and a chain of stream adapters copies it at every layer.
pub fn items_of<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    PageItems {
        pages,
        current: None,
    }
    .boxed()
}

struct PageItems<T> {
    pages: BoxStream<'static, Result<Page<T>, Error>>,
    /// The records of the page being handed out; `None` between pages.
    current: Option<std::vec::IntoIter<T>>,
}

// Nothing is pinned in place: the records are only ever moved out of the vector.
impl<T> Unpin for PageItems<T> {}

impl<T> futures::Stream for PageItems<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(page) = &mut self.current {
                if let Some(item) = page.next() {
                    return Poll::Ready(Some(Ok(item)));
                }
                // The spent page's vector goes before the next page is awaited, so two pages'
                // records are never held at once.
                self.current = None;
            }
            match self.pages.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(page))) => self.current = Some(page.items.into_iter()),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (
            self.current.as_ref().map_or(0, ExactSizeIterator::len),
            None,
        )
    }
}

/// A page as the walk hands it on: its body, or its records when the walk decodes.
struct Fetched {
    links: Links,
    url: Url,
    content: Content,
    /// The length of the body it came in, which the prefetch budget counts.
    body_len: u64,
}

enum Content {
    Raw(Bytes),
    Records(Records),
}

/// Fetches page `number` at `url` and, unless it is the empty page that ends a listing, decodes
/// it with `decoder` once `turn` lets it. `None` is the empty page.
async fn fetch(
    fetcher: Arc<dyn FetchPage>,
    decoder: Option<PageDecoder>,
    operation: Operation,
    url: Url,
    number: u64,
    mut turn: watch::Receiver<u64>,
) -> Result<Option<Fetched>, Error> {
    let page = fetcher.fetch_page(url).await?;
    if page.is_empty() {
        return Ok(None);
    }
    // The body waits here, a fraction of the size of its records, until the page is among
    // the few that may be decoded ahead. A closed channel is a dropped walk.
    if decoder.is_some() && turn.wait_for(|turn| *turn >= number).await.is_err() {
        return Err(Error::Pagination {
            operation: operation.name().to_owned(),
            source: PaginationError::Interrupted,
        });
    }
    decode(page, decoder.as_ref(), &operation).map(Some)
}

/// Decodes `page` with `decoder`, or keeps its body when there is none. The body is released
/// as soon as it is decoded.
fn decode(
    page: RawPage,
    decoder: Option<&PageDecoder>,
    operation: &Operation,
) -> Result<Fetched, Error> {
    let body_len = page.body.len() as u64;
    let content = match decoder {
        Some(decoder) => Content::Records(decoder.decode(operation, &page.body)?),
        None => Content::Raw(page.body),
    };
    Ok(Fetched {
        links: page.links,
        url: page.url,
        content,
        body_len,
    })
}

/// Runs a page's fetch and decode as a task of its own on the current tokio runtime (inline
/// when there is none), so the pages ahead decode in parallel; dropping it cancels the task.
struct PageTask {
    run: PageRun,
    operation: String,
}

enum PageRun {
    Spawned(tokio::task::JoinHandle<Result<Option<Fetched>, Error>>),
    Inline(BoxFuture<'static, Result<Option<Fetched>, Error>>),
}

impl PageTask {
    fn spawn(
        future: impl Future<Output = Result<Option<Fetched>, Error>> + Send + 'static,
        operation: &Operation,
    ) -> PageTask {
        let run = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => PageRun::Spawned(runtime.spawn(future)),
            Err(_) => PageRun::Inline(future.boxed()),
        };
        PageTask {
            run,
            operation: operation.name().to_owned(),
        }
    }
}

impl Future for PageTask {
    type Output = Result<Option<Fetched>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let task = match &mut self.run {
            PageRun::Inline(inline) => return inline.poll_unpin(cx),
            PageRun::Spawned(task) => task,
        };
        match task.poll_unpin(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(page)) => Poll::Ready(page),
            // A panic in a fetcher or decoder is a bug; it surfaces where the page is read.
            Poll::Ready(Err(error)) if error.is_panic() => {
                std::panic::resume_unwind(error.into_panic())
            }
            Poll::Ready(Err(_)) => Poll::Ready(Err(Error::Pagination {
                operation: self.operation.clone(),
                source: PaginationError::Interrupted,
            })),
        }
    }
}

impl Drop for PageTask {
    fn drop(&mut self) {
        if let PageRun::Spawned(task) = &self.run {
            task.abort();
        }
    }
}

fn mixed_up(operation: &str, records: &Records) -> Error {
    Error::build(
        operation,
        format!("the walk decoded its pages as {}", records.type_name()),
    )
}

/// Pages fetched ahead, in page order: a window started as soon as the page count is known and
/// refilled as pages are handed out. It holds at most `prefetch` pages, and no more than fit in
/// the byte budget at the size of the largest page seen; of those, only the first
/// `decode_ahead` are decoded before they are asked for.
struct Ahead {
    /// The pages in flight, with their numbers.
    tasks: VecDeque<(u64, PageTask)>,
    /// The pages not started yet.
    numbers: std::ops::RangeInclusive<u64>,
    start: Box<dyn Fn(u64) -> PageTask + Send>,
    /// The page number of the last page of the run.
    last: u64,
    /// Set when the page cap cut the run short: the page that would follow it.
    cut: Option<Url>,
    /// The highest page number that may be decoded.
    turn: watch::Sender<u64>,
    /// Pages decoded ahead of the one handed out.
    decode_ahead: u64,
    /// The largest body seen in the walk, in bytes.
    largest: u64,
    /// The most pages in flight ([`Paginator::prefetch`]).
    prefetch: usize,
    /// The most body bytes in flight ([`Paginator::prefetch_bytes`]).
    budget: u64,
}

impl Ahead {
    /// Starts pages until the window is full or none is left.
    fn fill(&mut self) {
        let fit = self.budget / self.largest.max(1);
        let window = usize::try_from(fit)
            .unwrap_or(usize::MAX)
            .clamp(1, self.prefetch);
        while self.tasks.len() < window {
            let Some(number) = self.numbers.next() else {
                break;
            };
            self.tasks.push_back((number, (self.start)(number)));
        }
    }

    /// Takes the next page in order, lets the pages behind it decode, and refills the window.
    fn pop(&mut self) -> Option<PageTask> {
        let (number, task) = self.tasks.pop_front()?;
        self.turn
            .send_replace(number.saturating_add(self.decode_ahead));
        self.fill();
        Some(task)
    }
}

/// How many pages ahead may be decoded before they are asked for: one per worker thread of the
/// runtime but one, at least one. Decoding holds its thread until the page is done, so the
/// thread left over runs the caller's task and the connections; every further decoded page
/// would wait in memory, several times the size of its body.
fn decode_ahead() -> u64 {
    let workers = tokio::runtime::Handle::try_current()
        .map(|runtime| runtime.metrics().num_workers())
        .unwrap_or(1);
    workers.saturating_sub(1).max(1) as u64
}

struct Walk {
    fetcher: Arc<dyn FetchPage>,
    decoder: Option<PageDecoder>,
    paginator: Paginator,
    next: Option<Url>,
    ahead: Option<Ahead>,
    seen: HashSet<u64>,
    highest: Option<u64>,
    pending: Option<PaginationError>,
    fetched: u64,
}

impl Walk {
    async fn step(mut self) -> Option<(Result<Fetched, Error>, Self)> {
        if let Some(error) = self.pending.take() {
            self.stop();
            return Some((Err(self.error(error)), self));
        }
        if let Some(ahead) = &mut self.ahead {
            let last = ahead.last;
            let task = ahead.pop();
            let page = match task {
                Some(task) => Some(task.await),
                None => None,
            };
            match page {
                Some(Ok(Some(page))) => {
                    self.fetched += 1;
                    if let Some(ahead) = &mut self.ahead {
                        ahead.largest = ahead.largest.max(page.body_len);
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
                Some(Ok(None)) => {
                    self.stop();
                    return None;
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
        // The pages ahead start before this one is decoded, so they are on the wire meanwhile.
        if !self.start_ahead(&page) {
            self.follow(&page.links);
        }
        match decode(page, self.decoder.as_ref(), &self.paginator.operation) {
            Ok(page) => Some((Ok(page), self)),
            Err(error) => {
                self.stop();
                self.pending = None;
                Some((Err(error), self))
            }
        }
    }

    /// Starts fetching the pages after `page` up to the announced last one, when prefetching
    /// applies.
    fn start_ahead(&mut self, page: &RawPage) -> bool {
        let (url, links) = (&page.url, &page.links);
        let Some((name, _)) = self.paginator.page_parameter.clone() else {
            return false;
        };
        if self.paginator.prefetch < 2 || links.next.is_none() {
            return false;
        }
        let (Some(current), Some(last_url)) = (self.number(url), links.last.clone()) else {
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
        let decoder = self.decoder.clone();
        let operation = self.paginator.operation.clone();
        let decode_ahead = decode_ahead();
        let (turn, turns) = watch::channel(current.saturating_add(decode_ahead));
        // Each task fetches and decodes its page on its own, so decoding runs in parallel too.
        let start = Box::new(move |number| {
            let url = with_page(&last_url, &name, number);
            let page = fetch(
                fetcher.clone(),
                decoder.clone(),
                operation.clone(),
                url,
                number,
                turns.clone(),
            );
            PageTask::spawn(page, &operation)
        });
        let mut ahead = Ahead {
            tasks: VecDeque::new(),
            numbers: current + 1..=end,
            start,
            last: end,
            cut,
            turn,
            decode_ahead,
            largest: page.body.len() as u64,
            prefetch: self.paginator.prefetch,
            budget: self.paginator.prefetch_bytes,
        };
        ahead.fill();
        self.ahead = Some(ahead);
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
    fn items_of_hands_on_every_record_in_order_and_errors_where_they_come() {
        let url = Url::parse("https://h.example/x").unwrap();
        let page = |items: Vec<u32>| Ok(Page::new(items, Links::default(), url.clone()));
        let pages = stream::iter(vec![
            page(vec![1, 2]),
            page(Vec::new()),
            Err(Error::build("list", "page 3 failed")),
            page(vec![3]),
        ])
        .boxed();
        let items = futures::executor::block_on(items_of(pages).collect::<Vec<_>>());
        let shown: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(n) => n.to_string(),
                Err(error) => error.to_string(),
            })
            .collect();
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert_eq!(shown[..2], ["1", "2"]);
        assert!(shown[2].contains("page 3 failed"), "{shown:?}");
        assert_eq!(shown[3], "3");
    }

    #[test]
    fn items_of_asks_for_a_page_only_once_the_one_before_is_handed_out() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // A record that counts the live ones.
        struct Live(Arc<AtomicUsize>);
        impl Drop for Live {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let live = Arc::new(AtomicUsize::new(0));
        let url = Url::parse("https://h.example/x").unwrap();
        let (counter, mut served) = (live.clone(), 0);
        let seen_when_asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = seen_when_asked.clone();
        let pages = stream::poll_fn(move |_| {
            seen.lock().unwrap().push(counter.load(Ordering::SeqCst));
            served += 1;
            if served > 2 {
                return Poll::Ready(None);
            }
            counter.fetch_add(2, Ordering::SeqCst);
            let items = vec![Live(counter.clone()), Live(counter.clone())];
            Poll::Ready(Some(Ok(Page::new(items, Links::default(), url.clone()))))
        })
        .boxed();
        let mut items = items_of(pages);
        let mut held = Vec::new();
        while let Some(item) = futures::executor::block_on(items.next()) {
            drop(held.pop());
            held.push(item.expect("no error"));
        }
        drop(held);
        // Page 2 was asked for when the caller held one record of page 1, its last; the end,
        // when it held one of page 2.
        assert_eq!(*seen_when_asked.lock().unwrap(), [0, 1, 1]);
        assert_eq!(live.load(Ordering::SeqCst), 0);
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
