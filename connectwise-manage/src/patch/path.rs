//! Validated ConnectWise patch paths.
//!
//! ConnectWise accepts paths in two spellings: bare (`summary`, `communicationItems/1/value`) and
//! JSON-Pointer style with a leading slash (`/summary`). [`PatchPath`] accepts both and always
//! sends the bare form, which is what most clients send and what the Developer Guide's own
//! examples use.

use std::fmt;
use std::str::FromStr;

use super::PatchError;

/// The path of the record's custom field array.
pub(crate) const CUSTOM_FIELDS: &str = "customFields";

/// Last segments that identify a reference object (`{"id": ..}`, `{"identifier": ..}`,
/// `{"name": ..}`).
const REFERENCE_KEYS: [&str; 3] = ["id", "identifier", "name"];

/// A validated, normalised ConnectWise patch path such as `summary` or
/// `communicationItems/1/value`.
///
/// # Accepted form
///
/// * An optional single leading `/` is removed; the bare form is what is sent.
/// * The rest is one or more segments separated by `/`. Each segment is either a field name made
///   of ASCII letters, digits and `_` (every property name in the ConnectWise schema has that
///   form), an array index made of digits, or `-` (the end of an array, for `add`).
/// * Paths are case-sensitive, like ConnectWise's.
///
/// # Refused paths
///
/// * **Inside a reference object.** A path of two or more segments whose last segment is `id`,
///   `identifier` or `name` (compared ignoring ASCII case) and whose previous segment is a field
///   name rather than an array index — for example `status/id`, `company/identifier`,
///   `board/name` or `communicationItems/0/type/id`. ConnectWise warns that such paths can be
///   answered with `200 OK` without the change being made; replace the whole object instead
///   (`status` with `{"id": 5}`), see [`Patch::replace_reference`](super::Patch::replace_reference).
///   Paths like `name` (a top-level field) or `customFields/0/id` (a field of an array element)
///   are not reference sub-paths.
/// * **Inside `customFields`.** Any path that starts with `customFields/`. ConnectWise only
///   accepts a replacement of the whole array; see
///   [`Patch::set_custom_field`](super::Patch::set_custom_field).
///
/// ```
/// use connectwise_manage::patch::PatchPath;
///
/// assert_eq!(PatchPath::parse("/communicationItems/1/value")?.as_str(), "communicationItems/1/value");
/// assert!(PatchPath::parse("status/id").is_err());
/// # Ok::<(), connectwise_manage::patch::PatchError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct PatchPath(String);

impl PatchPath {
    /// Parses and normalises a path, applying the rules described on [`PatchPath`].
    pub fn parse(path: &str) -> Result<Self, PatchError> {
        let invalid = |reason| PatchError::InvalidPath {
            path: path.to_owned(),
            reason,
        };
        let bare = path.strip_prefix('/').unwrap_or(path);
        if bare.is_empty() {
            return Err(invalid("the path is empty"));
        }
        let segments: Vec<&str> = bare.split('/').collect();
        for segment in &segments {
            check_segment(segment).map_err(invalid)?;
        }
        if segments.len() > 1 && segments[0] == CUSTOM_FIELDS {
            return Err(PatchError::CustomFieldSubPath {
                path: path.to_owned(),
            });
        }
        if let [.., parent, last] = segments.as_slice() {
            let last_is_reference_key = REFERENCE_KEYS
                .iter()
                .any(|key| last.eq_ignore_ascii_case(key));
            if last_is_reference_key && !is_array_position(parent) {
                let reference = bare[..bare.len() - last.len() - 1].to_owned();
                return Err(PatchError::ReferenceSubPath {
                    path: path.to_owned(),
                    reference,
                });
            }
        }
        Ok(Self(bare.to_owned()))
    }

    /// Builds a path from a constant known to satisfy the rules (checked by a unit test).
    pub(crate) fn trusted(path: &'static str) -> Self {
        Self(path.to_owned())
    }

    /// The path in the bare form that is sent to ConnectWise (no leading `/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path's segments, in order.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

/// Checks one segment; the error is the reason used in [`PatchError::InvalidPath`].
fn check_segment(segment: &str) -> Result<(), &'static str> {
    if segment.is_empty() {
        return Err("it has an empty segment (a doubled, leading or trailing `/`)");
    }
    if segment == "-" {
        return Ok(());
    }
    if segment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        Ok(())
    } else {
        Err("segments may only hold ASCII letters, digits and `_` (or be `-`)")
    }
}

/// Whether a segment addresses an array element rather than a named field.
fn is_array_position(segment: &str) -> bool {
    segment == "-" || segment.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for PatchPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for PatchPath {
    type Err = PatchError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for PatchPath {
    type Error = PatchError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(path: &str) -> String {
        match PatchPath::parse(path) {
            Ok(p) => p.as_str().to_owned(),
            Err(e) => panic!("{path} should be accepted: {e}"),
        }
    }

    #[test]
    fn bare_and_slash_forms_normalise_to_bare() {
        assert_eq!(ok("summary"), "summary");
        assert_eq!(ok("/summary"), "summary");
        assert_eq!(
            ok("/communicationItems/1/value"),
            "communicationItems/1/value"
        );
        assert_eq!(ok("communicationItems/-"), "communicationItems/-");
        assert_eq!(ok("_info"), "_info");
    }

    #[test]
    fn top_level_name_and_element_ids_are_not_reference_sub_paths() {
        assert_eq!(ok("name"), "name");
        assert_eq!(ok("id"), "id");
        assert_eq!(ok("communicationItems/0/id"), "communicationItems/0/id");
        assert_eq!(ok("types/-/name"), "types/-/name");
    }

    #[test]
    fn reference_sub_paths_are_refused_with_the_object_path() {
        for (path, reference) in [
            ("status/id", "status"),
            ("/company/identifier", "company"),
            ("board/name", "board"),
            ("status/ID", "status"),
            ("communicationItems/0/type/id", "communicationItems/0/type"),
        ] {
            match PatchPath::parse(path) {
                Err(PatchError::ReferenceSubPath {
                    path: p,
                    reference: r,
                }) => {
                    assert_eq!(p, path);
                    assert_eq!(r, reference);
                }
                other => panic!("{path}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn custom_field_sub_paths_are_refused() {
        for path in ["customFields/0/value", "/customFields/3", "customFields/-"] {
            assert!(
                matches!(
                    PatchPath::parse(path),
                    Err(PatchError::CustomFieldSubPath { .. })
                ),
                "{path}"
            );
        }
        assert_eq!(ok("/customFields"), "customFields");
    }

    #[test]
    fn malformed_paths_are_refused() {
        for path in [
            "",
            "/",
            "//summary",
            "summary/",
            "a//b",
            "sum mary",
            "status.id",
            "~1x",
        ] {
            assert!(
                matches!(PatchPath::parse(path), Err(PatchError::InvalidPath { .. })),
                "{path:?}"
            );
        }
    }

    #[test]
    fn segments_iterate_in_order() {
        let path = PatchPath::parse("/communicationItems/1/value").expect("valid path");
        let segments: Vec<&str> = path.segments().collect();
        assert_eq!(segments, ["communicationItems", "1", "value"]);
        assert_eq!(path.to_string(), "communicationItems/1/value");
    }
}
