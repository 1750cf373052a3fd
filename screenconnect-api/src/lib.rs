//! Typed client for ScreenConnect's RESTful API Manager extension.

pub mod command;
pub mod filter;
pub mod installer;
pub mod models;

pub use msp_common;
