//! Property tests of installer URLs: whatever session name and custom properties a caller
//! gives (quotes, `&`, `=`, `#`, `%`, `+`, spaces, non-ASCII), the URL's query decodes back to
//! exactly those values, in their slots, and the URL text survives a reparse unchanged.

use proptest::prelude::*;
use screenconnect_api::installer::{AccessInstaller, InstallerPlatform};
use url::Url;

fn value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => any::<char>().prop_filter("no control characters", |c| !c.is_control()).prop_map(String::from),
        2 => prop::sample::select(vec![
            "&", "=", "#", "%", "%20", "+", " ", "?", "/", "'", "\"", "\\", "é", "日本", "😀", "c=",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z0-9._~-]{1,6}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_query_decodes_back_to_the_inputs(
        name in prop::option::of(value()),
        properties in prop::collection::vec(value(), 0..=8),
        trim in any::<bool>(),
    ) {
        let instance = Url::parse("https://acme.screenconnect.com").unwrap();
        let mut installer = AccessInstaller::new(&instance, InstallerPlatform::Msi)
            .unwrap()
            .custom_property_values(properties.clone())
            .unwrap()
            .trim_trailing_empty_properties(trim);
        if let Some(name) = &name {
            installer = installer.session_name(name.clone()).unwrap();
        }
        let url = installer.url();
        prop_assert_eq!(Url::parse(url.as_str()).unwrap(), url.clone());
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |key: &str| -> Vec<String> {
            pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
        };
        prop_assert_eq!(get("e"), vec!["Access".to_owned()]);
        prop_assert_eq!(get("y"), vec!["Guest".to_owned()]);
        prop_assert_eq!(get("t"), name.into_iter().collect::<Vec<_>>());
        let mut slots = properties;
        slots.resize(8, String::new());
        if trim {
            while slots.last().is_some_and(String::is_empty) {
                slots.pop();
            }
        }
        prop_assert_eq!(get("c"), slots);
        // Only the eight `c`, the name and the two fixed keys.
        prop_assert!(pairs.iter().all(|(k, _)| matches!(k.as_str(), "e" | "y" | "t" | "c")));
    }
}
