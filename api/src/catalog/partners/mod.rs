//! Industry partners and work-based learning: employers tied to pathways
//! (advisory boards, internships, job shadows, ...) and their concrete openings.

pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
