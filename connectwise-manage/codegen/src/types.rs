//! Mapping spec types to Rust types.
//!
//! | spec | Rust |
//! |---|---|
//! | `integer` int32 / int64 | `i32` / `i64` |
//! | `number` (float or double) | `f64` |
//! | `boolean` | `bool` |
//! | `string` | `String` (uuid, date and binary too) |
//! | `string` date-time | `time::OffsetDateTime` through the lenient serde helper |
//! | `string` with known values | the open enum |
//! | `array` | `Vec<T>` |
//! | `$ref` / `allOf: [$ref]` | the schema's struct, boxed on a reference cycle |
//! | `additionalProperties: T` | `BTreeMap<String, T>`; `_info` becomes `InfoMap` |
//! | free-form (`{}`, bare `object`) | `serde_json::Value`; a free-form map is `serde_json::Map` |
//!
//! Date-times only get the `OffsetDateTime` treatment as a whole field; inside arrays or maps
//! they stay `String` (none occur in the spec).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::spec::{IntFormat, Property, Spec, StringFormat, TypeExpr};

/// A Rust type used by a generated field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustType {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `String`.
    String,
    /// `::time::OffsetDateTime` (absolute: the `time` area module would shadow the crate), (de)serialised by `crate::models::datetime`.
    DateTime,
    /// A generated struct.
    Struct(String),
    /// A generated struct behind a `Box` (reference cycles).
    Boxed(String),
    /// A generated open enum.
    Enum(String),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `std::collections::BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// `serde_json::Map<String, serde_json::Value>`.
    JsonMap,
    /// `serde_json::Value`.
    JsonValue,
    /// The hand-written `InfoMap` for `_info`.
    InfoMap,
}

impl RustType {
    /// The type as written in generated code.
    pub fn render(&self) -> String {
        match self {
            RustType::I32 => "i32".to_owned(),
            RustType::I64 => "i64".to_owned(),
            RustType::F64 => "f64".to_owned(),
            RustType::Bool => "bool".to_owned(),
            RustType::String => "String".to_owned(),
            RustType::DateTime => "::time::OffsetDateTime".to_owned(),
            RustType::Struct(name) | RustType::Enum(name) => name.clone(),
            RustType::Boxed(name) => format!("Box<{name}>"),
            RustType::Vec(inner) => format!("Vec<{}>", inner.render()),
            RustType::Map(inner) => {
                format!("std::collections::BTreeMap<String, {}>", inner.render())
            }
            RustType::JsonMap => "serde_json::Map<String, serde_json::Value>".to_owned(),
            RustType::JsonValue => "serde_json::Value".to_owned(),
            RustType::InfoMap => "InfoMap".to_owned(),
        }
    }

    /// Adds the names of generated types and support types this type mentions to `out`.
    pub fn collect_names(&self, out: &mut BTreeSet<String>) {
        match self {
            RustType::Struct(name) | RustType::Boxed(name) | RustType::Enum(name) => {
                out.insert(name.clone());
            }
            RustType::Vec(inner) | RustType::Map(inner) => inner.collect_names(out),
            RustType::InfoMap => {
                out.insert("InfoMap".to_owned());
            }
            RustType::I32
            | RustType::I64
            | RustType::F64
            | RustType::Bool
            | RustType::String
            | RustType::DateTime
            | RustType::JsonMap
            | RustType::JsonValue => {}
        }
    }
}

/// What the type mapping needs to know beyond the property itself.
#[derive(Debug)]
pub struct TypeContext<'a> {
    /// Enum name per (schema, property).
    pub enums: &'a BTreeMap<(String, String), String>,
    /// (schema, property) pairs whose reference must be boxed.
    pub boxed: &'a BTreeSet<(String, String)>,
}

/// Maps one property of `schema` to its Rust type.
pub fn map_property(
    schema: &str,
    property: &Property,
    ctx: &TypeContext<'_>,
) -> Result<RustType, Error> {
    let key = (schema.to_owned(), property.name.clone());
    if let Some(name) = ctx.enums.get(&key) {
        return Ok(RustType::Enum(name.clone()));
    }
    match &property.ty {
        TypeExpr::Map(inner)
            if property.name == "_info"
                && matches!(inner.as_ref(), TypeExpr::String { values, .. } if values.is_empty()) =>
        {
            Ok(RustType::InfoMap)
        }
        TypeExpr::String {
            format: StringFormat::DateTime,
            ..
        } => Ok(RustType::DateTime),
        TypeExpr::Ref(name) if ctx.boxed.contains(&key) => Ok(RustType::Boxed(name.clone())),
        other => map_type(other).map_err(|message| {
            Error::spec(
                format!("/components/schemas/{schema}/properties/{}", property.name),
                message,
            )
        }),
    }
}

/// Maps a type that is not a whole field (or a field with no special treatment).
pub fn map_type(ty: &TypeExpr) -> Result<RustType, String> {
    Ok(match ty {
        TypeExpr::Ref(name) => RustType::Struct(name.clone()),
        TypeExpr::Integer(IntFormat::Int32) => RustType::I32,
        TypeExpr::Integer(IntFormat::Int64) => RustType::I64,
        TypeExpr::Number(_) => RustType::F64,
        TypeExpr::Boolean => RustType::Bool,
        TypeExpr::String { .. } => RustType::String,
        TypeExpr::Array(inner) => RustType::Vec(Box::new(map_type(inner)?)),
        TypeExpr::Map(inner) => match inner.as_ref() {
            TypeExpr::Any => RustType::JsonMap,
            other => RustType::Map(Box::new(map_type(other)?)),
        },
        TypeExpr::Any => RustType::JsonValue,
        TypeExpr::Object(_) => {
            return Err("inline object types are not supported in schemas".to_owned());
        }
    })
}

/// The (schema, property) pairs whose reference closes a cycle of direct (non-collection)
/// references, and so must be boxed for the struct to have a finite size.
pub fn boxed_references(spec: &Spec) -> BTreeSet<(String, String)> {
    let direct: BTreeMap<&str, Vec<(&str, &str)>> = spec
        .schemas
        .iter()
        .map(|(name, schema)| {
            let edges = schema
                .properties
                .iter()
                .filter_map(|p| match &p.ty {
                    TypeExpr::Ref(target) => Some((p.name.as_str(), target.as_str())),
                    _ => None,
                })
                .collect();
            (name.as_str(), edges)
        })
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node)
                && let Some(edges) = direct.get(node)
            {
                stack.extend(edges.iter().map(|(_, target)| *target));
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for (schema, edges) in &direct {
        for (property, target) in edges {
            if reaches(target, schema) {
                out.insert(((*schema).to_owned(), (*property).to_owned()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;
    use crate::spec::NumberFormat;

    fn string() -> TypeExpr {
        TypeExpr::String {
            format: StringFormat::Plain,
            values: vec![],
        }
    }

    fn property(name: &str, ty: TypeExpr) -> Property {
        Property {
            name: name.to_owned(),
            description: None,
            ty,
            nullable: true,
            enum_from: None,
        }
    }

    #[test]
    fn scalar_and_container_types_map() {
        let cases = [
            (TypeExpr::Integer(IntFormat::Int32), "i32"),
            (TypeExpr::Integer(IntFormat::Int64), "i64"),
            (TypeExpr::Number(NumberFormat::Double), "f64"),
            (TypeExpr::Number(NumberFormat::Float), "f64"),
            (TypeExpr::Boolean, "bool"),
            (string(), "String"),
            (
                TypeExpr::String {
                    format: StringFormat::Uuid,
                    values: vec![],
                },
                "String",
            ),
            (TypeExpr::Ref("Ticket".into()), "Ticket"),
            (
                TypeExpr::Array(Box::new(TypeExpr::Integer(IntFormat::Int32))),
                "Vec<i32>",
            ),
            (
                TypeExpr::Array(Box::new(TypeExpr::Any)),
                "Vec<serde_json::Value>",
            ),
            (
                TypeExpr::Array(Box::new(TypeExpr::Array(Box::new(TypeExpr::Any)))),
                "Vec<Vec<serde_json::Value>>",
            ),
            (
                TypeExpr::Map(Box::new(TypeExpr::Any)),
                "serde_json::Map<String, serde_json::Value>",
            ),
            (
                TypeExpr::Map(Box::new(TypeExpr::Ref("Column".into()))),
                "std::collections::BTreeMap<String, Column>",
            ),
            (
                TypeExpr::Map(Box::new(string())),
                "std::collections::BTreeMap<String, String>",
            ),
            (TypeExpr::Any, "serde_json::Value"),
        ];
        for (ty, expected) in cases {
            assert_eq!(
                map_type(&ty).expect("supported").render(),
                expected,
                "{ty:?}"
            );
        }
        assert!(map_type(&TypeExpr::Object(vec![])).is_err());
    }

    #[test]
    fn fields_get_special_treatment() {
        let enums = BTreeMap::from([(
            ("Ticket".to_owned(), "severity".to_owned()),
            "TicketSeverity".to_owned(),
        )]);
        let boxed = BTreeSet::from([("HttpMethod".to_owned(), "get".to_owned())]);
        let ctx = TypeContext {
            enums: &enums,
            boxed: &boxed,
        };
        let info = property("_info", TypeExpr::Map(Box::new(string())));
        assert_eq!(
            map_property("Ticket", &info, &ctx).expect("ok"),
            RustType::InfoMap
        );
        let other_map = property("labels", TypeExpr::Map(Box::new(string())));
        assert_eq!(
            map_property("Ticket", &other_map, &ctx)
                .expect("ok")
                .render(),
            "std::collections::BTreeMap<String, String>"
        );
        let severity = property("severity", string());
        assert_eq!(
            map_property("Ticket", &severity, &ctx).expect("ok"),
            RustType::Enum("TicketSeverity".into())
        );
        let when = property(
            "dateEntered",
            TypeExpr::String {
                format: StringFormat::DateTime,
                values: vec![],
            },
        );
        assert_eq!(
            map_property("Ticket", &when, &ctx).expect("ok").render(),
            "::time::OffsetDateTime"
        );
        let get = property("get", TypeExpr::Ref("HttpMethod".into()));
        assert_eq!(
            map_property("HttpMethod", &get, &ctx).expect("ok").render(),
            "Box<HttpMethod>"
        );
    }

    #[test]
    fn only_cycles_are_boxed() {
        let doc: Json = serde_json::from_str(
            r##"{"info": {"version": "1"}, "paths": {}, "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}, "c": {"$ref": "#/components/schemas/C"}}},
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "C": {"type": "object", "properties": {"list": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}},
                "S": {"type": "object", "properties": {"me": {"$ref": "#/components/schemas/S"}}}}}}"##,
        )
        .expect("valid JSON");
        let spec = Spec::from_json(&doc).expect("valid spec");
        let boxed: Vec<(String, String)> = boxed_references(&spec).into_iter().collect();
        assert_eq!(
            boxed,
            [
                ("A".to_owned(), "b".to_owned()),
                ("B".to_owned(), "a".to_owned()),
                ("S".to_owned(), "me".to_owned())
            ]
        );
    }
}
