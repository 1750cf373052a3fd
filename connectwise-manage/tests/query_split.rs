//! Splitting long `in` lists through the public API.

use std::fmt::Write as _;

use connectwise_manage::query::{Condition, SplitError};

#[test]
fn chunks_of_a_small_example() {
    let condition = Condition::in_list("id", 1..=40).expect("valid")
        & Condition::eq("board/name", "Help Desk").expect("valid");
    let budget = 150;
    let chunks = condition.split_in_list(budget).expect("splittable");
    let mut out = String::new();
    for chunk in &chunks {
        let _ = writeln!(out, "{:>3}  {chunk}", chunk.encoded_len());
    }
    insta::assert_snapshot!(out);
    assert!(chunks.iter().all(|chunk| chunk.encoded_len() <= budget));
}

#[test]
fn chunk_results_cover_exactly_the_original_values() {
    let ids: Vec<u32> = (10_000..15_000).collect();
    let condition = Condition::eq("closedFlag", false).expect("valid")
        & Condition::in_list("id", ids.iter().copied()).expect("valid");
    let chunks = condition.split_in_list(1_950).expect("splittable");
    let mut seen = Vec::new();
    for chunk in &chunks {
        assert!(chunk.encoded_len() <= 1_950);
        // Each chunk must parse back (it is sent as text) and keep the other clause.
        let text = chunk.to_string();
        assert_eq!(Condition::parse(&text).as_ref(), Ok(chunk));
        assert!(text.starts_with("(closedFlag = false and id in ("));
        let list = text
            .trim_start_matches("(closedFlag = false and id in (")
            .trim_end_matches("))");
        seen.extend(list.split(", ").map(|n| n.parse::<u32>().expect("number")));
    }
    assert_eq!(seen, ids);
}

#[test]
fn errors_explain_why_no_split_is_possible() {
    let not_in = Condition::not_in("id", 1..=1_000).expect("valid");
    let error = not_in
        .split_in_list(500)
        .expect_err("not in is never split");
    assert!(matches!(
        error,
        SplitError::NoSplittableList { budget: 500, .. }
    ));
    assert!(error.to_string().contains("no `in` list that can be split"));

    let long_other = Condition::in_list("id", [1, 2])
        .and_then(|c| Ok(c & Condition::eq("summary", "x".repeat(400))?))
        .expect("valid");
    let error = long_other
        .split_in_list(100)
        .expect_err("the other clause is too long");
    assert!(matches!(error, SplitError::CannotFit { budget: 100, .. }));
    assert!(
        !error.to_string().contains("xxx"),
        "errors must not echo values"
    );
}
