//! `Link` response headers.

use msp_common::Links;
use msp_common::http::header::{HeaderMap, HeaderValue, LINK};
use msp_common::url::Url;

/// The page a `Link` header arrives on; relative targets resolve against it.
const BASE: &str = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/service/tickets?page=2";

/// A `Link` header value: parsing never panics; the links read from it, written back as a
/// header, read back the same; and a header line that is not visible ASCII is an error.
pub fn link_header(data: &[u8]) {
    let base = Url::parse(BASE).expect("the base is a URL");
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(data) {
        let visible = value.to_str().is_ok();
        headers.insert(LINK, value);
        let read = Links::from_headers(&headers, &base);
        if !visible {
            assert!(read.is_err(), "a non-ASCII header value was read as links");
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(links) = Links::parse(text, &base) else {
        return;
    };
    let written = write(&links);
    let again = Links::parse(&written, &base)
        .unwrap_or_else(|error| panic!("written {written:?} does not parse: {error}"));
    assert_eq!(again, links, "{text:?} written as {written:?}");
}

/// Writes links as one header value, in the shape Manage sends.
fn write(links: &Links) -> String {
    let slots = [
        ("next", &links.next),
        ("prev", &links.prev),
        ("first", &links.first),
        ("last", &links.last),
    ];
    slots
        .iter()
        .filter_map(|(rel, url)| url.as_ref().map(|url| format!("<{url}>; rel=\"{rel}\"")))
        .collect::<Vec<_>>()
        .join(", ")
}
