//! SQL of the offerings list. Filters become subqueries on `course`, `term`,
//! `jpa_membership` and `regional_program`: one statement per page.

use chrono::NaiveDate;
use entity::{course, course_offering, term};
use sea_orm::{
    sea_query::{Expr, Query, SimpleExpr},
    ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, Value,
};

use crate::{
    catalog::{courses::store::CourseCriteria, eligibility::rules::Student},
    error::ApiResult,
    graphql::relay::{self, CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Offering filters with codes resolved; all must hold, lists are OR.
#[derive(Default, Debug, Clone)]
pub struct OfferingCriteria {
    pub course: CourseCriteria,
    pub term_code: Option<String>,
    pub schedules: Vec<&'static str>,
    pub modalities: Vec<&'static str>,
    pub statuses: Vec<&'static str>,
    pub has_open_seats: Option<bool>,
    /// Only sections a student of this district takes free on the date.
    pub free_for_district: Option<(i32, NaiveDate)>,
    /// Only sections this student may enrol in on the date.
    pub eligible_for: Option<(i32, Student, NaiveDate)>,
}

/// Live programs' member districts on a date, as SQL (`?`: district id, date, date).
const MEMBER_PROGRAMS: &str =
    "SELECT m.program_id FROM jpa_membership m WHERE m.deleted_at IS NULL \
     AND m.district_id = ? AND m.joined_on <= ? AND (m.withdrawn_on IS NULL OR m.withdrawn_on > ?)";

/// Custom SQL written with `?` placeholders; sea-query's PostgreSQL builder
/// expects `$` there (taken in order when unnumbered).
fn custom(backend: DatabaseBackend, sql: String, values: Vec<Value>) -> SimpleExpr {
    let sql = match backend {
        DatabaseBackend::Postgres => sql.replace('?', "$"),
        _ => sql,
    };
    Expr::cust_with_values(sql, values)
}

fn date(d: NaiveDate) -> Value {
    Value::ChronoDate(Some(d))
}

impl OfferingCriteria {
    fn condition(&self, backend: DatabaseBackend) -> Condition {
        use course_offering::Column as C;
        let mut cond = Condition::all().add(C::DeletedAt.is_null());
        if !self.course.is_empty() {
            cond = cond.add(
                C::CourseId.in_subquery(
                    Query::select()
                        .column(course::Column::Id)
                        .from(course::Entity)
                        .cond_where(self.course.condition())
                        .to_owned(),
                ),
            );
        }
        if let Some(code) = &self.term_code {
            cond = cond.add(
                C::TermId.in_subquery(
                    Query::select()
                        .column(term::Column::Id)
                        .from(term::Entity)
                        .and_where(term::Column::Code.eq(code.as_str()))
                        .and_where(term::Column::DeletedAt.is_null())
                        .to_owned(),
                ),
            );
        }
        if !self.schedules.is_empty() {
            cond = cond.add(C::Schedule.is_in(self.schedules.iter().copied()));
        }
        if !self.modalities.is_empty() {
            cond = cond.add(C::Modality.is_in(self.modalities.iter().copied()));
        }
        if !self.statuses.is_empty() {
            cond = cond.add(C::Status.is_in(self.statuses.iter().copied()));
        }
        match self.has_open_seats {
            Some(true) => {
                cond = cond.add(C::SeatsAvailable.gt(0)).add(C::Status.eq("OPEN"));
            }
            Some(false) => {
                cond = cond.add(
                    Condition::any()
                        .add(C::SeatsAvailable.lte(0))
                        .add(C::Status.ne("OPEN")),
                );
            }
            None => {}
        }
        if let Some((district_id, on)) = self.free_for_district {
            // Member on the date, and the membership covers tuition and materials.
            let sql = format!(
                "course_offering.status <> 'CANCELLED' AND course_offering.course_id IN (SELECT c.id FROM course c \
                 WHERE c.deleted_at IS NULL AND c.program_id IN ({MEMBER_PROGRAMS} AND m.covers_tuition = ? AND m.covers_materials = ?))"
            );
            cond = cond.add(custom(
                backend,
                sql,
                vec![
                    Value::Int(Some(district_id)),
                    date(on),
                    date(on),
                    Value::Bool(Some(true)),
                    Value::Bool(Some(true)),
                ],
            ));
        }
        if let Some((district_id, student, on)) = self.eligible_for {
            cond = cond.add(eligible_condition(backend, district_id, student, on));
        }
        cond
    }
}

/// Sections a student may enrol in: the same rules as `eligibility::rules`,
/// as SQL over program policy, course overrides and dated memberships.
fn eligible_condition(
    backend: DatabaseBackend,
    district_id: i32,
    student: Student,
    on: NaiveDate,
) -> SimpleExpr {
    let mut sql = String::from(
        "course_offering.status <> 'CANCELLED' AND course_offering.course_id IN (SELECT c.id FROM course c \
         JOIN regional_program p ON p.id = c.program_id WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL \
         AND (p.closed_on IS NULL OR p.closed_on > ?)",
    );
    let mut values = vec![date(on)];
    if student.adult {
        sql.push_str(" AND p.adults_allowed = ?");
        values.push(Value::Bool(Some(true)));
    } else {
        sql.push_str(&format!(
            " AND (p.non_members_allowed = ? OR p.id IN ({MEMBER_PROGRAMS}))"
        ));
        values.extend([
            Value::Bool(Some(true)),
            Value::Int(Some(district_id)),
            date(on),
            date(on),
        ]);
    }
    if let Some(grade) = student.grade {
        sql.push_str(
            " AND COALESCE(c.min_grade, p.min_grade, 0) <= ? AND COALESCE(p.max_grade, 99) >= ?",
        );
        values.extend([Value::Int(Some(grade)), Value::Int(Some(grade))]);
    }
    if let Some(age) = student.age {
        sql.push_str(" AND COALESCE(c.min_age, p.min_age, 0) <= ?");
        values.push(Value::Int(Some(age)));
    }
    sql.push(')');
    custom(backend, sql, values)
}

/// One page of offerings, in a stable order (id).
pub async fn offerings_page(
    db: &DatabaseConnection,
    criteria: &OfferingCriteria,
    req: &PageRequest,
) -> ApiResult<Page<course_offering::Model>> {
    let select =
        course_offering::Entity::find().filter(criteria.condition(db.get_database_backend()));
    let order = Keyset {
        sort: course_offering::Column::Id,
        id: course_offering::Column::Id,
        descending: false,
    };
    relay::fetch_page(db, select, order, req, |o| CursorKey {
        sort: SortValue::Int(o.id.into()),
        id: o.id,
    })
    .await
}
