//! Property tests of `Link` header parsing: targets carrying the characters ConnectWise echoes
//! into its links (commas, semicolons, quotes, parentheses, percent-escapes) come back whole
//! whatever the relations' order and spacing, relative targets resolve against the page's URL,
//! and any header value at all is parsed or refused, never a panic.

use msp_common::Links;
use msp_common::url::{Position, Url};
use proptest::prelude::*;

/// A query value as ConnectWise writes it into a link: conditions with commas, semicolons,
/// quotes and parentheses, percent-escaped or not.
fn query_value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9]{1,6}",
        prop::sample::select(vec![
            ",", ";", "(", ")", "'", "%22", "%20", "%2c", "%3B", "=", "/", "*", "!", "~", "-",
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

fn target() -> impl Strategy<Value = Url> {
    (
        "[a-z]{1,8}",
        1u32..100_000,
        1u32..1_001,
        query_value(),
        any::<bool>(),
    )
        .prop_map(|(area, page, size, conditions, forward)| {
            let paging = if forward {
                format!("pageId={page}")
            } else {
                format!("page={page}")
            };
            Url::parse(&format!(
                "https://na.example.com/v4_6_release/apis/3.0/{area}/items?{paging}&pageSize={size}&conditions={conditions}"
            ))
            .expect("a valid URL")
        })
}

fn base() -> Url {
    Url::parse("https://na.example.com/v4_6_release/apis/3.0/service/tickets?page=1").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_relation_comes_back_whole(
        next in target(),
        last in target(),
        next_first in any::<bool>(),
        quoted in any::<bool>(),
        spaces in "[ \t]{0,3}",
    ) {
        let rel = |name: &str| if quoted { format!("rel=\"{name}\"") } else { format!("rel={name}") };
        let next_link = format!("<{next}>;{spaces}{}", rel("next"));
        let last_link = format!("<{last}>;{spaces}{}", rel("last"));
        let header = if next_first {
            format!("{next_link},{spaces}{last_link}")
        } else {
            format!("{last_link},{spaces}{next_link}")
        };
        let links = Links::parse(&header, &base()).unwrap();
        prop_assert_eq!(links.next.as_ref(), Some(&next), "{}", header);
        prop_assert_eq!(links.last.as_ref(), Some(&last), "{}", header);
        prop_assert_eq!(links.prev, None);
    }

    #[test]
    fn a_relative_target_resolves_against_the_page(target in target()) {
        let relative = &target[Position::BeforePath..];
        let links = Links::parse(&format!("<{relative}>; rel=\"next\""), &base()).unwrap();
        prop_assert_eq!(links.next, Some(target));
    }

    #[test]
    fn the_first_of_a_repeated_relation_wins(first in target(), second in target()) {
        let header = format!("<{first}>; rel=\"next\", <{second}>; rel=\"next\"");
        prop_assert_eq!(Links::parse(&header, &base()).unwrap().next, Some(first));
    }

    #[test]
    fn any_header_value_is_parsed_or_refused(value in any::<String>()) {
        // Either outcome is fine; a panic is not, and a refusal says why.
        if let Err(error) = Links::parse(&value, &base()) {
            prop_assert!(error.to_string().starts_with("malformed Link header"));
        }
    }
}
