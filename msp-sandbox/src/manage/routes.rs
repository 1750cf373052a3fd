//! The collections the Manage sandbox serves, what it knows about each, and how a request path
//! maps onto them.

/// A collection the sandbox serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `/service/tickets`
    Tickets,
    /// `/service/tickets/{id}/notes`
    TicketNotes,
    /// `/service/boards`
    Boards,
    /// `/service/boards/{id}/statuses`
    BoardStatuses,
    /// `/service/boards/{id}/types`
    BoardTypes,
    /// `/service/boards/{id}/subtypes`
    BoardSubtypes,
    /// `/service/priorities`
    Priorities,
    /// `/company/companies`
    Companies,
    /// `/company/contacts`
    Contacts,
    /// `/company/configurations`
    Configurations,
    /// `/company/configurations/types`
    ConfigurationTypes,
    /// `/system/members`
    Members,
    /// `/system/callbacks`
    Callbacks,
    /// `/time/entries`
    TimeEntries,
    /// `/time/workTypes`
    WorkTypes,
}

impl Kind {
    /// Every collection.
    pub const ALL: [Kind; 15] = [
        Kind::Tickets,
        Kind::TicketNotes,
        Kind::Boards,
        Kind::BoardStatuses,
        Kind::BoardTypes,
        Kind::BoardSubtypes,
        Kind::Priorities,
        Kind::Companies,
        Kind::Contacts,
        Kind::Configurations,
        Kind::ConfigurationTypes,
        Kind::Members,
        Kind::Callbacks,
        Kind::TimeEntries,
        Kind::WorkTypes,
    ];

    /// The path below `/apis/3.0/`, with `{parent}` standing for the parent record's id.
    pub fn pattern(self) -> &'static str {
        match self {
            Kind::Tickets => "service/tickets",
            Kind::TicketNotes => "service/tickets/{parent}/notes",
            Kind::Boards => "service/boards",
            Kind::BoardStatuses => "service/boards/{parent}/statuses",
            Kind::BoardTypes => "service/boards/{parent}/types",
            Kind::BoardSubtypes => "service/boards/{parent}/subtypes",
            Kind::Priorities => "service/priorities",
            Kind::Companies => "company/companies",
            Kind::Contacts => "company/contacts",
            Kind::Configurations => "company/configurations",
            Kind::ConfigurationTypes => "company/configurations/types",
            Kind::Members => "system/members",
            Kind::Callbacks => "system/callbacks",
            Kind::TimeEntries => "time/entries",
            Kind::WorkTypes => "time/workTypes",
        }
    }

    /// The model name in validation errors, as in `ticket object is invalid`.
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Tickets => "ticket",
            Kind::TicketNotes => "serviceNote",
            Kind::Boards => "board",
            Kind::BoardStatuses => "boardStatus",
            Kind::BoardTypes => "boardType",
            Kind::BoardSubtypes => "boardSubType",
            Kind::Priorities => "priority",
            Kind::Companies => "company",
            Kind::Contacts => "contact",
            Kind::Configurations => "configuration",
            Kind::ConfigurationTypes => "configurationType",
            Kind::Members => "member",
            Kind::Callbacks => "callbackEntry",
            Kind::TimeEntries => "timeEntry",
            Kind::WorkTypes => "workType",
        }
    }

    /// The noun in not-found messages, as in `Ticket 7 not found`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Tickets => "Ticket",
            Kind::TicketNotes => "Note",
            Kind::Boards => "Board",
            Kind::BoardStatuses => "Status",
            Kind::BoardTypes => "Type",
            Kind::BoardSubtypes => "Subtype",
            Kind::Priorities => "Priority",
            Kind::Companies => "Company",
            Kind::Contacts => "Contact",
            Kind::Configurations => "Configuration",
            Kind::ConfigurationTypes => "Configuration type",
            Kind::Members => "Member",
            Kind::Callbacks => "Callback",
            Kind::TimeEntries => "Time entry",
            Kind::WorkTypes => "Work type",
        }
    }

    /// The callback `type` whose entries hear about changes to this collection's records.
    pub fn callback_type(self) -> Option<&'static str> {
        match self {
            Kind::Tickets => Some("ticket"),
            Kind::Contacts => Some("contact"),
            Kind::Companies => Some("company"),
            Kind::Configurations => Some("configuration"),
            _ => None,
        }
    }

    /// The collection whose records own this one's (tickets own notes, boards own statuses).
    pub fn parent(self) -> Option<Kind> {
        match self {
            Kind::TicketNotes => Some(Kind::Tickets),
            Kind::BoardStatuses | Kind::BoardTypes | Kind::BoardSubtypes => Some(Kind::Boards),
            _ => None,
        }
    }

    /// Field names conditions may use besides those present in the records (fields a record
    /// leaves out when they are null are still recognized by the server).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Tickets => &[
                "summary",
                "recordType",
                "board",
                "status",
                "company",
                "site",
                "contact",
                "contactName",
                "contactEmailAddress",
                "type",
                "subType",
                "item",
                "team",
                "owner",
                "priority",
                "source",
                "severity",
                "impact",
                "closedFlag",
                "closedDate",
                "closedBy",
                "requiredDate",
                "budgetHours",
                "actualHours",
                "resources",
                "parentTicketId",
                "agreement",
            ],
            Kind::TicketNotes => &[
                "ticketId",
                "text",
                "detailDescriptionFlag",
                "internalAnalysisFlag",
                "resolutionFlag",
                "issueFlag",
                "member",
                "contact",
                "customerUpdatedFlag",
                "dateCreated",
                "createdBy",
                "internalFlag",
                "externalFlag",
            ],
            Kind::Boards => &[
                "name",
                "location",
                "department",
                "inactiveFlag",
                "projectFlag",
            ],
            Kind::BoardStatuses => &[
                "name",
                "board",
                "sortOrder",
                "displayOnBoard",
                "inactive",
                "closedStatus",
                "timeEntryNotAllowed",
                "defaultFlag",
            ],
            Kind::BoardTypes => &["name", "board", "category", "defaultFlag", "inactiveFlag"],
            Kind::BoardSubtypes => &["name", "board", "typeAssociationIds", "inactiveFlag"],
            Kind::Priorities => &["name", "color", "sortOrder", "defaultFlag", "level"],
            Kind::Companies => &[
                "identifier",
                "name",
                "status",
                "types",
                "phoneNumber",
                "website",
                "city",
                "state",
                "territory",
                "market",
                "deletedFlag",
                "leadFlag",
            ],
            Kind::Contacts => &[
                "firstName",
                "lastName",
                "company",
                "site",
                "title",
                "department",
                "inactiveFlag",
                "defaultFlag",
            ],
            Kind::Configurations => &[
                "name",
                "type",
                "status",
                "company",
                "contact",
                "site",
                "deviceIdentifier",
                "serialNumber",
                "modelNumber",
                "tagNumber",
                "installedBy",
                "vendorNotes",
                "notes",
                "macAddress",
                "lastLoginName",
                "ipAddress",
                "osType",
                "osInfo",
                "activeFlag",
                "manufacturer",
            ],
            Kind::ConfigurationTypes => &["name", "inactiveFlag", "systemFlag"],
            Kind::Members => &[
                "identifier",
                "firstName",
                "lastName",
                "officeEmail",
                "title",
                "inactiveFlag",
                "licenseClass",
            ],
            Kind::Callbacks => &[
                "url",
                "objectId",
                "type",
                "level",
                "description",
                "memberId",
                "payloadVersion",
                "inactiveFlag",
                "isSoapCallbackFlag",
                "isSelfSuppressedFlag",
                "connectWiseID",
            ],
            Kind::TimeEntries => &[
                "company",
                "chargeToId",
                "chargeToType",
                "member",
                "workType",
                "workRole",
                "timeStart",
                "timeEnd",
                "hoursDeduct",
                "actualHours",
                "billableOption",
                "notes",
                "internalNotes",
                "status",
                "ticket",
                "enteredBy",
            ],
            Kind::WorkTypes => &["name", "billTime", "inactiveFlag", "utilizationFlag"],
        }
    }

    /// Fields a create must carry.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            Kind::Tickets => &["summary", "board", "company"],
            Kind::TicketNotes => &["text"],
            Kind::Boards => &["name"],
            Kind::BoardStatuses | Kind::BoardTypes | Kind::BoardSubtypes => &["name"],
            Kind::Priorities => &["name"],
            Kind::Companies => &["identifier", "name"],
            Kind::Contacts => &["firstName", "company"],
            Kind::Configurations => &["name", "type", "company"],
            Kind::ConfigurationTypes => &["name"],
            Kind::Members => &["identifier", "firstName", "lastName"],
            Kind::Callbacks => &["url", "type", "level"],
            Kind::TimeEntries => &["timeStart", "chargeToType", "member"],
            Kind::WorkTypes => &["name"],
        }
    }
}

/// What follows the collection in the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rest {
    /// Nothing: the collection itself.
    Collection,
    /// `/count`
    Count,
    /// `/search`
    Search,
    /// `/{id}`
    Item(i64),
}

/// A request path resolved to a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Which collection.
    pub kind: Kind,
    /// The id of the owning record, for child collections.
    pub parent_id: Option<i64>,
    /// What follows the collection.
    pub rest: Rest,
}

impl Target {
    /// The key the collection's records are stored under.
    pub fn key(&self) -> String {
        collection_key(self.kind, self.parent_id)
    }

    /// The route's pattern for the counters, e.g. `service/tickets/{parent}/notes/{id}`.
    pub fn pattern(&self) -> String {
        let suffix = match self.rest {
            Rest::Collection => "",
            Rest::Count => "/count",
            Rest::Search => "/search",
            Rest::Item(_) => "/{id}",
        };
        format!("{}{suffix}", self.kind.pattern())
    }
}

/// The storage key of a collection: its pattern, lower-cased, with the parent id filled in.
pub fn collection_key(kind: Kind, parent_id: Option<i64>) -> String {
    let parent = parent_id.map(|id| id.to_string()).unwrap_or_default();
    kind.pattern()
        .replace("{parent}", &parent)
        .to_ascii_lowercase()
}

/// Resolves the path segments below `/apis/3.0/` (routing ignores case, as the server's does).
pub fn route(segments: &[&str]) -> Option<Target> {
    Kind::ALL
        .into_iter()
        .find_map(|kind| match_pattern(kind, segments))
}

fn match_pattern(kind: Kind, segments: &[&str]) -> Option<Target> {
    let pattern: Vec<&str> = kind.pattern().split('/').collect();
    if segments.len() < pattern.len() || segments.len() > pattern.len() + 1 {
        return None;
    }
    let mut parent_id = None;
    for (expected, actual) in pattern.iter().zip(segments) {
        if *expected == "{parent}" {
            parent_id = Some(actual.parse::<i64>().ok()?);
        } else if !expected.eq_ignore_ascii_case(actual) {
            return None;
        }
    }
    let rest = match segments.get(pattern.len()) {
        None => Rest::Collection,
        Some(last) if last.eq_ignore_ascii_case("count") => Rest::Count,
        Some(last) if last.eq_ignore_ascii_case("search") => Rest::Search,
        Some(last) => Rest::Item(last.parse::<i64>().ok()?),
    };
    Some(Target {
        kind,
        parent_id,
        rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(path: &str) -> Option<Target> {
        let segments: Vec<&str> = path.split('/').collect();
        route(&segments)
    }

    #[test]
    fn literal_children_win_over_ids() {
        let target = resolve("company/configurations/types").expect("routed");
        assert_eq!(target.kind, Kind::ConfigurationTypes);
        assert_eq!(target.rest, Rest::Collection);
        let target = resolve("company/configurations/7").expect("routed");
        assert_eq!(target.kind, Kind::Configurations);
        assert_eq!(target.rest, Rest::Item(7));
    }

    #[test]
    fn child_collections_carry_the_parent() {
        let target = resolve("Service/Tickets/1001/Notes/count").expect("routed");
        assert_eq!(target.kind, Kind::TicketNotes);
        assert_eq!(target.parent_id, Some(1001));
        assert_eq!(target.rest, Rest::Count);
        assert_eq!(target.key(), "service/tickets/1001/notes");
        assert_eq!(resolve("service/tickets/abc/notes"), None);
        assert_eq!(resolve("service/unknown"), None);
        assert_eq!(
            resolve("time/worktypes").map(|t| t.kind),
            Some(Kind::WorkTypes)
        );
    }
}
