//! The internal note the triage recipe posts on each ticket it classifies.
//!
//! The note starts with [`NOTE_HEADER`], which is also how the recipe recognises tickets it has
//! already triaged. Lines are separated by `\n`; each line reads on its own, since older Manage
//! versions are documented to turn line breaks in note text into spaces.

use super::rules::Classification;

/// The first line of every triage note.
pub const NOTE_HEADER: &str = "Automated triage";

/// A reference field the recipe sets, with its value before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The value set.
    pub to: String,
    /// The value before; `None` when the field was empty.
    pub from: Option<String>,
}

impl FieldChange {
    /// Whether the value actually changes.
    pub fn changes(&self) -> bool {
        self.from.as_deref() != Some(self.to.as_str())
    }

    /// `to`, with what it was when that differs.
    pub fn describe(&self) -> String {
        match &self.from {
            Some(from) if from == &self.to => format!("{} (unchanged)", self.to),
            Some(from) => format!("{} (was {from})", self.to),
            None => format!("{} (was empty)", self.to),
        }
    }
}

/// What the note says about one ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteFacts<'a> {
    /// The rule that matched.
    pub classification: Classification,
    /// The priority set.
    pub priority: &'a FieldChange,
    /// The type set.
    pub ticket_type: &'a FieldChange,
    /// The contact's name and e-mail address, when the ticket has them.
    pub contact: Option<String>,
}

/// The note's text.
pub fn note_text(facts: &NoteFacts<'_>) -> String {
    let rule = facts.classification.rule;
    let mut lines = vec![
        NOTE_HEADER.to_owned(),
        format!(
            "Classification: {} (keyword \"{}\").",
            rule.name, facts.classification.keyword
        ),
        format!("Priority: {}.", facts.priority.describe()),
        format!("Type: {}.", facts.ticket_type.describe()),
    ];
    if let Some(contact) = &facts.contact {
        lines.push(format!("Contact: {contact}."));
    }
    lines.push(format!("Suggested next step: {}", rule.next_step));
    lines.join("\n")
}

/// Whether a note's text is a triage note.
pub fn is_triage_note(text: &str) -> bool {
    text.trim_start().starts_with(NOTE_HEADER)
}
