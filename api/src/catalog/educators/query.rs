//! Root fields for educator organisations, educator programs and teaching openings.

use async_graphql::{Context, InputObject, Object, Result, ID};
use sea_orm::DatabaseConnection;

use super::{
    store,
    types::{
        EducatorOrganization, EducatorOrganizationConnection, EducatorOrganizationKind,
        EducatorProgram, EducatorProgramConnection, EducatorProgramKind, TeachingOpening,
        TeachingOpeningConnection,
    },
};
use crate::vocabulary::Stored;
use crate::{
    catalog::{districts::store as districts, pathways::store as pathways},
    codes::LeaCode,
    error::ApiError,
    graphql::scalars::Date,
    ids,
    ids::NodeType,
    paging::{Page, PageRequest},
};

/// Filters for `educatorOrganizations`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct EducatorOrganizationFilter {
    /// Nonprofit, district or college.
    pub kind: Option<EducatorOrganizationKind>,
    /// Case-insensitive text in the name or description.
    pub search: Option<String>,
}

/// Filters for `educatorPrograms`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct EducatorProgramFilter {
    /// Recruitment, credential preparation or mentorship.
    pub kind: Option<EducatorProgramKind>,
    /// Serves teachers of this sector (sector code).
    pub sector_code: Option<String>,
    /// Run by this organisation (global ID).
    pub organization_id: Option<ID>,
}

/// Filters for `teachingOpenings`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct TeachingOpeningFilter {
    /// In this sector (sector code).
    pub sector_code: Option<String>,
    /// In this pathway (pathway code).
    pub pathway_code: Option<String>,
    /// At this district (CDS code, or its `code` when it has none).
    pub district_cds_code: Option<String>,
    /// Still open for applications on this date.
    pub open_on: Option<Date>,
}

/// Educator root fields.
#[derive(Default)]
pub struct EducatorQuery;

#[Object]
impl EducatorQuery {
    /// Organisations that recruit, prepare or support CTE teachers, by name.
    async fn educator_organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<EducatorOrganizationFilter>,
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
    ) -> Result<EducatorOrganizationConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let criteria = store::OrganizationCriteria {
            kind: f.kind.map(|kind| kind.as_stored().to_owned()),
            search: f.search,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
        };
        let page = store::organizations_page(db, &criteria, &req).await?;
        Ok(EducatorOrganizationConnection(
            page.map(EducatorOrganization::from),
        ))
    }

    /// Programs that recruit, prepare or mentor CTE teachers, by name.
    async fn educator_programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<EducatorProgramFilter>,
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
    ) -> Result<EducatorProgramConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut criteria = store::ProgramCriteria {
            kind: f.kind.map(|kind| kind.as_stored().to_owned()),
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(EducatorProgramConnection(Page::empty()));
            };
            criteria.sector_id = Some(sector.id);
        }
        if let Some(id) = f.organization_id {
            match ids::decode("filter.organizationId", &id)? {
                (NodeType::EducatorOrganization, key) => criteria.organization_id = Some(key),
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.organizationId",
                        "is not an EducatorOrganization ID",
                    )
                    .into())
                }
            }
        }
        let page = store::programs_page(db, &criteria, &req).await?;
        Ok(EducatorProgramConnection(page.map(EducatorProgram::from)))
    }

    /// Open CTE teaching positions at districts and schools, by title.
    async fn teaching_openings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<TeachingOpeningFilter>,
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
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut criteria = store::OpeningCriteria {
            open_on: f.open_on.map(|on| on.0),
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(code) = f.sector_code {
            let Some(sector) = pathways::sector_by_code(db, code.trim()).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            criteria.sector_id = Some(sector.id);
        }
        if let Some(code) = f.pathway_code {
            let Some(found) = pathways::pathway_by_code(db, code.trim()).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            criteria.pathway_id = Some(found.id);
        }
        if let Some(cds) = f.district_cds_code {
            let code = LeaCode::parse_district("filter.districtCdsCode", &cds)?;
            let Some(found) = districts::district_by_code(db, &code).await? else {
                return Ok(TeachingOpeningConnection(Page::empty()));
            };
            criteria.district_id = Some(found.id);
        }
        let page = store::openings_page(db, &criteria, &req).await?;
        Ok(TeachingOpeningConnection(page.map(TeachingOpening::from)))
    }
}
