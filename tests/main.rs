//! The one integration-test binary: the real server on port 0 against a fresh
//! database per test, on SQLite and on PostgreSQL. See `helpers.rs`.

// Tests and their helpers may unwrap: a panic here is a failed test, not a crashed server
// (the workspace lints forbid it in the server; clippy.toml allows it in unit tests).
#![allow(clippy::unwrap_used)]

mod helpers;

mod auth;
mod cache;
mod cache_replica;
mod changes;
mod docs;
mod educators;
mod eligibility;
mod faults;
mod graphiql;
mod hostile;
mod http;
mod http_audit;
mod import;
mod layers;
mod limits;
mod migrations;
mod offerings;
mod ops;
mod partners;
mod pathways;
mod records;
mod sample;
mod schema;
mod school_pathways;
mod search;
mod seed;
mod synthetic;
mod threats;
mod writes;
