//! Per-request loader of funding programs (for `node`).

use async_graphql::Request;
use entity::funding_program;

use crate::graphql::Loaders;

/// Registers this area's loaders on a request.
pub fn register(request: Request, loaders: &Loaders) -> Request {
    request.data(loaders.reference_by_id::<funding_program::Entity>())
}
