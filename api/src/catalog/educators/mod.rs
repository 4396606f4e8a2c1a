//! Educator programs: organisations that recruit, prepare or support CTE
//! teachers (e.g. EnCorps), their programs, their partnerships with districts,
//! CTE teaching openings, and the public role contacts (office, counselor desk,
//! CTE coordinator) of ROC/Ps, schools and educator programs.

pub mod contacts;
pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
