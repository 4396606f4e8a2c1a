//! CTE Hub: one shared, trustworthy source of California Career Technical
//! Education data, served as GraphQL.
//!
//! Data flows HTTP handler ([`http`]) → GraphQL resolver ([`catalog`], thin) →
//! store function (SQL, batched by loaders) → entity. Errors are one type
//! ([`error::ApiError`]) mapped once to GraphQL error codes.

pub mod auth;
pub mod catalog;
pub mod changes;
pub mod cli;
pub mod codes;
pub mod config;
pub mod db;
pub mod error;
pub mod export;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod import;
pub mod paging;
pub mod ratelimit;
pub mod schema;
pub mod seed;
pub mod shared_store;
pub mod startup;
pub mod telemetry;
pub mod vocabulary;
