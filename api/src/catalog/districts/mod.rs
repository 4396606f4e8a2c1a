//! School districts (LEAs) and schools, keyed by CDS code; the "who is the
//! student" side of eligibility.

pub mod loaders;
pub mod query;
pub mod record;
pub mod store;
pub mod types;
