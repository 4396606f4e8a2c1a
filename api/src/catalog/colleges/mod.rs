//! Dual-enrollment partners: colleges, their agreements with districts and
//! ROC/Ps (CCAP, articulation), and the college credit courses earn.

pub mod credit;
pub mod fields;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod store;
pub mod types;
