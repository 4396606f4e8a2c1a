//! The catalogue, one module per domain area. Each area owns its GraphQL types
//! (`types.rs`), root fields (`query.rs`), per-request batch loaders
//! (`loaders.rs`) and SQL (`store.rs`). Resolvers stay thin: they validate
//! arguments and call the store, directly or through a loader.

pub mod colleges;
pub mod courses;
pub mod districts;
pub mod educators;
pub mod eligibility;
pub mod funding;
pub mod node;
pub mod offerings;
pub mod partners;
pub mod pathways;
pub mod programs;
pub mod school_pathways;
pub mod search;
