//! The one integration-test binary: the real server on port 0 against a fresh
//! database per test, on SQLite and on PostgreSQL. See `helpers.rs`.

mod helpers;

mod eligibility;
mod http;
mod limits;
mod migrations;
mod offerings;
mod partners;
mod pathways;
mod readme;
mod schema;
mod search;
mod seed;
mod synthetic;
