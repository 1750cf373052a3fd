//! `Link` response headers (RFC 8288), as paginated APIs send them.
//!
//! Parsing follows the RFC's Appendix B algorithm (through the http-link crate): targets are taken
//! whole between `<` and `>`, so commas and semicolons inside a URL are kept. ConnectWise echoes
//! `conditions` such as `id in (1,2,3)` into its links, which naive `split(',')` parsers break on.

use http::HeaderMap;
use http::header::LINK;
use url::Url;

/// The navigation links of one page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// `rel="next"`: the following page.
    pub next: Option<Url>,
    /// `rel="prev"` (or `previous`): the preceding page.
    pub prev: Option<Url>,
    /// `rel="first"`.
    pub first: Option<Url>,
    /// `rel="last"`.
    pub last: Option<Url>,
}

/// A `Link` header that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed Link header: {reason}")]
pub struct LinkError {
    reason: String,
}

impl Links {
    /// Reads every `Link` header line in `headers`, resolving relative targets against `base`
    /// (the URL the page was requested from).
    ///
    /// An absent header or an empty value yields no links. When a relation appears more than once,
    /// the first one wins. Relation names are compared case-insensitively.
    pub fn from_headers(headers: &HeaderMap, base: &Url) -> Result<Links, LinkError> {
        let mut links = Links::default();
        for value in headers.get_all(LINK) {
            let value = value.to_str().map_err(|_| LinkError {
                reason: "the value is not visible ASCII".to_owned(),
            })?;
            links.merge(Links::parse(value, base)?);
        }
        Ok(links)
    }

    /// Parses one `Link` header value.
    pub fn parse(value: &str, base: &Url) -> Result<Links, LinkError> {
        let mut links = Links::default();
        if value.trim().is_empty() {
            return Ok(links);
        }
        let parsed = http_link::parse_link_header(value, base).map_err(|e| LinkError {
            reason: e.to_string(),
        })?;
        for link in parsed {
            let slot = match link.rel.as_str() {
                "next" => &mut links.next,
                "prev" | "previous" => &mut links.prev,
                "first" => &mut links.first,
                "last" => &mut links.last,
                _ => continue,
            };
            slot.get_or_insert(link.target);
        }
        Ok(links)
    }

    fn merge(&mut self, other: Links) {
        self.next = self.next.take().or(other.next);
        self.prev = self.prev.take().or(other.prev);
        self.first = self.first.take().or(other.first);
        self.last = self.last.take().or(other.last);
    }
}
