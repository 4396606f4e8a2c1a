//! GraphQL types of districts and schools.

use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use chrono::Utc;
use entity::{district, regional_program, school};

use super::loaders::SchoolsOfDistrict;
use crate::{
    catalog::{
        educators::{
            loaders::{contacts_of_school, EducatorPartnershipsOfDistrict, OpeningsOfDistrict},
            types::{
                Contact, EducatorPartnership, EducatorPartnershipConnection, TeachingOpening,
                TeachingOpeningConnection,
            },
        },
        programs::{
            loaders::{MembershipsOfDistrict, ProgramsOfDistrict},
            types::{
                JpaMembership, JpaMembershipConnection, RegionalProgram, RegionalProgramConnection,
            },
        },
        school_pathways::{
            loaders::{FactsOfDistrict, PathwaysOfDistrict, PathwaysOfSchool},
            types::{DistrictFact, SchoolPathway, SchoolPathwayConnection},
        },
    },
    connection_types,
    graphql::{
        nested,
        nested::{required, ChildCondition},
        provenance::Provenance,
        scalars::Date,
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

/// A California school district (LEA).
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct District {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Its key in CTE Hub, taken wherever a district is named by CDS code (`…CdsCode`,
    /// `forDistrict`, `offeredInDistrict`, `freeForDistrict`, `offeredAt(district:)`): its CDS
    /// code, or, when no public source gives one, a short code such as `HART_UHSD`.
    pub code: String,
    /// 14-digit CDS code (county, district, `0000000`); null when no public source gives it.
    pub cds_code: Option<String>,
    /// Name, e.g. "Torrance Unified".
    pub name: String,
    /// County name, e.g. "Los Angeles"; null when no source names it.
    pub county: Option<String>,
    /// NCES LEA id, where known.
    pub nces_id: Option<String>,
    /// Public website.
    pub website: Option<String>,
    /// ACTIVE, CLOSED, MERGED or PENDING, as CDE reports it.
    pub status: String,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub key: i32,
}

impl From<district::Model> for District {
    fn from(mut row: district::Model) -> Self {
        District {
            id: ids::encode(NodeType::District, row.id),
            provenance: provenance!(row),
            key: row.id,
            code: row.code,
            cds_code: row.cds_code,
            name: row.name,
            county: row.county,
            nces_id: row.nces_id,
            website: row.website,
            status: row.status,
        }
    }
}

#[ComplexObject]
impl District {
    /// The district's schools, by name.
    async fn schools(
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
    ) -> Result<SchoolConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(SchoolConnection(
            nested::child_page::<SchoolsOfDistrict>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(School::from),
        ))
    }

    /// The pathways the district runs itself (at its schools or district-wide), by name: free
    /// for its own students, beside the ROC/P courses of `programs`.
    async fn pathways(
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
    ) -> Result<SchoolPathwayConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(SchoolPathwayConnection(
            nested::child_page::<PathwaysOfDistrict>(
                ctx,
                self.key,
                req,
                nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(SchoolPathway::from),
        ))
    }

    /// Counts a source states for the whole district (pathways, schools, sectors, feeder
    /// programmes), each with its source; never spread over the schools.
    async fn facts(&self, ctx: &Context<'_>) -> Result<Vec<DistrictFact>> {
        Ok(nested::children::<FactsOfDistrict>(ctx, self.key)
            .await?
            .into_iter()
            .map(DistrictFact::from)
            .collect())
    }

    /// Every ROC/P membership of the district, current and past.
    async fn memberships(
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
    ) -> Result<JpaMembershipConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(JpaMembershipConnection(
            nested::child_page::<MembershipsOfDistrict>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(JpaMembership::from),
        ))
    }

    /// ROC/Ps whose JPA the district belongs to on `onDate` (default today).
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The date to check, YYYY-MM-DD (default today); memberships start and end over time."
        )]
        on_date: Option<Date>,
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
    ) -> Result<RegionalProgramConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let on = on_date
            .map(|d| d.0)
            .unwrap_or_else(|| Utc::now().date_naive());
        let filter =
            nested::sample_filter(ctx, include_sample).with(Some(ChildCondition::ActiveOn(on)));
        let page = nested::child_page::<ProgramsOfDistrict>(ctx, self.key, req, filter).await?;
        let page = page
            .try_map_async(|m| async move {
                Ok(RegionalProgram::from(
                    required::<regional_program::Entity>(ctx, m.program_id, "program").await?,
                ))
            })
            .await?;
        Ok(RegionalProgramConnection(page))
    }

    /// Its partnerships with educator programs (teacher recruitment, preparation, mentorship),
    /// by code.
    async fn educator_partnerships(
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
    ) -> Result<EducatorPartnershipConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(EducatorPartnershipConnection(
            nested::child_page::<EducatorPartnershipsOfDistrict>(
                ctx,
                self.key,
                req,
                nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(EducatorPartnership::from),
        ))
    }

    /// Its open CTE teaching positions, by title (optionally only one sector's).
    async fn teaching_openings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only openings in this sector (sector code).")] sector: Option<String>,
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
    ) -> Result<TeachingOpeningConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let filter = nested::sample_filter(ctx, include_sample)
            .with(sector.map(|code| ChildCondition::Equals("sector_code", code.trim().to_owned())));
        Ok(TeachingOpeningConnection(
            nested::child_page::<OpeningsOfDistrict>(ctx, self.key, req, filter)
                .await?
                .map(TeachingOpening::from),
        ))
    }
}

connection_types!(
    District,
    DistrictConnection,
    DistrictEdge,
    "A page of districts."
);

/// A school; eligibility asked by school resolves to its district.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct School {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Its key in CTE Hub, taken wherever a school is named by CDS code (`…CdsCode`,
    /// `forSchool`, `offeredAtSchool`): its CDS code, or, when no public source gives one, a
    /// short code such as `OROVILLE_HIGH`.
    pub code: String,
    /// 14-digit CDS code from the CDE (county, district, school); null when no public source
    /// gives it.
    pub cds_code: Option<String>,
    /// Name, e.g. "Torrance High".
    pub name: String,
    /// City.
    pub city: Option<String>,
    /// Latitude (decimal degrees).
    pub lat: Option<f64>,
    /// Longitude (decimal degrees).
    pub lng: Option<f64>,
    /// Lowest grade served.
    pub grade_low: Option<i32>,
    /// Highest grade served.
    pub grade_high: Option<i32>,
    /// ACTIVE, CLOSED, MERGED or PENDING, as CDE reports it.
    pub status: String,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub district_id: i32,
    #[graphql(skip)]
    pub key: i32,
}

impl From<school::Model> for School {
    fn from(mut row: school::Model) -> Self {
        School {
            id: ids::encode(NodeType::School, row.id),
            key: row.id,
            provenance: provenance!(row),
            district_id: row.district_id,
            code: row.code,
            cds_code: row.cds_code,
            name: row.name,
            city: row.city,
            lat: row.lat,
            lng: row.lng,
            grade_low: row.grade_low,
            grade_high: row.grade_high,
            status: row.status,
        }
    }
}

#[ComplexObject]
impl School {
    /// The school's district.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.district_id, "district")
                .await?
                .into(),
        )
    }

    /// The pathways the school runs itself, by name.
    async fn pathways(
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
    ) -> Result<SchoolPathwayConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(SchoolPathwayConnection(
            nested::child_page::<PathwaysOfSchool>(
                ctx,
                self.key,
                req,
                nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(SchoolPathway::from),
        ))
    }

    /// Public contacts by role (office, counselor desk, CTE coordinator; never a person).
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Contact>> {
        contacts_of_school(ctx, self.key, include_sample).await
    }
}

connection_types!(School, SchoolConnection, SchoolEdge, "A page of schools.");
