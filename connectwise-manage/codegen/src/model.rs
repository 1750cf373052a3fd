//! The generated items before they are written out: structs with their fields, open enums, their
//! docs and their placement. Everything the emitter prints is decided here.

use std::collections::{BTreeMap, BTreeSet};

use crate::areas::{Placement, majority, schema_homes, schema_placements};
use crate::docs::{code, escape};
use crate::enums::{self, EnumSource};
use crate::errata::Errata;
use crate::error::Error;
use crate::naming::{field_ident, is_all_caps, is_plain_ident};
use crate::spec::Spec;
use crate::types::{RustType, TypeContext, boxed_references, map_property};

/// Names the generated code must not define: the hand-written support types and the prelude
/// types generated code names unqualified.
pub const RESERVED_NAMES: [&str; 11] = [
    "Box", "Default", "Err", "InfoMap", "None", "Ok", "Option", "Result", "Some", "String", "Vec",
];

/// The field name of the catch-all map on every struct.
pub const EXTRA_FIELD: &str = "extra";

/// All generated items.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The spec version the models come from.
    pub spec_version: String,
    /// Structs by name.
    pub structs: BTreeMap<String, StructDef>,
    /// Enums by name.
    pub enums: BTreeMap<String, EnumDef>,
}

/// One generated struct.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// The type name (the schema name).
    pub name: String,
    /// Doc paragraphs (each already escaped; empty strings separate paragraphs).
    pub docs: Vec<String>,
    /// Fields in spec order (the catch-all map is added by the emitter).
    pub fields: Vec<FieldDef>,
    /// Where it is compiled.
    pub placement: Placement,
    /// The area module it is found in (see [`schema_homes`]).
    pub home: String,
    /// Whether the name is written in capitals only (needs a clippy allow).
    pub all_caps: bool,
}

/// How a field is (de)serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `Option<T>`, omitted when `None`.
    Optional,
    /// Any JSON, `serde_json::Value`, always serialised so an explicit `null` round-trips.
    AnyJson,
}

/// One generated field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The Rust identifier (possibly raw, `r#type`).
    pub ident: String,
    /// The wire name.
    pub wire: String,
    /// Doc lines (escaped; empty strings separate paragraphs).
    pub docs: Vec<String>,
    /// The value type (without the `Option`).
    pub ty: RustType,
    /// How it is (de)serialised.
    pub kind: FieldKind,
    /// Other wire names read into the field (errata `field_aliases`).
    pub aliases: Vec<String>,
}

/// One generated open enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The type name.
    pub name: String,
    /// Doc lines (escaped; empty strings separate paragraphs).
    pub docs: Vec<String>,
    /// (identifier, wire value) in order.
    pub variants: Vec<(String, String)>,
    /// Where it is compiled.
    pub placement: Placement,
    /// The area module it is found in: the one most of its users are in (ties go to the first
    /// in [`crate::areas::AREAS`] order).
    pub home: String,
}

impl Model {
    /// Builds every item from the spec and the (validated) errata.
    pub fn build(spec: &Spec, errata: &Errata) -> Result<Model, Error> {
        for name in spec.schemas.keys() {
            if !is_plain_ident(name) || name.starts_with(|c: char| !c.is_ascii_uppercase()) {
                return Err(Error::Naming(format!(
                    "schema name `{name}` is not a PascalCase identifier"
                )));
            }
            if RESERVED_NAMES.contains(&name.as_str()) {
                return Err(Error::Naming(format!(
                    "schema name `{name}` clashes with a reserved name"
                )));
            }
        }
        let placements = schema_placements(spec, errata)?;
        let homes = schema_homes(spec, errata)?;
        let mut taken: BTreeSet<String> = spec.schemas.keys().cloned().collect();
        taken.extend(RESERVED_NAMES.map(str::to_owned));
        let plan = enums::plan(spec, errata, &taken)?;
        let boxed = boxed_references(spec);
        let ctx = TypeContext {
            enums: &plan.by_property,
            boxed: &boxed,
        };

        let mut structs = BTreeMap::new();
        for (name, schema) in &spec.schemas {
            if errata.models.is_hand_written(name) {
                continue;
            }
            let placement = placements
                .get(name)
                .cloned()
                .ok_or_else(|| Error::Areas(format!("schema `{name}` has no placement")))?;
            let home = homes
                .get(name)
                .cloned()
                .ok_or_else(|| Error::Areas(format!("schema `{name}` has no home area")))?;
            let mut used_idents: BTreeSet<String> = BTreeSet::from([EXTRA_FIELD.to_owned()]);
            let mut fields = Vec::with_capacity(schema.properties.len());
            for property in &schema.properties {
                let mut ident = field_ident(&property.name);
                if used_idents.contains(&ident) {
                    let base = if ident == EXTRA_FIELD {
                        "extra_field".to_owned()
                    } else {
                        ident.clone()
                    };
                    ident = std::iter::once(base.clone())
                        .chain((2..).map(|n| format!("{base}_{n}")))
                        .find(|candidate| !used_idents.contains(candidate))
                        .unwrap_or_else(|| {
                            unreachable!("an unbounded range always yields a free name")
                        });
                }
                used_idents.insert(ident.clone());

                let any_json = errata.models.any_json_note(name, &property.name).is_some();
                let ty = if any_json {
                    RustType::JsonValue
                } else {
                    map_property(name, property, &ctx)?
                };
                let mut docs = vec![if property.name == "_info" {
                    "Metadata from `_info`: when and by whom the record was last updated, and \
                     `*_href` links to related records."
                        .to_owned()
                } else {
                    format!("The {} field of {}.", code(&property.name), code(name))
                }];
                if let Some(text) = property
                    .description
                    .as_deref()
                    .map(escape)
                    .filter(|t| !t.is_empty())
                {
                    docs.push(String::new());
                    docs.push(text);
                }
                let mut notes = Vec::new();
                if schema.required.contains(&property.name) {
                    notes.push(
                        "The spec marks this field required; the SDK leaves the check to the server \
                         (responses do not always include it)."
                            .to_owned(),
                    );
                }
                if let Some(note) = errata.models.any_json_note(name, &property.name) {
                    notes.push(format!(
                        "Holds any JSON value. {} It is always serialised, as `null` when unset, \
                         so an explicit `null` (which clears the value) survives a \
                         read-modify-write.",
                        escape(&note.reason)
                    ));
                } else if let Some(note) = errata.models.free_form_note(name, &property.name) {
                    notes.push(format!(
                        "Free-form JSON: the spec does not describe its shape. {}",
                        escape(&note.reason)
                    ));
                }
                let aliases = errata.models.aliases_for(name, &property.name).to_vec();
                if !aliases.is_empty() {
                    let spellings: Vec<String> = aliases.iter().map(|a| code(a)).collect();
                    notes.push(format!(
                        "Also read from {}, a spelling the server is known to send; written as {}.",
                        spellings.join(", "),
                        code(&property.name)
                    ));
                }
                if !notes.is_empty() {
                    docs.push(String::new());
                    docs.push(notes.join(" "));
                }
                fields.push(FieldDef {
                    aliases,
                    ident,
                    wire: property.name.clone(),
                    docs,
                    ty,
                    kind: if any_json {
                        FieldKind::AnyJson
                    } else {
                        FieldKind::Optional
                    },
                });
            }

            let mut docs = Vec::new();
            if let Some(text) = schema
                .description
                .as_deref()
                .map(escape)
                .filter(|t| !t.is_empty())
            {
                docs.push(text);
                docs.push(String::new());
            }
            docs.push(format!(
                "{} as ConnectWise Manage sends and accepts it.",
                code(name)
            ));
            if let Some(cw_name) = &schema.cw_name {
                docs.push(String::new());
                docs.push(format!(
                    "The spec's original, dotted name is {}.",
                    code(cw_name)
                ));
            }
            docs.push(String::new());
            docs.push(placement.availability());
            structs.insert(
                name.clone(),
                StructDef {
                    name: name.clone(),
                    docs,
                    fields,
                    all_caps: is_all_caps(name),
                    placement,
                    home,
                },
            );
        }

        let mut enum_defs = BTreeMap::new();
        for (name, planned) in &plan.enums {
            let user_placements: Vec<&Placement> = planned
                .users
                .iter()
                .filter_map(|user| structs.get(user).map(|s: &StructDef| &s.placement))
                .collect();
            if user_placements.len() != planned.users.len() {
                return Err(Error::Naming(format!(
                    "enum `{name}` has a user that is not a struct"
                )));
            }
            let placement = Placement::union(user_placements);
            let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
            for user in &planned.users {
                if let Some(def) = structs.get(user) {
                    *votes.entry(def.home.as_str()).or_default() += 1;
                }
            }
            let home = majority(&votes).to_owned();
            let users: Vec<String> = planned.users.iter().map(|u| code(u)).collect();
            let mut docs = vec![match users.as_slice() {
                [single] => format!("Known values of {} on {single}.", code(&planned.property)),
                _ => format!(
                    "Known values of {}, shared by {}.",
                    code(&planned.property),
                    users.join(", ")
                ),
            }];
            docs.push(String::new());
            docs.push(match &planned.source {
                EnumSource::Spec { from, added } => {
                    let mut text = match from {
                        Some(version) => format!(
                            "The values come from spec {version}; newer servers may send others."
                        ),
                        None => "The values come from the spec; servers may send others.".to_owned(),
                    };
                    if !added.is_empty() {
                        let added: Vec<String> = added.iter().map(|a| code(a)).collect();
                        text.push_str(&format!(" The errata overlay adds {}.", added.join(", ")));
                    }
                    text
                }
                EnumSource::Errata { reason } => format!(
                    "The spec types this as a plain string; the values come from the errata overlay ({}).",
                    escape(reason)
                ),
            });
            docs.push(
                "Values not listed here are kept verbatim in `Other`, so they survive a round trip."
                    .to_owned(),
            );
            docs.push(String::new());
            docs.push(placement.availability());
            enum_defs.insert(
                name.clone(),
                EnumDef {
                    name: name.clone(),
                    docs,
                    variants: planned.variants.clone(),
                    placement,
                    home,
                },
            );
        }

        Ok(Model {
            spec_version: spec.version.clone(),
            structs,
            enums: enum_defs,
        })
    }
}
