//! Each spec operation as the accessor generator sees it: where it sits in the path tree, how it
//! is called, what it sends and what it returns, with the errata applied.

use std::collections::BTreeSet;

use crate::docs::escape;
use crate::errata::{ActualLocation, BodyExpectation, Errata, template_variables};
use crate::error::Error;
use crate::naming::field_ident;
use crate::spec::{
    IntFormat, Method, Operation, Parameter, ParameterLocation, Spec, StringFormat, TypeExpr,
};
use crate::types::{RustType, map_type};

use super::core_paths::CORE_PATHS;

/// Query parameters every list operation takes; the client's `ListQuery` covers them, so they get
/// no typed parameter of their own.
pub const STANDARD_QUERY: [&str; 9] = [
    "conditions",
    "childConditions",
    "customFieldConditions",
    "orderBy",
    "fields",
    "page",
    "pageSize",
    "pageId",
    "columns",
];

/// Path parameter names that all mean "this record" at their position.
pub const ID_NAMES: [&str; 4] = ["id", "parentId", "grandparentId", "grandParentId"];

/// The Rust type of a path or query parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamType {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `bool`.
    Bool,
    /// `String`.
    String,
    /// A model sent as exploded query parameters (one per field).
    Model(String),
}

impl ParamType {
    fn of(ty: &TypeExpr) -> Option<ParamType> {
        Some(match ty {
            TypeExpr::Integer(IntFormat::Int32) => ParamType::I32,
            TypeExpr::Integer(IntFormat::Int64) => ParamType::I64,
            TypeExpr::Boolean => ParamType::Bool,
            TypeExpr::String { .. } => ParamType::String,
            TypeExpr::Ref(name) => ParamType::Model(name.clone()),
            _ => return None,
        })
    }

    /// The type as written in generated code.
    pub fn render(&self) -> String {
        match self {
            ParamType::I32 => "i32".to_owned(),
            ParamType::I64 => "i64".to_owned(),
            ParamType::Bool => "bool".to_owned(),
            ParamType::String => "String".to_owned(),
            ParamType::Model(name) => format!("m::{name}"),
        }
    }

    /// A short description for docs.
    pub fn describe(&self) -> &'static str {
        match self {
            ParamType::I32 | ParamType::I64 => "integer",
            ParamType::Bool => "boolean",
            ParamType::String => "string",
            ParamType::Model(_) => "object, sent as one query parameter per field",
        }
    }
}

/// One element of a resource path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Literal text, spelled as in the (repaired) path.
    Static(String),
    /// A record id (`{id}`, `{parentId}`, `{grandparentId}`).
    Id(ParamType),
    /// Another path parameter (`{memberIdentifier}`), by name.
    Named(String, ParamType),
}

/// A query parameter outside [`STANDARD_QUERY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// The wire name.
    pub wire: String,
    /// The Rust field name.
    pub ident: String,
    /// Its type.
    pub ty: ParamType,
    /// Whether the spec marks it required.
    pub required: bool,
    /// The spec's description, escaped, if it says more than the name.
    pub description: Option<String>,
    /// Whether the spec declares it in the path (the errata move it to the query string).
    pub moved_from_path: bool,
}

/// What a call sends as its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Nothing.
    None,
    /// A JSON body of this type (rendered, e.g. `m::Ticket` or `[m::CompanyConfiguration]`).
    Json(RustType),
    /// A JSON Patch document (`crate::patch::Patch`).
    Patch,
    /// `multipart/form-data`: no typed accessor is generated.
    Multipart,
}

/// What a call returns on success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A JSON body of this type.
    Json(RustType),
    /// A JSON body of this type when one comes; `None` for an empty body.
    Optional(RustType),
    /// Nothing worth reading.
    Unit,
    /// The raw bytes (files, images, PDFs).
    Bytes,
    /// `{"count": N}`.
    Count,
}

impl Reply {
    /// The record type when this is a JSON array.
    pub fn records(&self) -> Option<&RustType> {
        match self {
            Reply::Json(RustType::Vec(inner)) => Some(inner),
            _ => None,
        }
    }
}

/// One operation, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiOperation {
    /// The spec's `operationId`: the traced operation name.
    pub id: String,
    /// The HTTP method.
    pub method: Method,
    /// The path as the spec writes it.
    pub spec_path: String,
    /// The path the request goes to: the spec's, with a broken template repaired.
    pub call_path: String,
    /// Where the resource sits in the accessor tree (repaired, trailing `/` dropped, case twins
    /// folded), first element the area segment.
    pub resource: Vec<Segment>,
    /// The area feature.
    pub area: String,
    /// Whether it belongs to the typed core.
    pub core: bool,
    /// The spec's summary, escaped.
    pub summary: String,
    /// The request body.
    pub body: Body,
    /// The success reply.
    pub reply: Reply,
    /// Query parameters beyond [`STANDARD_QUERY`].
    pub query: Vec<QueryParam>,
    /// Errata that change how it is called, for its docs (escaped).
    pub notes: Vec<String>,
}

impl ApiOperation {
    /// Every model the accessor's signature names (body and reply), without the query parameters.
    pub fn signature_models(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Body::Json(ty) = &self.body {
            ty.collect_names(&mut out);
        }
        match &self.reply {
            Reply::Json(ty) | Reply::Optional(ty) => ty.collect_names(&mut out),
            Reply::Unit | Reply::Bytes | Reply::Count => {}
        }
        out
    }

    /// Every model the reply names.
    pub fn reply_models(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Reply::Json(ty) | Reply::Optional(ty) = &self.reply {
            ty.collect_names(&mut out);
        }
        out
    }

    /// Every model the query parameters name.
    pub fn query_models(&self) -> BTreeSet<String> {
        self.query
            .iter()
            .filter_map(|q| match &q.ty {
                ParamType::Model(name) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Classifies every operation of the spec, in path then method order.
pub fn classify_all(spec: &Spec, errata: &Errata) -> Result<Vec<ApiOperation>, Error> {
    for core in CORE_PATHS {
        if !spec.paths.contains_key(*core) {
            return Err(Error::Areas(format!(
                "core path `{core}` is not in the spec"
            )));
        }
    }
    let mut out = Vec::new();
    for (path, item) in &spec.paths {
        for (method, operation) in &item.operations {
            out.push(classify(errata, path, *method, operation)?);
        }
    }
    Ok(out)
}

fn classify(
    errata: &Errata,
    spec_path: &str,
    method: Method,
    operation: &Operation,
) -> Result<ApiOperation, Error> {
    let at = format!("{method} {spec_path}");
    let call_path = errata.call_path(spec_path);
    let resource_path = errata.effective_path(spec_path);
    let mut notes = Vec::new();
    if let Some(fix) = errata.broken(spec_path) {
        notes.push(format!(
            "The spec writes the path as {}; it is called as {} ({})",
            crate::docs::code(spec_path),
            crate::docs::code(&fix.fixed),
            escape(&fix.reason)
        ));
    }

    // Path parameters, in template order.
    let mut resource = Vec::new();
    for (i, raw) in resource_path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let Some(name) = raw.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            resource.push(Segment::Static(raw.to_owned()));
            continue;
        };
        if i == 0 {
            return Err(Error::spec(&at, "the path starts with a parameter"));
        }
        let ty = path_param_type(errata, spec_path, method, operation, name, &at)?;
        if ID_NAMES.contains(&name) && matches!(ty, ParamType::I32 | ParamType::I64) {
            resource.push(Segment::Id(ty));
        } else if matches!(ty, ParamType::Model(_) | ParamType::Bool) {
            return Err(Error::spec(
                &at,
                format!("path parameter `{name}` has an unsupported type"),
            ));
        } else {
            resource.push(Segment::Named(name.to_owned(), ty));
        }
    }
    // The call path must have the same variables in the same order, so that the values a handle
    // holds fill it.
    let call_vars = template_variables(&call_path);
    let resource_vars: Vec<String> = template_variables(&resource_path);
    if call_vars.len() != resource_vars.len() {
        return Err(Error::spec(
            &at,
            "the call path and the resource path have different parameters",
        ));
    }

    // Query parameters beyond the standard list ones, plus misplaced path parameters.
    let mut query = Vec::new();
    let mut body_from_parameter = None;
    for parameter in &operation.parameters {
        match parameter.location {
            ParameterLocation::Query if !STANDARD_QUERY.contains(&parameter.name.as_str()) => {
                query.push(query_param(parameter, false, &at)?);
            }
            ParameterLocation::Path => {
                if let Some(entry) = errata.misplaced(method, spec_path, &parameter.name) {
                    match entry.actual {
                        ActualLocation::Query => query.push(query_param(parameter, true, &at)?),
                        ActualLocation::Body => {
                            body_from_parameter = Some(parameter.ty.clone());
                            notes.push(format!(
                                "The spec declares the body as the path parameter {}; it is sent \
                                 as the request body.",
                                crate::docs::code(&parameter.name)
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for q in &query {
        if !seen.insert(q.ident.clone()) {
            return Err(Error::Naming(format!(
                "{at}: two query parameters map to `{}`",
                q.ident
            )));
        }
    }

    let body = match (&operation.request_body, body_from_parameter) {
        (Some(_), Some(_)) => {
            return Err(Error::spec(&at, "a body and a body parameter"));
        }
        (None, Some(ty)) => Body::Json(body_type(&ty, &at)?),
        (None, None) => Body::None,
        (Some(body), None) if body.content_type.starts_with("multipart/") => Body::Multipart,
        (Some(body), None) => {
            if !body.content_type.contains("json") {
                return Err(Error::spec(
                    &at,
                    format!("unsupported request media type `{}`", body.content_type),
                ));
            }
            match &body.ty {
                TypeExpr::Array(inner)
                    if method == Method::Patch
                        && **inner == TypeExpr::Ref("PatchOperation".to_owned()) =>
                {
                    Body::Patch
                }
                ty => Body::Json(body_type(ty, &at)?),
            }
        }
    };
    if method == Method::Patch && !matches!(body, Body::Patch | Body::None) {
        return Err(Error::spec(&at, "a PATCH body that is not a JSON Patch"));
    }

    let reply = reply(errata, spec_path, method, operation, &at, &mut notes)?;

    let first = match resource.first() {
        Some(Segment::Static(first)) => first.clone(),
        _ => return Err(Error::spec(&at, "the path has no first segment")),
    };
    let area = errata.models.area_of_segment(&first).to_owned();
    if !crate::areas::AREAS.contains(&area.as_str()) {
        return Err(Error::Areas(format!(
            "{at}: first segment `{first}` is not an area"
        )));
    }

    Ok(ApiOperation {
        id: operation.operation_id.clone(),
        method,
        spec_path: spec_path.to_owned(),
        call_path,
        resource,
        area,
        core: CORE_PATHS.contains(&spec_path),
        summary: escape(&operation.summary),
        body,
        reply,
        query,
        notes,
    })
}

fn path_param_type(
    errata: &Errata,
    spec_path: &str,
    method: Method,
    operation: &Operation,
    name: &str,
    at: &str,
) -> Result<ParamType, Error> {
    if let Some(parameter) = operation.parameter(name, ParameterLocation::Path) {
        return ParamType::of(&parameter.ty).ok_or_else(|| {
            Error::spec(
                at,
                format!("path parameter `{name}` has an unsupported type"),
            )
        });
    }
    // A variable of the resource path: the repaired template may name it differently from the
    // spec's broken one only through the errata.
    if let Some(entry) = errata.missing(method, spec_path, name) {
        return Ok(match entry.ty.as_str() {
            "integer" => ParamType::I32,
            _ => ParamType::String,
        });
    }
    // Case twins fold onto the canonical spelling, whose variables have the same names.
    Err(Error::spec(
        at,
        format!("template variable `{name}` has no declared parameter"),
    ))
}

fn query_param(
    parameter: &Parameter,
    moved_from_path: bool,
    at: &str,
) -> Result<QueryParam, Error> {
    let ty = ParamType::of(&parameter.ty).ok_or_else(|| {
        Error::spec(
            at,
            format!(
                "query parameter `{}` has an unsupported type",
                parameter.name
            ),
        )
    })?;
    let description = parameter
        .description
        .as_deref()
        .filter(|d| *d != parameter.name)
        .map(escape)
        .filter(|d| !d.is_empty());
    Ok(QueryParam {
        wire: parameter.name.clone(),
        ident: field_ident(&parameter.name),
        ty,
        // A parameter moved out of the path was `required` only because path parameters must be.
        required: parameter.required && !moved_from_path,
        description,
        moved_from_path,
    })
}

fn body_type(ty: &TypeExpr, at: &str) -> Result<RustType, Error> {
    match ty {
        TypeExpr::Ref(_) | TypeExpr::Array(_) => {
            map_type(ty).map_err(|message| Error::spec(at, message))
        }
        _ => Err(Error::spec(at, "unsupported request body type")),
    }
}

fn reply(
    errata: &Errata,
    spec_path: &str,
    method: Method,
    operation: &Operation,
    at: &str,
    notes: &mut Vec<String>,
) -> Result<Reply, Error> {
    let declared = operation
        .responses
        .iter()
        .find(|r| r.status.starts_with('2'))
        .or_else(|| operation.responses.iter().find(|r| r.status == "default"))
        .ok_or_else(|| Error::spec(at, "no success response"))?;
    let declared_type = match (&declared.content_type, &declared.ty) {
        (Some(media), Some(ty)) => {
            let binary = matches!(
                ty,
                TypeExpr::String {
                    format: StringFormat::Binary,
                    ..
                }
            );
            if binary || !media.contains("json") {
                return Ok(Reply::Bytes);
            }
            Some(map_type(ty).map_err(|message| Error::spec(at, message))?)
        }
        _ => None,
    };

    if let Some(route) = errata.count_route(spec_path) {
        if method == Method::Get && route.counts {
            notes.push(format!(
                "The spec declares another response; this route answers a count ({}).",
                escape(&route.reason)
            ));
            return Ok(Reply::Count);
        }
        if method == Method::Get {
            notes.push(escape(&route.reason));
        }
    } else if method == Method::Get
        && crate::errata::is_count_path(spec_path)
        && crate::errata::declares_count(operation)
    {
        return Ok(Reply::Count);
    }

    if let Some(fix) = errata.status_fix(method, spec_path) {
        notes.push(escape(&fix.reason));
        return Ok(match (fix.body, declared_type) {
            (BodyExpectation::Optional, Some(ty)) => Reply::Optional(ty),
            (BodyExpectation::Optional, None) | (BodyExpectation::Ignore, _) => Reply::Unit,
        });
    }
    Ok(match declared_type {
        Some(ty) => Reply::Json(ty),
        // Images and other files are served with no declared body.
        None if method == Method::Get => Reply::Bytes,
        None => Reply::Unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn spec() -> Spec {
        let doc: Json = serde_json::from_str(
            r##"{"info": {"version": "1"}, "components": {"schemas": {
                 "Count": {"type": "object", "properties": {"count": {"type": "integer"}}},
                 "Ticket": {"type": "object", "properties": {"id": {"type": "integer"}}},
                 "PatchOperation": {"type": "object", "properties": {"op": {"type": "string"}}}}},
               "paths": {
                 "/service/tickets": {
                   "get": {"operationId": "getServiceTickets", "summary": "Get List of Ticket", "parameters": [
                     {"name": "conditions", "in": "query", "schema": {"type": "string"}},
                     {"name": "flavour", "in": "query", "schema": {"type": "string"}}],
                     "responses": {"200": {"description": "", "content": {"application/json": {"schema":
                       {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}}}}}}}},
                 "/service/tickets/count": {
                   "get": {"operationId": "getServiceTicketsCount", "responses": {"200": {"description": "",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Count"}}}}}}},
                 "/service/tickets/{id}": {
                   "patch": {"operationId": "patchServiceTicketsById", "parameters": [
                     {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}}],
                     "requestBody": {"content": {"application/json": {"schema": {"type": "array",
                       "items": {"$ref": "#/components/schemas/PatchOperation"}}}}},
                     "responses": {"200": {"description": "", "content": {"application/json": {"schema":
                       {"$ref": "#/components/schemas/Ticket"}}}}}},
                   "delete": {"operationId": "deleteServiceTicketsById", "parameters": [
                     {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}},
                     {"name": "transfer", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}}],
                     "responses": {"204": {"description": ""}}}},
                 "/service/tickets/{id}/image": {
                   "get": {"operationId": "getServiceTicketsByIdImage", "parameters": [
                     {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}}],
                     "responses": {"200": {"description": ""}}}}}}"##,
        )
        .expect("valid JSON");
        Spec::from_json(&doc).expect("valid spec")
    }

    fn errata() -> Errata {
        serde_json::from_str(
            r#"{"models": {"area_aliases": [], "schema_areas": [], "any_json": [], "free_form": [],
                 "enums": [], "enum_additions": []},
               "operations": {"broken_paths": [], "trailing_slash": {"paths": [], "reason": "r"},
                 "case_twins": [],
                 "misplaced_parameters": [{"method": "delete", "path": "/service/tickets/{id}",
                   "parameters": ["transfer"], "actual": "query", "reason": "moved"}],
                 "missing_parameters": [],
                 "status_codes": {"accept_any_2xx": true, "reason": "r", "operations": []},
                 "count_routes": []}}"#,
        )
        .expect("valid errata")
    }

    #[test]
    fn operations_are_classified() {
        let spec = spec();
        let errata = errata();
        errata.validate(&spec).expect("consistent errata");
        let ops = classify_all_unchecked(&spec, &errata);
        let by_id = |id: &str| {
            ops.iter()
                .find(|o| o.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };

        let list = by_id("getServiceTickets");
        assert_eq!(
            list.reply.records(),
            Some(&RustType::Struct("Ticket".into()))
        );
        assert_eq!(list.query.len(), 1);
        assert_eq!(list.query[0].wire, "flavour");
        assert_eq!(list.area, "service");
        assert!(list.core);

        assert_eq!(by_id("getServiceTicketsCount").reply, Reply::Count);

        let patch = by_id("patchServiceTicketsById");
        assert_eq!(patch.body, Body::Patch);
        assert_eq!(
            patch.resource,
            [
                Segment::Static("service".into()),
                Segment::Static("tickets".into()),
                Segment::Id(ParamType::I32)
            ]
        );

        let delete = by_id("deleteServiceTicketsById");
        assert_eq!(delete.reply, Reply::Unit);
        assert_eq!(delete.query[0].ident, "transfer");
        assert!(!delete.query[0].required);
        assert!(delete.query[0].moved_from_path);

        assert_eq!(by_id("getServiceTicketsByIdImage").reply, Reply::Bytes);
    }

    /// Classifies without the core-path check (the test spec is tiny).
    fn classify_all_unchecked(spec: &Spec, errata: &Errata) -> Vec<ApiOperation> {
        let mut out = Vec::new();
        for (path, item) in &spec.paths {
            for (method, operation) in &item.operations {
                out.push(classify(errata, path, *method, operation).expect("classified"));
            }
        }
        out
    }
}
