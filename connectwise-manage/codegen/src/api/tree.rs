//! The tree of accessor handles: one node per resource path, so that code reads like the API's
//! own paths (`service().tickets().id(5).notes()`).
//!
//! Rules:
//!
//! - `{id}`, `{parentId}` and `{grandparentId}` at the same position are one node, "one record",
//!   reached with `id(…)`. Other path parameters (`{memberIdentifier}`) are nodes of their own,
//!   reached with `by_member_identifier(…)`.
//! - Sibling segments that differ only in letter case (`SLAs` and `slas`) are one node: routing
//!   ignores case. The spelling with the most lower-to-upper case changes names it (`entityTypes`
//!   over `entitytypes`), then the byte-wise greatest (`slas` over `SLAs`); every operation is
//!   still called with its own spelling.
//! - `GET …/count` answering `{"count": N}` becomes `count()` on the parent, and `POST …/search`
//!   answering a list becomes `search()` on the parent. A `count` or `search` node left with
//!   other operations or children stays a node.
//! - A child whose accessor would be named like a method (`list`, `count`, `patch`, …), like a
//!   parameter accessor (`by_…`) or like a keyword (`type`) gets the suffix `_node`:
//!   `usages().list_node()`, `monitoring().type_node()`.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::naming::{field_ident, is_keyword, pascal_case, snake_case};
use crate::spec::Method;

use super::operation::{ApiOperation, ParamType, Reply, Segment};

/// Names of the methods a handle can have; a child accessor never takes one of them.
pub const METHOD_NAMES: [&str; 19] = [
    "count",
    "create",
    "create_with",
    "delete",
    "delete_with",
    "get",
    "get_opt",
    "get_with",
    "id",
    "list",
    "pages",
    "patch",
    "patch_with",
    "post",
    "post_with",
    "search",
    "stream",
    "update",
    "update_with",
];

/// Methods `Client` has by hand; an area root named like one gets the suffix `_area`.
pub const CLIENT_METHODS: [&str; 15] = [
    "api_version",
    "base_url",
    "builder",
    "call",
    "codebase",
    "company_id",
    "company_info",
    "endpoint",
    "execute",
    "from_env",
    "get_json",
    "impersonate",
    "paginate",
    "shared",
    "site",
];

/// How a node is reached from its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An area root, reached from the client.
    Root(String),
    /// A literal segment.
    Static(String),
    /// A record id.
    Id(ParamType),
    /// Another path parameter.
    Named(String, ParamType),
}

/// What an operation is to its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `GET` of a list: `list`.
    List,
    /// `GET …/count`: `count`.
    Count,
    /// `POST …/search`: `search`.
    Search,
    /// `POST` on a collection: `create`.
    Create,
    /// `GET` of one object or file: `get`.
    Get,
    /// `PUT`: `update`.
    Update,
    /// `PATCH`: `patch`.
    Patch,
    /// `DELETE`: `delete`.
    Delete,
    /// Any other `POST` (actions such as `copy`): `post`.
    Post,
}

impl Role {
    /// The base method name.
    pub fn method(self) -> &'static str {
        match self {
            Role::List => "list",
            Role::Count => "count",
            Role::Search => "search",
            Role::Create => "create",
            Role::Get => "get",
            Role::Update => "update",
            Role::Patch => "patch",
            Role::Delete => "delete",
            Role::Post => "post",
        }
    }
}

/// Where an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gate {
    /// Always: part of the typed core.
    Core,
    /// With this area feature.
    Area(String),
}

/// An operation placed on a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The operation.
    pub op: ApiOperation,
    /// What it is to the node.
    pub role: Role,
}

/// One handle type.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// How the parent reaches it.
    pub step: Step,
    /// The handle type's name.
    pub type_name: String,
    /// The accessor's name on the parent (on `Client` for roots).
    pub accessor: String,
    /// The resource path, e.g. `/service/tickets/{id}/notes`.
    pub resource: String,
    /// Other spellings of its last segment, merged into it.
    pub other_spellings: Vec<String>,
    /// The area feature.
    pub area: String,
    /// Its operations, by role then id.
    pub ops: Vec<Placed>,
    /// Its children, by accessor name.
    pub children: Vec<Node>,
    /// Where it is compiled.
    pub gate: Gate,
}

impl Node {
    /// This node and every node below it, depth first, parents before children.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }

    /// Whether the last path element is a parameter (the node is one record).
    pub fn is_record(&self) -> bool {
        matches!(self.step, Step::Id(_) | Step::Named(..))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Static(String),
    Id,
    Named(String),
}

#[derive(Debug, Default)]
struct Builder {
    spellings: BTreeSet<String>,
    param_types: BTreeSet<ParamType>,
    ops: Vec<(ApiOperation, Option<Role>)>,
    children: BTreeMap<Key, Builder>,
}

/// Builds the tree: one root per first path segment, in name order.
pub fn build(operations: Vec<ApiOperation>) -> Result<Vec<Node>, Error> {
    let mut top: BTreeMap<Key, Builder> = BTreeMap::new();
    for op in operations {
        let segments = op.resource.clone();
        insert(&mut top, &segments, op)?;
    }
    for builder in top.values_mut() {
        consume(builder);
    }
    let mut roots = Vec::new();
    for (key, builder) in top {
        let Key::Static(_) = key else {
            return Err(Error::Naming("a path starts with a parameter".into()));
        };
        let spelling = choose_spelling(&builder.spellings)?;
        let accessor = if CLIENT_METHODS.contains(&snake_case(&spelling).as_str()) {
            format!("{}_area", snake_case(&spelling))
        } else {
            field_ident(&spelling)
        };
        let resource = format!("/{spelling}");
        // Each root is its own module (`api::service`), so names below it leave the root out:
        // `api::service::TicketsById`, not `ServiceTicketsById`.
        roots.push(finish(
            builder,
            Step::Root(spelling.clone()),
            "Area".to_owned(),
            "",
            accessor,
            resource,
        )?);
    }
    for root in &roots {
        let mut names = BTreeSet::new();
        for node in root.walk() {
            if !names.insert(node.type_name.clone()) {
                return Err(Error::Naming(format!(
                    "two handles under `{}` are named `{}`",
                    root.resource, node.type_name
                )));
            }
        }
    }
    Ok(roots)
}

/// Files an operation under the node its resource path names, creating nodes on the way.
fn insert(
    level: &mut BTreeMap<Key, Builder>,
    segments: &[Segment],
    op: ApiOperation,
) -> Result<(), Error> {
    let Some((segment, rest)) = segments.split_first() else {
        return Err(Error::spec(&op.spec_path, "empty path"));
    };
    let (key, spelling, ty) = match segment {
        Segment::Static(text) => (Key::Static(text.to_ascii_lowercase()), Some(text), None),
        Segment::Id(ty) => (Key::Id, None, Some(ty)),
        Segment::Named(name, ty) => (Key::Named(name.clone()), None, Some(ty)),
    };
    let entry = level.entry(key).or_default();
    if let Some(spelling) = spelling {
        entry.spellings.insert(spelling.clone());
    }
    if let Some(ty) = ty {
        entry.param_types.insert(ty.clone());
    }
    if rest.is_empty() {
        entry.ops.push((op, None));
        Ok(())
    } else {
        insert(&mut entry.children, rest, op)
    }
}

/// Moves `GET …/count` and `POST …/search` onto the parent, then prunes empty nodes.
fn consume(builder: &mut Builder) {
    let mut moved = Vec::new();
    for (key, child) in &mut builder.children {
        let role = match key {
            Key::Static(name) if name == "count" => Role::Count,
            Key::Static(name) if name == "search" => Role::Search,
            _ => continue,
        };
        let (take, keep): (Vec<_>, Vec<_>) = child.ops.drain(..).partition(|(op, _)| match role {
            Role::Count => op.method == Method::Get && op.reply == Reply::Count,
            _ => op.method == Method::Post && op.reply.records().is_some(),
        });
        child.ops = keep;
        moved.extend(take.into_iter().map(|(op, _)| (op, Some(role))));
    }
    builder.ops.extend(moved);
    for child in builder.children.values_mut() {
        consume(child);
    }
    builder
        .children
        .retain(|_, child| !child.ops.is_empty() || !child.children.is_empty());
}

/// The spelling that names a merged node.
fn choose_spelling(spellings: &BTreeSet<String>) -> Result<String, Error> {
    let camel_changes = |s: &str| {
        s.as_bytes()
            .windows(2)
            .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
            .count()
    };
    spellings
        .iter()
        .max_by(|a, b| {
            camel_changes(a)
                .cmp(&camel_changes(b))
                .then_with(|| a.as_bytes().cmp(b.as_bytes()))
        })
        .cloned()
        .ok_or_else(|| Error::Naming("a static node without a spelling".into()))
}

fn finish(
    builder: Builder,
    step: Step,
    type_name: String,
    base: &str,
    accessor: String,
    resource: String,
) -> Result<Node, Error> {
    let is_collection = builder.ops.iter().any(|(op, role)| {
        role.is_none() && op.method == Method::Get && op.reply.records().is_some()
    });
    let mut ops = Vec::new();
    let mut area = None;
    for (op, role) in builder.ops {
        let role = role.unwrap_or(match op.method {
            Method::Get if op.reply.records().is_some() => Role::List,
            Method::Get => Role::Get,
            Method::Post if is_collection => Role::Create,
            Method::Post => Role::Post,
            Method::Put => Role::Update,
            Method::Patch => Role::Patch,
            Method::Delete => Role::Delete,
        });
        area = Some(op.area.clone());
        ops.push(Placed { op, role });
    }
    ops.sort_by(|a, b| (a.role, &a.op.id).cmp(&(b.role, &b.op.id)));

    let mut children = Vec::new();
    for (key, child) in builder.children {
        let (child_step, child_base, child_accessor, child_resource) = match &key {
            Key::Static(_) => {
                let spelling = choose_spelling(&child.spellings)?;
                let snake = snake_case(&spelling);
                let accessor = if METHOD_NAMES.contains(&snake.as_str())
                    || snake.starts_with("by_")
                    || is_keyword(&snake)
                    || snake == "self"
                {
                    format!("{snake}_node")
                } else {
                    snake
                };
                (
                    Step::Static(spelling.clone()),
                    format!("{base}{}", pascal_case(&spelling)),
                    accessor,
                    format!("{resource}/{spelling}"),
                )
            }
            Key::Id => (
                Step::Id(single_type(&child.param_types, &resource)?),
                format!("{base}ById"),
                "id".to_owned(),
                format!("{resource}/{{id}}"),
            ),
            Key::Named(name) => (
                Step::Named(name.clone(), single_type(&child.param_types, &resource)?),
                format!("{base}By{}", pascal_case(name)),
                format!("by_{}", snake_case(name)),
                format!("{resource}/{{{name}}}"),
            ),
        };
        let other_spellings = match &child_step {
            Step::Static(chosen) => child
                .spellings
                .iter()
                .filter(|s| *s != chosen)
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        let mut node = finish(
            child,
            child_step,
            child_base.clone(),
            &child_base,
            child_accessor,
            child_resource,
        )?;
        node.other_spellings = other_spellings;
        if area.is_none() {
            area = Some(node.area.clone());
        }
        children.push(node);
    }
    children.sort_by(|a, b| a.accessor.cmp(&b.accessor));

    let area = area.ok_or_else(|| Error::Naming(format!("`{resource}` has no operations")))?;
    let gate = if ops.iter().any(|p| p.op.core) || children.iter().any(|c| c.gate == Gate::Core) {
        Gate::Core
    } else {
        Gate::Area(area.clone())
    };
    let node = Node {
        step,
        type_name,
        accessor,
        resource,
        other_spellings: Vec::new(),
        area,
        ops,
        children,
        gate,
    };
    check_names(&node)?;
    Ok(node)
}

fn single_type(types: &BTreeSet<ParamType>, parent: &str) -> Result<ParamType, Error> {
    match types.iter().collect::<Vec<_>>().as_slice() {
        [single] => Ok((*single).clone()),
        _ => Err(Error::Naming(format!(
            "the parameter below `{parent}` has several types"
        ))),
    }
}

/// The method names a node's operations produce.
pub fn method_names(placed: &Placed, is_record: bool) -> Vec<String> {
    let base = placed.role.method();
    let mut names = vec![base.to_owned()];
    let takes_params = !matches!(placed.role, Role::List | Role::Count | Role::Search)
        && !placed.op.query.is_empty();
    if takes_params {
        names.push(format!("{base}_with"));
    }
    if placed.role == Role::Get && is_record && has_json_reply(placed) {
        names.push("get_opt".to_owned());
    }
    names
}

fn has_json_reply(placed: &Placed) -> bool {
    matches!(placed.op.reply, Reply::Json(_))
}

fn check_names(node: &Node) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    let is_record = node.is_record();
    let names = node
        .ops
        .iter()
        .filter(|p| p.op.body != super::operation::Body::Multipart)
        .flat_map(|p| method_names(p, is_record))
        .chain(node.children.iter().map(|c| c.accessor.clone()));
    for name in names {
        if !seen.insert(name.clone()) {
            return Err(Error::Naming(format!(
                "`{}` would have two items named `{name}`",
                node.resource
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_and_lower_case_spellings_win() {
        let set = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            choose_spelling(&set(&["entitytypes", "entityTypes"])).expect("one"),
            "entityTypes"
        );
        assert_eq!(
            choose_spelling(&set(&["SLAs", "slas"])).expect("one"),
            "slas"
        );
        assert_eq!(
            choose_spelling(&set(&["Info", "info"])).expect("one"),
            "info"
        );
    }
}
