//! Batch loaders of the districts area.

use entity::{district, school};

use crate::graphql::{
    nested::{self, ById, Relation},
    relay::{CursorKey, SortValue},
    Loaders,
};

/// A district's schools, by name.
pub struct SchoolsOfDistrict;
impl Relation for SchoolsOfDistrict {
    type Model = school::Model;
    const TABLE: &'static str = "school";
    const PARENT_COLUMN: &'static str = "district_id";
    const SORT_COLUMN: &'static str = "name";
    fn parent(row: &Self::Model) -> i32 {
        row.district_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.name.clone()),
            id: row.id,
        }
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let request = request
        .data(loaders.batch(ById::<district::Entity>::new(loaders.db.clone())))
        .data(loaders.batch(ById::<school::Entity>::new(loaders.db.clone())));
    nested::register::<SchoolsOfDistrict>(request, loaders)
}
