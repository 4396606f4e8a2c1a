//! Industry sectors and career pathways: the reference tree of the California
//! CTE Model Curriculum Standards that every course hangs from.

pub mod loaders;
pub mod query;
pub mod store;
pub mod types;
