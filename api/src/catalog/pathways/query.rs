//! Root fields for sectors and pathways.

use async_graphql::{Context, Object, Result};
use entity::{industry_sector, pathway};
use sea_orm::DatabaseConnection;

use super::{
    store::{self, PathwayCriteria},
    types::{IndustrySector, Pathway, PathwayConnection, PathwayFilter, PathwayOrder},
};
use crate::{
    catalog::districts::store as districts,
    codes::LeaCode,
    error::ApiError,
    graphql::reference,
    paging::{Page, PageRequest},
};

/// Sector and pathway root fields.
#[derive(Default)]
pub struct PathwayQuery;

#[Object]
impl PathwayQuery {
    /// The 15 industry sectors, in published order (the only plain list: it cannot grow).
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<IndustrySector>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(store::sectors(db)
            .await?
            .into_iter()
            .map(IndustrySector)
            .collect())
    }

    /// A sector by code; null when no sector has it.
    async fn sector(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sector code, e.g. `HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY`.")]
        code: String,
    ) -> Result<Option<IndustrySector>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found =
            reference::find_by_code::<industry_sector::Entity>(reference::cached(ctx), db, &code)
                .await?;
        Ok(found.map(IndustrySector))
    }

    /// Career pathways, filtered and paged.
    async fn pathways(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<PathwayFilter>,
        #[graphql(
            default,
            desc = "The order of the list (default: the published order)."
        )]
        order_by: PathwayOrder,
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
    ) -> Result<PathwayConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let filter = filter.unwrap_or_default();
        let mut criteria = PathwayCriteria {
            search: filter.search,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(raw) = filter.offered_at_school {
            let cds = LeaCode::parse_school("filter.offeredAtSchool", &raw)?;
            match districts::school_by_code(db, &cds).await? {
                Some(school) => criteria.offered_by.school_id = Some(school.id),
                None => return Ok(PathwayConnection(Page::empty())),
            }
        }
        if let Some(raw) = filter.offered_in_district {
            let cds = LeaCode::parse_district("filter.offeredInDistrict", &raw)?;
            match districts::district_by_code(db, &cds).await? {
                Some(district) => criteria.offered_by.district_id = Some(district.id),
                None => return Ok(PathwayConnection(Page::empty())),
            }
        }
        criteria.offered_by.academy = filter.academy;
        if let Some(code) = filter.sector_code {
            match store::sector_by_code(db, code.trim()).await? {
                Some(sector) => criteria.sector_id = Some(sector.id),
                // An unknown sector matches nothing, like any other filter value.
                None => return Ok(PathwayConnection(Page::empty())),
            }
        }
        let page = store::pathways_page(db, &criteria, order_by.into(), &req).await?;
        Ok(PathwayConnection(page.map(Pathway)))
    }

    /// A pathway by code (e.g. `PATIENT_CARE`); null when no pathway has it.
    async fn pathway(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The pathway code, e.g. `PATIENT_CARE`.")] code: String,
    ) -> Result<Option<Pathway>> {
        if code.trim().is_empty() {
            return Err(ApiError::bad_input("code", "must not be empty").into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found =
            reference::find_by_code::<pathway::Entity>(reference::cached(ctx), db, &code).await?;
        Ok(found.map(Pathway))
    }
}
