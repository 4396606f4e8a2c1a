//! SQL of the funding area: the `fundingPrograms` list.

use entity::funding_program;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// One page of funding programs, by name; without sample records when `exclude_sample`.
pub async fn funding_programs_page(
    db: &DatabaseConnection,
    exclude_sample: bool,
    req: &PageRequest,
) -> ApiResult<Page<funding_program::Model>> {
    use funding_program::Column as C;
    let mut select = funding_program::Entity::find().filter(C::DeletedAt.is_null());
    if exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |row| CursorKey {
        sort: SortValue::Text(row.name.clone()),
        id: row.id,
    })
    .await
}
