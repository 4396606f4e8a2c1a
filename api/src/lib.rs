//! CTE Hub: one shared, trustworthy source of California Career Technical
//! Education data, served as GraphQL.
//!
//! The modules, from the edge inwards (docs/architecture.md has the map; `tests/layers.rs`
//! fails when a lower layer names a higher one, when areas lean on each other in a circle,
//! or when SQL runs outside the store layer):
//!
//! - edge: [`http`] (router, extractors, GraphQL-over-HTTP handler, OAuth, imports), [`cli`],
//!   [`startup`];
//! - the schema: [`schema`] (root types assembled from the catalogue areas);
//! - GraphQL: [`graphql`] (limits and cost, nested loaders, provenance, reference snapshot)
//!   and the domain areas in [`catalog`] (types, thin resolvers, loaders);
//! - store and write path: each area's `store.rs` and pure rules, [`changes`] (the one way
//!   partner-owned records change), [`auth`], [`import`], [`export`], [`seed`], [`resolve`]
//!   (the one code-to-id rule), [`ratelimit`], [`shared_store`];
//! - foundation: [`db`], [`ids`] (record kinds, global IDs), [`paging`] (keyset pages,
//!   cursors), [`vocabulary`] (the closed lists of values), [`fields`] (what a record kind's
//!   columns are; each area states its kinds in `catalog/<area>/fields.rs`), [`codes`],
//!   [`config`], [`error`],
//!   [`telemetry`], and the `entity` and `migration` crates.
//!
//! A request flows HTTP handler → GraphQL resolver (thin) → store function (SQL, batched by
//! loaders) → entity; a write goes resolver → [`changes::Writer`] → entity. Errors are one
//! type ([`error::ApiError`]) mapped once to GraphQL error codes and HTTP statuses.

pub mod auth;
pub mod batch;
pub mod catalog;
pub mod changes;
pub mod cli;
pub mod codes;
pub mod config;
pub mod db;
pub mod error;
pub mod export;
pub mod fields;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod import;
pub mod paging;
pub mod ratelimit;
pub mod resolve;
pub mod schema;
pub mod seed;
pub mod shared_store;
pub mod startup;
pub mod telemetry;
pub mod vocabulary;
