//! Errors raised while building a ConnectWise JSON Patch.

/// Why a patch could not be built.
///
/// Every variant names the offending path or caption so the caller can fix the input; none of
/// them carries a field value, so they are safe to log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PatchError {
    /// The path is not a well-formed ConnectWise patch path.
    #[error("invalid patch path `{path}`: {reason}")]
    InvalidPath {
        /// The path as the caller gave it.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The path points inside a reference object (for example `status/id`).
    ///
    /// ConnectWise documents that such paths may be answered with `200 OK` while nothing changes,
    /// so the builder refuses them.
    #[error(
        "patch path `{path}` edits a field inside the reference object `{reference}`; \
         ConnectWise may answer 200 without applying it, so replace the whole object instead \
         (path `{reference}` with a value such as {{\"id\": 5}})"
    )]
    ReferenceSubPath {
        /// The refused path.
        path: String,
        /// The path of the reference object that has to be replaced as a whole.
        reference: String,
    },

    /// The path points inside the `customFields` array (for example `customFields/0/value`).
    ///
    /// ConnectWise only accepts a replacement of the entire array.
    #[error(
        "patch path `{path}` edits part of `customFields`; ConnectWise only accepts a replace of \
         the whole `customFields` array (use `Patch::replace_custom_fields` or \
         `Patch::set_custom_field`)"
    )]
    CustomFieldSubPath {
        /// The refused path.
        path: String,
    },

    /// The value for an operation could not be turned into JSON.
    #[error("the value for patch path `{path}` could not be serialised to JSON: {source}")]
    Serialize {
        /// Path of the operation whose value failed.
        path: String,
        /// The serialiser's error.
        #[source]
        source: serde_json::Error,
    },

    /// The value given for `customFields` did not serialise to a JSON array.
    #[error("the value for `customFields` must serialise to a JSON array, but it was {found}")]
    CustomFieldsNotArray {
        /// The JSON kind it serialised to (`"an object"`, `"null"`, ...).
        found: &'static str,
    },

    /// The fetched record has no usable `customFields` array.
    #[error("the record has no `customFields` array: {reason}")]
    MissingCustomFields {
        /// Why no array was found (not an object, key absent, wrong type).
        reason: &'static str,
    },

    /// No custom field carries the requested caption.
    #[error(
        "no custom field has the caption {caption:?} (captions match exactly, case-sensitive); \
         available captions: {}",
        format_captions(available)
    )]
    CaptionNotFound {
        /// The caption that was looked for.
        caption: String,
        /// The captions present on the record, in the record's order.
        available: Vec<String>,
    },

    /// More than one custom field carries the requested caption.
    #[error(
        "{count} custom fields have the caption {caption:?} (ids: {}); refusing to guess which \
         one to change",
        format_ids(ids)
    )]
    AmbiguousCaption {
        /// The caption that was looked for.
        caption: String,
        /// How many elements matched.
        count: usize,
        /// The `id` of each matching element, where it has a numeric one.
        ids: Vec<i32>,
    },
}

fn format_captions(captions: &[String]) -> String {
    if captions.is_empty() {
        return "none".to_owned();
    }
    captions
        .iter()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn format_ids(ids: &[i32]) -> String {
    if ids.is_empty() {
        return "none".to_owned();
    }
    ids.iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lets `?` turn a PatchError into the crate's one error type, as an
/// [`Error::Build`](msp_common::Error::Build): nothing was sent.
impl From<PatchError> for msp_common::Error {
    fn from(error: PatchError) -> Self {
        msp_common::Error::Build {
            operation: "patch".to_owned(),
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }
}
