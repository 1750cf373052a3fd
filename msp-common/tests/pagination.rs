//! `Link` parsing and the page/item streams, against a mock server.

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use msp_common::{
    Error, Executor, FetchPage, Links, Operation, Page, PaginationError, Paginator, RetryPolicy,
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
impl FetchPage<u32> for JsonPages {
    async fn fetch_page(&self, url: Url) -> Result<Page<u32>, Error> {
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
        let items = msp_common::decode_json(&operation, &response)?;
        Ok(Page::new(items, links, url))
    }
}

fn fetcher() -> JsonPages {
    JsonPages {
        executor: Executor::builder()
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap(),
    }
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
    let items: Vec<u32> = Paginator::new("listNumbers", first.clone())
        .items(fetcher())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, [1, 2, 3, 4, 5]);

    let pages: Vec<Page<u32>> = Paginator::new("listNumbers", first)
        .pages(fetcher())
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
    let items: Vec<u32> = Paginator::new("listNumbers", first)
        .items(fetcher())
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
    let results: Vec<Result<u32, Error>> = Paginator::new("listNumbers", first)
        .items(fetcher())
        .collect()
        .await;
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
    let results: Vec<Result<u32, Error>> = Paginator::new("listNumbers", first)
        .items(fetcher())
        .collect()
        .await;
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
    let results: Vec<Result<u32, Error>> = Paginator::new("listNumbers", first)
        .items(fetcher())
        .collect()
        .await;
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
    let results: Vec<Result<u32, Error>> = Paginator::new("listNumbers", first)
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
    let results: Vec<Result<u32, Error>> = Paginator::new("listNumbers", first)
        .items(fetcher())
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1].as_ref().unwrap_err().status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
}
