//! Names a model gives for a ticket's fields, resolved to ids on the tenant: boards, priorities
//! and members are the tenant's, statuses, types and subtypes the board's. An id is checked the
//! same way, so a status id from another board is refused too. An unknown value is refused with
//! the choices there are, and nothing is changed.

use connectwise_manage::Client;
use connectwise_manage::query::OrderBy;
use serde_json::Value;

use super::{ToolError, list_records};

/// The most choices read for one field (boards, statuses, members, …).
pub const MAX_CHOICES: u32 = 500;

/// The most choices an error message lists.
const LISTED: usize = 40;

/// What kind of record a field refers to, and where its choices are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// `/service/boards`.
    Board,
    /// `/service/boards/{board}/statuses`.
    Status,
    /// `/service/boards/{board}/types`.
    Type,
    /// `/service/boards/{board}/subtypes`.
    Subtype,
    /// `/service/priorities`.
    Priority,
    /// `/system/members`, by identifier or full name.
    Member,
}

impl Lookup {
    /// The field's name in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Lookup::Board => "board",
            Lookup::Status => "status",
            Lookup::Type => "type",
            Lookup::Subtype => "subtype",
            Lookup::Priority => "priority",
            Lookup::Member => "owner",
        }
    }

    /// Whether the choices depend on the ticket's board.
    pub fn per_board(self) -> bool {
        matches!(self, Lookup::Status | Lookup::Type | Lookup::Subtype)
    }

    fn path(self, board: i32) -> String {
        match self {
            Lookup::Board => "/service/boards".to_owned(),
            Lookup::Status => format!("/service/boards/{board}/statuses"),
            Lookup::Type => format!("/service/boards/{board}/types"),
            Lookup::Subtype => format!("/service/boards/{board}/subtypes"),
            Lookup::Priority => "/service/priorities".to_owned(),
            Lookup::Member => "/system/members".to_owned(),
        }
    }

    fn fields(self) -> &'static [&'static str] {
        match self {
            Lookup::Member => &["id", "identifier", "firstName", "lastName"],
            _ => &["id", "name"],
        }
    }
}

/// One record a field may refer to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    /// Its id.
    pub id: i32,
    /// What the model may call it (a name; for members the identifier, then the full name).
    pub names: Vec<String>,
}

impl Choice {
    fn of(record: &Value, lookup: Lookup) -> Option<Choice> {
        let id = i32::try_from(record.get("id")?.as_i64()?).ok()?;
        let text = |key: &str| {
            record
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let names = match lookup {
            Lookup::Member => {
                let full = [text("firstName"), text("lastName")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                text("identifier")
                    .into_iter()
                    .chain((!full.is_empty()).then_some(full))
                    .collect()
            }
            _ => text("name").into_iter().collect(),
        };
        Some(Choice { id, names })
    }

    fn label(&self) -> String {
        match self.names.first() {
            Some(name) => name.clone(),
            None => format!("#{}", self.id),
        }
    }
}

/// The choice `wanted` names among `choices`: the one with that id when it is a number, else
/// the one with that name (ignoring case).
///
/// # Errors
/// A message naming the field, the value and the choices there are (`place` says where, e.g.
/// `on board "Help Desk"`).
pub fn pick(
    choices: &[Choice],
    lookup: Lookup,
    wanted: &str,
    place: &str,
) -> Result<i32, ToolError> {
    let wanted = wanted.trim();
    let found = match wanted.parse::<i32>() {
        Ok(id) => choices.iter().find(|c| c.id == id),
        Err(_) => choices
            .iter()
            .find(|c| c.names.iter().any(|name| name.eq_ignore_ascii_case(wanted))),
    };
    match found {
        Some(choice) => Ok(choice.id),
        None => {
            let mut listed: Vec<String> = choices.iter().take(LISTED).map(Choice::label).collect();
            if choices.len() > LISTED {
                listed.push(format!("and {} more", choices.len() - LISTED));
            }
            let listed = if listed.is_empty() {
                "there are none".to_owned()
            } else {
                format!("the choices are: {}", listed.join(", "))
            };
            Err(ToolError::Refused(format!(
                "unknown {} {wanted:?}{place}; {listed}. Nothing was changed.",
                lookup.noun()
            )))
        }
    }
}

/// The choices for `lookup` on the tenant (for per-board fields, on `board`).
///
/// # Errors
/// When the tenant cannot be read.
pub async fn choices(
    client: &Client,
    lookup: Lookup,
    board: i32,
) -> Result<Vec<Choice>, ToolError> {
    let records = list_records(
        client,
        &lookup.path(board),
        None,
        OrderBy::asc("id")?,
        lookup.fields(),
        MAX_CHOICES,
    )
    .await?;
    Ok(records
        .iter()
        .filter_map(|record| Choice::of(record, lookup))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_ids_and_members_resolve_and_unknown_names_list_the_choices() {
        let statuses: Vec<Choice> = [
            json!({"id": 11, "name": "New"}),
            json!({"id": 12, "name": "In Progress"}),
        ]
        .iter()
        .filter_map(|r| Choice::of(r, Lookup::Status))
        .collect();
        assert_eq!(pick(&statuses, Lookup::Status, "in progress", ""), Ok(12));
        assert_eq!(pick(&statuses, Lookup::Status, "11", ""), Ok(11));
        let Err(ToolError::Refused(message)) =
            pick(&statuses, Lookup::Status, "Done", " on board \"Help Desk\"")
        else {
            panic!("refused")
        };
        assert!(
            message.contains("unknown status \"Done\" on board \"Help Desk\"")
                && message.contains("New, In Progress"),
            "{message}"
        );
        assert!(pick(&statuses, Lookup::Status, "21", "").is_err());

        let member = Choice::of(
            &json!({"id": 176, "identifier": "amorgan", "firstName": "Alex", "lastName": "Morgan"}),
            Lookup::Member,
        )
        .unwrap();
        let members = [member];
        assert_eq!(pick(&members, Lookup::Member, "AMorgan", ""), Ok(176));
        assert_eq!(pick(&members, Lookup::Member, "alex morgan", ""), Ok(176));
    }
}
