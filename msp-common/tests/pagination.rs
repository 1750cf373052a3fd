//! `Link` parsing and the page/item streams, against a mock server.

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use std::sync::Arc;

use msp_common::{
    DEFAULT_MAX_PAGES, DecodedPage, Error, Executor, FetchPage, Links, Operation, Page,
    PageDecoder, PaginationError, Paginator, RawPage, RetryPolicy,
};
use url::Url;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn base() -> Url {
    Url::parse("https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?page=1")
        .unwrap()
}

fn parse(value: &str) -> Links {
    Links::parse(value, &base()).unwrap()
}

#[test]
fn connectwise_links_with_commas_inside_the_target() {
    let links = parse(
        r#"<https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?conditions=id+in+(1,2,3)&pageSize=2&page=2>; rel="next", <https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?conditions=id+in+(1,2,3)&pageSize=2&page=5>; rel="last""#,
    );
    assert_eq!(
        links.next.unwrap().as_str(),
        "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?conditions=id+in+(1,2,3)&pageSize=2&page=2"
    );
    assert_eq!(
        links.last.unwrap().query(),
        Some("conditions=id+in+(1,2,3)&pageSize=2&page=5")
    );
    assert_eq!(links.prev, None);
    assert_eq!(links.first, None);
}

#[test]
fn link_value_table() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        // (value, expected next, expected last)
        ("", None, None),
        ("   ", None, None),
        (
            r#"<?page=2>; rel="next""#,
            Some("https://api-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?page=2"),
            None,
        ),
        (
            r#"</other/path?page=3>; rel=next"#,
            Some("https://api-na.myconnectwise.net/other/path?page=3"),
            None,
        ),
        (
            r#"<https://h.example/x?page=9>; rel="next last""#,
            Some("https://h.example/x?page=9"),
            Some("https://h.example/x?page=9"),
        ),
        (
            r#"<https://h.example/x?a=1;b=2&page=2>; rel="NEXT""#,
            Some("https://h.example/x?a=1;b=2&page=2"),
            None,
        ),
        (
            r#"<https://h.example/?conditions=name%20like%20%22A,B%22&page=2>; rel="next"; title="a, b""#,
            Some("https://h.example/?conditions=name%20like%20%22A,B%22&page=2"),
            None,
        ),
        (
            r#"<https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?conditions=LastUpdated+%3e%3d+%5b2025-04-01T20%3a02%3a28Z%5d&pageSize=2&page=2>; rel="next""#,
            Some(
                "https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/contacts/?conditions=LastUpdated+%3e%3d+%5b2025-04-01T20%3a02%3a28Z%5d&pageSize=2&page=2",
            ),
            None,
        ),
        (
            r#"<https://h.example/1>; rel="prev", <https://h.example/3>; rel="next""#,
            Some("https://h.example/3"),
            None,
        ),
        (
            r#"<https://h.example/a>; rel="next", <https://h.example/b>; rel="next""#,
            Some("https://h.example/a"),
            None,
        ),
        (r#"<https://h.example/a>; rel="alternate""#, None, None),
    ];
    for (value, next, last) in cases {
        let links = parse(value);
        assert_eq!(
            links.next.as_ref().map(Url::as_str),
            *next,
            "next of {value:?}"
        );
        assert_eq!(
            links.last.as_ref().map(Url::as_str),
            *last,
            "last of {value:?}"
        );
    }
}

#[test]
fn malformed_link_values_are_errors_not_silence() {
    for value in [
        "https://no-brackets",
        "<https://h.example/unclosed",
        "<a>; rel=\"next\" junk",
    ] {
        assert!(Links::parse(value, &base()).is_err(), "{value:?}");
    }
}

#[test]
fn several_link_header_lines_are_merged() {
    let mut headers = http::HeaderMap::new();
    headers.append(
        http::header::LINK,
        r#"<https://h.example/2>; rel="next""#.parse().unwrap(),
    );
    headers.append(http::header::LINK, "".parse().unwrap());
    headers.append(
        http::header::LINK,
        r#"<https://h.example/9>; rel="last""#.parse().unwrap(),
    );
    let links = Links::from_headers(&headers, &base()).unwrap();
    assert_eq!(links.next.unwrap().as_str(), "https://h.example/2");
    assert_eq!(links.last.unwrap().as_str(), "https://h.example/9");
    assert_eq!(
        Links::from_headers(&http::HeaderMap::new(), &base()).unwrap(),
        Links::default()
    );
}

/// Fetches JSON-array pages through an executor, as the API clients do.
#[derive(Clone)]
struct JsonPages {
    executor: Executor,
}

#[async_trait::async_trait]
impl FetchPage for JsonPages {
    async fn fetch_page(&self, url: Url) -> Result<RawPage, Error> {
        let request = http::Request::get(url.as_str()).body(Bytes::new()).unwrap();
        let operation = Operation::safe("listNumbers", "/numbers");
        let response = self
            .executor
            .send(operation.clone().attach(request))
            .await?;
        let links =
            Links::from_headers(response.headers(), &url).map_err(|e| Error::Pagination {
                operation: operation.name().to_owned(),
                source: e.into(),
            })?;
        Ok(RawPage::new(response.into_body(), links, url))
    }
}

fn fetcher() -> Arc<dyn FetchPage> {
    Arc::new(JsonPages {
        executor: Executor::builder()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    })
}

fn op() -> Operation {
    Operation::safe("listNumbers", "/numbers")
}

async fn mount_page(server: &MockServer, page: &str, body: &str, link: Option<String>) {
    let mut response = ResponseTemplate::new(200).set_body_string(body);
    if let Some(link) = link {
        response = response.insert_header("Link", link.as_str());
    }
    Mock::given(method("GET"))
        .and(path("/numbers"))
        .and(query_param("page", page))
        .respond_with(response)
        .expect(1..)
        .mount(server)
        .await;
}

#[tokio::test]
async fn three_pages_then_an_empty_link() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1,2]",
        Some(format!(
            r#"<{uri}/numbers?page=2>; rel="next", <{uri}/numbers?page=3>; rel="last""#
        )),
    )
    .await;
    mount_page(
        &server,
        "2",
        "[3,4]",
        Some(format!(r#"<{uri}/numbers?page=3>; rel="next""#)),
    )
    .await;
    mount_page(&server, "3", "[5]", Some(String::new())).await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let items: Vec<u32> = Paginator::new(op(), first.clone())
        .items::<u32>(fetcher())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);

    let pages: Vec<Page<u32>> = Paginator::new(op(), first)
        .pages(fetcher())
        .and_then(|page| futures::future::ready(page.decode(&op())))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages[0].links.last.is_some());
    // Each page was fetched once per walk: nothing was prefetched or fetched twice.
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(r#"<{uri}/numbers?page=2>; rel="next""#)),
    )
    .await;
    mount_page(
        &server,
        "2",
        "[]",
        Some(format!(r#"<{uri}/numbers?page=3>; rel="next""#)),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let items: Vec<u32> = Paginator::new(op(), first)
        .items::<u32>(fetcher())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1]);
}

#[tokio::test]
async fn a_cross_origin_next_link_is_refused_after_the_page_that_carried_it() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1,2]",
        Some(r#"<https://attacker.example/numbers?page=2>; rel="next""#.to_owned()),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let results: Vec<Result<u32, Error>> =
        Paginator::new(op(), first).items(fetcher()).collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert_eq!(*results[1].as_ref().unwrap(), 2);
    let Err(Error::Pagination { source, .. }) = &results[2] else {
        panic!("expected a pagination error, got {:?}", results[2])
    };
    assert_eq!(
        *source,
        PaginationError::ForeignOrigin {
            origin: "https://attacker.example".to_owned()
        }
    );
}

#[tokio::test]
async fn a_different_port_is_a_different_origin() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let other = Url::parse(&uri).unwrap();
    let port = other.port().unwrap().wrapping_add(1);
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(
            r#"<http://127.0.0.1:{port}/numbers?page=2>; rel="next""#
        )),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let results: Vec<Result<u32, Error>> =
        Paginator::new(op(), first).items(fetcher()).collect().await;
    assert!(matches!(
        results.last(),
        Some(Err(Error::Pagination {
            source: PaginationError::ForeignOrigin { .. },
            ..
        }))
    ));
}

#[tokio::test]
async fn a_loop_is_detected() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(r#"<{uri}/numbers?page=2>; rel="next""#)),
    )
    .await;
    mount_page(
        &server,
        "2",
        "[2]",
        Some(format!(r#"<{uri}/numbers?page=1>; rel="next""#)),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let results: Vec<Result<u32, Error>> =
        Paginator::new(op(), first).items(fetcher()).collect().await;
    let ok: Vec<u32> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(ok, [1, 2]);
    assert!(matches!(
        results.last(),
        Some(Err(Error::Pagination {
            source: PaginationError::Loop { page: 2 },
            ..
        }))
    ));
}

#[tokio::test]
async fn the_page_limit_is_enforced() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(r#"<{uri}/numbers?page=2>; rel="next""#)),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let results: Vec<Result<u32, Error>> = Paginator::new(op(), first)
        .max_pages(1)
        .items(fetcher())
        .collect()
        .await;
    assert!(matches!(
        results.last(),
        Some(Err(Error::Pagination {
            source: PaginationError::TooManyPages { limit: 1 },
            ..
        }))
    ));
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(r#"<{uri}/numbers?page=2>; rel="next""#)),
    )
    .await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string(r#"{"code":"ConnectWiseApi","message":"boom"}"#),
        )
        .mount(&server)
        .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let results: Vec<Result<u32, Error>> =
        Paginator::new(op(), first).items(fetcher()).collect().await;
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
}

/// Collects the items and the error that ended the walk, if any.
async fn walk(paginator: Paginator) -> (Vec<u32>, Option<Error>) {
    let results: Vec<Result<u32, Error>> = paginator.items(fetcher()).collect().await;
    let mut items = Vec::new();
    let mut error = None;
    for result in results {
        match result {
            Ok(item) => items.push(item),
            Err(e) => {
                assert!(error.is_none(), "a second error after {error:?}: {e}");
                error = Some(e);
            }
        }
    }
    (items, error)
}

fn is_loop(error: &Option<Error>) -> bool {
    matches!(
        error,
        Some(Error::Pagination {
            source: PaginationError::Loop { .. },
            ..
        })
    )
}

#[tokio::test]
async fn a_next_link_to_the_same_page_is_a_loop_before_anything_repeats() {
    let server = MockServer::start().await;
    let uri = server.uri();
    // The link spells page 1 with its parameters in another order.
    mount_page(
        &server,
        "1",
        "[1,2]",
        Some(format!(r#"<{uri}/numbers?pageSize=2&page=1>; rel="next""#)),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1&pageSize=2")).unwrap();
    let (items, error) = walk(Paginator::new(op(), first)).await;
    assert_eq!(items, [1, 2]);
    assert!(is_loop(&error), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_link_back_to_a_first_page_without_a_number_is_a_loop() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/numbers"))
        .and(query_param("pageSize", "1"))
        .respond_with(move |request: &wiremock::Request| {
            let page = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned());
            let (body, link) = match page.as_deref() {
                None => ("[1]", "page=2"),
                Some("2") => ("[2]", "page=1"),
                _ => ("[9]", "page=2"),
            };
            ResponseTemplate::new(200)
                .set_body_string(body)
                .insert_header(
                    "Link",
                    format!(r#"<{uri}/numbers?pageSize=1&{link}>; rel="next""#).as_str(),
                )
        })
        .mount(&server)
        .await;
    let first = Url::parse(&format!("{}/numbers?pageSize=1", server.uri())).unwrap();
    let (items, error) = walk(Paginator::new(op(), first).page_parameter("page", 1)).await;
    assert_eq!(items, [1, 2], "no record twice");
    assert!(is_loop(&error), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn prefetched_pages_whose_last_points_back_at_page_one_end_in_a_loop() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(
        &server,
        "1",
        "[1]",
        Some(format!(
            r#"<{uri}/numbers?page=2>; rel="next", <{uri}/numbers?page=3>; rel="last""#
        )),
    )
    .await;
    mount_page(&server, "2", "[2]", None).await;
    mount_page(
        &server,
        "3",
        "[3]",
        Some(format!(r#"<{uri}/numbers?page=1>; rel="next""#)),
    )
    .await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let paginator = Paginator::new(op(), first)
        .page_parameter("page", 1)
        .prefetch(3);
    let (items, error) = walk(paginator).await;
    assert_eq!(items, [1, 2, 3]);
    assert!(is_loop(&error), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_endless_next_chain_stops_at_the_default_cap() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/numbers"))
        .respond_with(move |request: &wiremock::Request| {
            let page: u64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            ResponseTemplate::new(200)
                .set_body_string(format!("[{page}]"))
                .insert_header(
                    "Link",
                    format!(r#"<{uri}/numbers?page={}>; rel="next""#, page + 1).as_str(),
                )
        })
        .mount(&server)
        .await;
    let first = Url::parse(&format!("{}/numbers?page=1", server.uri())).unwrap();
    let (items, error) = walk(Paginator::new(op(), first).max_pages(25)).await;
    assert_eq!(items, (1..=25).collect::<Vec<u32>>(), "{error:?}");
    assert!(
        matches!(
            error,
            Some(Error::Pagination {
                source: PaginationError::TooManyPages { limit: 25 },
                ..
            })
        ),
        "{error:?}"
    );
    // Without a cap of its own a walk still has one.
    assert_eq!(DEFAULT_MAX_PAGES, 10_000);
}

#[tokio::test]
async fn a_last_page_of_two_billion_is_capped() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path("/numbers"))
        .respond_with(move |request: &wiremock::Request| {
            let page: u64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1);
            ResponseTemplate::new(200)
                .set_body_string(format!("[{page}]"))
                .insert_header(
                    "Link",
                    format!(
                        r#"<{uri}/numbers?page={}>; rel="next", <{uri}/numbers?page=2000000000>; rel="last""#,
                        page + 1
                    )
                    .as_str(),
                )
        })
        .mount(&server)
        .await;
    let first = Url::parse(&format!("{}/numbers?page=1", server.uri())).unwrap();
    let paginator = Paginator::new(op(), first)
        .page_parameter("page", 1)
        .prefetch(4)
        .max_pages(10);
    let (items, error) = walk(paginator).await;
    assert_eq!(items, (1..=10).collect::<Vec<u32>>());
    assert!(
        matches!(
            error,
            Some(Error::Pagination {
                source: PaginationError::TooManyPages { limit: 10 },
                ..
            })
        ),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 10);
}

#[tokio::test]
async fn a_page_that_does_not_decode_names_the_record_and_field() {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount_page(&server, "1", r#"[1, 2, "three"]"#, None).await;
    let first = Url::parse(&format!("{uri}/numbers?page=1")).unwrap();
    let (items, error) = walk(Paginator::new(op(), first)).await;
    assert!(items.is_empty(), "a page is decoded whole: {items:?}");
    let Some(Error::Decode(decode)) = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.path, "[2]");
}

/// Numbered pages served from memory, `per_page` numbers each, with `next` and `last` links; a
/// page listed in `bad` holds a value that is not a number. Records every page asked for.
struct MemoryPages {
    pages: u64,
    per_page: u64,
    bad: Option<u64>,
    asked: std::sync::Mutex<Vec<u64>>,
}

impl MemoryPages {
    fn new(pages: u64, per_page: u64, bad: Option<u64>) -> Arc<MemoryPages> {
        Arc::new(MemoryPages {
            pages,
            per_page,
            bad,
            asked: std::sync::Mutex::default(),
        })
    }

    fn asked(&self) -> Vec<u64> {
        self.asked.lock().unwrap().clone()
    }
}

const MEMORY: &str = "https://h.example/numbers";

#[async_trait::async_trait]
impl FetchPage for MemoryPages {
    async fn fetch_page(&self, url: Url) -> Result<RawPage, Error> {
        let page: u64 = url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        self.asked.lock().unwrap().push(page);
        // Let the other pages in flight run between fetch and decode.
        tokio::task::yield_now().await;
        let first = (page - 1) * self.per_page + 1;
        let mut values: Vec<String> = (first..first + self.per_page)
            .map(|n| n.to_string())
            .collect();
        if self.bad == Some(page) {
            values[1] = "\"not a number\"".to_owned();
        }
        let body = if page > self.pages {
            "[]".to_owned()
        } else {
            format!("[{}]", values.join(","))
        };
        let mut header = format!(r#"<{MEMORY}?page={}>; rel="last""#, self.pages);
        if page < self.pages {
            header = format!(r#"<{MEMORY}?page={}>; rel="next", {header}"#, page + 1);
        }
        let links = Links::parse(&header, &url).unwrap();
        Ok(RawPage::new(Bytes::from(body), links, url))
    }
}

fn numbered(prefetch: usize) -> Paginator {
    Paginator::new(op(), Url::parse(&format!("{MEMORY}?page=1")).unwrap())
        .page_parameter("page", 1)
        .prefetch(prefetch)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefetched_pages_decoded_in_parallel_come_out_in_order() {
    for prefetch in [1, 2, 8, 64] {
        let pages = MemoryPages::new(40, 25, None);
        let items: Vec<u32> = numbered(prefetch)
            .items::<u32>(pages.clone())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            items,
            (1..=1000).collect::<Vec<u32>>(),
            "prefetch {prefetch}"
        );
        let mut asked = pages.asked();
        asked.sort_unstable();
        assert_eq!(
            asked,
            (1..=40).collect::<Vec<u64>>(),
            "each page fetched once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_ahead_that_does_not_decode_ends_the_walk_after_the_pages_before_it() {
    let pages = MemoryPages::new(30, 10, Some(7));
    let results: Vec<Result<Page<u32>, Error>> = numbered(4)
        .decoded(pages.clone(), PageDecoder::of::<u32>())
        .map(|page| page.and_then(DecodedPage::into_page::<u32>))
        .collect()
        .await;
    assert_eq!(results.len(), 7, "six pages, then the error, then nothing");
    let items: Vec<u32> = results[..6]
        .iter()
        .flat_map(|page| page.as_ref().unwrap().items.clone())
        .collect();
    assert_eq!(items, (1..=60).collect::<Vec<u32>>());
    let Err(Error::Decode(decode)) = &results[6] else {
        panic!("expected the decode error of page 7, got {:?}", results[6])
    };
    assert_eq!(decode.path, "[1]");
    // The window never ran more than four pages past the one being read.
    assert!(
        pages.asked().iter().all(|page| *page <= 11),
        "{:?}",
        pages.asked()
    );
}

#[tokio::test(flavor = "current_thread")]
async fn pages_ahead_are_decoded_before_they_are_asked_for() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static DECODED: AtomicUsize = AtomicUsize::new(0);
    /// A number whose decoding is counted.
    #[derive(Debug)]
    struct Counted(#[allow(dead_code)] u32);
    impl<'de> serde::Deserialize<'de> for Counted {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            DECODED.fetch_add(1, Ordering::SeqCst);
            u32::deserialize(d).map(Counted)
        }
    }
    let pages = MemoryPages::new(6, 10, None);
    let mut stream = numbered(3).items::<Counted>(pages.clone());
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    // Page 1 is read; pages 2 to 4 are in flight in their own tasks. Let them run without
    // asking the stream for anything.
    for _ in 0..100 {
        if DECODED.load(Ordering::SeqCst) == 40 {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(
        DECODED.load(Ordering::SeqCst),
        40,
        "pages 2 to 4 decoded ahead"
    );
    assert_eq!(pages.asked(), [1, 2, 3, 4]);
    let rest: Vec<Counted> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 50);
    assert_eq!(
        DECODED.load(Ordering::SeqCst),
        60,
        "each record decoded once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_walk_starts_no_more_pages() {
    let pages = MemoryPages::new(1000, 5, None);
    let mut stream = numbered(4).items::<u32>(pages.clone());
    for _ in 0..5 {
        stream.try_next().await.unwrap().unwrap();
    }
    drop(stream);
    tokio::task::yield_now().await;
    assert!(pages.asked().len() <= 5, "{:?}", pages.asked());
}
