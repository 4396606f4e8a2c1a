//! Pathways that districts and schools run themselves (programs of study), their
//! course sequences, and the district-level facts a source states. Beside the
//! ROC/P catalogue: most California CTE is run by districts.

pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod store;
pub mod types;
