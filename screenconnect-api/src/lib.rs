//! Typed client for ScreenConnect's RESTful API Manager extension.

pub use msp_common;
