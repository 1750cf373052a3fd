//! How a ticket is classified: the [`Classifier`] trait, and [`KeywordRules`], the default that
//! matches the keyword [rules](super::rules).
//!
//! A classifier reads the ticket's text and the context gathered for it and answers with a
//! [`Classification`]: a category, the type, priority and (optionally) board to set, a
//! recommendation for the technician and a search term for finding similar tickets. It names
//! types, priorities and boards as they appear in Manage; the recipe looks them up and refuses a
//! classification that names something the tenant does not have, before anything is written.
//!
//! To classify with a model instead of keywords, implement the trait (it is async, so it can call
//! an API) and hand it to [`Triage::with_classifier`](super::Triage::with_classifier).

use async_trait::async_trait;

use super::context::Context;
use super::rules::{RULES, Rule, classify_with};
use crate::error::Error;

/// What a classifier reads: the ticket's summary and description, and its context.
#[derive(Clone, Copy, Debug)]
pub struct TicketText<'a> {
    /// The ticket's summary.
    pub summary: &'a str,
    /// The description notes' text, one after the other.
    pub description: &'a str,
    /// The contact, company, device and configurations found for the ticket.
    pub context: &'a Context,
}

/// A classifier's verdict on one ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The category shown in the note, e.g. "Password reset".
    pub category: String,
    /// Why, in a few words, e.g. `keyword "outlook"`.
    pub reason: String,
    /// The service type to set, by name (a type of the board the ticket ends up on).
    pub ticket_type: String,
    /// The priority to set, by name.
    pub priority: String,
    /// The board to move the ticket to, by name; `None` keeps it on its board.
    pub board: Option<String>,
    /// The recommended first step, for the note.
    pub recommendation: String,
    /// A word the contact's similar tickets have in their summary (`summary contains "…"`);
    /// `None` skips the search.
    pub search_term: Option<String>,
}

/// Classifies tickets; see the [module docs](self).
#[async_trait]
pub trait Classifier: Send + Sync + std::fmt::Debug {
    /// The classification of a ticket, or `None` to leave it for a technician.
    ///
    /// # Errors
    /// Whatever stops the classifier (a model that cannot be reached, …); the ticket is then
    /// not changed and a later callback or run tries again.
    async fn classify(&self, ticket: &TicketText<'_>) -> Result<Option<Classification>, Error>;

    /// Every `(board, type, priority)` the classifier can answer with, when it knows them, so
    /// that the recipe can check them against the tenant before the first ticket (`board` is
    /// `None` for the ticket's own board). The default, an empty list, checks each
    /// classification when it is made instead.
    fn outcomes(&self) -> Vec<(Option<String>, String, String)> {
        Vec::new()
    }
}

/// The default classifier: the first of its keyword rules (by default [`RULES`]) with a keyword
/// in the summary or the description.
#[derive(Clone, Copy, Debug)]
pub struct KeywordRules {
    rules: &'static [Rule],
}

impl KeywordRules {
    /// A classifier with these rules, most urgent first.
    pub fn new(rules: &'static [Rule]) -> Self {
        Self { rules }
    }
}

impl Default for KeywordRules {
    fn default() -> Self {
        Self::new(RULES)
    }
}

#[async_trait]
impl Classifier for KeywordRules {
    async fn classify(&self, ticket: &TicketText<'_>) -> Result<Option<Classification>, Error> {
        let text = format!("{}\n{}", ticket.summary, ticket.description);
        Ok(
            classify_with(self.rules, &text).map(|found| Classification {
                category: found.rule.name.to_owned(),
                reason: format!("keyword \"{}\"", found.keyword),
                ticket_type: found.rule.ticket_type.to_owned(),
                priority: found.rule.priority.to_owned(),
                board: None,
                recommendation: found.rule.next_step.to_owned(),
                search_term: Some(found.keyword.to_owned()),
            }),
        )
    }

    fn outcomes(&self) -> Vec<(Option<String>, String, String)> {
        self.rules
            .iter()
            .map(|rule| (None, rule.ticket_type.to_owned(), rule.priority.to_owned()))
            .collect()
    }
}
