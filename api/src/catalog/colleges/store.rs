//! SQL of the colleges area: the `colleges` list and a college by its IPEDS id.

use entity::college;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    catalog::programs::store::text_in,
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Filters on the `colleges` list.
#[derive(Default, Debug, Clone)]
pub struct CollegeCriteria {
    /// Any of these stored kinds (none: every kind).
    pub kinds: Vec<&'static str>,
    /// Text in the name, college district or city, any case.
    pub search: Option<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of colleges, by name.
pub async fn colleges_page(
    db: &DatabaseConnection,
    criteria: &CollegeCriteria,
    req: &PageRequest,
) -> ApiResult<Page<college::Model>> {
    use college::Column as C;
    let mut select = college::Entity::find().filter(C::DeletedAt.is_null());
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if !criteria.kinds.is_empty() {
        select = select.filter(C::Kind.is_in(criteria.kinds.iter().copied()));
    }
    if let Some(search) = text_in(
        criteria.search.as_deref(),
        &[C::Name, C::CollegeDistrict, C::City],
    ) {
        select = select.filter(search);
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |c| CursorKey {
        sort: SortValue::Text(c.name.clone()),
        id: c.id,
    })
    .await
}

/// The live college with this 6-digit IPEDS unit id.
pub async fn by_ipeds_id(
    db: &DatabaseConnection,
    ipeds: &str,
) -> ApiResult<Option<college::Model>> {
    Ok(college::Entity::find()
        .filter(college::Column::DeletedAt.is_null())
        .filter(college::Column::IpedsId.eq(ipeds))
        .one(db)
        .await?)
}
