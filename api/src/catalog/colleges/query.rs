//! Root fields for colleges.

use async_graphql::{Context, InputObject, Object, Result};
use entity::college;
use sea_orm::{
    sea_query::{Expr, Func},
    ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
};

use super::types::{College, CollegeConnection, CollegeKind};
use crate::vocabulary::Stored;
use crate::{
    catalog::programs::store::like_pattern,
    error::ApiError,
    paging,
    paging::{CursorKey, Keyset, PageRequest, SortValue},
};

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
        use college::Column as C;
        let req = PageRequest::from_args(first, after, last, before)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let f = filter.unwrap_or_default();
        let mut select = college::Entity::find().filter(C::DeletedAt.is_null());
        if !crate::graphql::provenance::include_sample(ctx, include_sample) {
            select = select.filter(C::Sample.eq(false));
        }
        let kinds: Vec<&str> = f
            .kind
            .unwrap_or_default()
            .into_iter()
            .map(Stored::as_stored)
            .collect();
        if !kinds.is_empty() {
            select = select.filter(C::Kind.is_in(kinds));
        }
        if let Some(search) = f.search.as_deref().filter(|s| !s.trim().is_empty()) {
            let pattern = like_pattern(search);
            select = select.filter(
                Expr::expr(Func::lower(Expr::col(C::Name)))
                    .like(pattern.clone())
                    .or(Expr::expr(Func::lower(Expr::col(C::CollegeDistrict)))
                        .like(pattern.clone()))
                    .or(Expr::expr(Func::lower(Expr::col(C::City))).like(pattern)),
            );
        }
        let order = Keyset {
            sort: C::Name,
            id: C::Id,
            descending: false,
        };
        let page = paging::fetch_page(db, select, order, &req, |c| CursorKey {
            sort: SortValue::Text(c.name.clone()),
            id: c.id,
        })
        .await?;
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
        let row = college::Entity::find()
            .filter(college::Column::DeletedAt.is_null())
            .filter(college::Column::IpedsId.eq(ipeds))
            .one(db)
            .await
            .map_err(ApiError::from)?;
        Ok(row.map(Into::into))
    }
}
