//! Root fields for colleges.

use async_graphql::{Context, InputObject, Object, Result};
use sea_orm::DatabaseConnection;

use super::{
    store,
    types::{College, CollegeConnection, CollegeKind},
};
use crate::{error::ApiError, paging::PageRequest, vocabulary::Stored};

/// Filters for `colleges`; all given filters must hold, lists are OR.
#[derive(InputObject, Default)]
pub struct CollegeFilter {
    /// Any of these kinds.
    pub kind: Option<Vec<CollegeKind>>,
    /// Case-insensitive text in the name, district or city.
    pub search: Option<String>,
}

/// College root fields.
#[derive(Default)]
pub struct CollegeQuery;

#[Object]
impl CollegeQuery {
    /// Dual-enrollment partner colleges, by name.
    async fn colleges(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which ones to return; all given filters must hold (default: all).")]
        filter: Option<CollegeFilter>,
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
    ) -> Result<CollegeConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let criteria = store::CollegeCriteria {
            kinds: f
                .kind
                .unwrap_or_default()
                .into_iter()
                .map(Stored::as_stored)
                .collect(),
            search: f.search,
            exclude_sample: !crate::graphql::provenance::include_sample(ctx, include_sample),
        };
        let page = store::colleges_page(db, &criteria, &req).await?;
        Ok(CollegeConnection(page.map(College::from)))
    }

    /// A college by its 6-digit IPEDS unit id (e.g. El Camino, `113980`); null when unknown.
    async fn college(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The college's 6-digit IPEDS unit id from NCES, e.g. `113980`.")] ipeds_id: String,
    ) -> Result<Option<College>> {
        let ipeds = ipeds_id.trim();
        if ipeds.len() != 6 || !ipeds.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_input(
                "ipedsId",
                format!("'{ipeds_id}' is not an IPEDS id: expected 6 digits"),
            )
            .into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(store::by_ipeds_id(db, ipeds).await?.map(Into::into))
    }
}
