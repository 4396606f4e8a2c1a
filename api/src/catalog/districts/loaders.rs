//! Batch loaders of the districts area.

use crate::relation;
use entity::{district, school};

use crate::graphql::{
    nested::{self, ById},
    Loaders,
};

relation!(
    /// A district's schools, by name.
    SchoolsOfDistrict: school by district_id, sorted by name as text
);

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let request = request
        .data(loaders.batch(ById::<district::Entity>::new(loaders.db.clone())))
        .data(loaders.batch(ById::<school::Entity>::new(loaders.db.clone())));
    nested::register::<SchoolsOfDistrict>(request, loaders)
}
