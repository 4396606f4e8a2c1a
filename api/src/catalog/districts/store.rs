//! SQL of the districts area.

use entity::{district, jpa_membership, regional_program, school};
use sea_orm::{
    sea_query::{Expr, Func},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, Select,
};

use crate::{
    catalog::programs::store::{memberships_in_force, text_in},
    codes::LeaCode,
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

fn live_districts() -> Select<district::Entity> {
    district::Entity::find().filter(district::Column::DeletedAt.is_null())
}

fn live_schools() -> Select<school::Entity> {
    school::Entity::find().filter(school::Column::DeletedAt.is_null())
}

/// A district by its key (its CDS code, or its short code when it has none).
pub async fn district_by_code(
    db: &impl ConnectionTrait,
    cds: &LeaCode,
) -> ApiResult<Option<district::Model>> {
    crate::resolve::by_key::<district::Entity>(db, "code", cds.as_str(), None).await
}

/// A school by its key (its CDS code, or its short code when it has none).
pub async fn school_by_code(
    db: &impl ConnectionTrait,
    cds: &LeaCode,
) -> ApiResult<Option<school::Model>> {
    crate::resolve::by_key::<school::Entity>(db, "code", cds.as_str(), None).await
}

/// Filters on the `districts` list.
#[derive(Default, Debug, Clone)]
pub struct DistrictCriteria {
    pub search: Option<String>,
    pub county: Option<String>,
    /// Only members (on `on_date`, default today) of this program.
    pub member_of_program_id: Option<i32>,
    pub on_date: Option<chrono::NaiveDate>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of districts, by name.
pub async fn districts_page(
    db: &DatabaseConnection,
    criteria: &DistrictCriteria,
    req: &PageRequest,
) -> ApiResult<Page<district::Model>> {
    use district::Column as C;
    let mut select = live_districts();
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(search) = text_in(criteria.search.as_deref(), &[C::Name]) {
        select = select.filter(search);
    }
    if let Some(county) = criteria.county.as_deref() {
        select = select
            .filter(Expr::expr(Func::lower(Expr::col(C::County))).eq(county.trim().to_lowercase()));
    }
    if let Some(program_id) = criteria.member_of_program_id {
        let on = criteria
            .on_date
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        select = select.filter(
            C::Id.in_subquery(
                memberships_in_force(jpa_membership::Column::DistrictId, on)
                    .and_where(jpa_membership::Column::ProgramId.eq(program_id))
                    .to_owned(),
            ),
        );
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |d| CursorKey {
        sort: SortValue::Text(d.name.clone()),
        id: d.id,
    })
    .await
}

/// Filters on the `schools` list.
#[derive(Default, Debug, Clone)]
pub struct SchoolCriteria {
    pub district_id: Option<i32>,
    pub search: Option<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// One page of schools, by name.
pub async fn schools_page(
    db: &DatabaseConnection,
    criteria: &SchoolCriteria,
    req: &PageRequest,
) -> ApiResult<Page<school::Model>> {
    use school::Column as C;
    let mut select = live_schools();
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(district_id) = criteria.district_id {
        select = select.filter(C::DistrictId.eq(district_id));
    }
    if let Some(search) = text_in(criteria.search.as_deref(), &[C::Name, C::City]) {
        select = select.filter(search);
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |s| CursorKey {
        sort: SortValue::Text(s.name.clone()),
        id: s.id,
    })
    .await
}

/// Programs a district belongs to on a date (a handful per district).
pub async fn programs_of_district(
    db: &DatabaseConnection,
    district_id: i32,
    on: chrono::NaiveDate,
) -> ApiResult<Vec<regional_program::Model>> {
    Ok(regional_program::Entity::find()
        .filter(regional_program::Column::DeletedAt.is_null())
        .filter(
            regional_program::Column::Id.in_subquery(
                memberships_in_force(jpa_membership::Column::ProgramId, on)
                    .and_where(jpa_membership::Column::DistrictId.eq(district_id))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?)
}

/// The live districts with these keys (CDS code, or short code where none).
pub async fn live_districts_by_code(
    db: &DatabaseConnection,
    codes: Vec<String>,
) -> Result<Vec<district::Model>, sea_orm::DbErr> {
    district::Entity::find()
        .filter(district::Column::Code.is_in(codes))
        .filter(district::Column::DeletedAt.is_null())
        .all(db)
        .await
}

/// The live schools with these keys (CDS code, or short code where none).
pub async fn live_schools_by_code(
    db: &DatabaseConnection,
    codes: Vec<String>,
) -> Result<Vec<school::Model>, sea_orm::DbErr> {
    school::Entity::find()
        .filter(school::Column::Code.is_in(codes))
        .filter(school::Column::DeletedAt.is_null())
        .all(db)
        .await
}
