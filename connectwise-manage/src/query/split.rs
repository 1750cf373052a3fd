//! Splitting a condition with a long `in (...)` list into several shorter conditions.
//!
//! Manage rejects long URLs (the guide advises about 2,000 characters; `414 Request URI Too
//! Long` has been seen in practice), and a condition such as `id in (1, 2, …, 5000)` easily
//! exceeds that. [`Condition::split_in_list`] cuts the longest splittable `in` list into chunks
//! so that each resulting condition fits a length budget; running every chunk and merging the
//! results gives exactly the records the original condition selects, because
//! `x in (A ∪ B) and rest` = `(x in A and rest) or (x in B and rest)`.
//!
//! Only an `in` comparison that is the whole condition, or a direct clause of a top-level `and`,
//! is split. `not in` never is: `x not in (A ∪ B)` is the intersection of the chunk results, not
//! their union. Under an `or` the chunk results would overlap, so those are left alone too.
//!
//! Lengths are measured the way the value travels in a query string: rendered, then
//! `application/x-www-form-urlencoded` (as `url::Url::query_pairs_mut().append_pair` writes it),
//! counting only the value, not the `conditions=` name. Callers subtract the rest of their URL
//! from their overall limit to get the budget.

use url::form_urlencoded::byte_serialize;

use super::{Clauses, Comparison, Condition, FieldPath, Operator, Value};

/// Why a condition could not be split to fit the budget.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// The condition is over budget and has no `in` list that may be split (none at the top
    /// level or directly under a top-level `and`; `not in` lists are never split).
    #[error(
        "the conditions are {encoded_len} bytes once URL-encoded, over the budget of {budget}, \
         and hold no `in` list that can be split"
    )]
    NoSplittableList {
        /// URL-encoded length of the whole condition.
        encoded_len: usize,
        /// The budget asked for.
        budget: usize,
    },
    /// Even a chunk of a single value is over budget.
    #[error(
        "splitting the `in` list on `{field}` cannot meet the budget of {budget}: a chunk needs \
         at least {minimum_len} bytes once URL-encoded"
    )]
    CannotFit {
        /// The field whose list was split.
        field: FieldPath,
        /// URL-encoded length of the longest single-value chunk.
        minimum_len: usize,
        /// The budget asked for.
        budget: usize,
    },
}

/// Where the list to split sits.
#[derive(Clone, Copy)]
enum Site {
    /// The condition is the `in` comparison itself.
    Whole,
    /// The `in` comparison is this clause of a top-level `and`.
    Clause(usize),
}

impl Condition {
    /// Length of the rendered condition once form-urlencoded, as it would appear as a query
    /// string value.
    ///
    /// ```
    /// use connectwise_manage::query::Condition;
    ///
    /// // `status/name = "New"` encodes as `status%2Fname+%3D+%22New%22`.
    /// assert_eq!(Condition::eq("status/name", "New")?.encoded_len(), 27);
    /// # Ok::<(), connectwise_manage::query::QueryError>(())
    /// ```
    pub fn encoded_len(&self) -> usize {
        encoded_len(&self.to_string())
    }

    /// Splits the longest splittable `in` list so that every returned condition's
    /// [`encoded_len`](Condition::encoded_len) is at most `budget`. The union of the results of
    /// the returned conditions is the result of `self`; see the [module docs](crate::query::split) for which
    /// lists qualify.
    ///
    /// A condition that already fits comes back unchanged as the only element. Chunks keep the
    /// list's order and are packed greedily, so there are as few as the budget allows.
    ///
    /// ```
    /// use connectwise_manage::query::Condition;
    ///
    /// let wanted = Condition::in_list("id", 1..=500)? & Condition::eq("closedFlag", false)?;
    /// let chunks = wanted.split_in_list(600)?;
    /// assert!(chunks.len() > 1);
    /// assert!(chunks.iter().all(|chunk| chunk.encoded_len() <= 600));
    /// assert!(chunks[0].to_string().starts_with("(id in (1, 2, 3,"));
    /// assert!(chunks[0].to_string().ends_with(") and closedFlag = false)"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SplitError::NoSplittableList`] when the condition is over budget and has no list that
    /// may be split; [`SplitError::CannotFit`] when even one value per chunk is over budget.
    pub fn split_in_list(&self, budget: usize) -> Result<Vec<Self>, SplitError> {
        let total = self.encoded_len();
        if total <= budget {
            return Ok(vec![self.clone()]);
        }
        let Some((site, comparison, items)) = self.longest_splittable_list() else {
            return Err(SplitError::NoSplittableList {
                encoded_len: total,
                budget,
            });
        };
        // Form encoding maps each byte on its own, so encoded lengths add up: a chunk's length
        // is the length of everything around the list plus its items and separators.
        let item_lens: Vec<usize> = items
            .iter()
            .map(|item| encoded_len(&item.to_string()))
            .collect();
        let first = items.first().cloned().into_iter().collect();
        let first_len = item_lens.first().copied().unwrap_or(0);
        let overhead = self.with_list_at(site, comparison, first).encoded_len() - first_len;
        let separator_len = encoded_len(", ");
        let longest_item = item_lens.iter().copied().max().unwrap_or(0);
        if overhead + longest_item > budget {
            return Err(SplitError::CannotFit {
                field: comparison.field().clone(),
                minimum_len: overhead + longest_item,
                budget,
            });
        }
        let mut chunks = Vec::new();
        let mut chunk: Vec<Value> = Vec::new();
        let mut chunk_len = overhead;
        for (item, item_len) in items.iter().zip(item_lens) {
            let added = if chunk.is_empty() {
                item_len
            } else {
                separator_len + item_len
            };
            if !chunk.is_empty() && chunk_len + added > budget {
                chunks.push(self.with_list_at(site, comparison, std::mem::take(&mut chunk)));
                chunk_len = overhead + item_len;
            } else {
                chunk_len += added;
            }
            chunk.push(item.clone());
        }
        if !chunk.is_empty() {
            chunks.push(self.with_list_at(site, comparison, chunk));
        }
        Ok(chunks)
    }

    /// The `in` comparison whose list is longest once encoded, among those that may be split.
    fn longest_splittable_list(&self) -> Option<(Site, &Comparison, &[Value])> {
        match self {
            Self::Compare(_) => {
                as_in_list(self).map(|(comparison, items)| (Site::Whole, comparison, items))
            }
            Self::And(clauses) => clauses
                .iter()
                .enumerate()
                .filter_map(|(index, clause)| {
                    as_in_list(clause)
                        .map(|(comparison, items)| (Site::Clause(index), comparison, items))
                })
                .max_by_key(|(_, _, items)| {
                    items
                        .iter()
                        .map(|item| encoded_len(&item.to_string()))
                        .sum::<usize>()
                }),
            Self::Or(_) => None,
        }
    }

    /// A copy of `self` whose `in` list at `site` holds `items` (non-empty, taken from that
    /// list) instead.
    fn with_list_at(&self, site: Site, comparison: &Comparison, items: Vec<Value>) -> Self {
        let replacement = Self::Compare(comparison.with_list(items));
        match (site, self) {
            (Site::Clause(index), Self::And(clauses)) => {
                let mut copy = clauses.as_slice().to_vec();
                if let Some(slot) = copy.get_mut(index) {
                    *slot = replacement;
                }
                Self::And(Clauses::from_vec_unchecked(copy))
            }
            _ => replacement,
        }
    }
}

/// The comparison and its list when `condition` is an `in` comparison.
fn as_in_list(condition: &Condition) -> Option<(&Comparison, &[Value])> {
    match condition {
        Condition::Compare(comparison) if comparison.operator() == Operator::In => {
            match comparison.value() {
                Value::List(items) => Some((comparison, items.as_slice())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Length of `text` once form-urlencoded.
fn encoded_len(text: &str) -> usize {
    byte_serialize(text.as_bytes()).map(str::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(text: &str) -> Condition {
        Condition::parse(text).expect("valid conditions")
    }

    /// The values of the (single) `in` list, across all chunks.
    fn in_values(chunks: &[Condition]) -> Vec<Value> {
        let mut values = Vec::new();
        for chunk in chunks {
            let comparisons: Vec<&Comparison> = match chunk {
                Condition::Compare(comparison) => vec![comparison],
                Condition::And(clauses) => clauses
                    .iter()
                    .filter_map(Condition::as_comparison)
                    .collect(),
                Condition::Or(_) => Vec::new(),
            };
            for comparison in comparisons {
                if let (Operator::In, Value::List(items)) =
                    (comparison.operator(), comparison.value())
                {
                    values.extend(items.iter().cloned());
                }
            }
        }
        values
    }

    #[test]
    fn encoded_len_matches_the_url_crate() {
        let text = r#"(name like "A*" and id in (1, 2) and x = 'é&+%')"#;
        let mut url = url::Url::parse("http://h/").expect("valid url");
        url.query_pairs_mut().append_pair("conditions", text);
        let query = url.query().unwrap_or_default();
        assert_eq!(encoded_len(text), query.len() - "conditions=".len());
    }

    #[test]
    fn a_condition_that_fits_is_returned_as_is() {
        let original = condition("id in (1, 2, 3)");
        assert_eq!(original.split_in_list(1_000), Ok(vec![original.clone()]));
        let exact = original.encoded_len();
        assert_eq!(original.split_in_list(exact), Ok(vec![original]));
    }

    #[test]
    fn every_chunk_fits_and_together_they_cover_the_list_in_order() {
        let ids: Vec<i64> = (1..=5_000).collect();
        let original = Condition::in_list("id", ids.iter().copied()).expect("valid")
            & condition(r#"board/name = "Help Desk" and closedFlag = false"#);
        for budget in [120, 500, 1_745, 1_950] {
            let chunks = original.split_in_list(budget).expect("splittable");
            assert!(chunks.len() > 1);
            for chunk in &chunks {
                assert!(
                    chunk.encoded_len() <= budget,
                    "{} > {budget}",
                    chunk.encoded_len()
                );
                assert!(
                    chunk
                        .to_string()
                        .ends_with(r#"and board/name = "Help Desk" and closedFlag = false)"#)
                );
            }
            let expected: Vec<Value> = ids.iter().copied().map(Value::from).collect();
            assert_eq!(in_values(&chunks), expected);
            // Greedy packing: no two neighbouring chunks could have been merged.
            for pair in chunks.windows(2) {
                let mut merged = in_values(&pair[..1]);
                merged.extend(in_values(&pair[1..]));
                let merged = Condition::in_list("id", merged).expect("valid")
                    & condition(r#"board/name = "Help Desk" and closedFlag = false"#);
                assert!(merged.encoded_len() > budget);
            }
        }
    }

    #[test]
    fn a_top_level_in_list_is_split_alone() {
        let original = Condition::in_list(
            "company/identifier",
            (0..300).map(|n| format!("Co {n} & \"x\"")),
        )
        .expect("valid");
        let chunks = original.split_in_list(400).expect("splittable");
        assert!(chunks.iter().all(|chunk| chunk.encoded_len() <= 400));
        assert!(
            chunks
                .iter()
                .all(|chunk| matches!(chunk, Condition::Compare(_)))
        );
        assert_eq!(in_values(&chunks).len(), 300);
    }

    #[test]
    fn the_longest_of_several_lists_is_split() {
        let short = Condition::in_list("board/id", [1, 2, 3]).expect("valid");
        let long = Condition::in_list("id", 1..=400).expect("valid");
        let chunks = (short.clone() & long)
            .split_in_list(300)
            .expect("splittable");
        for chunk in &chunks {
            let Condition::And(clauses) = chunk else {
                panic!("expected an and, got {chunk}");
            };
            assert_eq!(clauses.as_slice()[0], short);
        }
    }

    #[test]
    fn not_in_and_lists_under_or_are_not_split() {
        let long_not_in = Condition::not_in("id", 1..=500).expect("valid");
        assert_eq!(
            long_not_in.split_in_list(200),
            Err(SplitError::NoSplittableList {
                encoded_len: long_not_in.encoded_len(),
                budget: 200
            })
        );
        let under_or = Condition::in_list("id", 1..=500).expect("valid") | condition("x = 1");
        assert!(matches!(
            under_or.split_in_list(200),
            Err(SplitError::NoSplittableList { .. })
        ));
        let nested = (Condition::in_list("id", 1..=500).expect("valid") | condition("x = 1"))
            & condition("y = 2");
        assert!(matches!(
            nested.split_in_list(200),
            Err(SplitError::NoSplittableList { .. })
        ));
    }

    #[test]
    fn a_budget_below_one_value_per_chunk_is_an_error() {
        let original = Condition::in_list("id", 1..=100).expect("valid")
            & condition(r#"summary contains "printer""#);
        let one_value = (Condition::in_list("id", [100]).expect("valid")
            & condition(r#"summary contains "printer""#))
        .encoded_len();
        assert_eq!(
            original.split_in_list(one_value - 1),
            Err(SplitError::CannotFit {
                field: FieldPath::new("id").expect("valid"),
                minimum_len: one_value,
                budget: one_value - 1
            })
        );
        let chunks = original
            .split_in_list(one_value)
            .expect("fits one value per chunk");
        assert!(chunks.iter().all(|chunk| chunk.encoded_len() <= one_value));
        assert_eq!(in_values(&chunks).len(), 100);
        assert!(matches!(
            original.split_in_list(0),
            Err(SplitError::CannotFit { .. })
        ));
    }
}
