//! Typed client for the ConnectWise Manage REST API v3.0.

pub use msp_common;

pub mod callbacks;
mod client;
mod codebase;
mod company_info;
mod config;
mod endpoint;
mod error;
mod impersonation;
mod list_query;
pub mod patch;
pub mod query;
mod request;
mod site;

pub use client::Client;
pub use codebase::{CodebaseMode, DEFAULT_CODEBASE};
pub use company_info::CompanyInfo;
pub use config::{ClientBuilder, DEFAULT_API_VERSION, ENV_VARS};
pub use endpoint::Endpoint;
pub use error::ManageErrorDecoder;
pub use impersonation::{LIFETIME_WITHOUT_EXPIRATION, RENEW_BEFORE_EXPIRY};
pub use list_query::{ListQuery, MAX_PAGE_SIZE, Paging};
pub use msp_common::{ApiError, ApiErrorKind, Error, FieldError, Page, RateLimit, RetryPolicy, SecretString};
pub use request::{ApiRequest, Credentials, accept_header, operation_name};
pub use site::Site;
