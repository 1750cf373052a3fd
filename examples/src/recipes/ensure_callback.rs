//! Register a ticket callback (webhook) so that Manage tells your service about ticket changes,
//! idempotently: [`Client::ensure_callback`] creates the entry when none matches, updates the
//! description or flags of a matching one when they differ, and sends nothing when it already
//! matches. Running the recipe from every deployment is therefore safe.
//!
//! An entry matches on URL, type and level (and object id; for level `owner` the server stores
//! object id 1). Entries that duplicate the match are reported, never deleted.
//!
//! The URL must be `https`: ticket payloads carry customer data. Manage appends the record id to
//! the URL, so end it with `?recordId=` (or `&recordId=`) to receive it as a parameter.
//!
//! Nothing is written unless [`CallbackOptions::apply`] is set; without it the matching entries
//! are listed.

use std::fmt;

use connectwise_manage::callbacks::{CallbackChange, EnsuredCallback};
use connectwise_manage::models::CallbackEntry;
use connectwise_manage::{Client, ListQuery};
use futures::TryStreamExt;
use url::Url;

use crate::error::Error;

/// The callback wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackOptions {
    /// Where Manage posts; must be `https`.
    pub url: String,
    /// The entry's description (at most 100 characters).
    pub description: String,
    /// The record type, e.g. `ticket`.
    pub kind: String,
    /// The level, e.g. `owner` (every record of the type) or `board` (one board's tickets).
    pub level: String,
    /// The object of the level (a board id for level `board`); `None` for level `owner`.
    pub object_id: Option<i32>,
    /// Write; without it nothing is written.
    pub apply: bool,
}

impl CallbackOptions {
    /// An owner-level ticket callback to `url`.
    pub fn tickets(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            description: "Ticket automation".to_owned(),
            kind: "ticket".to_owned(),
            level: "owner".to_owned(),
            object_id: None,
            apply: false,
        }
    }
}

/// What the recipe did.
#[derive(Clone, Debug, PartialEq)]
pub enum CallbackReport {
    /// The entry now registered, and what was done to get there.
    Ensured(EnsuredCallback),
    /// Dry run: the entries that have the wanted URL, type and level.
    DryRun {
        /// The wanted entry.
        wanted: CallbackEntry,
        /// Matching entries on the tenant.
        matching: Vec<CallbackEntry>,
    },
}

impl fmt::Display for CallbackReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackReport::Ensured(ensured) => {
                let id = ensured.entry.id.unwrap_or_default();
                let url = ensured.entry.url.as_deref().unwrap_or_default();
                match ensured.change {
                    CallbackChange::Created => write!(f, "Created callback {id} for {url}.")?,
                    CallbackChange::Updated => write!(f, "Updated callback {id} for {url}.")?,
                    CallbackChange::Unchanged => write!(
                        f,
                        "Callback {id} for {url} is already registered; nothing sent."
                    )?,
                    other => write!(f, "Callback {id} for {url}: {other:?}.")?,
                }
                if !ensured.duplicates.is_empty() {
                    let ids: Vec<String> = ensured
                        .duplicates
                        .iter()
                        .map(|entry| entry.id.unwrap_or_default().to_string())
                        .collect();
                    write!(
                        f,
                        "\nWarning: callbacks {} duplicate it; Manage will post each change once \
                         per entry. Delete the extra ones.",
                        ids.join(", ")
                    )?;
                }
                Ok(())
            }
            CallbackReport::DryRun { wanted, matching } => {
                let url = wanted.url.as_deref().unwrap_or_default();
                match matching.as_slice() {
                    [] => write!(f, "No callback posts {url}; would create one.")?,
                    entries => {
                        for entry in entries {
                            writeln!(
                                f,
                                "Callback {} posts {url} (description {:?}, inactive: {}).",
                                entry.id.unwrap_or_default(),
                                entry.description.as_deref().unwrap_or_default(),
                                entry.inactive_flag.unwrap_or(false)
                            )?;
                        }
                        write!(f, "Would update it if its settings differ.")?;
                    }
                }
                write!(
                    f,
                    "\nDry run: nothing was written; run with --apply to write."
                )
            }
        }
    }
}

/// Checks the options and makes sure the callback exists; see the [module docs](self).
///
/// # Errors
/// [`Error::InvalidOptions`] for a URL that is not `https` or a description over 100
/// characters; [`Error::Api`] for failed calls.
pub async fn run(client: &Client, options: &CallbackOptions) -> Result<CallbackReport, Error> {
    let url = Url::parse(&options.url)
        .map_err(|e| Error::InvalidOptions(format!("the callback URL is not a URL: {e}")))?;
    if url.scheme() != "https" {
        return Err(Error::InvalidOptions(
            "the callback URL must use https: callbacks carry customer data".to_owned(),
        ));
    }
    if options.description.chars().count() > 100 {
        return Err(Error::InvalidOptions(
            "the description may be at most 100 characters long".to_owned(),
        ));
    }
    let wanted = CallbackEntry {
        url: Some(options.url.clone()),
        r#type: Some(options.kind.clone()),
        level: Some(options.level.clone()),
        object_id: options.object_id,
        description: Some(options.description.clone()),
        inactive_flag: Some(false),
        ..CallbackEntry::default()
    };
    if options.apply {
        return Ok(CallbackReport::Ensured(
            client.ensure_callback(&wanted).await?,
        ));
    }
    let matching: Vec<CallbackEntry> = client
        .system()
        .callbacks()
        .list(&ListQuery::new())
        .by_item()
        .try_filter(|entry| {
            let same = |a: &Option<String>, b: &str| {
                a.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(b))
            };
            futures::future::ready(
                entry.url.as_deref() == Some(options.url.as_str())
                    && same(&entry.r#type, &options.kind)
                    && same(&entry.level, &options.level),
            )
        })
        .try_collect()
        .await?;
    Ok(CallbackReport::DryRun { wanted, matching })
}
