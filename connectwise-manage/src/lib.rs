//! Typed client for the ConnectWise Manage REST API v3.0.

pub use msp_common;

pub mod callbacks;
pub mod patch;
pub mod query;
