//! Root fields for funding programs.

use async_graphql::{Context, Object, Result};
use entity::funding_program;
use sea_orm::DatabaseConnection;

use super::{
    store,
    types::{FundingProgram, FundingProgramConnection},
};
use crate::{error::ApiError, graphql::reference, paging::PageRequest};

/// Funding program root fields.
#[derive(Default)]
pub struct FundingQuery;

#[Object]
impl FundingQuery {
    /// State and federal grants that pay for CTE programs (CTEIG, K12 Strong Workforce, Perkins V,
    /// California Partnership Academies), by name, each with its source.
    async fn funding_programs(
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
    ) -> Result<FundingProgramConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let exclude_sample = !crate::graphql::provenance::include_sample(ctx, include_sample);
        let page = store::funding_programs_page(db, exclude_sample, &req).await?;
        Ok(FundingProgramConnection(page.map(FundingProgram::from)))
    }

    /// A funding program by code (e.g. `PERKINS_V`); null when none has it.
    async fn funding_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding program code, e.g. `CTEIG`.")] code: String,
    ) -> Result<Option<FundingProgram>> {
        let code = code.trim();
        if code.is_empty() {
            return Err(ApiError::bad_input("code", "must not be empty").into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found =
            reference::find_by_code::<funding_program::Entity>(reference::cached(ctx), db, code)
                .await?;
        Ok(found.map(FundingProgram::from))
    }
}
