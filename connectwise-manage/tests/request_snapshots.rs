//! The exact requests of typed calls, taken from the request values with no server: what a
//! create, a patch and a filtered listing send, with the spec's operation data.

use connectwise_manage::models::{ServiceNote, Ticket};
use connectwise_manage::patch::{Patch, Reference};
use connectwise_manage::query::{Condition, Fields, OrderBy};
use connectwise_manage::{Client, Error, ListQuery, Paging};

fn client() -> Client {
    Client::builder()
        .site("https://cw.example.com")
        .company("acme")
        .public_key("pubkey")
        .private_key("privkey-secret")
        .client_id("client-id-secret")
        .without_codebase_discovery()
        .build()
        .expect("a valid configuration")
}

#[test]
fn a_typed_create() -> Result<(), Error> {
    let note = ServiceNote {
        text: Some("Called the customer back".into()),
        internal_analysis_flag: Some(true),
        ..Default::default()
    };
    let call = client().service().tickets().id(42).notes().create(&note);
    let request = call.into_request()?;
    insta::assert_debug_snapshot!(request);
    let debug = format!("{request:?}");
    assert!(!debug.contains("secret"), "{debug}");
    Ok(())
}

#[test]
fn a_typed_patch() -> Result<(), Error> {
    let ticket_type = 12;
    let change = Patch::new()
        .status_id(5)
        .priority_id(8)
        .replace_reference("type", Reference::id(ticket_type))?
        .replace("summary", "VPN down at HQ")?;
    let call = client().service().tickets().id(1234).patch(&change);
    insta::assert_debug_snapshot!(call.request().expect("built"));
    Ok(())
}

#[test]
fn a_filtered_listing() -> Result<(), Error> {
    let list = client()
        .service()
        .tickets()
        .list(&ListQuery::new().conditions(
            Condition::eq("board/name", "Help Desk")? & Condition::eq("closedFlag", false)?,
        ))
        .order_by(OrderBy::desc("lastUpdated")?)
        .fields(Fields::new(["id", "summary", "status/name"])?)
        .page_size(50)
        .api_version("2025.1");
    insta::assert_debug_snapshot!(list.request()?);

    let sync = client()
        .service()
        .tickets()
        .list(&ListQuery::new().page_id(1000))
        .paging(Paging::ForwardOnly);
    insta::assert_debug_snapshot!("a_forward_only_listing", sync.request()?);
    Ok(())
}

#[test]
fn a_request_that_cannot_be_built_says_why_before_sending() {
    let error = client()
        .service()
        .tickets()
        .list(&ListQuery::new().page_size(5000))
        .request()
        .expect_err("pageSize is out of range");
    assert!(error.to_string().contains("pageSize"), "{error}");
    let call = client().service().tickets().id(7).patch(&Patch::new());
    let error = call.request().expect_err("an empty patch");
    assert!(matches!(error, Error::Build { .. }), "{error}");
    // The typed model is named in the call's type, not only in its docs.
    let _: connectwise_manage::Call<Ticket> = client().service().tickets().id(7).get();
}
