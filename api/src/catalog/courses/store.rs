//! SQL of the courses area. [`CourseCriteria::condition`] is shared with the
//! offerings list, which filters sections by their course.

use entity::{
    articulation, certification, course, course_certification, course_prerequisite, pathway,
};
use sea_orm::{
    sea_query::Query, ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};

use crate::{
    catalog::search::store as search,
    error::ApiResult,
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Course filters with codes already resolved to ids; all must hold.
#[derive(Default, Debug, Clone)]
pub struct CourseCriteria {
    pub program_id: Option<i32>,
    pub pathway_id: Option<i32>,
    pub sector_id: Option<i32>,
    pub level: Option<&'static str>,
    /// Any of these A-G letters.
    pub ag_areas: Vec<&'static str>,
    /// Only courses with college credit (an articulation).
    pub college_credit: Option<bool>,
    pub certification_id: Option<i32>,
    /// Full-text search words (all must match, as prefixes).
    pub search_words: Vec<String>,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

impl CourseCriteria {
    /// The SQL condition on `course` rows.
    pub fn condition(&self, backend: DatabaseBackend) -> Condition {
        use course::Column as C;
        let mut cond = Condition::all().add(C::DeletedAt.is_null());
        if self.exclude_sample {
            cond = cond.add(C::Sample.eq(false));
        }
        if let Some(id) = self.program_id {
            cond = cond.add(C::ProgramId.eq(id));
        }
        if let Some(id) = self.pathway_id {
            cond = cond.add(C::PathwayId.eq(id));
        }
        if let Some(id) = self.sector_id {
            cond = cond.add(
                C::PathwayId.in_subquery(
                    Query::select()
                        .column(pathway::Column::Id)
                        .from(pathway::Entity)
                        .and_where(pathway::Column::SectorId.eq(id))
                        .to_owned(),
                ),
            );
        }
        if let Some(level) = self.level {
            cond = cond.add(C::Level.eq(level));
        }
        if !self.ag_areas.is_empty() {
            cond = cond.add(C::AgArea.is_in(self.ag_areas.iter().copied()));
        }
        if let Some(credit) = self.college_credit {
            let articulated = Query::select()
                .column(articulation::Column::CourseId)
                .from(articulation::Entity)
                .and_where(articulation::Column::DeletedAt.is_null())
                .to_owned();
            cond = cond.add(if credit {
                C::Id.in_subquery(articulated)
            } else {
                C::Id.not_in_subquery(articulated)
            });
        }
        if let Some(id) = self.certification_id {
            cond = cond.add(
                C::Id.in_subquery(
                    Query::select()
                        .column(course_certification::Column::CourseId)
                        .from(course_certification::Entity)
                        .and_where(course_certification::Column::CertificationId.eq(id))
                        .to_owned(),
                ),
            );
        }
        if !self.search_words.is_empty() {
            let (sql, values) =
                search::matching_ids(backend, search::COURSE_KIND, &self.search_words);
            cond = cond.add(crate::db::custom_expr(
                backend,
                format!("course.id IN ({sql})"),
                values,
            ));
        }
        cond
    }

    /// Whether any course filter is set (the offerings list skips the subquery otherwise).
    pub fn is_empty(&self) -> bool {
        self.program_id.is_none()
            && self.pathway_id.is_none()
            && self.sector_id.is_none()
            && self.level.is_none()
            && self.ag_areas.is_empty()
            && self.college_credit.is_none()
            && self.certification_id.is_none()
            && self.search_words.is_empty()
            && !self.exclude_sample
    }
}

/// One page of courses, by title.
pub async fn courses_page(
    db: &DatabaseConnection,
    criteria: &CourseCriteria,
    req: &PageRequest,
) -> ApiResult<Page<course::Model>> {
    let select = course::Entity::find().filter(criteria.condition(db.get_database_backend()));
    let order = Keyset {
        sort: course::Column::Title,
        id: course::Column::Id,
        descending: false,
    };
    paging::fetch_page(db, select, order, req, |c| CursorKey {
        sort: SortValue::Text(c.title.clone()),
        id: c.id,
    })
    .await
}

/// The certification links of these courses, each with its certification (deleted ones too:
/// the loaders leave them out).
pub async fn certification_links(
    db: &DatabaseConnection,
    course_ids: Vec<i32>,
) -> Result<Vec<(course_certification::Model, Option<certification::Model>)>, DbErr> {
    course_certification::Entity::find()
        .filter(course_certification::Column::CourseId.is_in(course_ids))
        .find_also_related(certification::Entity)
        .all(db)
        .await
}

/// The live courses of these pathways.
pub async fn live_courses_of_pathways(
    db: &DatabaseConnection,
    pathway_ids: Vec<i32>,
) -> Result<Vec<course::Model>, DbErr> {
    course::Entity::find()
        .filter(course::Column::PathwayId.is_in(pathway_ids))
        .filter(course::Column::DeletedAt.is_null())
        .all(db)
        .await
}

/// The prerequisite links of these courses.
pub async fn prerequisite_links(
    db: &DatabaseConnection,
    course_ids: Vec<i32>,
) -> Result<Vec<course_prerequisite::Model>, DbErr> {
    course_prerequisite::Entity::find()
        .filter(course_prerequisite::Column::CourseId.is_in(course_ids))
        .all(db)
        .await
}

/// The live courses with these ids.
pub async fn live_courses(
    db: &DatabaseConnection,
    ids: Vec<i32>,
) -> Result<Vec<course::Model>, DbErr> {
    course::Entity::find()
        .filter(course::Column::Id.is_in(ids))
        .filter(course::Column::DeletedAt.is_null())
        .all(db)
        .await
}
