//! CTE Hub: one shared, trustworthy source of California Career Technical
//! Education data, served as GraphQL.
//!
//! The modules, from the edge inwards (docs/architecture.md has the map):
//!
//! - edge: [`http`] (router, GraphQL-over-HTTP handler, OAuth, imports), [`cli`],
//!   [`startup`], [`telemetry`], [`ratelimit`] and [`shared_store`];
//! - who is calling: [`auth`];
//! - GraphQL: [`graphql`] (schema assembly, limits and cost, connections, IDs) and the
//!   domain areas in [`catalog`] (types, thin resolvers, loaders, `store.rs` SQL);
//! - the write path: [`changes`] (the one way partner-owned records change);
//! - files: [`import`], [`export`], [`seed`];
//! - storage and shared ground: [`db`], [`resolve`] (the one code-to-id rule), [`codes`],
//!   [`config`], [`error`], and the `entity` and `migration` crates.
//!
//! A request flows HTTP handler → GraphQL resolver (thin) → store function (SQL, batched by
//! loaders) → entity; a write goes resolver → [`changes::Writer`] → entity. Errors are one
//! type ([`error::ApiError`]) mapped once to GraphQL error codes.
//!
//! Not every dependency points inwards yet (issue 14): [`graphql`] and [`catalog`] name each
//! other (the schema is assembled from the areas), [`changes`] names [`catalog`] (the search
//! index), [`graphql`] (global IDs) and [`auth`] (the scope rule), [`import`] and [`seed`]
//! name [`catalog`] (its enums), [`graphql`] and [`ratelimit`] name [`http`] (the client
//! key), and [`import`] and [`export`] name each other (one column layout).

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
pub mod import;
pub mod ratelimit;
pub mod resolve;
pub mod seed;
pub mod shared_store;
pub mod startup;
pub mod telemetry;
