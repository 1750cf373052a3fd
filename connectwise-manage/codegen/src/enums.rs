//! Finding the enum properties and naming their open enums.
//!
//! Each string property with known values gets an open enum. The name is the schema name plus
//! the property in PascalCase (`Ticket.severity` → `TicketSeverity`). When several schemas carry
//! the same property with the same set of values (`billTime` on tickets, agreements, boards…),
//! they share one enum named after the property alone (`BillTime`), unless the property name is
//! too generic to stand alone (`type`, `status`, …) or the name is taken. If a property appears
//! with several value sets, the largest group gets the shared name and the rest keep per-schema
//! names. Name clashes with schemas or other enums get the suffix `Enum` (then a number).
//! Everything is decided in sorted order, so the result only depends on the spec and errata.

use std::collections::{BTreeMap, BTreeSet};

use crate::errata::Errata;
use crate::error::Error;
use crate::naming::{pascal_case, variant_ident};
use crate::spec::{Spec, TypeExpr};

/// Property names too generic to name a shared enum on their own.
pub const GENERIC_PROPERTIES: [&str; 10] = [
    "category",
    "color",
    "identifier",
    "level",
    "module",
    "name",
    "source",
    "status",
    "type",
    "where",
];

/// Where an enum's values come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumSource {
    /// The spec lists the values; `from` is the spec version they were copied from, if marked.
    Spec {
        /// The `x-enum-from` version, if any.
        from: Option<String>,
        /// Members the errata add, in errata order.
        added: Vec<String>,
    },
    /// The spec types the property as a plain string; the errata give the values.
    Errata {
        /// The errata's stated source of the values.
        reason: String,
    },
}

/// One planned enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEnum {
    /// The type name.
    pub name: String,
    /// The wire property name it types.
    pub property: String,
    /// The wire values, in the order of the first user's spec listing, then errata additions.
    pub values: Vec<String>,
    /// The variants (identifier, wire value), in `values` order.
    pub variants: Vec<(String, String)>,
    /// The schemas whose property uses it, sorted.
    pub users: Vec<String>,
    /// Where the values come from.
    pub source: EnumSource,
}

/// The enums of the whole spec.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnumPlan {
    /// Enum name for each (schema, property) that has one.
    pub by_property: BTreeMap<(String, String), String>,
    /// The enums by name.
    pub enums: BTreeMap<String, PlannedEnum>,
}

struct Occurrence {
    schema: String,
    property: String,
    values: Vec<String>,
    source: EnumSource,
}

/// Plans every enum. `taken` holds names that are already in use (schemas, support types).
pub fn plan(spec: &Spec, errata: &Errata, taken: &BTreeSet<String>) -> Result<EnumPlan, Error> {
    let occurrences = collect(spec, errata)?;

    // Group by property, then by value set.
    let mut by_property: BTreeMap<&str, BTreeMap<BTreeSet<&str>, Vec<&Occurrence>>> =
        BTreeMap::new();
    for occ in &occurrences {
        let set: BTreeSet<&str> = occ.values.iter().map(String::as_str).collect();
        by_property
            .entry(occ.property.as_str())
            .or_default()
            .entry(set)
            .or_default()
            .push(occ);
    }

    let mut used: BTreeSet<String> = taken.clone();
    let mut plan = EnumPlan::default();
    let mut per_schema: Vec<&Occurrence> = Vec::new();

    // Shared names first, so per-schema names cannot steal them.
    for (property, groups) in &by_property {
        let mut ordered: Vec<&Vec<&Occurrence>> = groups.values().collect();
        // Largest group first; ties go to the group whose first schema sorts first.
        ordered.sort_by(|a, b| {
            b.len()
                .cmp(&a.len())
                .then_with(|| a[0].schema.cmp(&b[0].schema))
        });
        let shared_name = pascal_case(property);
        let mut rest = ordered.as_slice();
        if let Some((first, tail)) = ordered.split_first()
            && first.len() >= 2
            && !GENERIC_PROPERTIES.contains(property)
            && !used.contains(&shared_name)
        {
            insert(&mut plan, &mut used, shared_name, first)?;
            rest = tail;
        }
        for group in rest {
            per_schema.extend(group.iter().copied());
        }
    }

    per_schema.sort_by(|a, b| (&a.schema, &a.property).cmp(&(&b.schema, &b.property)));
    for occ in per_schema {
        let base = format!("{}{}", occ.schema, pascal_case(&occ.property));
        let name = free_name(&used, &base);
        insert(&mut plan, &mut used, name, &[occ])?;
    }
    Ok(plan)
}

fn free_name(used: &BTreeSet<String>, base: &str) -> String {
    if !used.contains(base) {
        return base.to_owned();
    }
    let with_suffix = format!("{base}Enum");
    if !used.contains(&with_suffix) {
        return with_suffix;
    }
    (2..)
        .map(|n| format!("{base}Enum{n}"))
        .find(|candidate| !used.contains(candidate))
        .unwrap_or_else(|| unreachable!("an unbounded range always yields a free name"))
}

fn insert(
    plan: &mut EnumPlan,
    used: &mut BTreeSet<String>,
    name: String,
    group: &[&Occurrence],
) -> Result<(), Error> {
    let Some(first) = group.first() else {
        return Err(Error::Naming(format!("enum `{name}` has no users")));
    };
    if !used.insert(name.clone()) {
        return Err(Error::Naming(format!("enum name `{name}` is already used")));
    }
    let mut users: Vec<String> = group.iter().map(|o| o.schema.clone()).collect();
    users.sort();
    for occ in group {
        plan.by_property
            .insert((occ.schema.clone(), occ.property.clone()), name.clone());
    }
    // Shared enums merge the sources of their users: the first user's is representative, since
    // grouping requires identical value sets.
    plan.enums.insert(
        name.clone(),
        PlannedEnum {
            variants: variants(&first.values),
            name,
            property: first.property.clone(),
            values: first.values.clone(),
            users,
            source: first.source.clone(),
        },
    );
    Ok(())
}

/// The variant identifiers for a list of wire values: unique, and never `Other` (the catch-all).
pub fn variants(values: &[String]) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    seen.insert("Other".to_owned());
    let mut out = Vec::with_capacity(values.len());
    for value in values {
        let mut ident = variant_ident(value);
        if ident == "Other" {
            ident = "OtherValue".to_owned();
        }
        if seen.contains(&ident) {
            let base = ident.clone();
            ident = (2..)
                .map(|n| format!("{base}{n}"))
                .find(|candidate| !seen.contains(candidate))
                .unwrap_or_else(|| unreachable!("an unbounded range always yields a free name"));
        }
        seen.insert(ident.clone());
        out.push((ident, value.clone()));
    }
    out
}

fn collect(spec: &Spec, errata: &Errata) -> Result<Vec<Occurrence>, Error> {
    let mut out = Vec::new();
    for (schema_name, schema) in &spec.schemas {
        for property in &schema.properties {
            check_no_nested_enum(&property.ty, schema_name, &property.name)?;
            let TypeExpr::String { values, .. } = &property.ty else {
                continue;
            };
            let occurrence = if values.is_empty() {
                match errata.models.enum_for(schema_name, &property.name) {
                    Some(entry) => Occurrence {
                        schema: schema_name.clone(),
                        property: property.name.clone(),
                        values: entry.members.clone(),
                        source: EnumSource::Errata {
                            reason: entry.reason.clone(),
                        },
                    },
                    None => continue,
                }
            } else {
                let added = errata
                    .models
                    .additions_for(schema_name, &property.name)
                    .map(|entry| entry.members.clone())
                    .unwrap_or_default();
                let mut all = values.clone();
                all.extend(added.iter().cloned());
                Occurrence {
                    schema: schema_name.clone(),
                    property: property.name.clone(),
                    values: all,
                    source: EnumSource::Spec {
                        from: property.enum_from.clone(),
                        added,
                    },
                }
            };
            out.push(occurrence);
        }
    }
    Ok(out)
}

fn check_no_nested_enum(ty: &TypeExpr, schema: &str, property: &str) -> Result<(), Error> {
    let nested = match ty {
        TypeExpr::Array(inner) | TypeExpr::Map(inner) => inner,
        _ => return Ok(()),
    };
    match nested.as_ref() {
        TypeExpr::String { values, .. } if !values.is_empty() => Err(Error::spec(
            format!("/components/schemas/{schema}/properties/{property}"),
            "enums inside arrays or maps are not supported",
        )),
        other => check_no_nested_enum(other, schema, property),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn spec(schemas: &str) -> Spec {
        let doc: Json = serde_json::from_str(&format!(
            r#"{{"info": {{"version": "1"}}, "paths": {{}}, "components": {{"schemas": {schemas}}}}}"#
        ))
        .expect("valid JSON");
        Spec::from_json(&doc).expect("valid spec")
    }

    fn errata(enums: &str) -> Errata {
        serde_json::from_str(&format!(
            r#"{{"models": {{"area_aliases": [], "schema_areas": [], "any_json": [], "free_form": [],
                 "enums": {enums}, "enum_additions": []}},
               "operations": {{"broken_paths": [], "trailing_slash": {{"paths": [], "reason": ""}},
                 "case_twins": [], "misplaced_parameters": [], "missing_parameters": [],
                 "status_codes": {{"accept_any_2xx": true, "reason": "", "operations": []}},
                 "count_routes": []}}}}"#
        ))
        .expect("valid errata")
    }

    const BILL: &str =
        r#"{"type": "string", "enum": ["Billable", "DoNotBill", "NoCharge", "NoDefault"]}"#;

    #[test]
    fn identical_sets_share_a_property_named_enum() {
        let spec = spec(&format!(
            r#"{{"Ticket": {{"type": "object", "properties": {{"billTime": {BILL},
                   "severity": {{"type": "string", "enum": ["Low", "Medium", "High"]}}}}}},
                "Agreement": {{"type": "object", "properties": {{"billTime": {BILL}}}}},
                "WorkType": {{"type": "object", "properties": {{"billTime": {{"type": "string", "enum": ["Billable", "DoNotBill"]}}}}}}}}"#
        ));
        let plan = plan(
            &spec,
            &errata("[]"),
            &spec.schemas.keys().cloned().collect(),
        )
        .expect("plan");
        assert_eq!(
            plan.by_property[&("Ticket".into(), "billTime".into())],
            "BillTime"
        );
        assert_eq!(
            plan.by_property[&("Agreement".into(), "billTime".into())],
            "BillTime"
        );
        assert_eq!(
            plan.by_property[&("WorkType".into(), "billTime".into())],
            "WorkTypeBillTime"
        );
        assert_eq!(
            plan.by_property[&("Ticket".into(), "severity".into())],
            "TicketSeverity"
        );
        assert_eq!(plan.enums["BillTime"].users, ["Agreement", "Ticket"]);
        assert_eq!(
            plan.enums["TicketSeverity"].variants[2],
            ("High".to_owned(), "High".to_owned())
        );
    }

    #[test]
    fn generic_properties_and_taken_names_stay_per_schema() {
        let spec = spec(
            r#"{"A": {"type": "object", "properties": {"status": {"type": "string", "enum": ["Open"]}}},
                "B": {"type": "object", "properties": {"status": {"type": "string", "enum": ["Open"]}}},
                "AStatus": {"type": "object", "properties": {}}}"#,
        );
        let plan = plan(
            &spec,
            &errata("[]"),
            &spec.schemas.keys().cloned().collect(),
        )
        .expect("plan");
        assert_eq!(
            plan.by_property[&("A".into(), "status".into())],
            "AStatusEnum"
        );
        assert_eq!(plan.by_property[&("B".into(), "status".into())], "BStatus");
    }

    #[test]
    fn errata_enums_are_planned() {
        let spec = spec(
            r#"{"BoardInfo": {"type": "object", "properties": {"billTime": {"type": "string"}}}}"#,
        );
        let errata = errata(
            r#"[{"schema": "BoardInfo", "property": "billTime", "members": ["Billable", "NoCharge"], "reason": "as Board"}]"#,
        );
        let plan = plan(&spec, &errata, &BTreeSet::new()).expect("plan");
        let planned = &plan.enums["BoardInfoBillTime"];
        assert_eq!(planned.values, ["Billable", "NoCharge"]);
        assert!(matches!(planned.source, EnumSource::Errata { .. }));
    }

    #[test]
    fn variants_avoid_the_catch_all_and_duplicates() {
        let values: Vec<String> = ["Other", "NONE", "None", "Low"].map(String::from).to_vec();
        let idents: Vec<String> = variants(&values).into_iter().map(|(i, _)| i).collect();
        assert_eq!(idents, ["OtherValue", "None", "None2", "Low"]);
    }
}
