//! Looking up setup records by name (work types, configuration types): tables outside the typed
//! core, read through the generic [`connectwise_manage::Endpoint`] with only the fields needed.

use connectwise_manage::query::{Condition, Fields};
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use serde::Deserialize;

use crate::error::Error;

/// A record's id and name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct NamedRecord {
    /// The record id.
    pub id: i32,
    /// The record name.
    #[serde(default)]
    pub name: String,
}

/// The records of `path` whose name is one of `names` (one query, an `in` list split by the SDK
/// when it is too long for one URL).
///
/// # Errors
/// [`Error::Query`] for an empty `names`, [`Error::Api`] for a failed call.
pub async fn by_names(
    client: &Client,
    path: &str,
    names: &[&str],
) -> Result<Vec<NamedRecord>, Error> {
    let query = ListQuery::new()
        .conditions(Condition::in_list("name", names.iter().copied())?)
        .fields(Fields::new(["id", "name"])?);
    Ok(client
        .endpoint::<NamedRecord>(path)
        .list(&query)
        .by_item()
        .try_collect()
        .await?)
}

/// The record named `name` (names compared without regard to case, as the server compares them).
pub fn find<'a>(records: &'a [NamedRecord], name: &str) -> Option<&'a NamedRecord> {
    records
        .iter()
        .find(|record| record.name.eq_ignore_ascii_case(name))
}
