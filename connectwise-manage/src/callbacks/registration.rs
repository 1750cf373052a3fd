//! Registering callbacks idempotently: make the tenant's callback entries match what the
//! integration wants, creating or updating only what differs.

use futures::TryStreamExt;
use msp_common::Error;
use serde_json::Value;

use crate::client::Client;
use crate::list_query::ListQuery;
use crate::models::CallbackEntry;
use crate::patch::Patch;

/// What [`Client::ensure_callback`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackChange {
    /// No matching entry existed; one was created.
    Created,
    /// A matching entry existed with different settings; it was updated.
    Updated,
    /// A matching entry already had the wanted settings; nothing was sent.
    Unchanged,
}

/// The outcome of [`Client::ensure_callback`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct EnsuredCallback {
    /// What was done.
    pub change: CallbackChange,
    /// The entry as the server now holds it.
    pub entry: CallbackEntry,
    /// Further entries with the same URL, type, level and object. They are left alone (deleting
    /// a callback is the caller's decision) but reported so they can be cleaned up.
    pub duplicates: Vec<CallbackEntry>,
}

impl Client {
    /// Makes sure a callback entry like `wanted` exists, and returns it.
    ///
    /// An existing entry matches when its `url`, `type`, `level` and `objectId` are the wanted
    /// ones (`type` and `level` compared without regard to case; for level `owner` an `objectId`
    /// of 0 or none means 1, as the server normalises it). A match whose `description`,
    /// `inactiveFlag`, `payloadVersion`, `isSelfSuppressedFlag` or `memberId` differs from a value
    /// set in `wanted` is patched; fields left `None` in `wanted` are not compared. Calling it
    /// again with the same `wanted` sends no write.
    ///
    /// ```no_run
    /// use connectwise_manage::models::CallbackEntry;
    /// # async fn run(client: connectwise_manage::Client) -> Result<(), connectwise_manage::Error> {
    /// let wanted = CallbackEntry {
    ///     url: Some("https://hooks.example.com/cw?recordId=".into()),
    ///     r#type: Some("ticket".into()),
    ///     level: Some("owner".into()),
    ///     description: Some("ticket triage".into()),
    ///     ..Default::default()
    /// };
    /// let ensured = client.ensure_callback(&wanted).await?;
    /// println!("{:?} callback {:?}", ensured.change, ensured.entry.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ensure_callback(&self, wanted: &CallbackEntry) -> Result<EnsuredCallback, Error> {
        let key = Key::of_wanted(wanted)?;
        let callbacks = self.system().callbacks();
        let mut matches: Vec<CallbackEntry> = callbacks
            .list(&ListQuery::new())
            .by_item()
            .try_filter(|entry| futures::future::ready(key.matches(entry)))
            .try_collect()
            .await?;
        if matches.is_empty() {
            let mut body = wanted.clone();
            body.object_id = Some(key.object_id);
            let entry = callbacks.create(&body).await?;
            return Ok(EnsuredCallback {
                change: CallbackChange::Created,
                entry,
                duplicates: Vec::new(),
            });
        }
        matches.sort_by_key(|entry| entry.id);
        let existing = matches.remove(0);
        let patch = differences(&existing, wanted)?;
        if patch.is_empty() {
            return Ok(EnsuredCallback {
                change: CallbackChange::Unchanged,
                entry: existing,
                duplicates: matches,
            });
        }
        let id = existing
            .id
            .ok_or_else(|| Error::build("ensureCallback", "a matching callback entry has no id"))?;
        let entry = callbacks.id(id).patch(&patch).await?;
        Ok(EnsuredCallback {
            change: CallbackChange::Updated,
            entry,
            duplicates: matches,
        })
    }
}

/// What identifies a callback registration.
struct Key {
    url: String,
    kind: String,
    level: String,
    object_id: i32,
}

impl Key {
    fn of_wanted(wanted: &CallbackEntry) -> Result<Key, Error> {
        let missing = |field: &str| {
            Error::build(
                "ensureCallback",
                format!("the wanted callback entry needs `{field}`"),
            )
        };
        let level = wanted.level.clone().ok_or_else(|| missing("level"))?;
        let object_id = normalised_object_id(&level, wanted.object_id)
            .ok_or_else(|| missing("objectId (required unless level is owner)"))?;
        Ok(Key {
            url: wanted.url.clone().ok_or_else(|| missing("url"))?,
            kind: wanted.r#type.clone().ok_or_else(|| missing("type"))?,
            level,
            object_id,
        })
    }

    fn matches(&self, entry: &CallbackEntry) -> bool {
        let level = entry.level.as_deref().unwrap_or_default();
        entry.url.as_deref() == Some(self.url.as_str())
            && entry
                .r#type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(&self.kind))
            && level.eq_ignore_ascii_case(&self.level)
            && normalised_object_id(level, entry.object_id) == Some(self.object_id)
    }
}

/// The server stores owner-level callbacks with object id 1, whatever was sent.
fn normalised_object_id(level: &str, object_id: Option<i32>) -> Option<i32> {
    if level.eq_ignore_ascii_case("owner") {
        Some(object_id.filter(|&id| id != 0).unwrap_or(1))
    } else {
        object_id
    }
}

/// A patch replacing every setting of `wanted` that `existing` does not already have.
fn differences(existing: &CallbackEntry, wanted: &CallbackEntry) -> Result<Patch, Error> {
    let settings: [(&str, Option<Value>, Option<Value>); 5] = [
        (
            "description",
            wanted.description.clone().map(Value::from),
            existing.description.clone().map(Value::from),
        ),
        (
            "inactiveFlag",
            wanted.inactive_flag.map(Value::from),
            existing.inactive_flag.map(Value::from),
        ),
        (
            "payloadVersion",
            wanted.payload_version.clone().map(Value::from),
            existing.payload_version.clone().map(Value::from),
        ),
        (
            "isSelfSuppressedFlag",
            wanted.is_self_suppressed_flag.map(Value::from),
            existing.is_self_suppressed_flag.map(Value::from),
        ),
        (
            "memberId",
            wanted.member_id.map(Value::from),
            existing.member_id.map(Value::from),
        ),
    ];
    let mut patch = Patch::new();
    for (path, want, have) in settings {
        if let Some(want) = want
            && Some(&want) != have.as_ref()
        {
            patch = patch.replace(path, want).map_err(|e| Error::Build {
                operation: "ensureCallback".to_owned(),
                message: format!("the change to `{path}` could not be written as a patch"),
                source: Some(Box::new(e)),
            })?;
        }
    }
    Ok(patch)
}
