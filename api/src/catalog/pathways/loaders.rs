//! Per-request batch loaders for sectors and pathways: one statement per level
//! of a query, whatever the page size.

use entity::{industry_sector, pathway};

use crate::{
    graphql::{nested, Loaders},
    relation,
};

relation!(
    /// A sector's pathways, in the published order of the standards.
    PathwaysOfSector: pathway by sector_id, sorted by sort_order as int
);

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let request = request
        .data(loaders.reference_by_id::<industry_sector::Entity>())
        .data(loaders.reference_by_id::<pathway::Entity>());
    nested::register::<PathwaysOfSector>(request, loaders)
}
