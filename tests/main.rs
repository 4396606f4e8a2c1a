//! The one integration-test binary: the real server on port 0 against a fresh
//! database per test, on SQLite and on PostgreSQL. See `helpers.rs`.

mod helpers;

mod auth;
mod cache;
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
mod limits;
mod migrations;
mod offerings;
mod ops;
mod partners;
mod pathways;
mod sample;
mod schema;
mod search;
mod seed;
mod synthetic;
mod threats;
mod writes;
