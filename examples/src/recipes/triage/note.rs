//! The internal note the triage posts on each ticket it classifies: a markdown summary with the
//! classification, priority, user, device, similar tickets and a recommendation, so that the
//! technician who opens the ticket finds the research done.
//!
//! The note starts with [`NOTE_HEADER`], which is also how the recipe recognises tickets it has
//! already triaged (notes of earlier versions, headed [`OLD_NOTE_HEADER`], count too). Each line
//! reads on its own, since older Manage versions are documented to turn line breaks in note text
//! into spaces.

use time::format_description::well_known::Rfc3339;

use super::classifier::Classification;
use super::context::{Context, DeviceStatus};

/// The first line of every triage note.
pub const NOTE_HEADER: &str = "## Automated Triage Summary";

/// The first line of the notes earlier versions of the recipe posted.
pub const OLD_NOTE_HEADER: &str = "Automated triage";

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
#[derive(Clone, Copy, Debug)]
pub struct NoteFacts<'a> {
    /// The classifier's verdict.
    pub classification: &'a Classification,
    /// The priority set.
    pub priority: &'a FieldChange,
    /// Why the priority differs from the classification's, if it does (the company's tier).
    pub priority_reason: Option<&'a str>,
    /// The type set.
    pub ticket_type: &'a FieldChange,
    /// The board, when the ticket moves.
    pub board: Option<&'a FieldChange>,
    /// What was gathered about the ticket.
    pub context: &'a Context,
}

/// The note's text.
pub fn note_text(facts: &NoteFacts<'_>) -> String {
    let classification = facts.classification;
    let context = facts.context;
    let mut lines = vec![
        NOTE_HEADER.to_owned(),
        format!(
            "**Classification:** {} ({})",
            classification.category, classification.reason
        ),
    ];
    let mut priority = format!("**Priority:** {}", facts.priority.describe());
    if let Some(reason) = facts.priority_reason {
        priority.push_str(&format!("; {reason}"));
    }
    lines.push(priority);
    lines.push(format!("**Type:** {}", facts.ticket_type.describe()));
    if let Some(board) = facts.board {
        lines.push(format!("**Board:** {}", board.describe()));
    }
    if let Some(contact) = &context.contact {
        let mut user = match &contact.email {
            Some(email) => format!("**User:** {} ({email})", contact.name),
            None => format!("**User:** {}", contact.name),
        };
        if let Some(company) = &context.company {
            user.push_str(&format!(", {}", company.name));
            if let Some(tier) = &company.tier {
                user.push_str(&format!(" ({tier} tier)"));
            }
        }
        lines.push(user);
    } else if let Some(company) = &context.company {
        lines.push(format!("**Company:** {}", company.name));
    }
    if let Some(device) = &context.device {
        lines.push(format!(
            "**Device:** {} — {}",
            device.name,
            describe_status(&device.status)
        ));
    }
    if context.configurations.len() > 1 {
        lines.push(format!(
            "**Configurations:** {}",
            context.configurations.join(", ")
        ));
    }
    if !context.similar.is_empty() {
        let tickets: Vec<String> = context
            .similar
            .iter()
            .map(|ticket| match &ticket.status {
                Some(status) => format!("#{} {} ({status})", ticket.id, ticket.summary),
                None => format!("#{} {}", ticket.id, ticket.summary),
            })
            .collect();
        lines.push(format!("**Similar tickets:** {}", tickets.join("; ")));
    } else if classification.search_term.is_some() && context.contact.is_some() {
        lines.push("**Similar tickets:** none".to_owned());
    }
    lines.push(format!(
        "**Recommendation:** {}",
        classification.recommendation
    ));
    lines.join("\n")
}

fn describe_status(status: &DeviceStatus) -> String {
    match status {
        DeviceStatus::Online => "Online".to_owned(),
        DeviceStatus::Offline(Some(seen)) => format!(
            "Offline, last seen {}",
            seen.format(&Rfc3339).unwrap_or_else(|_| seen.to_string())
        ),
        DeviceStatus::Offline(None) => "Offline".to_owned(),
        DeviceStatus::Unknown => "status unknown".to_owned(),
        DeviceStatus::NoSession => "no ScreenConnect session".to_owned(),
        DeviceStatus::NotChecked => "ScreenConnect not checked".to_owned(),
    }
}

/// Whether a note's text is a triage note.
pub fn is_triage_note(text: &str) -> bool {
    let text = text.trim_start();
    text.starts_with(NOTE_HEADER) || text.starts_with(OLD_NOTE_HEADER)
}
