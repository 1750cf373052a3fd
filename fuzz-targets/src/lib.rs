//! The bodies of the fuzz targets in `fuzz/`, one function per target taking the raw input.
//!
//! Each function asserts properties that must hold for every input (it panics when one does
//! not), so the same functions serve two runners: cargo-fuzz (nightly, `fuzz/fuzz_targets/`)
//! and the ordinary test `tests/corpus_replay.rs`, which replays every checked-in corpus file
//! and crash artifact on stable in `cargo test --workspace`.
//!
//! ```
//! // A condition that renders and parses back to itself passes; nothing panics.
//! fuzz_targets::conditions(br#"board/name = "Help Desk" and id in (1, 2)"#);
//! assert!(fuzz_targets::TARGETS.iter().any(|(name, _)| *name == "conditions"));
//! ```

mod callbacks;
mod command_output;
mod link;
mod manage_models;
mod query;
mod screenconnect_models;

pub use callbacks::{callback_payload, callback_signature};
pub use command_output::sc_command_output;
pub use link::link_header;
pub use manage_models::{manage_company, manage_ticket, manage_ticket_page};
pub use query::{conditions, order_by_and_fields};
pub use screenconnect_models::{sc_session_details, sc_sessions};

/// A fuzz target: takes any bytes, panics only when a property fails.
pub type Target = fn(&[u8]);

/// Every target by the name of its `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("conditions", conditions),
    ("order_by_and_fields", order_by_and_fields),
    ("link_header", link_header),
    ("manage_ticket", manage_ticket),
    ("manage_company", manage_company),
    ("manage_ticket_page", manage_ticket_page),
    ("sc_sessions", sc_sessions),
    ("sc_session_details", sc_session_details),
    ("sc_command_output", sc_command_output),
    ("callback_payload", callback_payload),
    ("callback_signature", callback_signature),
];

/// Decodes `body` as `T` the way a client decodes a `200` response, and checks that a decoded
/// value is lossless: encoding it and decoding again gives the same value.
pub(crate) fn decode_round_trip<T>(operation: &str, body: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let operation = msp_common::Operation::safe(operation.to_owned(), "/fuzz");
    let status = msp_common::http::StatusCode::OK;
    let Ok(value) = msp_common::decode_body::<T>(&operation, status, body) else {
        return;
    };
    let encoded = serde_json::to_vec(&value).expect("a decoded model encodes");
    let again = msp_common::decode_body::<T>(&operation, status, &encoded)
        .unwrap_or_else(|error| panic!("re-encoded model does not decode: {error}"));
    assert_eq!(again, value, "the model changed through encode and decode");
}
