//! The one integration-test binary: the real server on port 0 against a fresh
//! database per test, on SQLite and on PostgreSQL. See `helpers.rs`.

mod helpers;

mod http;
mod migrations;
mod pathways;
mod schema;
mod seed;
