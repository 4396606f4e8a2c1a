//! Batch loaders of the programs area and the relations they page.

use entity::{funding_option, jpa_membership, program_site, regional_program, term};

use crate::graphql::{
    nested::{self, ById, Children, Relation},
    relay::{CursorKey, SortValue},
    Loaders,
};

/// A program's sites, by name.
pub struct SitesOfProgram;
impl Relation for SitesOfProgram {
    type Model = program_site::Model;
    const TABLE: &'static str = "program_site";
    const PARENT_COLUMN: &'static str = "program_id";
    const SORT_COLUMN: &'static str = "name";
    fn parent(row: &Self::Model) -> i32 {
        row.program_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.name.clone()),
            id: row.id,
        }
    }
}

/// A program's JPA memberships (current and past), by join date.
pub struct MembershipsOfProgram;
impl Relation for MembershipsOfProgram {
    type Model = jpa_membership::Model;
    const TABLE: &'static str = "jpa_membership";
    const PARENT_COLUMN: &'static str = "program_id";
    const SORT_COLUMN: &'static str = "joined_on";
    fn parent(row: &Self::Model) -> i32 {
        row.program_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.joined_on.to_string()),
            id: row.id,
        }
    }
}

/// A district's JPA memberships (current and past), by join date.
pub struct MembershipsOfDistrict;
impl Relation for MembershipsOfDistrict {
    type Model = jpa_membership::Model;
    const TABLE: &'static str = "jpa_membership";
    const PARENT_COLUMN: &'static str = "district_id";
    const SORT_COLUMN: &'static str = "joined_on";
    fn parent(row: &Self::Model) -> i32 {
        row.district_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.joined_on.to_string()),
            id: row.id,
        }
    }
}

/// Who can pay at a program when a student's district is not a member.
pub struct FundingOptionsOfProgram;
impl Relation for FundingOptionsOfProgram {
    type Model = funding_option::Model;
    const TABLE: &'static str = "funding_option";
    const PARENT_COLUMN: &'static str = "program_id";
    const SORT_COLUMN: &'static str = "name";
    fn parent(row: &Self::Model) -> i32 {
        row.program_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.name.clone()),
            id: row.id,
        }
    }
}

/// A program's terms, by start date.
pub struct TermsOfProgram;
impl Relation for TermsOfProgram {
    type Model = term::Model;
    const TABLE: &'static str = "term";
    const PARENT_COLUMN: &'static str = "program_id";
    const SORT_COLUMN: &'static str = "starts_on";
    fn parent(row: &Self::Model) -> i32 {
        row.program_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.starts_on.to_string()),
            id: row.id,
        }
    }
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<regional_program::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<program_site::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<jpa_membership::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<funding_option::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<term::Entity>::new(db.clone())))
        .data(loaders.batch(Children::<MembershipsOfDistrict>::new(db.clone())))
        .data(loaders.batch(Children::<FundingOptionsOfProgram>::new(db.clone())));
    let request = nested::register::<TermsOfProgram>(request, loaders);
    let request = nested::register::<SitesOfProgram>(request, loaders);
    let request = nested::register::<MembershipsOfProgram>(request, loaders);
    let request = nested::register::<MembershipsOfDistrict>(request, loaders);
    nested::register::<FundingOptionsOfProgram>(request, loaders)
}
