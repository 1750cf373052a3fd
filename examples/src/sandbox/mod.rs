//! Embedded sandboxes: in-process fake servers on `127.0.0.1` that behave like the real APIs for
//! what the recipes use, seeded with a small sample MSP. Recipes run against them whenever no
//! credentials are set, and the tests run every recipe against them.
//!
//! - [`ManageSandbox`]: ConnectWise Manage.
//!
//! ScreenConnect recipes run on `screenconnect_api::sandbox::Sandbox` (the `msp-sandbox`
//! server), which [`crate::target::ScreenConnectTarget`] starts.
//!
//! Both clients accept plain `http` only on loopback, which is where the sandboxes listen.

mod clock;
pub mod manage;

pub use manage::ManageSandbox;
