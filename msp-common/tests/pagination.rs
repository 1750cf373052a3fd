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
/// page listed in `bad` holds a value that is not a number. Every body is padded with spaces to
/// [`MemoryPages::body_len`] bytes, so a byte budget is a number of pages. Records every page
/// asked for.
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

    /// The length of every page body.
    fn body_len(&self) -> u64 {
        16 * self.per_page + 2
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
            let body = format!("[{}]", values.join(","));
            format!("{body:<width$}", width = self.body_len() as usize)
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
    let one_page = MemoryPages::new(1, 25, None).body_len();
    for (prefetch, budget) in [
        (1, 0),
        (2, 0),
        (8, 3 * one_page),
        (8, u64::MAX),
        (64, u64::MAX),
    ] {
        let pages = MemoryPages::new(40, 25, None);
        let items: Vec<u32> = numbered(prefetch)
            .prefetch_bytes(budget)
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

/// Records decoded so far, one counter per test that uses [`Counted`].
static DECODED: [std::sync::atomic::AtomicUsize; 4] =
    [const { std::sync::atomic::AtomicUsize::new(0) }; 4];

/// A number whose decoding is counted in `DECODED[C]`.
#[derive(Debug)]
struct Counted<const C: usize>(#[allow(dead_code)] u32);

impl<'de, const C: usize> serde::Deserialize<'de> for Counted<C> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DECODED[C].fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        u32::deserialize(d).map(Counted)
    }
}

fn decoded(counter: usize) -> usize {
    DECODED[counter].load(std::sync::atomic::Ordering::SeqCst)
}

/// Lets the tasks of the walk run, without asking the stream for anything, until `done` or
/// for a bounded number of turns.
async fn settle(done: impl Fn() -> bool) {
    for _ in 0..10_000 {
        if done() {
            break;
        }
        tokio::task::yield_now().await;
    }
}

/// Lets the tasks of the walk run until `done`. On a runtime of several threads the others may
/// not be scheduled for a while however often this one yields, so no count of turns is enough;
/// a minute without `done` is a failure, not a wait any test takes.
async fn arrive(done: impl Fn() -> bool) {
    let waited = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while !done() {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the walk never got there");
}

#[tokio::test(flavor = "current_thread")]
async fn pages_ahead_are_fetched_and_one_of_them_decoded_before_it_is_asked_for() {
    let pages = MemoryPages::new(6, 10, None);
    let mut stream = numbered(3).items::<Counted<0>>(pages.clone());
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    // Page 1 is read; pages 2 to 4 are in flight in their own tasks, and on this one-thread
    // runtime only page 2 may be decoded ahead. The others wait as bodies.
    settle(|| pages.asked().len() == 4 && decoded(0) == 20).await;
    settle(|| decoded(0) > 20).await;
    assert_eq!(pages.asked(), [1, 2, 3, 4]);
    assert_eq!(
        decoded(0),
        20,
        "page 2 decoded ahead, pages 3 and 4 not yet"
    );
    // Taking page 2 lets page 3 decode and starts page 5.
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    settle(|| pages.asked().len() == 5 && decoded(0) == 30).await;
    settle(|| decoded(0) > 30).await;
    assert_eq!(pages.asked(), [1, 2, 3, 4, 5]);
    assert_eq!(decoded(0), 30);
    let rest: Vec<Counted<0>> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 40);
    assert_eq!(decoded(0), 60, "each record decoded once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn three_worker_threads_decode_two_pages_ahead_while_the_rest_wait_as_bodies() {
    let pages = MemoryPages::new(20, 10, None);
    let mut stream = numbered(6).items::<Counted<1>>(pages.clone());
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    // Every page of the window is fetched; pages 2 and 3 are decoded (a page per worker thread
    // but one), 4 to 7 are not.
    arrive(|| pages.asked().len() == 7 && decoded(1) == 30).await;
    settle(|| decoded(1) > 30).await;
    let mut asked = pages.asked();
    asked.sort_unstable();
    assert_eq!(asked, (1..=7).collect::<Vec<u64>>());
    assert_eq!(decoded(1), 30, "two pages decoded ahead of page 1");
    let rest: Vec<Counted<1>> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 190);
    assert_eq!(decoded(1), 200, "each record decoded once");
}

#[tokio::test(flavor = "current_thread")]
async fn a_stalled_reader_holds_no_more_pages_ahead_than_the_byte_budget() {
    let pages = MemoryPages::new(40, 10, None);
    // Room for three pages' bodies and a little more, with a window of eight.
    let budget = 3 * pages.body_len() + pages.body_len() / 2;
    let mut stream = numbered(8)
        .prefetch_bytes(budget)
        .items::<u32>(pages.clone());
    let mut items = Vec::new();
    for _ in 0..10 {
        items.push(stream.try_next().await.unwrap().unwrap());
    }
    settle(|| pages.asked().len() > 4).await;
    assert_eq!(pages.asked(), [1, 2, 3, 4], "three pages ahead of page 1");
    // Each page handed out makes room for one more.
    for read in 2..=5 {
        for _ in 0..10 {
            items.push(stream.try_next().await.unwrap().unwrap());
        }
        settle(|| pages.asked().len() as u64 > read + 3).await;
        assert_eq!(
            pages.asked(),
            (1..=read + 3).collect::<Vec<u64>>(),
            "page {read} read"
        );
    }
    let rest: Vec<u32> = stream.try_collect().await.unwrap();
    items.extend(rest);
    assert_eq!(items, (1..=400).collect::<Vec<u32>>());
    assert_eq!(pages.asked(), (1..=40).collect::<Vec<u64>>());
}

#[tokio::test(flavor = "current_thread")]
async fn a_budget_smaller_than_a_page_still_fetches_one_page_ahead() {
    let pages = MemoryPages::new(5, 10, None);
    let mut stream = numbered(8).prefetch_bytes(0).items::<u32>(pages.clone());
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    settle(|| pages.asked().len() > 2).await;
    assert_eq!(pages.asked(), [1, 2]);
    let rest: Vec<u32> = stream.try_collect().await.unwrap();
    assert_eq!(rest, (11..=50).collect::<Vec<u32>>());
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
