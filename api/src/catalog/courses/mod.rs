//! Courses in ROC/P catalogues: pathway step (level), A-G approval, hours,
//! certifications, prerequisites, and the sections (offerings) they run as.

pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
