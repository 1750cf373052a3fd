//! Generator of the typed accessors in `connectwise-manage/src/api/generated/`.
//!
//! Stages, one module each: [`operation`] classifies every spec operation with the errata
//! applied, [`tree`] arranges them into handles that follow the API's paths, [`render`] writes
//! one file per area root (laid out by [`layout`] as rustfmt would), and [`coverage`] writes the
//! operation index. [`core_paths`] lists the operations compiled without any feature.
//!
//! Every operation of the spec ends up either as an accessor or, for the one `multipart/form-data`
//! upload, as an index row saying it is not generated; the generator fails rather than drop one.

pub mod core_paths;
pub mod coverage;
pub mod layout;
pub mod operation;
pub mod render;
pub mod tree;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::areas::schema_placements;
use crate::errata::Errata;
use crate::error::Error;
use crate::spec::{Method, Spec};

/// The name of the operation index file.
pub const INDEX_FILE: &str = "operations.md";

/// Generates every file of `api/generated/`, keyed by file name relative to that directory.
pub fn generate(spec: &Spec, errata: &Errata) -> Result<BTreeMap<PathBuf, String>, Error> {
    errata.validate(spec)?;
    let operations = operation::classify_all(spec, errata)?;
    for op in &operations {
        check_traced_name(op)?;
    }
    let total = operations.len();
    let roots = tree::build(operations)?;
    let placements = schema_placements(spec, errata)?;
    let ctx = render::Context {
        placements: &placements,
    };

    let mut files = BTreeMap::new();
    let mut rendered = Vec::new();
    for root in &roots {
        let file = render::render_root(root, &ctx)?;
        files.insert(render::file_name(&file.module), file.text.clone());
        rendered.push(file);
    }
    files.insert(
        PathBuf::from("mod.rs"),
        render::render_mod(&spec.version, &rendered),
    );

    let rows = coverage::rows(&roots);
    if rows.len() != total {
        return Err(Error::Naming(format!(
            "the index has {} rows for {total} operations",
            rows.len()
        )));
    }
    files.insert(
        PathBuf::from(INDEX_FILE),
        coverage::render(&spec.version, &rows),
    );
    Ok(files)
}

/// The operation name `Endpoint` derives from a method and route, as
/// `connectwise_manage::operation_name` computes it: `GET /service/tickets/{parentId}/notes` is
/// `getServiceTicketsByParentIdNotes`.
pub fn derived_name(method: Method, route: &str) -> String {
    let mut name = method.as_str().to_owned();
    for segment in route.split('/').filter(|s| !s.is_empty()) {
        let (prefix, word) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(parameter) => ("By", parameter),
            None => ("", segment),
        };
        name.push_str(prefix);
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name
}

/// List operations go through `Endpoint`, which names them from their route: the name must be
/// the spec's `operationId`. Every other operation passes its id explicitly.
fn check_traced_name(op: &operation::ApiOperation) -> Result<(), Error> {
    let is_list = op.method == Method::Get && op.reply.records().is_some();
    if is_list && derived_name(op.method, &op.call_path) != op.id {
        return Err(Error::Naming(format!(
            "GET {}: the paging layer would trace it as `{}`, not its operationId `{}`",
            op.call_path,
            derived_name(op.method, &op.call_path),
            op.id
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_follow_the_client() {
        assert_eq!(
            derived_name(Method::Get, "/service/tickets/{parentId}/notes"),
            "getServiceTicketsByParentIdNotes"
        );
        assert_eq!(
            derived_name(Method::Get, "/finance/agreementrecap/"),
            "getFinanceAgreementrecap"
        );
        assert_eq!(
            derived_name(Method::Post, "/finance/agreements/types/{id}/copy"),
            "postFinanceAgreementsTypesByIdCopy"
        );
    }
}
