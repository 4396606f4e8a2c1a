//! Batch loaders of the programs area and the relations they page.

use crate::relation;
use entity::{funding_option, jpa_membership, program_site, regional_program, term};

use crate::graphql::{
    nested::{self, ById, Children},
    Loaders,
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
    nested::register::<FundingOptionsOfProgram>(request, loaders)
}
