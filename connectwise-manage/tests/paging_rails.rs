//! The safety rails of listings, end to end through the client against a mock server: no record
//! is yielded twice, walks are capped, and an error object on a success status is an error.

use connectwise_manage::models::Ticket;
use connectwise_manage::{Client, Error, ListQuery, PaginationError};
use futures::StreamExt;
use msp_common::RetryPolicy;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BASE: &str = "/v4_6_release/apis/3.0";

fn client(server: &MockServer, prefetch: usize) -> Client {
    Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .retry_policy(RetryPolicy::none())
        .without_codebase_discovery()
        .prefetch(prefetch)
        .build()
        .unwrap()
}

/// The `page` a request asks for (1 when it names none).
fn page_of(request: &Request) -> u64 {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1)
}

/// Serves `/service/tickets`: page `n` holds ids `2n-1, 2n` and the `Link` header `links(n)`.
async fn serve(
    server: &MockServer,
    links: impl Fn(u64) -> Vec<(&'static str, u64)> + Send + Sync + 'static,
) {
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(move |request: &Request| {
            let n = page_of(request);
            let link = links(n)
                .into_iter()
                .map(|(rel, to)| {
                    format!("<{uri}{BASE}/service/tickets?pageSize=2&page={to}>; rel=\"{rel}\"")
                })
                .collect::<Vec<_>>()
                .join(", ");
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 2 * n - 1}, {"id": 2 * n}]))
                .insert_header("Link", link.as_str())
        })
        .mount(server)
        .await;
}

/// Every record and the error that ended the walk.
async fn walk(list: connectwise_manage::List<Value>) -> (Vec<u64>, Option<Error>) {
    let results: Vec<Result<Value, Error>> = list.by_item().collect().await;
    let mut ids = Vec::new();
    let mut error = None;
    for result in results {
        match result {
            Ok(record) => ids.push(record["id"].as_u64().unwrap()),
            Err(e) => {
                assert!(error.is_none(), "a second error: {e}");
                error = Some(e);
            }
        }
    }
    (ids, error)
}

fn pagination_error(error: &Option<Error>) -> Option<&PaginationError> {
    match error {
        Some(Error::Pagination { source, .. }) => Some(source),
        _ => None,
    }
}

#[tokio::test]
async fn a_next_link_to_the_first_page_itself_yields_nothing_twice() {
    let server = MockServer::start().await;
    serve(&server, |_| vec![("next", 1)]).await;
    let tickets = client(&server, 2).endpoint::<Value>("/service/tickets");
    let (ids, error) = walk(tickets.list(&ListQuery::new().page_size(2))).await;
    assert_eq!(ids, [1, 2]);
    assert!(
        matches!(pagination_error(&error), Some(PaginationError::Loop { .. })),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_prefetched_last_page_pointing_back_at_page_one_yields_nothing_twice() {
    let server = MockServer::start().await;
    serve(&server, |n| match n {
        3 => vec![("next", 1), ("last", 3)],
        n => vec![("next", n + 1), ("last", 3)],
    })
    .await;
    let list = client(&server, 3)
        .service()
        .tickets()
        .list(&ListQuery::new().page_size(2));
    let pages: Vec<Result<connectwise_manage::Page<Ticket>, Error>> =
        list.by_page().collect().await;
    let ids: Vec<i32> = pages
        .iter()
        .filter_map(|page| page.as_ref().ok())
        .flat_map(|page| page.items.iter().map(|t| t.id.unwrap()))
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    let error = pages.last().unwrap().as_ref().err();
    assert!(
        matches!(
            error,
            Some(Error::Pagination {
                source: PaginationError::Loop { .. },
                ..
            })
        ),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_endless_next_chain_stops_at_the_cap_of_the_call() {
    let server = MockServer::start().await;
    serve(&server, |n| vec![("next", n + 1)]).await;
    let tickets = client(&server, 2).endpoint::<Value>("/service/tickets");
    let list = tickets.list(&ListQuery::new().page_size(2)).max_pages(4);
    let (ids, error) = walk(list).await;
    assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(
        pagination_error(&error),
        Some(&PaginationError::TooManyPages { limit: 4 })
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_last_page_of_two_billion_stops_at_the_cap_of_the_client() {
    let server = MockServer::start().await;
    serve(&server, |n| vec![("next", n + 1), ("last", 2_000_000_000)]).await;
    let client = Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .retry_policy(RetryPolicy::none())
        .without_codebase_discovery()
        .prefetch(3)
        .max_pages(6)
        .build()
        .unwrap();
    let list = client
        .endpoint::<Value>("/service/tickets")
        .list(&ListQuery::new().page_size(2));
    let (ids, error) = walk(list).await;
    assert_eq!(ids, (1..=12).collect::<Vec<u64>>());
    assert_eq!(
        pagination_error(&error),
        Some(&PaginationError::TooManyPages { limit: 6 })
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn an_error_object_with_status_200_is_an_error_not_an_empty_record() {
    let server = MockServer::start().await;
    let body = json!({
        "code": "InvalidObject",
        "message": "ticket object is invalid",
        "errors": [{"code": "InvalidField", "message": "bad board", "resource": "ticket", "field": "board"}]
    });
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/5")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = client(&server, 2);
    let error = client
        .service()
        .tickets()
        .id(5)
        .get()
        .await
        .expect_err("an error, not a ticket");
    let api = error.api().expect("an API error");
    assert_eq!(api.code.as_deref(), Some("InvalidObject"));
    assert_eq!(error.field_errors()[0].field.as_deref(), Some("board"));

    // A listing page that is an error object ends the walk with it.
    let results: Vec<Result<Ticket, Error>> = client
        .service()
        .tickets()
        .list(&ListQuery::new())
        .by_item()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let error = results[0].as_ref().expect_err("an error");
    assert_eq!(error.api().unwrap().code.as_deref(), Some("InvalidObject"));
}

#[tokio::test]
async fn a_record_that_does_not_fit_is_named_by_position_and_field_and_ends_the_listing() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([
                    {"id": 1, "board": {"id": 3}},
                    {"id": 2, "board": {"id": 3}},
                    {"id": 3, "board": {"id": "three"}}
                ]))
                .insert_header(
                    "Link",
                    format!("<{uri}{BASE}/service/tickets?page=2>; rel=\"next\"").as_str(),
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 4}])))
        .mount(&server)
        .await;
    let results: Vec<Result<Ticket, Error>> = client(&server, 2)
        .service()
        .tickets()
        .list(&ListQuery::new())
        .by_item()
        .collect()
        .await;
    assert_eq!(
        results.len(),
        1,
        "a page is decoded whole, once, and nothing follows"
    );
    let Err(Error::Decode(decode)) = &results[0] else {
        panic!("expected a decode error, got {:?}", results[0]);
    };
    assert_eq!(decode.path, "[2].board.id");
    assert_eq!(decode.operation, "getServiceTickets");
}
