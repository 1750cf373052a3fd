//! Loading the OpenAPI document into typed, ordered structures.
//!
//! Only the parts the generators use are kept: schemas with their properties (in document order),
//! and for every operation its parameters, request body and responses. Property shapes the
//! generator does not know are an error rather than being skipped, so a new spec cannot silently
//! lose fields.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::error::Error;
use crate::json::Json;

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// The parts of the OpenAPI document the generators use.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// `info.version`, e.g. `2025.1`.
    pub version: String,
    /// Component schemas by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Path templates (as written in the spec) and their operations.
    pub paths: BTreeMap<String, PathItem>,
}

/// A component schema: an object with properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The schema name (the key under `components.schemas`).
    pub name: String,
    /// The schema description, if any.
    pub description: Option<String>,
    /// The dotted name older specs used (`x-cw-name`), if any.
    pub cw_name: Option<String>,
    /// Properties in document order.
    pub properties: Vec<Property>,
    /// Names listed under `required` (a hint only: responses do not honour it).
    pub required: BTreeSet<String>,
}

/// One property of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The wire name.
    pub name: String,
    /// The description, if any.
    pub description: Option<String>,
    /// The property's type.
    pub ty: TypeExpr,
    /// Whether the spec marks it `nullable`.
    pub nullable: bool,
    /// The spec version the enum values were copied from (`x-enum-from`), if any.
    pub enum_from: Option<String>,
}

/// The shape of a value in the spec.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// A reference to a component schema, by name (`$ref`, or `allOf` with one `$ref`).
    Ref(String),
    /// `type: integer`.
    Integer(IntFormat),
    /// `type: number`.
    Number(NumberFormat),
    /// `type: boolean`.
    Boolean,
    /// `type: string`, with its format and enum values (empty when not an enum).
    String {
        /// The `format`.
        format: StringFormat,
        /// The `enum` values, in document order.
        values: Vec<String>,
    },
    /// `type: array`.
    Array(Box<TypeExpr>),
    /// `type: object` with `additionalProperties`: a map from string keys to values of this type.
    Map(Box<TypeExpr>),
    /// An object declared inline with its own properties (only request bodies use this).
    Object(Vec<Property>),
    /// `{}` or a bare `type: object`: any JSON.
    Any,
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    /// `int32`.
    Int32,
    /// `int64`, or no format.
    Int64,
}

/// Number widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// `float`.
    Float,
    /// `double`, or no format.
    Double,
}

/// String formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringFormat {
    /// No format.
    Plain,
    /// `date-time`.
    DateTime,
    /// `date`.
    Date,
    /// `uuid`.
    Uuid,
    /// `binary`.
    Binary,
    /// Any other format, kept verbatim.
    Other(String),
}

impl TypeExpr {
    /// Adds every schema this type refers to (at any depth) to `out`.
    pub fn collect_refs(&self, out: &mut BTreeSet<String>) {
        match self {
            TypeExpr::Ref(name) => {
                out.insert(name.clone());
            }
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => inner.collect_refs(out),
            TypeExpr::Object(properties) => {
                for property in properties {
                    property.ty.collect_refs(out);
                }
            }
            TypeExpr::Integer(_)
            | TypeExpr::Number(_)
            | TypeExpr::Boolean
            | TypeExpr::String { .. }
            | TypeExpr::Any => {}
        }
    }

    /// Whether any part of this type is untyped JSON.
    pub fn contains_any(&self) -> bool {
        match self {
            TypeExpr::Any => true,
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => inner.contains_any(),
            TypeExpr::Object(properties) => properties.iter().any(|p| p.ty.contains_any()),
            _ => false,
        }
    }
}

/// The operations of one path template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathItem {
    /// Operations by method.
    pub operations: BTreeMap<Method, Operation>,
}

/// HTTP methods the spec uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method as the spec writes it (lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }

    fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "patch" => Method::Patch,
            "delete" => Method::Delete,
            _ => return None,
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().to_ascii_uppercase())
    }
}

/// One operation (path + method).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`.
    pub operation_id: String,
    /// `summary`.
    pub summary: String,
    /// `tags`.
    pub tags: Vec<String>,
    /// Parameters in document order.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`200`, `default`, …) in document order.
    pub responses: Vec<Response>,
}

impl Operation {
    /// Every schema the operation refers to directly (parameters, body, responses).
    pub fn direct_refs(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for parameter in &self.parameters {
            parameter.ty.collect_refs(&mut out);
        }
        if let Some(body) = &self.request_body {
            body.ty.collect_refs(&mut out);
        }
        for response in &self.responses {
            if let Some(ty) = &response.ty {
                ty.collect_refs(&mut out);
            }
        }
        out
    }

    /// The parameter with this name and location, if declared.
    pub fn parameter(&self, name: &str, location: ParameterLocation) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.name == name && p.location == location)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

impl ParameterLocation {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "path" => ParameterLocation::Path,
            "query" => ParameterLocation::Query,
            "header" => ParameterLocation::Header,
            "cookie" => ParameterLocation::Cookie,
            _ => return None,
        })
    }
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// The name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// Whether the spec marks it required.
    pub required: bool,
    /// The description, if any.
    pub description: Option<String>,
    /// Its type.
    pub ty: TypeExpr,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type (`application/json`, `multipart/form-data`).
    pub content_type: String,
    /// The body's type.
    pub ty: TypeExpr,
    /// Whether the body is required.
    pub required: bool,
    /// `x-codegen-request-body-name`, if any.
    pub name: Option<String>,
}

/// One declared response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code as written (`200`, `default`).
    pub status: String,
    /// The description.
    pub description: String,
    /// The media type of the body, if a body is declared.
    pub content_type: Option<String>,
    /// The body's type, if a body is declared.
    pub ty: Option<TypeExpr>,
}

impl Spec {
    /// Reads and parses the spec file.
    pub fn load(path: &Path) -> Result<Spec, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let json: Json = serde_json::from_str(&text).map_err(|source| Error::Json {
            path: path.to_owned(),
            source,
        })?;
        Spec::from_json(&json)
    }

    /// Builds the typed spec from a parsed document.
    pub fn from_json(doc: &Json) -> Result<Spec, Error> {
        let version = doc
            .get("info")
            .and_then(|info| info.get("version"))
            .and_then(Json::as_str)
            .ok_or_else(|| Error::spec("/info/version", "missing or not a string"))?
            .to_owned();

        let schemas_json = doc
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Json::as_object)
            .ok_or_else(|| Error::spec("/components/schemas", "missing or not an object"))?;
        let mut schemas = BTreeMap::new();
        for (name, value) in schemas_json {
            let schema = parse_schema(name, value)?;
            schemas.insert(name.clone(), schema);
        }

        let paths_json = doc
            .get("paths")
            .and_then(Json::as_object)
            .ok_or_else(|| Error::spec("/paths", "missing or not an object"))?;
        let mut paths = BTreeMap::new();
        for (path, item) in paths_json {
            paths.insert(path.clone(), parse_path_item(path, item)?);
        }

        let spec = Spec {
            version,
            schemas,
            paths,
        };
        spec.check_refs()?;
        Ok(spec)
    }

    /// Every schema the named schema refers to directly.
    pub fn direct_deps(&self, schema: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(schema) = self.schemas.get(schema) {
            for property in &schema.properties {
                property.ty.collect_refs(&mut out);
            }
        }
        out
    }

    /// The named schemas plus everything they reach through references.
    pub fn closure<'a>(&self, roots: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().cloned().collect();
        while let Some(name) = stack.pop() {
            if seen.insert(name.clone()) {
                stack.extend(self.direct_deps(&name));
            }
        }
        seen
    }

    /// The operation at `path` with `method`, if declared.
    pub fn operation(&self, path: &str, method: Method) -> Option<&Operation> {
        self.paths.get(path)?.operations.get(&method)
    }

    fn check_refs(&self) -> Result<(), Error> {
        for (name, schema) in &self.schemas {
            for property in &schema.properties {
                let mut refs = BTreeSet::new();
                property.ty.collect_refs(&mut refs);
                if let Some(missing) = refs.iter().find(|r| !self.schemas.contains_key(*r)) {
                    return Err(Error::spec(
                        format!("/components/schemas/{name}/properties/{}", property.name),
                        format!("refers to unknown schema `{missing}`"),
                    ));
                }
            }
        }
        for (path, item) in &self.paths {
            for (method, operation) in &item.operations {
                if let Some(missing) = operation
                    .direct_refs()
                    .into_iter()
                    .find(|r| !self.schemas.contains_key(r))
                {
                    return Err(Error::spec(
                        format!("/paths/{path}/{method}"),
                        format!("refers to unknown schema `{missing}`"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn parse_schema(name: &str, value: &Json) -> Result<Schema, Error> {
    let at = format!("/components/schemas/{name}");
    let entries = value
        .as_object()
        .ok_or_else(|| Error::spec(&at, "not an object"))?;
    let mut schema = Schema {
        name: name.to_owned(),
        description: None,
        cw_name: None,
        properties: Vec::new(),
        required: BTreeSet::new(),
    };
    for (key, v) in entries {
        match key.as_str() {
            "type" => {
                if v.as_str() != Some("object") {
                    return Err(Error::spec(
                        &at,
                        "only `type: object` schemas are supported",
                    ));
                }
            }
            "description" => schema.description = Some(string_of(v, &at, key)?),
            "x-cw-name" => schema.cw_name = Some(string_of(v, &at, key)?),
            "required" => {
                let items = v
                    .as_array()
                    .ok_or_else(|| Error::spec(&at, "`required` is not an array"))?;
                for item in items {
                    schema.required.insert(string_of(item, &at, key)?);
                }
            }
            "properties" => {
                let props = v
                    .as_object()
                    .ok_or_else(|| Error::spec(&at, "`properties` is not an object"))?;
                for (prop_name, prop) in props {
                    schema.properties.push(parse_property(
                        prop_name,
                        prop,
                        &format!("{at}/properties"),
                    )?);
                }
            }
            other => {
                return Err(Error::spec(
                    &at,
                    format!("unsupported schema keyword `{other}`"),
                ));
            }
        }
    }
    Ok(schema)
}

fn string_of(v: &Json, at: &str, key: &str) -> Result<String, Error> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::spec(at, format!("`{key}` is {}, not a string", v.kind())))
}

fn parse_property(name: &str, value: &Json, parent: &str) -> Result<Property, Error> {
    let at = format!("{parent}/{name}");
    let entries = value
        .as_object()
        .ok_or_else(|| Error::spec(&at, "not an object"))?;
    let mut property = Property {
        name: name.to_owned(),
        description: None,
        ty: parse_type(value, &at)?,
        nullable: false,
        enum_from: None,
    };
    for (key, v) in entries {
        match key.as_str() {
            "description" => property.description = Some(string_of(v, &at, key)?),
            "nullable" => {
                property.nullable = v
                    .as_bool()
                    .ok_or_else(|| Error::spec(&at, "`nullable` is not a boolean"))?;
            }
            "x-enum-from" => property.enum_from = Some(string_of(v, &at, key)?),
            // Read by `parse_type`; `x-format-from` only records provenance.
            "type"
            | "format"
            | "$ref"
            | "allOf"
            | "items"
            | "additionalProperties"
            | "enum"
            | "properties"
            | "x-format-from" => {}
            other => {
                return Err(Error::spec(
                    &at,
                    format!("unsupported property keyword `{other}`"),
                ));
            }
        }
    }
    Ok(property)
}

/// Parses the type part of a schema object (`type`, `format`, `$ref`, `items`, …).
pub(crate) fn parse_type(value: &Json, at: &str) -> Result<TypeExpr, Error> {
    if let Some(reference) = value.get("$ref") {
        return parse_ref(reference, at);
    }
    if let Some(all_of) = value.get("allOf") {
        return match all_of.as_array() {
            Some([single]) => match single.get("$ref") {
                Some(reference) => parse_ref(reference, at),
                None => Err(Error::spec(at, "`allOf` entry without `$ref`")),
            },
            _ => Err(Error::spec(
                at,
                "only `allOf` with exactly one `$ref` is supported",
            )),
        };
    }
    let format = value.get("format").and_then(Json::as_str);
    let Some(ty) = value.get("type") else {
        // `{}` (or only a description): any JSON.
        return Ok(TypeExpr::Any);
    };
    let ty = ty
        .as_str()
        .ok_or_else(|| Error::spec(at, "`type` is not a string"))?;
    Ok(match ty {
        "integer" => TypeExpr::Integer(match format {
            Some("int32") => IntFormat::Int32,
            Some("int64") | None => IntFormat::Int64,
            Some(other) => {
                return Err(Error::spec(
                    at,
                    format!("unsupported integer format `{other}`"),
                ));
            }
        }),
        "number" => TypeExpr::Number(match format {
            Some("float") => NumberFormat::Float,
            Some("double") | None => NumberFormat::Double,
            Some(other) => {
                return Err(Error::spec(
                    at,
                    format!("unsupported number format `{other}`"),
                ));
            }
        }),
        "boolean" => TypeExpr::Boolean,
        "string" => {
            let format = match format {
                None => StringFormat::Plain,
                Some("date-time") => StringFormat::DateTime,
                Some("date") => StringFormat::Date,
                Some("uuid") => StringFormat::Uuid,
                Some("binary") => StringFormat::Binary,
                Some(other) => StringFormat::Other(other.to_owned()),
            };
            let mut values = Vec::new();
            if let Some(list) = value.get("enum") {
                let list = list
                    .as_array()
                    .ok_or_else(|| Error::spec(at, "`enum` is not an array"))?;
                for item in list {
                    // The spec marks these properties nullable; a `null` entry adds nothing.
                    if *item == Json::Null {
                        continue;
                    }
                    let s = string_of(item, at, "enum")?;
                    if values.contains(&s) {
                        return Err(Error::spec(at, format!("enum value `{s}` listed twice")));
                    }
                    values.push(s);
                }
            }
            TypeExpr::String { format, values }
        }
        "array" => {
            let items = value
                .get("items")
                .ok_or_else(|| Error::spec(at, "array without `items`"))?;
            TypeExpr::Array(Box::new(parse_type(items, &format!("{at}/items"))?))
        }
        "object" => {
            if let Some(additional) = value.get("additionalProperties") {
                TypeExpr::Map(Box::new(parse_type(
                    additional,
                    &format!("{at}/additionalProperties"),
                )?))
            } else if let Some(props) = value.get("properties") {
                let props = props
                    .as_object()
                    .ok_or_else(|| Error::spec(at, "`properties` is not an object"))?;
                let mut properties = Vec::new();
                for (name, prop) in props {
                    properties.push(parse_property(name, prop, &format!("{at}/properties"))?);
                }
                TypeExpr::Object(properties)
            } else {
                TypeExpr::Any
            }
        }
        other => return Err(Error::spec(at, format!("unsupported type `{other}`"))),
    })
}

fn parse_ref(reference: &Json, at: &str) -> Result<TypeExpr, Error> {
    let reference = reference
        .as_str()
        .ok_or_else(|| Error::spec(at, "`$ref` is not a string"))?;
    reference
        .strip_prefix(SCHEMA_REF_PREFIX)
        .filter(|name| !name.is_empty() && !name.contains('/'))
        .map(|name| TypeExpr::Ref(name.to_owned()))
        .ok_or_else(|| Error::spec(at, format!("unsupported `$ref` `{reference}`")))
}

fn parse_path_item(path: &str, value: &Json) -> Result<PathItem, Error> {
    let at = format!("/paths/{path}");
    let entries = value
        .as_object()
        .ok_or_else(|| Error::spec(&at, "not an object"))?;
    let mut item = PathItem::default();
    for (key, op) in entries {
        let method = Method::parse(key)
            .ok_or_else(|| Error::spec(&at, format!("unsupported method `{key}`")))?;
        item.operations
            .insert(method, parse_operation(op, &format!("{at}/{key}"))?);
    }
    Ok(item)
}

fn parse_operation(value: &Json, at: &str) -> Result<Operation, Error> {
    let field = |key: &str| -> Result<String, Error> {
        value
            .get(key)
            .map(|v| string_of(v, at, key))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let mut operation = Operation {
        operation_id: field("operationId")?,
        summary: field("summary")?,
        tags: Vec::new(),
        parameters: Vec::new(),
        request_body: None,
        responses: Vec::new(),
    };
    if operation.operation_id.is_empty() {
        return Err(Error::spec(at, "operation without `operationId`"));
    }
    if let Some(tags) = value.get("tags").and_then(Json::as_array) {
        for tag in tags {
            operation.tags.push(string_of(tag, at, "tags")?);
        }
    }
    if let Some(parameters) = value.get("parameters") {
        let parameters = parameters
            .as_array()
            .ok_or_else(|| Error::spec(at, "`parameters` is not an array"))?;
        for (i, p) in parameters.iter().enumerate() {
            let p_at = format!("{at}/parameters/{i}");
            let name = p
                .get("name")
                .map(|v| string_of(v, &p_at, "name"))
                .transpose()?
                .ok_or_else(|| Error::spec(&p_at, "parameter without `name`"))?;
            let location = p
                .get("in")
                .and_then(Json::as_str)
                .and_then(ParameterLocation::parse)
                .ok_or_else(|| Error::spec(&p_at, "parameter without a valid `in`"))?;
            let schema = p
                .get("schema")
                .ok_or_else(|| Error::spec(&p_at, "parameter without `schema`"))?;
            operation.parameters.push(Parameter {
                name,
                location,
                required: p.get("required").and_then(Json::as_bool).unwrap_or(false),
                description: p
                    .get("description")
                    .and_then(Json::as_str)
                    .map(str::to_owned),
                ty: parse_type(schema, &format!("{p_at}/schema"))?,
            });
        }
    }
    if let Some(body) = value.get("requestBody") {
        let b_at = format!("{at}/requestBody");
        let content = body
            .get("content")
            .and_then(Json::as_object)
            .ok_or_else(|| Error::spec(&b_at, "request body without `content`"))?;
        let [(content_type, media)] = content else {
            return Err(Error::spec(
                &b_at,
                "request body with more than one media type",
            ));
        };
        let schema = media
            .get("schema")
            .ok_or_else(|| Error::spec(&b_at, "request body without `schema`"))?;
        operation.request_body = Some(RequestBody {
            content_type: content_type.clone(),
            ty: parse_type(schema, &format!("{b_at}/schema"))?,
            required: body
                .get("required")
                .and_then(Json::as_bool)
                .unwrap_or(false),
            name: value
                .get("x-codegen-request-body-name")
                .and_then(Json::as_str)
                .map(str::to_owned),
        });
    }
    let responses = value
        .get("responses")
        .and_then(Json::as_object)
        .ok_or_else(|| Error::spec(at, "operation without `responses`"))?;
    for (status, response) in responses {
        let r_at = format!("{at}/responses/{status}");
        let mut parsed = Response {
            status: status.clone(),
            description: response
                .get("description")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
            content_type: None,
            ty: None,
        };
        if let Some(content) = response.get("content").and_then(Json::as_object) {
            let [(content_type, media)] = content else {
                return Err(Error::spec(&r_at, "response with more than one media type"));
            };
            parsed.content_type = Some(content_type.clone());
            if let Some(schema) = media.get("schema") {
                parsed.ty = Some(parse_type(schema, &format!("{r_at}/schema"))?);
            }
        }
        operation.responses.push(parsed);
    }
    Ok(operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> TypeExpr {
        let json: Json = serde_json::from_str(text).expect("valid JSON");
        parse_type(&json, "/test").expect("supported type")
    }

    #[test]
    fn types_parse() {
        assert_eq!(
            parse(r#"{"type":"integer","format":"int32"}"#),
            TypeExpr::Integer(IntFormat::Int32)
        );
        assert_eq!(
            parse(r#"{"type":"integer"}"#),
            TypeExpr::Integer(IntFormat::Int64)
        );
        assert_eq!(
            parse(r#"{"type":"number","format":"double"}"#),
            TypeExpr::Number(NumberFormat::Double)
        );
        assert_eq!(
            parse(r##"{"$ref":"#/components/schemas/Ticket"}"##),
            TypeExpr::Ref("Ticket".into())
        );
        assert_eq!(
            parse(r##"{"allOf":[{"$ref":"#/components/schemas/Ticket"}],"description":"x"}"##),
            TypeExpr::Ref("Ticket".into())
        );
        assert_eq!(parse("{}"), TypeExpr::Any);
        assert_eq!(parse(r#"{"type":"object"}"#), TypeExpr::Any);
        assert_eq!(
            parse(r#"{"type":"object","additionalProperties":{"type":"string"}}"#),
            TypeExpr::Map(Box::new(TypeExpr::String {
                format: StringFormat::Plain,
                values: vec![]
            }))
        );
        assert_eq!(
            parse(r#"{"type":"string","nullable":true,"enum":["Low",null,"High"]}"#),
            TypeExpr::String {
                format: StringFormat::Plain,
                values: vec!["Low".into(), "High".into()]
            }
        );
        assert_eq!(
            parse(r#"{"type":"array","items":{"type":"string","format":"date-time"}}"#),
            TypeExpr::Array(Box::new(TypeExpr::String {
                format: StringFormat::DateTime,
                values: vec![]
            }))
        );
    }

    #[test]
    fn unsupported_shapes_are_errors() {
        let json: Json = serde_json::from_str(r#"{"type":"array"}"#).expect("valid JSON");
        let err = parse_type(&json, "/x").expect_err("array without items");
        assert!(err.to_string().contains("array without `items`"), "{err}");
        let json: Json =
            serde_json::from_str(r##"{"$ref":"#/definitions/Old"}"##).expect("valid JSON");
        assert!(parse_type(&json, "/x").is_err());
        let json: Json =
            serde_json::from_str(r#"{"type":"string","pattern":"x"}"#).expect("valid JSON");
        let err = parse_property("p", &json, "/s").expect_err("unknown keyword");
        assert!(err.to_string().contains("`pattern`"), "{err}");
    }

    #[test]
    fn minimal_document_parses() {
        let doc: Json = serde_json::from_str(
            r##"{
              "info": {"version": "9.9"},
              "paths": {"/service/tickets": {"get": {"operationId": "getTickets", "parameters": [
                  {"name": "page", "in": "query", "schema": {"type": "integer", "format": "int32"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json":
                  {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}}}}}}}}},
              "components": {"schemas": {
                "Ticket": {"type": "object", "properties": {"id": {"type": "integer"}, "board": {"$ref": "#/components/schemas/Board"}}, "required": ["id"]},
                "Board": {"type": "object", "properties": {"name": {"type": "string"}}}}}
            }"##,
        )
        .expect("valid JSON");
        let spec = Spec::from_json(&doc).expect("valid spec");
        assert_eq!(spec.version, "9.9");
        let ticket = &spec.schemas["Ticket"];
        assert_eq!(ticket.properties[0].name, "id");
        assert_eq!(ticket.properties[1].name, "board");
        assert!(ticket.required.contains("id"));
        let op = spec
            .operation("/service/tickets", Method::Get)
            .expect("operation");
        assert_eq!(op.direct_refs().into_iter().collect::<Vec<_>>(), ["Ticket"]);
        let all = spec.closure(&["Ticket".to_owned()]);
        assert_eq!(all.into_iter().collect::<Vec<_>>(), ["Board", "Ticket"]);
    }

    #[test]
    fn dangling_refs_are_errors() {
        let doc: Json = serde_json::from_str(
            r##"{"info": {"version": "1"}, "paths": {}, "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}}}}"##,
        )
        .expect("valid JSON");
        let err = Spec::from_json(&doc).expect_err("dangling ref");
        assert!(err.to_string().contains("unknown schema `B`"), "{err}");
    }
}
