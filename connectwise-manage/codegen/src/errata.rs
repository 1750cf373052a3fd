//! The errata overlay: what the spec gets wrong, kept in `errata.json` next to the generator.
//!
//! The overlay has two parts. `models` changes what the model generator emits (any-JSON fields,
//! enum members the spec lacks, feature areas). `operations` records broken paths, parameters in
//! the wrong place, status-code quirks and count routes with the wrong response; the accessor
//! generator ([`crate::api`]) consumes it through the typed structs below.
//!
//! Validation is strict in both directions: every entry must match the spec (a fixed spec makes
//! its erratum an error, so stale entries do not pile up), and every anomaly of a kind the overlay
//! covers must have an entry (a new broken path or a new untyped field fails generation until
//! someone decides what it means).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::areas::AREAS;
use crate::error::Error;
use crate::spec::{Method, ParameterLocation, Spec, TypeExpr};

/// The whole overlay.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errata {
    /// Free text for human readers.
    #[serde(rename = "$comment", default)]
    pub comment: Vec<String>,
    /// Fixes that change the generated models.
    pub models: ModelErrata,
    /// Fixes for paths, parameters and status codes.
    pub operations: OperationErrata,
}

/// Fixes that change the generated models.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelErrata {
    /// First path segments that are not areas themselves, and the area they belong to.
    pub area_aliases: Vec<AreaAlias>,
    /// Areas for schemas that no operation reaches.
    pub schema_areas: Vec<SchemaAreas>,
    /// Properties typed `object` that hold any JSON value (number, string, bool, null), where an
    /// explicit `null` matters.
    pub any_json: Vec<PropertyNote>,
    /// Other properties with untyped parts (free-form maps and arrays).
    pub free_form: Vec<PropertyNote>,
    /// Plain string properties that are really enums, with the members known from elsewhere.
    pub enums: Vec<EnumMembers>,
    /// Members to add to enums the spec declares.
    pub enum_additions: Vec<EnumMembers>,
    /// Schemas the crate implements by hand; no struct is generated for them, and `models`
    /// re-exports the hand-written type under the schema's name.
    #[serde(default)]
    pub hand_written: Vec<HandWritten>,
    /// Other spellings the server is known to send for a property (a live tenant's `Sort` for
    /// `sort`); the generated field also reads them.
    #[serde(default)]
    pub field_aliases: Vec<FieldAliases>,
}

/// Other wire names of one property, accepted when reading.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldAliases {
    /// The schema.
    pub schema: String,
    /// The property's wire name in the spec.
    pub property: String,
    /// The other spellings, as the server sends them.
    pub aliases: Vec<String>,
    /// Where the spellings were seen.
    pub reason: String,
}

/// `true` when `ty` names `schema`, directly or inside arrays, maps and inline objects.
fn refers_to(ty: &crate::spec::TypeExpr, schema: &str) -> bool {
    use crate::spec::TypeExpr;
    match ty {
        TypeExpr::Ref(name) => name == schema,
        TypeExpr::Array(inner) | TypeExpr::Map(inner) => refers_to(inner, schema),
        TypeExpr::Object(properties) => properties.iter().any(|p| refers_to(&p.ty, schema)),
        _ => false,
    }
}

/// A schema implemented by hand elsewhere in the crate.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandWritten {
    /// The schema, e.g. `PatchOperation`.
    pub schema: String,
    /// The hand-written type, e.g. `crate::patch::PatchOperation`.
    pub rust_path: String,
    /// Why it is written by hand.
    pub reason: String,
}

/// A path segment mapped to an area.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaAlias {
    /// The first path segment, e.g. `configurations`.
    pub segment: String,
    /// The area (cargo feature) it belongs to.
    pub area: String,
    /// Why.
    pub reason: String,
}

/// Areas given to a schema by hand.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaAreas {
    /// The schema.
    pub schema: String,
    /// Its areas.
    pub areas: Vec<String>,
    /// Why.
    pub reason: String,
}

/// A property and the reason it is listed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyNote {
    /// The schema.
    pub schema: String,
    /// The property's wire name.
    pub property: String,
    /// Why.
    pub reason: String,
}

/// Enum members for a property.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumMembers {
    /// The schema.
    pub schema: String,
    /// The property's wire name.
    pub property: String,
    /// The members, as sent on the wire.
    pub members: Vec<String>,
    /// Where the members come from.
    pub reason: String,
}

/// Fixes for paths, parameters and status codes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationErrata {
    /// Malformed path templates and their repaired form.
    pub broken_paths: Vec<PathFix>,
    /// Paths written with a trailing `/`.
    pub trailing_slash: TrailingSlash,
    /// Paths that differ only in letter case.
    pub case_twins: Vec<CaseTwin>,
    /// Parameters declared `in: path` that are not in the path template.
    pub misplaced_parameters: Vec<MisplacedParameter>,
    /// Path template variables with no declared parameter.
    pub missing_parameters: Vec<MissingParameter>,
    /// How to treat success status codes.
    pub status_codes: StatusCodes,
    /// `GET …/count` routes whose declared response is not `Count`.
    pub count_routes: Vec<CountRoute>,
}

/// A `GET …/count` route that does not declare the `Count` schema, and what it really returns.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRoute {
    /// The path as the spec writes it (ending in `/count`).
    pub path: String,
    /// `true` when the route answers `{"count": N}` like every other count route (the accessor is
    /// then the parent's `count()`); `false` when it returns something else (kept as declared).
    pub counts: bool,
    /// Why.
    pub reason: String,
}

/// A malformed path template and its repair.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathFix {
    /// The path as the spec writes it.
    pub path: String,
    /// The path to call instead.
    pub fixed: String,
    /// Why.
    pub reason: String,
}

/// Paths written with a trailing `/`. Accessors call them as written; the tree of accessors places
/// them beside their slash-less siblings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrailingSlash {
    /// Every spec path that ends in `/`.
    pub paths: Vec<String>,
    /// Why.
    pub reason: String,
}

/// Paths that differ only in letter case and name one resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseTwin {
    /// The spellings in the spec.
    pub paths: Vec<String>,
    /// The spelling that names the shared accessor (each operation is still called with the
    /// spelling the spec gives it; routing ignores case).
    pub canonical: String,
    /// Why.
    pub reason: String,
}

/// Where a misplaced parameter really goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActualLocation {
    /// The query string.
    Query,
    /// The request body.
    Body,
}

/// A parameter declared `in: path` that the path template does not contain.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MisplacedParameter {
    /// The operation's method.
    pub method: Method,
    /// The operation's path as the spec writes it.
    pub path: String,
    /// The parameter names.
    pub parameters: Vec<String>,
    /// Where they really go.
    pub actual: ActualLocation,
    /// Why.
    pub reason: String,
}

/// A template variable that has no parameter declaration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingParameter {
    /// The operation's method.
    pub method: Method,
    /// The operation's path as the spec writes it.
    pub path: String,
    /// The variable name (as in the fixed path).
    pub parameter: String,
    /// Its JSON type: `string` or `integer`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Why.
    pub reason: String,
}

/// How success status codes are treated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCodes {
    /// Whether any 2xx counts as success, whatever the spec declares.
    pub accept_any_2xx: bool,
    /// Why.
    pub reason: String,
    /// Operations whose declared success response is known to be wrong.
    pub operations: Vec<StatusFix>,
}

/// What to expect from a success response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyExpectation {
    /// Parse the declared type when a body is present; accept an empty body.
    Optional,
    /// No usable body; ignore what comes.
    Ignore,
}

/// One operation's status-code erratum.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusFix {
    /// The operation's method.
    pub method: Method,
    /// The operation's path as the spec writes it.
    pub path: String,
    /// The success code the spec declares (`200`, `default`).
    pub declared: String,
    /// The codes the server is known to return (empty when unknown).
    pub observed: Vec<u16>,
    /// What to do with the body.
    pub body: BodyExpectation,
    /// Why.
    pub reason: String,
}

impl Errata {
    /// Reads and parses the overlay file (not yet validated against a spec).
    pub fn load(path: &Path) -> Result<Errata, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::Json {
            path: path.to_owned(),
            source,
        })
    }

    /// Checks the overlay against the spec; lists every problem found.
    pub fn validate(&self, spec: &Spec) -> Result<(), Error> {
        let mut problems = Vec::new();
        self.models.validate(spec, &mut problems);
        self.operations.validate(spec, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Errata(problems.join("\n  ")))
        }
    }

    /// The resource a path as the spec writes it names: broken templates repaired, a trailing `/`
    /// removed, case twins folded onto their canonical spelling. The accessor tree is built from
    /// these; requests go to [`Errata::call_path`].
    pub fn effective_path(&self, spec_path: &str) -> String {
        let ops = &self.operations;
        let mut path = ops
            .broken_paths
            .iter()
            .find(|fix| fix.path == spec_path)
            .map_or(spec_path, |fix| fix.fixed.as_str())
            .to_owned();
        if ops.trailing_slash.paths.iter().any(|p| p == spec_path) {
            while path.len() > 1 && path.ends_with('/') {
                path.pop();
            }
        }
        if let Some(twin) = ops.case_twins.iter().find(|t| {
            t.paths
                .iter()
                .any(|p| p == spec_path || strip_slash(p) == path)
        }) {
            path = twin.canonical.clone();
        }
        path
    }
}

impl Errata {
    /// The path an operation is called with: the spec's path with a broken template repaired,
    /// otherwise exactly as written (letter case and any trailing `/` included).
    pub fn call_path(&self, spec_path: &str) -> String {
        self.operations
            .broken_paths
            .iter()
            .find(|fix| fix.path == spec_path)
            .map_or(spec_path, |fix| fix.fixed.as_str())
            .to_owned()
    }

    /// The status-code erratum of an operation, if any.
    pub fn status_fix(&self, method: Method, spec_path: &str) -> Option<&StatusFix> {
        self.operations
            .status_codes
            .operations
            .iter()
            .find(|fix| fix.method == method && fix.path == spec_path)
    }

    /// The count-route erratum of a path, if any.
    pub fn count_route(&self, spec_path: &str) -> Option<&CountRoute> {
        self.operations
            .count_routes
            .iter()
            .find(|entry| entry.path == spec_path)
    }

    /// The misplaced-parameter erratum naming `parameter` of an operation, if any.
    pub fn misplaced(
        &self,
        method: Method,
        spec_path: &str,
        parameter: &str,
    ) -> Option<&MisplacedParameter> {
        self.operations.misplaced_parameters.iter().find(|entry| {
            entry.method == method
                && entry.path == spec_path
                && entry.parameters.iter().any(|p| p == parameter)
        })
    }

    /// The missing-parameter erratum for a template variable of an operation, if any.
    pub fn missing(
        &self,
        method: Method,
        spec_path: &str,
        variable: &str,
    ) -> Option<&MissingParameter> {
        self.operations.missing_parameters.iter().find(|entry| {
            entry.method == method && entry.path == spec_path && entry.parameter == variable
        })
    }

    /// The broken-path erratum of a path, if any.
    pub fn broken(&self, spec_path: &str) -> Option<&PathFix> {
        self.operations
            .broken_paths
            .iter()
            .find(|fix| fix.path == spec_path)
    }
}

impl ModelErrata {
    /// `true` when `schema` is implemented by hand rather than generated.
    pub fn is_hand_written(&self, schema: &str) -> bool {
        self.hand_written.iter().any(|entry| entry.schema == schema)
    }

    /// The other spellings read for a property (empty for most).
    pub fn aliases_for(&self, schema: &str, property: &str) -> &[String] {
        self.field_aliases
            .iter()
            .find(|entry| entry.schema == schema && entry.property == property)
            .map_or(&[], |entry| entry.aliases.as_slice())
    }

    /// The entry listing the property as any-JSON, if any.
    pub fn any_json_note(&self, schema: &str, property: &str) -> Option<&PropertyNote> {
        self.any_json
            .iter()
            .find(|n| n.schema == schema && n.property == property)
    }

    /// The entry listing the property as free-form, if any.
    pub fn free_form_note(&self, schema: &str, property: &str) -> Option<&PropertyNote> {
        self.free_form
            .iter()
            .find(|n| n.schema == schema && n.property == property)
    }

    /// The enum members declared for a plain string property, if any.
    pub fn enum_for(&self, schema: &str, property: &str) -> Option<&EnumMembers> {
        self.enums
            .iter()
            .find(|e| e.schema == schema && e.property == property)
    }

    /// Members added to a spec enum, if any.
    pub fn additions_for(&self, schema: &str, property: &str) -> Option<&EnumMembers> {
        self.enum_additions
            .iter()
            .find(|e| e.schema == schema && e.property == property)
    }

    /// The area a first path segment belongs to.
    pub fn area_of_segment<'a>(&'a self, segment: &'a str) -> &'a str {
        self.area_aliases
            .iter()
            .find(|a| a.segment == segment)
            .map_or(segment, |a| a.area.as_str())
    }

    /// Every alias names a real property, differs from every property of its schema, and each
    /// property is listed once.
    fn validate_field_aliases(&self, spec: &Spec, problems: &mut Vec<String>) {
        let mut seen = BTreeSet::new();
        for entry in &self.field_aliases {
            let name = format!("{}.{}", entry.schema, entry.property);
            if !seen.insert((entry.schema.as_str(), entry.property.as_str())) {
                problems.push(format!("field_aliases: {name} is listed more than once"));
            }
            let Some(schema) = spec.schemas.get(&entry.schema) else {
                problems.push(format!("field_aliases: unknown schema `{}`", entry.schema));
                continue;
            };
            if property_type(spec, &entry.schema, &entry.property).is_none() {
                problems.push(format!("field_aliases: unknown property {name}"));
            }
            if entry.aliases.is_empty() {
                problems.push(format!("field_aliases: {name} has no aliases"));
            }
            let mut own = BTreeSet::new();
            for alias in &entry.aliases {
                if !own.insert(alias.as_str()) {
                    problems.push(format!("field_aliases: {name}: `{alias}` is listed twice"));
                }
                if schema.properties.iter().any(|p| &p.name == alias) {
                    problems.push(format!(
                        "field_aliases: {name}: `{alias}` is a property of `{}` itself",
                        entry.schema
                    ));
                }
            }
        }
    }

    fn validate(&self, spec: &Spec, problems: &mut Vec<String>) {
        for entry in &self.hand_written {
            if !spec.schemas.contains_key(&entry.schema) {
                problems.push(format!(
                    "hand_written: `{}` is not a schema of the spec",
                    entry.schema
                ));
            }
            let referrers: Vec<&str> = spec
                .schemas
                .iter()
                .filter(|(_, schema)| {
                    schema
                        .properties
                        .iter()
                        .any(|property| refers_to(&property.ty, &entry.schema))
                })
                .map(|(name, _)| name.as_str())
                .collect();
            if !referrers.is_empty() {
                problems.push(format!(
                    "hand_written: `{}` is referred to by {}; a hand-written type cannot be \
                     referenced from generated models",
                    entry.schema,
                    referrers.join(", ")
                ));
            }
        }
        self.validate_field_aliases(spec, problems);
        let mut seen_aliases = BTreeSet::new();
        for alias in &self.area_aliases {
            if !seen_aliases.insert(alias.segment.as_str()) {
                problems.push(format!("area alias `{}` listed twice", alias.segment));
            }
            if !AREAS.contains(&alias.area.as_str()) {
                problems.push(format!(
                    "area alias `{}` → `{}`: not an area",
                    alias.segment, alias.area
                ));
            }
            if AREAS.contains(&alias.segment.as_str()) {
                problems.push(format!("area alias `{}` is an area itself", alias.segment));
            }
        }
        let mut seen_schemas = BTreeSet::new();
        for entry in &self.schema_areas {
            if !spec.schemas.contains_key(&entry.schema) {
                problems.push(format!("schema_areas: unknown schema `{}`", entry.schema));
            }
            if !seen_schemas.insert(entry.schema.as_str()) {
                problems.push(format!("schema_areas: `{}` listed twice", entry.schema));
            }
            if entry.areas.is_empty() {
                problems.push(format!("schema_areas: `{}` has no areas", entry.schema));
            }
            for area in &entry.areas {
                if !AREAS.contains(&area.as_str()) {
                    problems.push(format!(
                        "schema_areas: `{}`: `{area}` is not an area",
                        entry.schema
                    ));
                }
            }
        }

        let mut listed: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        for (list, name) in [(&self.any_json, "any_json"), (&self.free_form, "free_form")] {
            for note in list {
                if listed
                    .insert((note.schema.as_str(), note.property.as_str()), name)
                    .is_some()
                {
                    problems.push(format!(
                        "{name}: {}.{} is listed more than once",
                        note.schema, note.property
                    ));
                }
                match property_type(spec, &note.schema, &note.property) {
                    None => problems.push(format!(
                        "{name}: unknown property {}.{}",
                        note.schema, note.property
                    )),
                    Some(ty) if name == "any_json" && *ty != TypeExpr::Any => {
                        problems.push(format!(
                            "any_json: {}.{} is typed in the spec; remove the entry",
                            note.schema, note.property
                        ))
                    }
                    Some(ty) if !ty.contains_any() => problems.push(format!(
                        "free_form: {}.{} has no untyped part; remove the entry",
                        note.schema, note.property
                    )),
                    Some(_) => {}
                }
            }
        }
        // Completeness: every untyped property needs a decision.
        for (schema_name, schema) in &spec.schemas {
            for property in &schema.properties {
                if property.ty.contains_any()
                    && !listed.contains_key(&(schema_name.as_str(), property.name.as_str()))
                {
                    problems.push(format!(
                        "{schema_name}.{} is untyped in the spec; list it under any_json or free_form",
                        property.name
                    ));
                }
            }
        }

        let mut seen_enums = BTreeSet::new();
        for (list, name) in [
            (&self.enums, "enums"),
            (&self.enum_additions, "enum_additions"),
        ] {
            for entry in list {
                if !seen_enums.insert((entry.schema.as_str(), entry.property.as_str())) {
                    problems.push(format!(
                        "{name}: {}.{} is listed more than once",
                        entry.schema, entry.property
                    ));
                }
                let mut members = BTreeSet::new();
                if entry.members.is_empty() {
                    problems.push(format!(
                        "{name}: {}.{} has no members",
                        entry.schema, entry.property
                    ));
                }
                for member in &entry.members {
                    if !members.insert(member.as_str()) {
                        problems.push(format!(
                            "{name}: {}.{} lists `{member}` twice",
                            entry.schema, entry.property
                        ));
                    }
                }
                match property_type(spec, &entry.schema, &entry.property) {
                    None => problems.push(format!(
                        "{name}: unknown property {}.{}",
                        entry.schema, entry.property
                    )),
                    Some(TypeExpr::String { values, .. }) => {
                        if name == "enums" && !values.is_empty() {
                            problems.push(format!(
                                "enums: {}.{} is already an enum in the spec; use enum_additions",
                                entry.schema, entry.property
                            ));
                        }
                        if name == "enum_additions" {
                            if values.is_empty() {
                                problems.push(format!(
                                    "enum_additions: {}.{} is not an enum in the spec; use enums",
                                    entry.schema, entry.property
                                ));
                            }
                            for member in &entry.members {
                                if values.contains(member) {
                                    problems.push(format!(
                                        "enum_additions: {}.{} already has `{member}`; remove it",
                                        entry.schema, entry.property
                                    ));
                                }
                            }
                        }
                    }
                    Some(_) => problems.push(format!(
                        "{name}: {}.{} is not a string property",
                        entry.schema, entry.property
                    )),
                }
            }
        }
    }
}

fn property_type<'a>(spec: &'a Spec, schema: &str, property: &str) -> Option<&'a TypeExpr> {
    spec.schemas
        .get(schema)?
        .properties
        .iter()
        .find(|p| p.name == property)
        .map(|p| &p.ty)
}

/// Whether a path's last segment is `count` (a trailing `/` ignored).
pub fn is_count_path(path: &str) -> bool {
    strip_slash(path).rsplit('/').next() == Some("count")
}

/// Whether an operation's success response is the `Count` schema.
pub fn declares_count(operation: &crate::spec::Operation) -> bool {
    operation
        .responses
        .iter()
        .any(|r| r.ty == Some(TypeExpr::Ref("Count".to_owned())))
}

fn strip_slash(path: &str) -> &str {
    let stripped = path.trim_end_matches('/');
    if stripped.is_empty() { "/" } else { stripped }
}

/// The variables of a path template, in order (`{id}` → `id`; `{name:constraint…` → `name`).
pub fn template_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after.find(['}', ':']).unwrap_or(after.len());
        out.push(after[..end].to_owned());
        rest = &after[end..];
    }
    out
}

/// Whether a path template is well formed: `/`-separated segments, each either literal text
/// (letters, digits, `_`, `-`, `.`) or exactly one `{name}` variable.
pub fn is_well_formed_template(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    rest.split('/').enumerate().all(|(i, segment)| {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        } else {
            // An empty segment is only allowed as the trailing `/`.
            (!segment.is_empty() || i == rest.split('/').count() - 1)
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }
    })
}

impl OperationErrata {
    fn validate(&self, spec: &Spec, problems: &mut Vec<String>) {
        // Broken templates: listed ones must exist and be repaired into a well-formed path;
        // every malformed template must be listed.
        let mut fixed_of: BTreeMap<&str, &str> = BTreeMap::new();
        for fix in &self.broken_paths {
            match spec.paths.get(&fix.path) {
                None => problems.push(format!("broken_paths: unknown path `{}`", fix.path)),
                Some(item) => {
                    if is_well_formed_template(&fix.path) {
                        problems.push(format!(
                            "broken_paths: `{}` is well formed; remove the entry",
                            fix.path
                        ));
                    }
                    if let Some(existing) = spec.paths.get(&fix.fixed) {
                        for method in item.operations.keys() {
                            if existing.operations.contains_key(method) {
                                problems.push(format!(
                                    "broken_paths: `{}` {method} would clash with the existing `{}`",
                                    fix.path, fix.fixed
                                ));
                            }
                        }
                    }
                }
            }
            if !is_well_formed_template(&fix.fixed) || fix.fixed.ends_with('/') {
                problems.push(format!(
                    "broken_paths: repair `{}` is not well formed",
                    fix.fixed
                ));
            }
            if fixed_of
                .insert(fix.path.as_str(), fix.fixed.as_str())
                .is_some()
            {
                problems.push(format!("broken_paths: `{}` listed twice", fix.path));
            }
        }
        for path in spec.paths.keys() {
            if !is_well_formed_template(path) && !fixed_of.contains_key(path.as_str()) {
                problems.push(format!(
                    "path `{path}` is malformed; add it to broken_paths"
                ));
            }
        }
        let fixed = |path: &str| -> String { fixed_of.get(path).map_or(path, |f| *f).to_owned() };

        // Trailing slashes, both directions.
        let listed: BTreeSet<&str> = self
            .trailing_slash
            .paths
            .iter()
            .map(String::as_str)
            .collect();
        if listed.len() != self.trailing_slash.paths.len() {
            problems.push("trailing_slash: a path is listed twice".to_owned());
        }
        for path in &listed {
            if !spec.paths.contains_key(*path) {
                problems.push(format!("trailing_slash: unknown path `{path}`"));
            } else if !path.ends_with('/') {
                problems.push(format!("trailing_slash: `{path}` does not end in `/`"));
            }
        }
        for path in spec.paths.keys() {
            if path.ends_with('/') && !listed.contains(path.as_str()) {
                problems.push(format!(
                    "path `{path}` ends in `/`; add it to trailing_slash"
                ));
            }
        }

        // Case twins, both directions.
        let mut listed_twins = BTreeSet::new();
        for twin in &self.case_twins {
            if twin.paths.len() < 2 {
                problems.push(format!(
                    "case_twins: `{}` needs at least two paths",
                    twin.canonical
                ));
            }
            for path in &twin.paths {
                if !spec.paths.contains_key(path) {
                    problems.push(format!("case_twins: unknown path `{path}`"));
                }
                if !strip_slash(path).eq_ignore_ascii_case(&twin.canonical) {
                    problems.push(format!(
                        "case_twins: `{path}` is not a case variant of `{}`",
                        twin.canonical
                    ));
                }
                listed_twins.insert(path.as_str());
            }
            if !is_well_formed_template(&twin.canonical) || twin.canonical.ends_with('/') {
                problems.push(format!(
                    "case_twins: canonical `{}` is not well formed",
                    twin.canonical
                ));
            }
        }
        let mut by_folded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in spec.paths.keys() {
            let repaired = fixed(path);
            let stripped = strip_slash(&repaired).to_owned();
            by_folded
                .entry(stripped.to_ascii_lowercase())
                .or_default()
                .insert(stripped);
        }
        for spellings in by_folded.values().filter(|s| s.len() > 1) {
            for path in spec.paths.keys() {
                let stripped = strip_slash(&fixed(path)).to_owned();
                if spellings.contains(&stripped) && !listed_twins.contains(path.as_str()) {
                    problems.push(format!(
                        "path `{path}` has a case twin ({}); add it to case_twins",
                        spellings.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }

        // Parameters declared in: path that the (repaired) template lacks, both directions.
        let mut listed_params = BTreeSet::new();
        for entry in &self.misplaced_parameters {
            let Some(operation) = spec.operation(&entry.path, entry.method) else {
                problems.push(format!(
                    "misplaced_parameters: unknown operation {} {}",
                    entry.method, entry.path
                ));
                continue;
            };
            let variables = template_variables(&fixed(&entry.path));
            for name in &entry.parameters {
                if operation.parameter(name, ParameterLocation::Path).is_none() {
                    problems.push(format!(
                        "misplaced_parameters: {} {} declares no path parameter `{name}`",
                        entry.method, entry.path
                    ));
                }
                if variables.contains(name) {
                    problems.push(format!(
                        "misplaced_parameters: `{name}` is in the template of {} {}; remove it",
                        entry.method, entry.path
                    ));
                }
                if !listed_params.insert((entry.method, entry.path.as_str(), name.as_str())) {
                    problems.push(format!(
                        "misplaced_parameters: {} {} `{name}` listed twice",
                        entry.method, entry.path
                    ));
                }
            }
        }
        let mut listed_missing = BTreeSet::new();
        for entry in &self.missing_parameters {
            match spec.operation(&entry.path, entry.method) {
                None => problems.push(format!(
                    "missing_parameters: unknown operation {} {}",
                    entry.method, entry.path
                )),
                Some(operation) => {
                    if !template_variables(&fixed(&entry.path)).contains(&entry.parameter) {
                        problems.push(format!(
                            "missing_parameters: `{}` is not in the template of {} {}",
                            entry.parameter, entry.method, entry.path
                        ));
                    }
                    if operation
                        .parameter(&entry.parameter, ParameterLocation::Path)
                        .is_some()
                    {
                        problems.push(format!(
                            "missing_parameters: {} {} already declares `{}`",
                            entry.method, entry.path, entry.parameter
                        ));
                    }
                }
            }
            if !matches!(entry.ty.as_str(), "string" | "integer") {
                problems.push(format!(
                    "missing_parameters: type `{}` must be `string` or `integer`",
                    entry.ty
                ));
            }
            listed_missing.insert((entry.method, entry.path.as_str(), entry.parameter.as_str()));
        }
        for (path, item) in &spec.paths {
            let variables = template_variables(&fixed(path));
            for (method, operation) in &item.operations {
                for parameter in &operation.parameters {
                    if parameter.location == ParameterLocation::Path
                        && !variables.contains(&parameter.name)
                        && !listed_params.contains(&(
                            *method,
                            path.as_str(),
                            parameter.name.as_str(),
                        ))
                    {
                        problems.push(format!(
                            "{method} {path}: path parameter `{}` is not in the template; add it to misplaced_parameters",
                            parameter.name
                        ));
                    }
                }
                for variable in &variables {
                    if operation
                        .parameter(variable, ParameterLocation::Path)
                        .is_none()
                        && !listed_missing.contains(&(*method, path.as_str(), variable.as_str()))
                    {
                        problems.push(format!(
                            "{method} {path}: template variable `{variable}` has no parameter; add it to missing_parameters"
                        ));
                    }
                }
            }
        }

        // Status codes: entries must name the success code the spec declares.
        for fix in &self.status_codes.operations {
            match spec.operation(&fix.path, fix.method) {
                None => problems.push(format!(
                    "status_codes: unknown operation {} {}",
                    fix.method, fix.path
                )),
                Some(operation) => {
                    if !operation.responses.iter().any(|r| r.status == fix.declared) {
                        problems.push(format!(
                            "status_codes: {} {} does not declare `{}`",
                            fix.method, fix.path, fix.declared
                        ));
                    }
                }
            }
            if fix.observed.iter().any(|c| !(200..300).contains(c)) {
                problems.push(format!(
                    "status_codes: {} {}: observed codes must be 2xx",
                    fix.method, fix.path
                ));
            }
        }

        // Count routes, both directions: every `GET …/count` either declares `Count` or is listed.
        let mut listed_counts = BTreeSet::new();
        for entry in &self.count_routes {
            if !listed_counts.insert(entry.path.as_str()) {
                problems.push(format!("count_routes: `{}` listed twice", entry.path));
            }
            if !is_count_path(&entry.path) {
                problems.push(format!(
                    "count_routes: `{}` does not end in `/count`",
                    entry.path
                ));
            }
            match spec.operation(&entry.path, Method::Get) {
                None => problems.push(format!(
                    "count_routes: no GET operation at `{}`",
                    entry.path
                )),
                Some(operation) if declares_count(operation) => problems.push(format!(
                    "count_routes: GET `{}` declares `Count`; remove the entry",
                    entry.path
                )),
                Some(_) => {}
            }
        }
        for (path, item) in &spec.paths {
            if let Some(operation) = item.operations.get(&Method::Get)
                && is_count_path(path)
                && !declares_count(operation)
                && !listed_counts.contains(path.as_str())
            {
                problems.push(format!(
                    "GET {path} does not declare `Count`; add it to count_routes"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn spec() -> Spec {
        let doc: Json = serde_json::from_str(
            r##"{"info": {"version": "1"}, "components": {"schemas": {
                 "Patch": {"type": "object", "properties": {"value": {"type": "object"}, "op": {"type": "string"}}},
                 "Board": {"type": "object", "properties": {"billTime": {"type": "string"},
                     "level": {"type": "string", "enum": ["A", "B"]}}}}},
               "paths": {
                 "/a/types{id}/copy": {"post": {"operationId": "copy", "parameters": [
                     {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"201": {"description": ""}}}},
                 "/a/x/": {"get": {"operationId": "x", "responses": {"200": {"description": ""}}}},
                 "/a/X/": {"post": {"operationId": "X", "responses": {"201": {"description": ""}}}},
                 "/a/{id}": {"delete": {"operationId": "del", "parameters": [
                     {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                     {"name": "other", "in": "path", "required": true, "schema": {"type": "integer"}}],
                     "responses": {"204": {"description": ""}}}}}}"##,
        )
        .expect("valid JSON");
        Spec::from_json(&doc).expect("valid spec")
    }

    fn errata() -> Errata {
        serde_json::from_str(
            r#"{"models": {"area_aliases": [], "schema_areas": [],
                 "any_json": [{"schema": "Patch", "property": "value", "reason": "r"}], "free_form": [],
                 "enums": [{"schema": "Board", "property": "billTime", "members": ["Billable"], "reason": "r"}],
                 "enum_additions": [{"schema": "Board", "property": "level", "members": ["C"], "reason": "r"}]},
               "operations": {
                 "broken_paths": [{"path": "/a/types{id}/copy", "fixed": "/a/types/{id}/copy", "reason": "r"}],
                 "trailing_slash": {"paths": ["/a/x/", "/a/X/"], "reason": "r"},
                 "case_twins": [{"paths": ["/a/x/", "/a/X/"], "canonical": "/a/x", "reason": "r"}],
                 "misplaced_parameters": [{"method": "delete", "path": "/a/{id}", "parameters": ["other"], "actual": "query", "reason": "r"}],
                 "missing_parameters": [],
                 "status_codes": {"accept_any_2xx": true, "reason": "r", "operations": [
                     {"method": "post", "path": "/a/X/", "declared": "201", "observed": [200, 201], "body": "optional", "reason": "r"}]},
                 "count_routes": []}}"#,
        )
        .expect("valid errata")
    }

    #[test]
    fn consistent_errata_validate() {
        errata().validate(&spec()).expect("consistent");
    }

    #[test]
    fn stale_and_missing_entries_are_reported() {
        let mut errata = errata();
        errata.models.any_json.clear();
        errata.operations.trailing_slash.paths.pop();
        errata.operations.misplaced_parameters.clear();
        errata.models.enum_additions[0].members.push("A".into());
        let err = errata
            .validate(&spec())
            .expect_err("inconsistent")
            .to_string();
        assert!(err.contains("Patch.value is untyped"), "{err}");
        assert!(err.contains("`/a/X/` ends in `/`"), "{err}");
        assert!(err.contains("`other` is not in the template"), "{err}");
        assert!(err.contains("already has `A`"), "{err}");
    }

    #[test]
    fn field_aliases_must_name_a_property_and_not_clash() {
        let mut errata = errata();
        let alias = |property: &str, aliases: &[&str]| FieldAliases {
            schema: "Board".into(),
            property: property.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            reason: "r".into(),
        };
        errata.models.field_aliases = vec![alias("level", &["Level"])];
        errata.validate(&spec()).expect("a good alias validates");
        assert_eq!(errata.models.aliases_for("Board", "level"), ["Level"]);
        assert!(errata.models.aliases_for("Board", "billTime").is_empty());
        errata.models.field_aliases = vec![
            alias("nope", &["Nope"]),
            alias("level", &["billTime", "Level", "Level"]),
            alias("level", &[]),
        ];
        let err = errata
            .validate(&spec())
            .expect_err("bad aliases")
            .to_string();
        assert!(err.contains("unknown property Board.nope"), "{err}");
        assert!(
            err.contains("`billTime` is a property of `Board` itself"),
            "{err}"
        );
        assert!(err.contains("`Level` is listed twice"), "{err}");
        assert!(
            err.contains("Board.level is listed more than once"),
            "{err}"
        );
        assert!(err.contains("Board.level has no aliases"), "{err}");
    }

    #[test]
    fn broken_paths_must_be_listed() {
        let mut errata = errata();
        errata.operations.broken_paths.clear();
        let err = errata
            .validate(&spec())
            .expect_err("malformed path")
            .to_string();
        assert!(err.contains("`/a/types{id}/copy` is malformed"), "{err}");
    }

    #[test]
    fn effective_paths_apply_every_fix() {
        let errata = errata();
        assert_eq!(
            errata.effective_path("/a/types{id}/copy"),
            "/a/types/{id}/copy"
        );
        assert_eq!(errata.effective_path("/a/X/"), "/a/x");
        assert_eq!(errata.effective_path("/a/x/"), "/a/x");
        assert_eq!(errata.effective_path("/a/{id}"), "/a/{id}");
    }

    #[test]
    fn templates_are_parsed() {
        assert_eq!(
            template_variables("/a/{parentId}/b/{id}"),
            ["parentId", "id"]
        );
        assert_eq!(
            template_variables("/system/members/{memberIdentifier:regex(^(types. |("),
            ["memberIdentifier"]
        );
        assert!(is_well_formed_template("/a/{id}/b"));
        assert!(is_well_formed_template("/a/b/"));
        assert!(!is_well_formed_template("/a/types{id}/copy"));
        assert!(!is_well_formed_template("/a/{id}{id}"));
        assert!(!is_well_formed_template("/a//b"));
        assert!(!is_well_formed_template(
            "/system/members/{memberIdentifier:regex(^(types. |("
        ));
    }
}
