//! Batch loaders of the programs area and the relations they page.

use crate::relation;
use entity::{funding_option, jpa_membership, program_site, regional_program, term};

use crate::{
    graphql::{
        nested,
        nested::{ById, Children, Relation},
        Loaders,
    },
    paging::{CursorKey, SortValue},
};

relation!(
    /// A program's sites, by name.
    SitesOfProgram: program_site by program_id, sorted by name as text
);

relation!(
    /// A program's JPA memberships (current and past), by join date.
    MembershipsOfProgram: jpa_membership by program_id, sorted by joined_on as date
);

relation!(
    /// A district's JPA memberships (current and past), by join date.
    MembershipsOfDistrict: jpa_membership by district_id, sorted by joined_on as date
);

relation!(
    /// Who can pay at a program when a student's district is not a member.
    FundingOptionsOfProgram: funding_option by program_id, sorted by name as text
);

relation!(
    /// A program's terms, by start date.
    TermsOfProgram: term by program_id, sorted by starts_on as date
);

/// A program's memberships as its member districts: a pair is sample when the membership
/// or the district is, so `includeSample: false` lists only real districts by real facts.
pub struct MemberDistrictsOfProgram;
impl Relation for MemberDistrictsOfProgram {
    type Model = jpa_membership::Model;
    const TABLE: &'static str = "(SELECT m.*, (m.sample OR d.sample) AS listed_sample \
         FROM jpa_membership m JOIN district d ON d.id = m.district_id WHERE d.deleted_at IS NULL)";
    const PARENT_COLUMN: &'static str = "program_id";
    const SORT_COLUMN: &'static str = "joined_on";
    const SAMPLE_COLUMN: &'static str = "listed_sample";
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

/// A district's memberships as the programs it belongs to: sample when the membership or
/// the program is.
pub struct ProgramsOfDistrict;
impl Relation for ProgramsOfDistrict {
    type Model = jpa_membership::Model;
    const TABLE: &'static str = "(SELECT m.*, (m.sample OR p.sample) AS listed_sample \
         FROM jpa_membership m JOIN regional_program p ON p.id = m.program_id WHERE p.deleted_at IS NULL)";
    const PARENT_COLUMN: &'static str = "district_id";
    const SORT_COLUMN: &'static str = "joined_on";
    const SAMPLE_COLUMN: &'static str = "listed_sample";
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

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.reference_by_id::<regional_program::Entity>())
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
    let request = nested::register::<MemberDistrictsOfProgram>(request, loaders);
    let request = nested::register::<ProgramsOfDistrict>(request, loaders);
    nested::register::<FundingOptionsOfProgram>(request, loaders)
}
