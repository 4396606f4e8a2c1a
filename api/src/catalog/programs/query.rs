//! Root fields for ROC/Ps.

use async_graphql::{Context, InputObject, Object, Result};
use sea_orm::DatabaseConnection;

use super::{
    store::{self, ProgramCriteria},
    types::{RegionalProgram, RegionalProgramConnection},
};
use crate::{
    catalog::districts::store as districts,
    codes::LeaCode,
    error::ApiError,
    graphql::scalars::Date,
    paging::{Page, PageRequest},
};

/// Filters for `programs`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct ProgramFilter {
    /// Case-insensitive text in the name, short name or code.
    pub search: Option<String>,
    /// Only programs this district (CDS code, or its `code` when it has none) is a JPA member of.
    pub member_district_cds_code: Option<String>,
    /// The date memberships are checked on (default today).
    pub on_date: Option<Date>,
}

/// ROC/P root fields.
#[derive(Default)]
pub struct ProgramQuery;

#[Object]
impl ProgramQuery {
    /// Regional Occupational Centers/Programs, by name.
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<ProgramFilter>,
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
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let filter = filter.unwrap_or_default();
        let mut criteria = ProgramCriteria {
            search: filter.search,
            on_date: filter.on_date.map(|d| d.0),
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
            ..Default::default()
        };
        if let Some(raw) = filter.member_district_cds_code {
            let cds = LeaCode::parse_district("filter.memberDistrictCdsCode", &raw)?;
            match districts::district_by_code(db, &cds).await? {
                Some(district) => criteria.member_district_id = Some(district.id),
                None => return Ok(RegionalProgramConnection(Page::empty())),
            }
        }
        let page = store::programs_page(db, &criteria, &req).await?;
        Ok(RegionalProgramConnection(page.map(RegionalProgram::from)))
    }

    /// A ROC/P by code, e.g. `SOCAL_ROC`; null when none has it.
    async fn program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program code, e.g. `SOCAL_ROC`.")] code: String,
    ) -> Result<Option<RegionalProgram>> {
        if code.trim().is_empty() {
            return Err(ApiError::bad_input("code", "must not be empty").into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found = crate::graphql::reference::find_by_code::<entity::regional_program::Entity>(
            crate::graphql::reference::cached(ctx),
            db,
            &code,
        )
        .await?;
        Ok(found.map(Into::into))
    }
}
