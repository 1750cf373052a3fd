//! Serde models of the RESTful API's responses: sessions, their machine facts, custom properties,
//! events and connections, plus the tolerant timestamp reader they share.
//!
//! The models accept what live servers, older servers and mocks actually send (enums as numbers or
//! names, "never" timestamps without a zone, either custom-property shape) and keep unknown fields
//! so data read from the server can be written back unchanged.

mod connection;
mod custom_properties;
mod details;
mod event;
mod event_type;
mod guest_info;
mod ids;
mod lenient;
mod open_enum;
mod process_type;
mod session;
mod session_type;
pub mod timestamp;

pub use connection::Connection;
pub use custom_properties::{CUSTOM_PROPERTY_COUNT, CustomProperties, CustomPropertyError};
pub use details::{EventRef, SessionDetails};
pub use event::{EventData, SessionEvent};
pub use event_type::EventType;
pub use guest_info::GuestInfo;
pub use ids::{ConnectionId, EventId, SessionId, SessionIdError};
pub use process_type::ProcessType;
pub use session::{OnlineStatus, Session};
pub use session_type::SessionType;
pub use timestamp::TimestampError;
