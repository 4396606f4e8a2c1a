//! The write side of the catalogue and what it leaves behind.
//!
//! - [`write`] is the only way partner-owned records change: one transaction
//!   per mutation (or import file), the authorization rule, optimistic
//!   versions, the search index, and a `change_event` row per change.
//! - [`record`] says, per record kind, who owns a row, what makes it valid and
//!   what points at it; the areas implement it next to their mutations.
//! - [`links`] are the tables that join two records (course certifications and
//!   prerequisites, partner sectors): added and removed whole, also in the feed.
//! - `change_event` is both the audit trail (`auditLog`, admins) and the
//!   change feed (`changes`, everyone) ([`query`]).

pub mod backfill;
pub mod feed;
pub mod links;
pub mod query;
pub mod record;
pub mod refs;
pub mod snapshot;
pub mod types;
pub mod validate;
pub mod version;
pub mod write;

pub use record::Record;
pub use write::Writer;
