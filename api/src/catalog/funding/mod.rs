//! Funding programs: the state and federal grants that pay for CTE (CTEIG,
//! K12 Strong Workforce, Perkins V, California Partnership Academies), kept as
//! reference with their sources. No public source says which of them fund a
//! given ROC/P or pathway, so they are not linked to programs or pathways.

pub mod loaders;
pub mod query;
pub mod store;
pub mod types;
