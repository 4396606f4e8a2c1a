//! Full-text search across the catalogue: the `search` root field and the
//! `search` filter of courses and offerings. The index differs per database
//! (SQLite FTS5, PostgreSQL `tsvector`); [`store`] hides that in one place.

pub mod index;
pub mod query;
pub mod store;
