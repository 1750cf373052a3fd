//! A read-modify-write with `PUT` through a `Snapshot`: fields read as `null` go back as `null`
//! instead of being left out (which makes the server reset them).

mod accessors_support;

use accessors_support::{BASE, setup};
use connectwise_manage::Snapshot;
use connectwise_manage::models::Ticket;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn put_writes_back_the_nulls_it_read() {
    let (server, client, _) = setup().await;
    let read = json!({
        "id": 7,
        "summary": "Printer offline",
        "contact": null,
        "requiredDate": null,
        "owner": {"id": 3, "identifier": "alex", "name": null},
        "extraUnknown": null
    });
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/service/tickets/7")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&read))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{BASE}/service/tickets/7")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&read))
        .mount(&server)
        .await;

    let tickets = client.endpoint::<Snapshot<Ticket>>("/service/tickets");
    let mut ticket = tickets.get(7).await.unwrap();
    ticket.summary = Some("Printer replaced".into());
    tickets.update(7, &ticket).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let put = requests
        .iter()
        .find(|request| request.method.as_str() == "PUT")
        .expect("a PUT was sent");
    let body: Value = serde_json::from_slice(&put.body).unwrap();
    let mut expected = read;
    expected["summary"] = json!("Printer replaced");
    assert_eq!(body, expected);
}
