//! Runnable recipes for the MSP automation clients, and the embedded sandbox they run against
//! when no credentials are set.

pub mod cli;
pub mod error;
pub mod recipes;
pub mod sandbox;
pub mod target;

pub use error::Error;
