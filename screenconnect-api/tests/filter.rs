//! Rendered session filters (snapshots) and filter errors.

use screenconnect_api::filter::{Field, Filter, FilterError, SessionFilter};
use screenconnect_api::models::{EventType, SessionId, SessionType};

fn render(filter: &Filter) -> String {
    filter.render().expect("filter renders")
}

#[test]
fn access_agents_online() {
    let filter = Field::SESSION_TYPE
        .equals(SessionType::Access)
        .and(Field::GUEST_CONNECTED_COUNT.greater_than(0));
    insta::assert_snapshot!("access_agents_online", render(&filter));
}

#[test]
fn apostrophes_are_doubled() {
    let filter = Field::GUEST_MACHINE_NAME.equals("O'BRIEN-PC");
    insta::assert_snapshot!("apostrophes_are_doubled", render(&filter));
    let sneaky = Field::NAME.equals("x' OR Name <> '");
    insta::assert_snapshot!("injection_attempt_stays_a_literal", render(&sneaky));
}

#[test]
fn tenant_scope_with_nested_or() {
    let filter = Field::SESSION_TYPE
        .equals(SessionType::Access)
        .and(Field::custom_property(1).unwrap().equals("Acme Ltd"))
        .and(
            Field::GUEST_OPERATING_SYSTEM_NAME
                .like("%Windows 11%")
                .or(Field::GUEST_OPERATING_SYSTEM_NAME.like("%Windows 10%")),
        );
    insta::assert_snapshot!("tenant_scope_with_nested_or", render(&filter));
}

#[test]
fn or_of_ands() {
    let filter = Filter::any([
        Field::NAME.equals("PC-01").and(Field::HOST.equals("Jane")),
        Field::NAME.equals("PC-02").and(Field::HOST.equals("Sam")),
    ]);
    insta::assert_snapshot!("or_of_ands", render(&filter));
}

#[test]
fn negation_and_null_checks() {
    let filter = Filter::all([
        Field::SESSION_TYPE.equals(SessionType::Access),
        !Field::NAME.like("TEST-%"),
        Field::GUEST_MACHINE_SERIAL_NUMBER.is_not_null(),
        Field::custom_property(8).unwrap().is_null(),
        Field::NAME.equals("a").or(Field::NAME.equals("b")).negate(),
    ]);
    insta::assert_snapshot!("negation_and_null_checks", render(&filter));
    insta::assert_snapshot!("not_like", render(&Field::NAME.not_like("%-OLD")));
}

#[test]
fn numeric_comparisons_are_unquoted() {
    let filter = Filter::all([
        Field::GUEST_CONNECTED_COUNT.equals(0),
        Field::GUEST_CONNECTED_COUNT.not_equals(1_i64),
        Field::new("GuestSystemMemoryTotalMegabytes")
            .unwrap()
            .greater_or_equal(8192_u32),
        Field::new("GuestProcessorVirtualCount")
            .unwrap()
            .less_than(4),
        Field::new("GuestTimeZoneOffsetHours")
            .unwrap()
            .less_or_equal(5.5),
        Field::new("GuestTimeZoneOffsetHours")
            .unwrap()
            .greater_than(-0.25),
    ]);
    insta::assert_snapshot!("numeric_comparisons_are_unquoted", render(&filter));
}

#[test]
fn enums_and_ids_as_values() {
    let id = SessionId::new("3F2504E0-4F89-11D3-9A0C-0305E82C3301").unwrap();
    let filter = Field::SESSION_ID
        .equals(&id)
        .or(Field::new("EventType")
            .unwrap()
            .equals(EventType::RanCommand))
        .or(Field::SESSION_TYPE.equals(SessionType::Other(7)));
    insta::assert_snapshot!("enums_and_ids_as_values", render(&filter));
}

#[test]
fn non_ascii_and_backslashes_pass_through_quoted() {
    let filter = Field::GUEST_LOGGED_ON_USER_NAME
        .equals(r"ACME\josé")
        .and(Field::NAME.equals("Zoë's \"laptop\""));
    insta::assert_snapshot!("non_ascii_and_backslashes", render(&filter));
}

#[test]
fn chained_ands_stay_flat_and_single_groups_unwrap() {
    let chained = Field::NAME
        .equals("a")
        .and(Field::HOST.equals("b"))
        .and(Field::CODE.equals("c"));
    assert_eq!(render(&chained), "Name = 'a' AND Host = 'b' AND Code = 'c'");
    let single = Filter::all([Filter::any([Field::NAME.equals("a")])]);
    assert_eq!(render(&single), "Name = 'a'");
    let mixed = Field::NAME
        .equals("a")
        .or(Field::NAME.equals("b"))
        .and(Field::HOST.equals("h"));
    assert_eq!(render(&mixed), "(Name = 'a' OR Name = 'b') AND Host = 'h'");
}

#[test]
fn empty_groups_are_errors() {
    assert_eq!(Filter::all([]).render(), Err(FilterError::EmptyGroup));
    assert_eq!(Filter::any([]).render(), Err(FilterError::EmptyGroup));
    let nested = Field::NAME.equals("a").or(Filter::all([]));
    assert_eq!(nested.render(), Err(FilterError::EmptyGroup));
    assert_eq!(
        Filter::any([]).to_session_filter(),
        Err(FilterError::EmptyGroup)
    );
}

#[test]
fn bad_values_are_errors() {
    assert_eq!(
        Field::NAME.equals(f64::NAN).render(),
        Err(FilterError::NonFiniteNumber)
    );
    assert_eq!(
        Field::NAME.greater_than(f64::INFINITY).render(),
        Err(FilterError::NonFiniteNumber)
    );
    assert_eq!(
        Field::NAME.equals("a\0b").render(),
        Err(FilterError::NulInText)
    );
    assert!(matches!(
        Field::new("Name = 'x'"),
        Err(FilterError::InvalidField { .. })
    ));
}

#[test]
fn session_filter_refuses_empty_text() {
    assert_eq!(SessionFilter::from_raw(""), Err(FilterError::Empty));
    assert_eq!(SessionFilter::from_raw("  \t"), Err(FilterError::Empty));
    let raw = SessionFilter::from_raw("SessionType = 'Access'").unwrap();
    assert_eq!(raw.as_str(), "SessionType = 'Access'");
    let built = SessionFilter::try_from(Field::NAME.equals("PC")).unwrap();
    assert_eq!(built.to_string(), "Name = 'PC'");
    // An empty string value is still a valid, non-empty filter.
    let empty_value = Field::NAME.equals("").to_session_filter().unwrap();
    assert_eq!(empty_value.as_str(), "Name = ''");
}
