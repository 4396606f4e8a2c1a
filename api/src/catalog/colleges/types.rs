//! GraphQL types of colleges, agreements and articulations.

pub use crate::vocabulary::ArticulationKind;
use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject, ID};
use entity::{
    articulation, college, course, district, dual_enrollment_agreement, regional_program,
};

use super::loaders::{AgreementsOfCollege, ArticulationsOfCollege};
use crate::vocabulary::Stored;
use crate::{
    catalog::{
        courses::types::Course, districts::types::District, programs::types::RegionalProgram,
    },
    connection_types,
    graphql::{
        nested,
        nested::{by_id, required},
        provenance::Provenance,
        scalars::Date,
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

/// What kind of institution a college is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum CollegeKind {
    /// A California community college.
    #[default]
    CommunityCollege,
    /// A California State University campus.
    Csu,
    /// A University of California campus.
    Uc,
    /// A private college or university.
    Private,
}

/// A dual-enrollment partner college or university.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct College {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable code, e.g. `EL_CAMINO`.
    pub code: String,
    /// IPEDS unit id (6 digits), where a source gives one.
    pub ipeds_id: Option<String>,
    /// Name, e.g. "El Camino College".
    pub name: String,
    /// Its community college district.
    pub college_district: Option<String>,
    /// Public website.
    pub website: Option<String>,
    /// Community college, CSU, UC or private.
    pub kind: CollegeKind,
    /// City.
    pub city: Option<String>,
    /// Latitude (decimal degrees).
    pub lat: Option<f64>,
    /// Longitude (decimal degrees).
    pub lng: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub key: i32,
}

impl From<college::Model> for College {
    fn from(mut row: college::Model) -> Self {
        College {
            id: ids::encode(NodeType::College, row.id),
            provenance: provenance!(row),
            key: row.id,
            code: row.code,
            ipeds_id: row.ipeds_id,
            name: row.name,
            college_district: row.college_district,
            website: row.website,
            kind: Stored::read_stored(&row.kind),
            city: row.city,
            lat: row.lat,
            lng: row.lng,
        }
    }
}

#[ComplexObject]
impl College {
    /// College credit it gives for ROC/P and high-school courses.
    async fn articulations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<ArticulationConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(ArticulationConnection(
            nested::child_page::<ArticulationsOfCollege>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(Articulation::from),
        ))
    }
    /// Its dual-enrollment and articulation agreements.
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<DualEnrollmentAgreementConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(DualEnrollmentAgreementConnection(
            nested::child_page::<AgreementsOfCollege>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(DualEnrollmentAgreement::from),
        ))
    }
}

connection_types!(
    College,
    CollegeConnection,
    CollegeEdge,
    "A page of colleges."
);

/// An agreement between a college and a district or ROC/P.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct DualEnrollmentAgreement {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `ECC-TORRANCE-CCAP`.
    pub code: String,
    /// Name people know it by.
    pub name: String,
    /// CCAP, articulation or concurrent enrollment.
    pub kind: ArticulationKind,
    /// When the boards approved it.
    pub approved_on: Option<Date>,
    /// First day in force.
    pub starts_on: Option<Date>,
    /// Last day in force.
    pub ends_on: Option<Date>,
    /// The agreement text.
    pub url: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: dual_enrollment_agreement::Model,
}

impl From<dual_enrollment_agreement::Model> for DualEnrollmentAgreement {
    fn from(mut row: dual_enrollment_agreement::Model) -> Self {
        DualEnrollmentAgreement {
            id: ids::encode(NodeType::DualEnrollmentAgreement, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            name: row.name.clone(),
            kind: Stored::read_stored(&row.kind),
            approved_on: row.approved_on.map(Date),
            starts_on: row.starts_on.map(Date),
            ends_on: row.ends_on.map(Date),
            url: row.url.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl DualEnrollmentAgreement {
    /// The college.
    async fn college(&self, ctx: &Context<'_>) -> Result<College> {
        Ok(
            required::<college::Entity>(ctx, self.row.college_id, "college")
                .await?
                .into(),
        )
    }
    /// The partner district, when the agreement is with one.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        match self.row.district_id {
            Some(id) => Ok(by_id::<district::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// The partner ROC/P, when the agreement is with one.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<RegionalProgram>> {
        match self.row.program_id {
            Some(id) => Ok(by_id::<regional_program::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }
}

connection_types!(
    DualEnrollmentAgreement,
    DualEnrollmentAgreementConnection,
    DualEnrollmentAgreementEdge,
    "A page of agreements."
);

/// College credit for a course: the college course it counts as.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Articulation {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// CCAP, articulation or concurrent enrollment.
    pub kind: ArticulationKind,
    /// The college's course code, e.g. "CIS 101".
    pub college_course_code: String,
    /// The college course's title.
    pub college_course_title: Option<String>,
    /// Semester units earned.
    pub units: Option<f64>,
    /// First academic year it applies to, e.g. "2025-26".
    pub valid_from: Option<String>,
    /// Last academic year it applies to.
    pub valid_to: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: articulation::Model,
}

impl From<articulation::Model> for Articulation {
    fn from(mut row: articulation::Model) -> Self {
        Articulation {
            id: ids::encode(NodeType::Articulation, row.id),
            provenance: provenance!(row),
            kind: Stored::read_stored(&row.kind),
            college_course_code: row.college_course_code.clone(),
            college_course_title: row.college_course_title.clone(),
            units: row.units,
            valid_from: row.valid_from.clone(),
            valid_to: row.valid_to.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl Articulation {
    /// The course that earns the credit.
    async fn course(&self, ctx: &Context<'_>) -> Result<Course> {
        Ok(
            required::<course::Entity>(ctx, self.row.course_id, "course")
                .await?
                .into(),
        )
    }
    /// The college that gives it.
    async fn college(&self, ctx: &Context<'_>) -> Result<College> {
        Ok(
            required::<college::Entity>(ctx, self.row.college_id, "college")
                .await?
                .into(),
        )
    }
    /// The agreement it is part of, if any.
    async fn agreement(&self, ctx: &Context<'_>) -> Result<Option<DualEnrollmentAgreement>> {
        match self.row.agreement_id {
            Some(id) => Ok(by_id::<dual_enrollment_agreement::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }
}

connection_types!(
    Articulation,
    ArticulationConnection,
    ArticulationEdge,
    "A page of articulations."
);
