//! The operation index: one row per spec operation with the accessor that calls it, written as a
//! Markdown table (`operations.md`) that the crate shows as the docs of `api::operations` and
//! that a test checks against the spec, so no operation is skipped silently.

use crate::docs::code;

use super::render::takes_params;
use super::tree::{Node, Role, Step};

/// One row of the index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The spec path, as written.
    pub spec_path: String,
    /// The method, upper case.
    pub method: String,
    /// The operation id.
    pub operation_id: String,
    /// The path called.
    pub call_path: String,
    /// The accessor, e.g. `service().tickets().id(_).get`.
    pub accessor: String,
    /// `core` or the area feature.
    pub feature: String,
}

/// Collects the rows of every operation below the roots, sorted by spec path then method.
pub fn rows(roots: &[Node]) -> Vec<Row> {
    let mut out = Vec::new();
    for root in roots {
        collect(root, "", &mut out);
    }
    out.sort();
    out
}

fn collect(node: &Node, prefix: &str, out: &mut Vec<Row>) {
    let here = match &node.step {
        Step::Root(_) => format!("{}()", node.accessor),
        Step::Id(_) | Step::Named(..) => format!("{prefix}.{}(_)", node.accessor),
        Step::Static(_) => format!("{prefix}.{}()", node.accessor),
    };
    for placed in &node.ops {
        let op = &placed.op;
        let accessor = if op.body == super::operation::Body::Multipart {
            "not generated: `multipart/form-data` upload".to_owned()
        } else {
            let mut names = match placed.role {
                Role::List => vec!["list".to_owned(), "stream".to_owned(), "pages".to_owned()],
                role => vec![role.method().to_owned()],
            };
            if takes_params(placed) {
                names.push(format!("{}_with", placed.role.method()));
            }
            if placed.role == Role::Get
                && node.is_record()
                && matches!(op.reply, super::operation::Reply::Json(_))
            {
                names.push("get_opt".to_owned());
            }
            let methods: Vec<String> = names.iter().map(|n| format!("{here}.{n}")).collect();
            methods
                .iter()
                .map(|m| code(m))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(Row {
            spec_path: op.spec_path.clone(),
            method: op.method.to_string(),
            operation_id: op.id.clone(),
            call_path: op.call_path.clone(),
            accessor,
            feature: if op.core {
                "core".to_owned()
            } else {
                op.area.clone()
            },
        });
    }
    for child in &node.children {
        collect(child, &here, out);
    }
}

/// Renders the index as Markdown.
pub fn render(version: &str, rows: &[Row]) -> String {
    let mut out = format!(
        "Every operation of the ConnectWise Manage OpenAPI spec {version} and the accessor that \
         calls it, by spec path.\n\n\
         The accessors start at the client (`client.service()…`). `core` operations are always \
         compiled; the others need their area's cargo feature. The path column is the path \
         called, which differs from the spec's only where the errata repair a broken template.\n\n\
         | operationId | method | path | accessor | feature |\n|---|---|---|---|---|\n"
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            code(&row.operation_id),
            row.method,
            code(&row.call_path),
            row.accessor,
            row.feature
        ));
    }
    out
}

/// Parses a rendered index back into (operationId, method, path called) triples; used by tests.
pub fn parse(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|line| line.starts_with("| `"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let id = cells.first()?.trim_start_matches("| ").trim_matches('`');
            let method = cells.get(1)?;
            let path = cells.get(2)?.trim_matches('`');
            Some((id.to_owned(), (*method).to_owned(), path.to_owned()))
        })
        .collect()
}
