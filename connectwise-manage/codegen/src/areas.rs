//! Which cargo feature (API area) compiles each schema.
//!
//! An operation's area is the first segment of its path (`/service/tickets` → `service`);
//! segments that are not areas are mapped by the errata (`/configurations/types/…` serves
//! configuration types and belongs to `company`). A schema belongs to every area whose operations
//! reach it, directly or through references. The schemas the typed client offers without any
//! feature, and everything they reach, form the always-compiled core.
//!
//! Separately, every schema has one home area, the module it is found in (`models::service`):
//! see [`schema_homes`]. Features decide whether an item is compiled, the home decides where it
//! is, so an item stays in its module when the set of features that reach it changes.

use std::collections::{BTreeMap, BTreeSet};

use crate::errata::Errata;
use crate::error::Error;
use crate::spec::Spec;

/// The API areas, one cargo feature each, in the order the crate lists them.
pub const AREAS: [&str; 11] = [
    "company",
    "expense",
    "finance",
    "marketing",
    "procurement",
    "project",
    "sales",
    "schedule",
    "service",
    "system",
    "time",
];

/// The schemas the typed core of the client uses; they and everything they reach are compiled
/// without any area feature.
pub const CORE_SCHEMAS: [&str; 23] = [
    "Board",
    "BoardItem",
    "BoardStatus",
    "BoardSubType",
    "BoardType",
    "CallbackEntry",
    "Company",
    "CompanyConfiguration",
    "Contact",
    "ContactCommunication",
    "ContactCommunicationItem",
    "Count",
    "CustomFieldValue",
    "ErrorResponseMessage",
    "Info",
    "Member",
    "PatchOperation",
    "Priority",
    "ServiceNote",
    "Ticket",
    "TicketNote",
    "TimeEntry",
    "ValidationError",
];

/// Where a generated item is compiled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    /// Always.
    Core,
    /// When any of these area features is on (never empty).
    Areas(BTreeSet<String>),
}

impl Placement {
    /// The placement of an item used by items with these placements: core if any user is core,
    /// otherwise the union of their areas.
    pub fn union<'a>(placements: impl IntoIterator<Item = &'a Placement>) -> Placement {
        let mut areas = BTreeSet::new();
        for placement in placements {
            match placement {
                Placement::Core => return Placement::Core,
                Placement::Areas(set) => areas.extend(set.iter().cloned()),
            }
        }
        Placement::Areas(areas)
    }

    /// The `cfg` predicate for this placement (`feature = "x"` or `any(feature = "x", …)`), or
    /// `None` for the core.
    pub fn cfg_predicate(&self) -> Option<String> {
        match self {
            Placement::Core => None,
            Placement::Areas(areas) => {
                let features: Vec<String> =
                    areas.iter().map(|a| format!("feature = \"{a}\"")).collect();
                Some(match features.as_slice() {
                    [single] => single.clone(),
                    _ => format!("any({})", features.join(", ")),
                })
            }
        }
    }

    /// A sentence for docs saying when the item is available.
    pub fn availability(&self) -> String {
        match self {
            Placement::Core => "Always available: part of the typed core.".to_owned(),
            Placement::Areas(areas) => {
                let names: Vec<String> = areas.iter().map(|a| format!("`{a}`")).collect();
                match names.as_slice() {
                    [single] => format!("Available with the {single} feature."),
                    _ => format!("Available with any of the features {}.", names.join(", ")),
                }
            }
        }
    }
}

/// Computes the placement of every schema.
pub fn schema_placements(
    spec: &Spec,
    errata: &Errata,
) -> Result<BTreeMap<String, Placement>, Error> {
    for core in CORE_SCHEMAS {
        if !spec.schemas.contains_key(core) {
            return Err(Error::Areas(format!(
                "core schema `{core}` is not in the spec"
            )));
        }
    }
    let core: BTreeSet<String> = spec.closure(&CORE_SCHEMAS.map(str::to_owned));

    let mut areas: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, item) in &spec.paths {
        let segment = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let area = errata.models.area_of_segment(segment);
        if !AREAS.contains(&area) {
            return Err(Error::Areas(format!(
                "path `{path}`: first segment `{segment}` is not an area; add an area alias"
            )));
        }
        for operation in item.operations.values() {
            for schema in spec.closure(&operation.direct_refs()) {
                areas.entry(schema).or_default().insert(area.to_owned());
            }
        }
    }

    for entry in &errata.models.schema_areas {
        if areas.contains_key(&entry.schema) {
            return Err(Error::Areas(format!(
                "schema `{}` is reached by operations; remove it from schema_areas",
                entry.schema
            )));
        }
    }
    for entry in &errata.models.schema_areas {
        for schema in spec.closure([&entry.schema]) {
            areas
                .entry(schema)
                .or_default()
                .extend(entry.areas.iter().cloned());
        }
    }

    let mut placements = BTreeMap::new();
    for name in spec.schemas.keys() {
        let placement = if core.contains(name) {
            Placement::Core
        } else {
            match areas.remove(name) {
                Some(set) if !set.is_empty() => Placement::Areas(set),
                _ => {
                    return Err(Error::Areas(format!(
                        "schema `{name}` is reached by no operation; give it areas in schema_areas"
                    )));
                }
            }
        };
        placements.insert(name.clone(), placement);
    }
    Ok(placements)
}

/// Computes the home area of every schema: the module it is found in.
///
/// A schema that operations take or return is in the area of those operations (the area with
/// the most of them, ties going to the first in [`AREAS`] order). A schema only other schemas
/// refer to is in the area most of its referrers are in, taking referrers nearest to the
/// operations first: level by level outwards from the operations' own schemas. A schema no
/// operation reaches is in the first area errata's `schema_areas` gives it (or its referrer's
/// area, for the schemas it reaches). A link schema `XReference` is where `X` is.
pub fn schema_homes(spec: &Spec, errata: &Errata) -> Result<BTreeMap<String, String>, Error> {
    let mut direct: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for (path, item) in &spec.paths {
        let segment = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        let area = errata.models.area_of_segment(segment);
        let Some(area) = AREAS.iter().copied().find(|a| *a == area) else {
            return Err(Error::Areas(format!(
                "path `{path}`: first segment `{segment}` is not an area; add an area alias"
            )));
        };
        for operation in item.operations.values() {
            for schema in operation.direct_refs() {
                *direct.entry(schema).or_default().entry(area).or_default() += 1;
            }
        }
    }
    let mut homes: BTreeMap<String, String> = direct
        .iter()
        .map(|(schema, counts)| (schema.clone(), majority(counts).to_owned()))
        .collect();
    for entry in &errata.models.schema_areas {
        if homes.contains_key(&entry.schema) {
            continue;
        }
        if let Some(first) = entry.areas.first() {
            homes.insert(entry.schema.clone(), first.clone());
        }
    }

    // Outwards from the placed schemas, one level at a time, so that the result does not depend
    // on the order schemas are visited within a level.
    let mut frontier: BTreeSet<String> = homes.keys().cloned().collect();
    while !frontier.is_empty() {
        let mut votes: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
        for referrer in &frontier {
            let Some(area) = homes
                .get(referrer)
                .and_then(|home| AREAS.iter().copied().find(|a| a == home))
            else {
                continue;
            };
            for dep in spec.direct_deps(referrer) {
                if !homes.contains_key(&dep) {
                    *votes.entry(dep).or_default().entry(area).or_default() += 1;
                }
            }
        }
        frontier = votes.keys().cloned().collect();
        for (schema, counts) in votes {
            homes.insert(schema, majority(&counts).to_owned());
        }
    }

    // `XReference` (a link to an `X`) is where `X` is, wherever the links are used.
    let links: Vec<(String, String)> = homes
        .keys()
        .filter_map(|name| {
            let target = name.strip_suffix("Reference")?;
            let home = homes.get(target)?;
            Some((name.clone(), home.clone()))
        })
        .collect();
    homes.extend(links);

    for name in spec.schemas.keys() {
        if !homes.contains_key(name) {
            return Err(Error::Areas(format!(
                "schema `{name}` has no home area; give it areas in schema_areas"
            )));
        }
    }
    homes.retain(|name, _| spec.schemas.contains_key(name));
    Ok(homes)
}

/// The area with the most votes; ties go to the first in [`AREAS`] order.
pub fn majority(counts: &BTreeMap<&str, usize>) -> &'static str {
    let mut best = ("", 0);
    for area in AREAS {
        let count = counts.get(area).copied().unwrap_or_default();
        if count > best.1 {
            best = (area, count);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas(list: &[&str]) -> Placement {
        Placement::Areas(list.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn union_prefers_core() {
        assert_eq!(
            Placement::union([&areas(&["time"]), &Placement::Core]),
            Placement::Core
        );
        assert_eq!(
            Placement::union([&areas(&["time"]), &areas(&["expense", "time"])]),
            areas(&["expense", "time"])
        );
    }

    #[test]
    fn majority_breaks_ties_by_area_order() {
        let counts = BTreeMap::from([("time", 2), ("company", 2), ("service", 1)]);
        assert_eq!(majority(&counts), "company");
        let counts = BTreeMap::from([("time", 3), ("company", 2)]);
        assert_eq!(majority(&counts), "time");
    }

    #[test]
    fn cfg_predicates() {
        assert_eq!(Placement::Core.cfg_predicate(), None);
        assert_eq!(
            areas(&["service"]).cfg_predicate().as_deref(),
            Some("feature = \"service\"")
        );
        assert_eq!(
            areas(&["company", "finance"]).cfg_predicate().as_deref(),
            Some("any(feature = \"company\", feature = \"finance\")")
        );
        assert_eq!(
            areas(&["company", "finance"]).availability(),
            "Available with any of the features `company`, `finance`."
        );
    }
}
