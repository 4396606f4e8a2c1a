//! SQL of the offerings list. Filters become subqueries on `course`, `term`,
//! `jpa_membership` and `regional_program`: one statement per page.

use chrono::NaiveDate;
use entity::{course, course_offering, term};
use sea_orm::{
    sea_query::{Query, SimpleExpr},
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
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

/// Live programs' member districts on a date, as SQL (`?`: district id, date, date).
const MEMBER_PROGRAMS: &str =
    "SELECT m.program_id FROM jpa_membership m WHERE m.deleted_at IS NULL \
     AND m.district_id = ? AND m.joined_on <= ? AND (m.withdrawn_on IS NULL OR m.withdrawn_on > ?)";

fn date(d: NaiveDate) -> Value {
    Value::ChronoDate(Some(d))
}

impl OfferingCriteria {
    fn condition(&self, backend: DatabaseBackend) -> Condition {
        use course_offering::Column as C;
        let mut cond = Condition::all().add(C::DeletedAt.is_null());
        if self.exclude_sample {
            cond = cond.add(C::Sample.eq(false));
        }
        if !self.course.is_empty() {
            cond = cond.add(
                C::CourseId.in_subquery(
                    Query::select()
                        .column(course::Column::Id)
                        .from(course::Entity)
                        .cond_where(self.course.condition(backend))
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
            cond = cond.add(crate::db::custom_expr(
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
    crate::db::custom_expr(backend, sql, values)
}

/// How the offerings list is ordered; every ordering ends with the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfferingOrdering {
    /// In the order sections were listed (id).
    #[default]
    Listed,
    /// By course title.
    Title,
    /// By the term's start date, soonest first.
    StartDate,
    /// By what a non-member pays, cheapest first.
    Tuition,
}

/// One page of offerings in the requested order.
pub async fn offerings_page(
    db: &DatabaseConnection,
    criteria: &OfferingCriteria,
    ordering: OfferingOrdering,
    req: &PageRequest,
) -> ApiResult<Page<course_offering::Model>> {
    use course_offering::Column as C;
    let select =
        course_offering::Entity::find().filter(criteria.condition(db.get_database_backend()));
    match ordering {
        OfferingOrdering::Listed => {
            let order = Keyset {
                sort: C::Id,
                id: C::Id,
                descending: false,
            };
            relay::fetch_page(db, select, order, req, |o| CursorKey {
                sort: SortValue::Int(o.id.into()),
                id: o.id,
            })
            .await
        }
        OfferingOrdering::Tuition => {
            let order = Keyset {
                sort: C::TuitionCents,
                id: C::Id,
                descending: false,
            };
            relay::fetch_page(db, select, order, req, |o| CursorKey {
                sort: SortValue::Int(o.tuition_cents.into()),
                id: o.id,
            })
            .await
        }
        OfferingOrdering::Title => {
            let sort = sea_orm::sea_query::Expr::cust(
                "(SELECT c.title FROM course c WHERE c.id = course_offering.course_id)",
            );
            relay::fetch_page_by_expr(db, select, sort, C::Id, false, req).await
        }
        OfferingOrdering::StartDate => {
            let sort = sea_orm::sea_query::Expr::cust(
                "(SELECT CAST(t.starts_on AS TEXT) FROM term t WHERE t.id = course_offering.term_id)",
            );
            relay::fetch_page_by_expr(db, select, sort, C::Id, false, req).await
        }
    }
}

/// A point and radius for the `near` filter.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub lat: f64,
    pub lng: f64,
    pub radius_km: f64,
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().atan2((1.0 - a).sqrt())
}

/// One page of offerings within `near.radius_km` of a point, nearest first
/// (ties by id). The database narrows to a bounding box of the circle; exact
/// distances are computed here, so the ordering is the same on both databases.
/// Three statements whatever the page size: candidates, their sites, the page.
pub async fn offerings_near(
    db: &DatabaseConnection,
    criteria: &OfferingCriteria,
    near: Near,
    req: &PageRequest,
) -> ApiResult<Page<(course_offering::Model, f64)>> {
    use entity::program_site;
    use sea_orm::QuerySelect;
    let req = &req.bound(&format!(
        "{} NEAR {} {} {}",
        relay::query_text(
            &course_offering::Entity::find().filter(criteria.condition(db.get_database_backend()))
        ),
        near.lat,
        near.lng,
        near.radius_km
    ))?;
    let dlat = near.radius_km / 111.0;
    let dlng = near.radius_km / (111.0 * near.lat.to_radians().cos().abs().max(0.01));
    let sites: Vec<(i32, Option<f64>, Option<f64>)> = program_site::Entity::find()
        .select_only()
        .column(program_site::Column::Id)
        .column(program_site::Column::Lat)
        .column(program_site::Column::Lng)
        .filter(program_site::Column::DeletedAt.is_null())
        .filter(program_site::Column::Lat.between(near.lat - dlat, near.lat + dlat))
        .filter(program_site::Column::Lng.between(near.lng - dlng, near.lng + dlng))
        .into_tuple()
        .all(db)
        .await?;
    let site_distance: std::collections::HashMap<i32, f64> = sites
        .into_iter()
        .filter_map(|(id, lat, lng)| Some((id, distance_km(near.lat, near.lng, lat?, lng?))))
        .filter(|(_, d)| *d <= near.radius_km)
        .collect();
    let candidates: Vec<(i32, Option<i32>)> = course_offering::Entity::find()
        .select_only()
        .column(course_offering::Column::Id)
        .column(course_offering::Column::SiteId)
        .filter(criteria.condition(db.get_database_backend()))
        .filter(course_offering::Column::SiteId.is_in(site_distance.keys().copied()))
        .into_tuple()
        .all(db)
        .await?;
    // (distance in metres, id): an integer keyset that sorts like the distance.
    let mut keyed: Vec<(i64, i32, f64)> = candidates
        .into_iter()
        .filter_map(|(id, site)| {
            site_distance
                .get(&site?)
                .map(|d| ((d * 1000.0).round() as i64, id, *d))
        })
        .collect();
    keyed.sort_by_key(|(m, id, _)| (*m, *id));
    let total = keyed.len() as u64;
    let position = |(m, id): (i64, i32)| match &req.cursor {
        Some(c) => {
            let key = (if let SortValue::Int(v) = c.sort { v } else { 0 }, c.id);
            if req.backward {
                (m, id) < key
            } else {
                (m, id) > key
            }
        }
        None => true,
    };
    let mut window: Vec<(i64, i32, f64)> = keyed
        .into_iter()
        .filter(|(m, id, _)| position((*m, *id)))
        .collect();
    if req.backward {
        window.reverse();
    }
    window.truncate(req.size as usize + 1);
    let ids: Vec<i32> = window.iter().map(|(_, id, _)| *id).collect();
    let mut rows: std::collections::HashMap<i32, course_offering::Model> =
        course_offering::Entity::find()
            .filter(course_offering::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let ordered: Vec<(course_offering::Model, f64, i64)> = window
        .into_iter()
        .filter_map(|(m, id, d)| rows.remove(&id).map(|r| (r, d, m)))
        .collect();
    let page = Page::from_rows(
        ordered,
        req,
        |(r, _, m)| CursorKey {
            sort: SortValue::Int(*m),
            id: r.id,
        },
        relay::TotalCount::Known(total),
    );
    Ok(page.map(|(r, d, _)| (r, d)))
}
