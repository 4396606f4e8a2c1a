//! The SQL of school pathways: what the loaders, the `pathways` filter and the writes read.

use std::collections::HashMap;

use entity::{course, funding_program, school, school_pathway, school_pathway_course};
use sea_orm::{
    sea_query::Query, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter,
};

use crate::error::{ApiError, ApiResult};

/// Which school pathways a `pathways` filter asks for (all given must hold).
#[derive(Clone, Debug, Default)]
pub struct OfferedBy {
    pub school_id: Option<i32>,
    pub district_id: Option<i32>,
    pub academy: Option<bool>,
}

impl OfferedBy {
    /// Whether the filter asks anything.
    pub fn is_some(&self) -> bool {
        self.school_id.is_some() || self.district_id.is_some() || self.academy.is_some()
    }

    /// `pathway.id IN (the state pathways of matching live school pathways)`.
    pub fn condition(&self) -> Condition {
        let mut sub = Query::select();
        sub.column(school_pathway::Column::PathwayId)
            .from(school_pathway::Entity)
            .and_where(school_pathway::Column::DeletedAt.is_null())
            .and_where(school_pathway::Column::PathwayId.is_not_null());
        if let Some(id) = self.school_id {
            sub.and_where(school_pathway::Column::SchoolId.eq(id));
        }
        if let Some(id) = self.district_id {
            sub.and_where(school_pathway::Column::DistrictId.eq(id));
        }
        if let Some(academy) = self.academy {
            sub.and_where(school_pathway::Column::Academy.eq(academy));
        }
        Condition::all().add(entity::pathway::Column::Id.in_subquery(sub.to_owned()))
    }
}

/// The id of the funding program with `code` (e.g. `CPA`).
pub async fn funding_program_id(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> ApiResult<i32> {
    funding_program::Entity::find()
        .filter(funding_program::Column::Code.eq(code.trim()))
        .filter(funding_program::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .map(|f| f.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no funding program has code '{code}'")))
}

/// The live school pathway with `key`.
pub async fn live(db: &impl ConnectionTrait, key: i32) -> ApiResult<school_pathway::Model> {
    school_pathway::Entity::find_by_id(key)
        .filter(school_pathway::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input("schoolPathwayId", "no live school pathway has this ID"))
}

/// The school pathway with `key`, deleted or not (its owner is its district either way).
pub async fn by_id(
    db: &impl ConnectionTrait,
    key: i32,
) -> ApiResult<Option<school_pathway::Model>> {
    Ok(school_pathway::Entity::find_by_id(key).one(db).await?)
}

/// The link that puts course `course_id` in school pathway `school_pathway_id`, if any.
pub async fn course_link(
    db: &impl ConnectionTrait,
    school_pathway_id: i32,
    course_id: i32,
) -> ApiResult<Option<school_pathway_course::Model>> {
    Ok(school_pathway_course::Entity::find()
        .filter(school_pathway_course::Column::SchoolPathwayId.eq(school_pathway_id))
        .filter(school_pathway_course::Column::CourseId.eq(course_id))
        .one(db)
        .await?)
}

/// The course links of the school pathways `ids` and their live courses by id: two
/// statements, whatever the number of pathways.
pub async fn courses_of(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i32>,
) -> ApiResult<(
    Vec<school_pathway_course::Model>,
    HashMap<i32, course::Model>,
)> {
    let links = school_pathway_course::Entity::find()
        .filter(school_pathway_course::Column::SchoolPathwayId.is_in(ids))
        .all(db)
        .await?;
    let courses = course::Entity::find()
        .filter(course::Column::Id.is_in(links.iter().map(|l| l.course_id)))
        .filter(course::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok((links, courses))
}

/// The live school pathways that run any of the state pathways `pathway_ids`.
pub async fn running(
    db: &DatabaseConnection,
    pathway_ids: impl IntoIterator<Item = i32>,
) -> ApiResult<Vec<school_pathway::Model>> {
    Ok(school_pathway::Entity::find()
        .filter(school_pathway::Column::PathwayId.is_in(pathway_ids))
        .filter(school_pathway::Column::DeletedAt.is_null())
        .all(db)
        .await?)
}

/// Schools by id.
pub async fn schools(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i32>,
) -> ApiResult<HashMap<i32, school::Model>> {
    Ok(school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect())
}
