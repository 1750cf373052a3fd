//! Typed client for ScreenConnect's RESTful API Manager extension.

mod call;
mod client;
pub mod command;
mod config;
pub mod error;
pub mod filter;
pub mod installer;
pub mod methods;
pub mod models;
mod one_or_many;
mod request;
pub mod run_command;
mod sessions;

pub use msp_common;

pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use config::{
    Config, DEFAULT_EXTENSION_ID, ENV_EXTENSION_ID, ENV_INSTANCE, ENV_ORIGIN, ENV_SECRET,
    OriginHeader, ReadArgs,
};
pub use error::{ScreenConnectClassifier, ScreenConnectErrorDecoder};
pub use methods::NewSession;
pub use msp_common::{
    ApiError, ApiErrorKind, ConfigError, Error, ExposeSecret, Idempotency, RateLimit,
    ReqwestConfig, RetryPolicy, SecretString,
};
pub use request::{AUTH_HEADER, build_request};
pub use run_command::{CommandRun, CommandSent, RunCommandError, RunOptions};
