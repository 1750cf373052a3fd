//! ScreenConnect response bodies decoded into the typed models.

use screenconnect_api::models::{Session, SessionDetails};

use crate::decode_round_trip;

/// A `GetSessionsByFilter` / `GetSessionsByName` body.
pub fn sc_sessions(data: &[u8]) {
    decode_round_trip::<Vec<Session>>("GetSessionsByFilter", data);
}

/// A `GetSessionDetailsBySessionID` body (events, connections, the command results' events).
pub fn sc_session_details(data: &[u8]) {
    decode_round_trip::<SessionDetails>("GetSessionDetailsBySessionID", data);
}
