//! ROC/Ps (regional occupational centers/programs): their eligibility policy,
//! sites, JPA memberships, funding options and terms.

pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
