//! SQL of the programs area.

use entity::{jpa_membership, regional_program};
use sea_orm::{
    sea_query::{Expr, Func, Query, SelectStatement},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait,
    QueryFilter, Select,
};

use crate::{
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Filters on the `programs` list.
#[derive(Default, Debug, Clone)]
pub struct ProgramCriteria {
    /// Case-insensitive text in the name, short name or code.
    pub search: Option<String>,
    /// Only programs this district is a member of on `on_date`.
    pub member_district_id: Option<i32>,
    /// The date membership is checked on.
    pub on_date: Option<chrono::NaiveDate>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

fn live() -> Select<regional_program::Entity> {
    regional_program::Entity::find().filter(regional_program::Column::DeletedAt.is_null())
}

/// A `LIKE` pattern for case-insensitive substring search.
pub fn like_pattern(search: &str) -> String {
    format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""))
}

/// The `search` filter of the lists: rows where any of `columns` holds the text, in any case;
/// `None` for no search or a blank one (no filter).
pub fn text_in<C>(search: Option<&str>, columns: &[C]) -> Option<Condition>
where
    C: ColumnTrait + Copy,
{
    let search = search.filter(|s| !s.trim().is_empty())?;
    let pattern = like_pattern(search);
    Some(columns.iter().fold(Condition::any(), |any, column| {
        any.add(Expr::expr(Func::lower(Expr::col(*column))).like(pattern.clone()))
    }))
}

/// `SELECT column FROM jpa_membership` for memberships in force on `on`:
/// joined on or before it and not withdrawn by then. The one place the
/// dated-membership rule is written for list filters.
pub fn memberships_in_force(
    column: jpa_membership::Column,
    on: chrono::NaiveDate,
) -> SelectStatement {
    Query::select()
        .column(column)
        .from(jpa_membership::Entity)
        .and_where(jpa_membership::Column::DeletedAt.is_null())
        .and_where(jpa_membership::Column::JoinedOn.lte(on))
        .and_where(
            jpa_membership::Column::WithdrawnOn
                .is_null()
                .or(jpa_membership::Column::WithdrawnOn.gt(on)),
        )
        .to_owned()
}

/// A program by code, e.g. `SOCAL_ROC`.
pub async fn program_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ApiResult<Option<regional_program::Model>> {
    crate::resolve::by_code::<regional_program::Entity>(db, code).await
}

/// One page of programs, by name.
pub async fn programs_page(
    db: &DatabaseConnection,
    criteria: &ProgramCriteria,
    req: &PageRequest,
) -> ApiResult<Page<regional_program::Model>> {
    use regional_program::Column as C;
    let mut select = live();
    if criteria.exclude_sample {
        select = select.filter(C::Sample.eq(false));
    }
    if let Some(search) = text_in(
        criteria.search.as_deref(),
        &[C::Name, C::ShortName, C::Code],
    ) {
        select = select.filter(search);
    }
    if let Some(district_id) = criteria.member_district_id {
        let on = criteria
            .on_date
            .unwrap_or_else(|| chrono::Utc::now().date_naive());
        select = select.filter(
            C::Id.in_subquery(
                memberships_in_force(jpa_membership::Column::ProgramId, on)
                    .and_where(jpa_membership::Column::DistrictId.eq(district_id))
                    .to_owned(),
            ),
        );
    }
    let order = Keyset {
        sort: C::Name,
        id: C::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |p| CursorKey {
        sort: SortValue::Text(p.name.clone()),
        id: p.id,
    })
    .await
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn a_blank_search_is_no_filter_and_a_search_looks_in_every_column() {
        use regional_program::Column as C;
        assert!(text_in::<C>(None, &[C::Name]).is_none());
        assert!(text_in(Some("   "), &[C::Name]).is_none());
        let search = text_in(Some(" Auto_% "), &[C::Name, C::Code]).expect("a filter");
        let sql = regional_program::Entity::find()
            .filter(search)
            .build(DbBackend::Postgres)
            .to_string();
        // Any case, wildcards the user typed taken out, either column.
        assert!(sql.contains(r#"LOWER("name") LIKE '%auto%'"#), "{sql}");
        assert!(sql.contains(r#" OR LOWER("code") LIKE '%auto%'"#), "{sql}");
    }
}
