//! Batch loaders of the educators area: one statement per level for every
//! parent on the page.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{dataloader::Loader, Context, Result};

use crate::graphql::provenance::real_only;
use entity::{
    contact, educator_organization, educator_partnership, educator_program, industry_sector,
    teaching_opening,
};
use sea_orm::DatabaseConnection;

use super::types::Contact;
use crate::{
    error::LoadError,
    graphql::{
        nested,
        nested::{ById, Children},
        Loaders,
    },
    paging::{CursorKey, SortValue},
    relation,
};

relation!(
    /// An organisation's programs, by name.
    ProgramsOfOrganization: educator_program by organization_id, sorted by name as text
);

relation!(
    /// An educator program's district partnerships, by code.
    PartnershipsOfEducatorProgram: educator_partnership by program_id, sorted by code as text
);

relation!(
    /// A district's partnerships with educator programs, by code.
    EducatorPartnershipsOfDistrict: educator_partnership by district_id, sorted by code as text
);

/// A district's teaching openings, by title; the derived table exposes the sector code so
/// `teachingOpenings(sector:)` filters in the same statement.
pub struct OpeningsOfDistrict;
impl nested::Relation for OpeningsOfDistrict {
    type Model = teaching_opening::Model;
    const TABLE: &'static str = "(SELECT o.*, s.code AS sector_code FROM teaching_opening o \
         JOIN industry_sector s ON s.id = o.sector_id)";
    const PARENT_COLUMN: &'static str = "district_id";
    const SORT_COLUMN: &'static str = "title";
    fn parent(row: &Self::Model) -> i32 {
        row.district_id
    }
    fn cursor(row: &Self::Model) -> CursorKey {
        CursorKey {
            sort: SortValue::Text(row.title.clone()),
            id: row.id,
        }
    }
}

/// Contacts of one kind of holder (their holder column is nullable: a contact has exactly one).
macro_rules! contacts_of {
    ($(#[$doc:meta])* $name:ident by $column:ident) => {
        $(#[$doc])*
        pub struct $name;
        impl nested::Relation for $name {
            type Model = contact::Model;
            const TABLE: &'static str = "contact";
            const PARENT_COLUMN: &'static str = stringify!($column);
            const SORT_COLUMN: &'static str = "role";
            fn parent(row: &Self::Model) -> i32 {
                row.$column.unwrap_or_default()
            }
            fn cursor(row: &Self::Model) -> CursorKey {
                CursorKey {
                    sort: SortValue::Text(row.role.clone()),
                    id: row.id,
                }
            }
        }
    };
}

contacts_of!(
    /// A ROC/P's public contacts, by role.
    ContactsOfProgram by program_id
);
contacts_of!(
    /// A school's public contacts, by role.
    ContactsOfSchool by school_id
);
contacts_of!(
    /// An educator program's public contacts, by role.
    ContactsOfEducatorProgram by educator_program_id
);

/// The sectors each educator program serves (at most 15).
pub struct SectorsOfProgram(DatabaseConnection);

impl Loader<i32> for SectorsOfProgram {
    type Value = Vec<industry_sector::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, Self::Value>, Self::Error> {
        let mut out = super::store::sectors_of_programs(&self.0, keys)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        out.values_mut()
            .for_each(|sectors| sectors.sort_by_key(|s| (s.sort_order, s.id)));
        Ok(out)
    }
}

/// The public contacts of a ROC/P (sample ones only when asked: every list takes
/// `includeSample`; the few contacts of a parent are filtered after the one load).
pub async fn contacts_of_program(
    ctx: &Context<'_>,
    program: i32,
    include_sample: Option<bool>,
) -> Result<Vec<Contact>> {
    let real_only = real_only(ctx, include_sample);
    Ok(nested::children::<ContactsOfProgram>(ctx, program)
        .await?
        .into_iter()
        .filter(|c| !(real_only && c.sample))
        .map(Contact::from)
        .collect())
}

/// The public contacts of a school.
pub async fn contacts_of_school(
    ctx: &Context<'_>,
    school: i32,
    include_sample: Option<bool>,
) -> Result<Vec<Contact>> {
    let real_only = real_only(ctx, include_sample);
    Ok(nested::children::<ContactsOfSchool>(ctx, school)
        .await?
        .into_iter()
        .filter(|c| !(real_only && c.sample))
        .map(Contact::from)
        .collect())
}

/// The public contacts of an educator program.
pub async fn contacts_of_educator_program(
    ctx: &Context<'_>,
    program: i32,
    include_sample: Option<bool>,
) -> Result<Vec<Contact>> {
    let real_only = real_only(ctx, include_sample);
    Ok(nested::children::<ContactsOfEducatorProgram>(ctx, program)
        .await?
        .into_iter()
        .filter(|c| !(real_only && c.sample))
        .map(Contact::from)
        .collect())
}

/// Adds this area's loaders to a request.
pub fn register(request: async_graphql::Request, loaders: &Loaders) -> async_graphql::Request {
    let db = &loaders.db;
    let request = request
        .data(loaders.batch(ById::<educator_organization::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<educator_program::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<educator_partnership::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<teaching_opening::Entity>::new(db.clone())))
        .data(loaders.batch(ById::<contact::Entity>::new(db.clone())))
        .data(loaders.batch(SectorsOfProgram(db.clone())))
        .data(loaders.batch(Children::<ContactsOfProgram>::new(db.clone())))
        .data(loaders.batch(Children::<ContactsOfSchool>::new(db.clone())))
        .data(loaders.batch(Children::<ContactsOfEducatorProgram>::new(db.clone())));
    let request = nested::register::<ProgramsOfOrganization>(request, loaders);
    let request = nested::register::<PartnershipsOfEducatorProgram>(request, loaders);
    let request = nested::register::<EducatorPartnershipsOfDistrict>(request, loaders);
    nested::register::<OpeningsOfDistrict>(request, loaders)
}
