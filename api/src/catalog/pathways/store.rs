//! SQL for sectors and pathways. Only live (not soft-deleted) rows are visible.

use entity::{industry_sector, pathway};
use sea_orm::{
    sea_query::{Expr, Func},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, Select,
};

use crate::{
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// How a pathway list is ordered; every ordering ends with the id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathwayOrdering {
    /// The order of the Model Curriculum Standards: by sector, then as published.
    Standard,
    NameAsc,
    NameDesc,
    CodeAsc,
}

impl PathwayOrdering {
    fn keyset(self) -> Keyset<pathway::Column> {
        let (sort, descending) = match self {
            PathwayOrdering::Standard => (pathway::Column::SortOrder, false),
            PathwayOrdering::NameAsc => (pathway::Column::Name, false),
            PathwayOrdering::NameDesc => (pathway::Column::Name, true),
            PathwayOrdering::CodeAsc => (pathway::Column::Code, false),
        };
        Keyset {
            sort,
            id: pathway::Column::Id,
            descending,
        }
    }

    fn cursor_key(self) -> fn(&pathway::Model) -> CursorKey {
        match self {
            PathwayOrdering::Standard => |p| CursorKey {
                sort: SortValue::Int(p.sort_order.into()),
                id: p.id,
            },
            PathwayOrdering::NameAsc | PathwayOrdering::NameDesc => |p| CursorKey {
                sort: SortValue::Text(p.name.clone()),
                id: p.id,
            },
            PathwayOrdering::CodeAsc => |p| CursorKey {
                sort: SortValue::Text(p.code.clone()),
                id: p.id,
            },
        }
    }
}

/// Filters on the `pathways` list; all given filters must hold.
#[derive(Clone, Debug, Default)]
pub struct PathwayCriteria {
    pub sector_id: Option<i32>,
    /// Case-insensitive substring of the name or one of its aliases.
    pub search: Option<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
    /// Only pathways districts or schools run themselves, as asked.
    pub offered_by: crate::catalog::school_pathways::store::OfferedBy,
}

fn live_pathways() -> Select<pathway::Entity> {
    pathway::Entity::find().filter(pathway::Column::DeletedAt.is_null())
}

/// All 15 sectors in their published order.
pub async fn sectors(db: &DatabaseConnection) -> ApiResult<Vec<industry_sector::Model>> {
    Ok(industry_sector::Entity::find()
        .filter(industry_sector::Column::DeletedAt.is_null())
        .order_by_asc(industry_sector::Column::SortOrder)
        .order_by_asc(industry_sector::Column::Id)
        .all(db)
        .await?)
}

/// The live sectors with these ids, by id (for the sectors of partners and educator programs).
pub async fn live_sectors_by_id(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, industry_sector::Model>, sea_orm::DbErr> {
    Ok(industry_sector::Entity::find()
        .filter(industry_sector::Column::Id.is_in(ids))
        .filter(industry_sector::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}

/// A sector by its code, e.g. `HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY`.
pub async fn sector_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ApiResult<Option<industry_sector::Model>> {
    crate::resolve::by_code::<industry_sector::Entity>(db, code).await
}

/// A pathway by its code, e.g. `PATIENT_CARE`.
pub async fn pathway_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ApiResult<Option<pathway::Model>> {
    crate::resolve::by_code::<pathway::Entity>(db, code).await
}

/// One page of the pathway list.
pub async fn pathways_page(
    db: &DatabaseConnection,
    criteria: &PathwayCriteria,
    ordering: PathwayOrdering,
    req: &PageRequest,
) -> ApiResult<Page<pathway::Model>> {
    let mut select = live_pathways();
    if criteria.exclude_sample {
        select = select.filter(pathway::Column::Sample.eq(false));
    }
    if let Some(sector_id) = criteria.sector_id {
        select = select.filter(pathway::Column::SectorId.eq(sector_id));
    }
    if criteria.offered_by.is_some() {
        select = select.filter(criteria.offered_by.condition());
    }
    if let Some(search) = criteria
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = format!("%{}%", search.to_lowercase().replace(['%', '_'], ""));
        select = select.filter(
            Expr::expr(Func::lower(Expr::col(pathway::Column::Name)))
                .like(pattern.clone())
                .or(Expr::expr(Func::lower(Expr::col(pathway::Column::Aliases))).like(pattern)),
        );
    }
    paging::fetch_page(db, select, ordering.keyset(), req, ordering.cursor_key()).await
}
