//! The client against a mock ConnectWise server: connecting, codebase discovery, every generic
//! call, paging, splitting, impersonation and errors.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use connectwise_manage::query::Condition;
use connectwise_manage::{Client, Error, ListQuery, patch::Patch};
use futures::TryStreamExt;
use msp_common::{ManualClock, RecordingSleep, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BASE: &str = "/v4_6_release/apis/3.0";

/// A builder for the mock server with the default retry policies.
fn builder_with_defaults(server: &MockServer) -> connectwise_manage::ClientBuilder {
    Client::builder()
        .site(server.uri())
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
}

fn builder(server: &MockServer) -> connectwise_manage::ClientBuilder {
    builder_with_defaults(server).retry_policy(RetryPolicy::none())
}

fn client(server: &MockServer) -> Client {
    builder(server)
        .without_codebase_discovery()
        .build()
        .unwrap()
}

fn page(ids: std::ops::RangeInclusive<u32>) -> Value {
    Value::Array(ids.map(|id| json!({"id": id})).collect())
}

fn ids(records: &[Value]) -> Vec<u64> {
    records.iter().map(|r| r["id"].as_u64().unwrap()).collect()
}

fn path_and_query(url: &url::Url) -> String {
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn sends_credentials_version_and_client_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/5")))
        // base64("acme+pubkey:privkey-secret")
        .and(header(
            "authorization",
            "Basic YWNtZStwdWJrZXk6cHJpdmtleS1zZWNyZXQ=",
        ))
        .and(header("clientid", "client-id-secret"))
        .and(header(
            "accept",
            "application/vnd.connectwise.com+json; version=2025.1",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 5, "summary": "Printer"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ticket: Value = client(&server)
        .endpoint("/service/tickets")
        .get(5)
        .await
        .unwrap();
    assert_eq!(ticket["summary"], "Printer");
}

#[tokio::test]
async fn per_endpoint_api_version_override() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header(
            "accept",
            "application/vnd.connectwise.com+json; version=2022.1",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let endpoint = client(&server)
        .endpoint::<Value>("/company/companies")
        .with_api_version("2022.1");
    endpoint.get(1).await.unwrap();
}

#[tokio::test]
async fn a_client_wide_api_version_is_sent_by_every_call_and_a_call_can_override_it() {
    let server = MockServer::start().await;
    for version in ["2023.1", "2022.1"] {
        Mock::given(method("GET"))
            .and(header(
                "accept",
                format!("application/vnd.connectwise.com+json; version={version}").as_str(),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": version})))
            .expect(2)
            .mount(&server)
            .await;
    }
    let client = builder(&server)
        .without_codebase_discovery()
        .api_version("2023.1")
        .build()
        .unwrap();
    for _ in 0..2 {
        let info: Value = client.get_json("/system/info").await.unwrap();
        assert_eq!(info["version"], "2023.1");
        let info: Value = client
            .get_json("/system/info")
            .api_version("2022.1")
            .await
            .unwrap();
        assert_eq!(info["version"], "2022.1");
    }
}

#[test]
fn an_api_version_that_cannot_be_a_header_is_refused_when_building() {
    let error = Client::builder()
        .site("https://cw.example.com")
        .company("acme")
        .public_key("p")
        .private_key("k")
        .client_id("c")
        .api_version("2025.1\r\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("api_version"), "{error}");
}

async fn mount_company_info(server: &MockServer, body: Value, times: u64) {
    Mock::given(method("GET"))
        .and(path("/login/companyinfo/acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn discovers_the_codebase_once_and_caches_it() {
    let server = MockServer::start().await;
    mount_company_info(
        &server,
        json!({"CompanyName":"Acme","Codebase":"v2025_1/","VersionCode":"v2025.1","CompanyID":"acme","IsCloud":"True"}),
        1,
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/v2025_1/apis/3.0/system/info"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"version": "v2025.1", "isCloud": true})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let info: Value = client.get_json("/system/info").await.unwrap();
    assert_eq!(info["isCloud"], true);
    let _: Value = client.clone().get_json("/system/info").await.unwrap();
    assert_eq!(client.codebase().await.unwrap(), "v2025_1/");
    let discoveries = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path().starts_with("/login/"))
        .count();
    assert_eq!(discoveries, 1);
    // Company info is fetched without credentials.
    let first = &requests(&server).await[0];
    assert!(first.headers.get("authorization").is_none());
}

#[tokio::test]
async fn unknown_company_is_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(path("/login/companyinfo/acme"))
        .respond_with(ResponseTemplate::new(200).set_body_string("null"))
        .mount(&server)
        .await;
    let error = builder(&server)
        .build()
        .unwrap()
        .codebase()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("does not know the company id \"acme\""),
        "{error}"
    );
}

#[tokio::test]
async fn a_moved_codebase_is_discovered_again_once() {
    let server = MockServer::start().await;
    mount_company_info(&server, json!({"Codebase": "v2024_3/"}), 1).await;
    Mock::given(path("/login/companyinfo/acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Codebase": "v2025_1/"})))
        .mount(&server)
        .await;
    Mock::given(path("/v2024_3/apis/3.0/service/tickets/7"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .mount(&server)
        .await;
    Mock::given(path("/v2025_1/apis/3.0/service/tickets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let ticket: Value = client.endpoint("/service/tickets").get(7).await.unwrap();
    assert_eq!(ticket["id"], 7);
    assert_eq!(client.codebase().await.unwrap(), "v2025_1/");
}

#[tokio::test]
async fn a_record_404_is_not_a_moved_codebase() {
    let server = MockServer::start().await;
    mount_company_info(&server, json!({"Codebase": "v2025_1/"}), 5).await;
    Mock::given(path("/v2025_1/apis/3.0/company/contacts/9"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "NotFound", "message": "Contact 9 not found"})),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let contact: Option<Value> = client
        .endpoint("/company/contacts")
        .get_opt(9)
        .await
        .unwrap();
    assert_eq!(contact, None);
    let discoveries = requests(&server)
        .await
        .iter()
        .filter(|r| r.url.path().starts_with("/login/"))
        .count();
    assert_eq!(discoveries, 1);
}

#[test]
fn configuration_from_the_environment_names_what_is_missing() {
    let vars = [("CW_SITE", "na.myconnectwise.net"), ("CW_COMPANY", "acme")];
    let error = connectwise_manage::ClientBuilder::from_lookup(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    })
    .build()
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing configuration: CW_PUBLIC_KEY (public_key), CW_PRIVATE_KEY (private_key), CW_CLIENT_ID (client_id)"
    );
    let full = [
        ("CW_SITE", "na.myconnectwise.net"),
        ("CW_COMPANY", "acme"),
        ("CW_PUBLIC_KEY", "pub"),
        ("CW_PRIVATE_KEY", "priv"),
        ("CW_CLIENT_ID", "cid"),
        ("CW_API_VERSION", "2024.1"),
    ];
    let client = connectwise_manage::ClientBuilder::from_lookup(|name| {
        full.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    })
    .build()
    .unwrap();
    assert_eq!(client.site().host(), "api-na.myconnectwise.net");
    assert_eq!(client.api_version(), "2024.1");
}

#[test]
fn an_unusable_setting_from_the_environment_is_named_by_its_variable() {
    let vars = [
        ("CW_SITE", "http://cw.example.com"),
        ("CW_COMPANY", "acme"),
        ("CW_PUBLIC_KEY", "pub"),
        ("CW_PRIVATE_KEY", "priv"),
        ("CW_CLIENT_ID", "cid"),
    ];
    let from_env = || {
        connectwise_manage::ClientBuilder::from_lookup(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    };
    let error = from_env().build().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid configuration for CW_SITE: "),
        "{error}"
    );
    // Set through the builder, the same value is named by the builder method.
    let error = from_env()
        .site("http://cw.example.com")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid configuration for site: "),
        "{error}"
    );
    let error = from_env()
        .site("https://cw.example.com")
        .company("a+b")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid configuration for company: "),
        "{error}"
    );
}

#[test]
fn plain_http_is_refused_for_remote_hosts() {
    let error = Client::builder()
        .site("http://cw.example.com")
        .company("acme")
        .public_key("p")
        .private_key("k")
        .client_id("c")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("plain http is only accepted for loopback hosts"),
        "{error}"
    );
}

fn link(server: &MockServer, page: u32, rels: &[(&str, u32)]) -> String {
    let _ = page;
    rels.iter()
        .map(|(rel, n)| {
            format!(
                "<{}{BASE}/company/contacts/?conditions=lastUpdated+%3e%3d+%5b2025-04-01T20%3a02%3a28Z%5d&pageSize=2&page={n}>; rel=\"{rel}\"",
                server.uri()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn mount_contacts_page(server: &MockServer, page: u32, body: Value, link: String) {
    let matcher = if page == 1 {
        Mock::given(method("GET")).and(query_param_is_missing("page"))
    } else {
        Mock::given(method("GET")).and(query_param("page", page.to_string()))
    };
    matcher
        .and(path(format!("{BASE}/company/contacts/")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("Link", link.as_str()),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn streams_every_page_following_links_with_prefetch() {
    let server = MockServer::start().await;
    mount_contacts_page(
        &server,
        1,
        page(1..=2),
        link(&server, 1, &[("next", 2), ("last", 4)]),
    )
    .await;
    mount_contacts_page(
        &server,
        2,
        page(3..=4),
        link(
            &server,
            2,
            &[("first", 1), ("prev", 1), ("next", 3), ("last", 4)],
        ),
    )
    .await;
    mount_contacts_page(
        &server,
        3,
        page(5..=6),
        link(&server, 3, &[("next", 4), ("last", 4)]),
    )
    .await;
    mount_contacts_page(
        &server,
        4,
        page(7..=7),
        link(&server, 4, &[("first", 1), ("last", 4)]),
    )
    .await;
    let client = builder(&server)
        .without_codebase_discovery()
        .prefetch(3)
        .build()
        .unwrap();
    let query = ListQuery::new()
        .conditions(
            Condition::ge(
                "lastUpdated",
                time::macros::datetime!(2025-04-01 20:02:28 UTC),
            )
            .unwrap(),
        )
        .page_size(2);
    let records: Vec<Value> = client
        .endpoint("/company/contacts/")
        .list(&query)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&records), [1, 2, 3, 4, 5, 6, 7]);
    let first = &requests(&server).await[0];
    insta::assert_snapshot!(path_and_query(&first.url), @"/v4_6_release/apis/3.0/company/contacts/?conditions=lastUpdated+%3E%3D+%5B2025-04-01T20%3A02%3A28Z%5D&pageSize=2");
}

#[tokio::test]
async fn prefetch_follows_a_next_link_past_the_announced_last_page() {
    let server = MockServer::start().await;
    // Records were added while listing: page 3 was "last" but now has a next.
    mount_contacts_page(
        &server,
        1,
        page(1..=2),
        link(&server, 1, &[("next", 2), ("last", 3)]),
    )
    .await;
    mount_contacts_page(
        &server,
        2,
        page(3..=4),
        link(&server, 2, &[("next", 3), ("last", 3)]),
    )
    .await;
    mount_contacts_page(
        &server,
        3,
        page(5..=6),
        link(&server, 3, &[("next", 4), ("last", 4)]),
    )
    .await;
    mount_contacts_page(&server, 4, page(7..=7), String::new()).await;
    let client = builder(&server)
        .without_codebase_discovery()
        .prefetch(2)
        .build()
        .unwrap();
    let records: Vec<Value> = client
        .endpoint("/company/contacts/")
        .list(&ListQuery::new().page_size(2))
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&records), [1, 2, 3, 4, 5, 6, 7]);
}

#[tokio::test]
async fn sequential_paging_without_prefetch() {
    let server = MockServer::start().await;
    mount_contacts_page(
        &server,
        1,
        page(1..=2),
        link(&server, 1, &[("next", 2), ("last", 3)]),
    )
    .await;
    mount_contacts_page(
        &server,
        2,
        page(3..=4),
        link(&server, 2, &[("next", 3), ("last", 3)]),
    )
    .await;
    mount_contacts_page(&server, 3, page(5..=5), link(&server, 3, &[("last", 3)])).await;
    let client = builder(&server)
        .without_codebase_discovery()
        .prefetch(1)
        .build()
        .unwrap();
    let pages: Vec<_> = client
        .endpoint::<Value>("/company/contacts/")
        .list(&ListQuery::new().page_size(2))
        .by_page()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
}

#[tokio::test]
async fn forward_only_paging_sends_the_header_and_follows_page_ids() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/companies")))
        .and(header("pagination-type", "forward-only"))
        .and(query_param_is_missing("pageId"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(1..=2))
                .insert_header(
                    "Link",
                    format!("<{uri}{BASE}/company/companies?pageSize=2&pageId=2>; rel=\"next\"")
                        .as_str(),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("pagination-type", "forward-only"))
        .and(query_param("pageId", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(3..=3))
                .insert_header("Link", ""),
        )
        .expect(1)
        .mount(&server)
        .await;
    let records: Vec<Value> = client(&server)
        .endpoint("/company/companies")
        .list(&ListQuery::new().forward_only().page_size(2))
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&records), [1, 2, 3]);
}

#[tokio::test]
async fn forward_only_with_order_by_is_refused_before_sending() {
    let server = MockServer::start().await;
    let query = ListQuery::new()
        .forward_only()
        .order_by(connectwise_manage::query::OrderBy::asc("name").unwrap());
    let error = client(&server)
        .endpoint::<Value>("/company/companies")
        .list(&query)
        .by_item()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Build { .. }), "{error:?}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_long_in_list_is_split_and_merged() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/contacts")))
        .respond_with(|request: &Request| {
            let conditions = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "conditions")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            // Answer with the ids this chunk asked for.
            let list = conditions
                .split("in (")
                .nth(1)
                .unwrap_or("")
                .split(')')
                .next()
                .unwrap_or("");
            let body: Vec<Value> = list
                .split(',')
                .filter_map(|s| s.trim().parse::<u64>().ok())
                .map(|id| json!({"id": id}))
                .collect();
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let wanted: Vec<i64> = (1..=700).collect();
    let query = ListQuery::new().conditions(Condition::in_list("id", wanted.clone()).unwrap());
    let records: Vec<Value> = client(&server)
        .endpoint("/company/contacts")
        .list(&query)
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        ids(&records),
        wanted.iter().map(|&i| i as u64).collect::<Vec<_>>()
    );
    let sent = requests(&server).await;
    assert!(sent.len() > 1);
    assert!(sent.iter().all(|r| r.url.as_str().len() <= 2000));
}

#[tokio::test]
async fn count_create_update_patch_delete_and_search() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/count")))
        .and(query_param("conditions", "closedFlag = false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 42})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"summary": "New laptop", "board": {"id": 1}}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 10, "summary": "New laptop"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{BASE}/service/tickets/10")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 10})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/service/tickets/10")))
        .and(body_json(
            json!([{"op": "replace", "path": "status", "value": {"id": 5}}]),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 10, "status": {"id": 5}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{BASE}/service/tickets/10")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/service/tickets/search")))
        .and(query_param("pageSize", "25"))
        .and(body_json(
            json!({"conditions": "summary like \"VPN*\"", "orderBy": "id desc"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(3..=4)))
        .expect(1)
        .mount(&server)
        .await;

    let tickets = client(&server).endpoint::<Value>("/service/tickets");
    let open = ListQuery::new().conditions(Condition::eq("closedFlag", false).unwrap());
    assert_eq!(tickets.count(&open).await.unwrap(), 42);
    let created = tickets
        .create(&json!({"summary": "New laptop", "board": {"id": 1}}))
        .await
        .unwrap();
    assert_eq!(created["id"], 10);
    tickets.update(10, &json!({"summary": "x"})).await.unwrap();
    let patched = tickets.patch(10, &Patch::new().status_id(5)).await.unwrap();
    assert_eq!(patched["status"]["id"], 5);
    tickets.delete(10).await.unwrap();
    let found = tickets
        .search(
            &ListQuery::new()
                .conditions(Condition::like("summary", "VPN*").unwrap())
                .order_by(connectwise_manage::query::OrderBy::desc("id").unwrap())
                .page_size(25),
        )
        .await
        .unwrap();
    assert_eq!(ids(&found), [3, 4]);
    assert!(matches!(
        tickets.patch(10, &Patch::new()).await.unwrap_err(),
        Error::Build { .. }
    ));
}

#[tokio::test]
async fn writes_are_not_retried_after_a_gateway_error_but_reads_are() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    let sleep = RecordingSleep::new();
    let client = builder(&server)
        .without_codebase_discovery()
        .retry_policy(RetryPolicy::interactive())
        .sleep(Arc::new(sleep.clone()))
        .build()
        .unwrap();
    let tickets = client.endpoint::<Value>("/service/tickets");
    assert!(tickets.create(&json!({"summary": "x"})).await.is_err());
    tickets.get(1).await.unwrap();
    let methods: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["POST", "GET", "GET"]);
    assert_eq!(sleep.recorded().len(), 1);
}

#[tokio::test]
async fn errors_keep_code_fields_and_rate_limit_delay() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/company/contacts")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "InvalidObject", "message": "contact object is invalid",
            "errors": [{"code": "MissingRequiredField", "message": "The firstName field is required.", "resource": "contact", "field": "firstName"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/contacts")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(json!({"error": "ConnectWiseAPI", "message": "Too many requests. Please try again in 30 seconds."})),
        )
        .mount(&server)
        .await;
    let contacts = client(&server).endpoint::<Value>("/company/contacts");
    let error = contacts.create(&json!({})).await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.code.as_deref(), Some("InvalidObject"));
    assert_eq!(api.field_errors[0].field.as_deref(), Some("firstName"));
    assert_eq!(api.kind, connectwise_manage::ApiErrorKind::Validation);

    let error = contacts.list(&ListQuery::new()).await.unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn sets_one_custom_field_by_caption_keeping_the_others() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/company/companies/3")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 3,
            "customFields": [
                {"id": 1, "caption": "Tier", "type": "Text", "entryMethod": "EntryField", "numberOfDecimals": 0, "value": "Gold"},
                {"id": 2, "caption": "RMM Site", "type": "Text", "entryMethod": "EntryField", "numberOfDecimals": 0, "value": null}
            ]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{BASE}/company/companies/3")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .endpoint::<Value>("/company/companies")
        .set_custom_field(3, "RMM Site", "HQ")
        .await
        .unwrap();
    let patch = requests(&server)
        .await
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    let body: Value = serde_json::from_slice(&patch.body).unwrap();
    insta::assert_json_snapshot!(body);
}

#[tokio::test]
async fn impersonation_fetches_a_member_token_and_renews_it_before_expiry() {
    let server = MockServer::start().await;
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let clock = ManualClock::new(start);
    let expiration = time::OffsetDateTime::from(start + Duration::from_secs(3600))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/system/members/jdoe/tokens")))
        .and(header("x-cw-usertype", "member"))
        .and(header(
            "authorization",
            "Basic YWNtZStwdWJrZXk6cHJpdmtleS1zZWNyZXQ=",
        ))
        .and(body_json(json!({"memberIdentifier": "jdoe"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "publicKey": "memberpub", "privateKey": "memberpriv", "expiration": expiration
        })))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/1")))
        // base64("acme+memberpub:memberpriv")
        .and(header(
            "authorization",
            "Basic YWNtZSttZW1iZXJwdWI6bWVtYmVycHJpdg==",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .expect(3)
        .mount(&server)
        .await;
    let client = builder(&server)
        .without_codebase_discovery()
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    let as_member = client.impersonate("jdoe");
    let tickets = as_member.endpoint::<Value>("/service/tickets");
    tickets.get(1).await.unwrap();
    tickets.get(1).await.unwrap();
    clock.advance(Duration::from_secs(3600 - 30));
    tickets.get(1).await.unwrap();
}

#[tokio::test]
async fn request_urls_and_operation_names() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server);
    let notes = client
        .endpoint::<Value>("/service/tickets")
        .child::<Value>(77, "notes");
    assert_eq!(notes.route(), "/service/tickets/{parentId}/notes");
    let query = ListQuery::new()
        .conditions(
            Condition::eq("company/identifier", "O'Brien & Sons").unwrap()
                & Condition::not_in("status/name", ["Closed", "Resolved"]).unwrap(),
        )
        .child_conditions(Condition::eq("communicationItems/communicationType", "Email").unwrap())
        .fields(connectwise_manage::query::Fields::new(["id", "summary", "status/name"]).unwrap())
        .order_by(
            connectwise_manage::query::OrderBy::asc("id")
                .unwrap()
                .then_desc("dateEntered")
                .unwrap(),
        )
        .page(2)
        .page_size(50);
    notes.list(&query).await.unwrap();
    let sent = &requests(&server).await[0];
    insta::assert_snapshot!(path_and_query(&sent.url));
}

#[tokio::test]
async fn a_stream_waits_out_a_long_retry_after_that_a_single_call_refuses() {
    let server = MockServer::start().await;
    let throttled = || {
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "60")
            .set_body_json(json!({"error": "ConnectWiseAPI", "message": "Too many requests."}))
    };
    // The second page is throttled once, with a delay past the interactive cap of 10 s.
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param("page", "2"))
        .respond_with(throttled())
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let next = format!(
        "<{}{BASE}/service/tickets?pageSize=2&page=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(1..=2))
                .insert_header("Link", next.as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets")))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(3..=3)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/9")))
        .respond_with(throttled())
        .mount(&server)
        .await;
    // The default retry policies: nothing set on the builder.
    let sleep = RecordingSleep::new();
    let client = builder_with_defaults(&server)
        .without_codebase_discovery()
        .sleep(Arc::new(sleep.clone()))
        .build()
        .unwrap();
    let tickets = client.endpoint::<Value>("/service/tickets");
    let all: Vec<Value> = tickets
        .list(&ListQuery::new().page_size(2))
        .by_item()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&all), [1, 2, 3]);
    assert_eq!(sleep.recorded(), [Duration::from_secs(60)]);
    let single = tickets.get(9).await.unwrap_err();
    assert!(single.is_rate_limited(), "{single:?}");
    assert_eq!(single.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(sleep.recorded().len(), 1, "the single call did not wait");
}
