//! SQL of the offerings list. Plain filters become subqueries on `course` and
//! `term`: one statement per page. Filters about a student (`eligibleFor`,
//! `freeForDistrict`, `collegeCredit`) are decided by the rules modules, never
//! re-derived in SQL: SQL narrows to a superset of candidates, the rules decide
//! each one, and the page is cut in memory. That path runs a fixed number of
//! statements whatever the page size.

use std::{cmp::Ordering, collections::HashMap};

use chrono::NaiveDate;
use entity::{course, course_offering, district, jpa_membership, regional_program, term};
use sea_orm::{
    sea_query::{Query, SelectStatement},
    ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, Value,
};

use crate::{
    catalog::{
        colleges::{credit, credit::CreditFor},
        courses::store::CourseCriteria,
        eligibility::rules::{decide, EligibilityStatus, OfferingFacts, ProgramFacts, Student},
    },
    error::{ApiError, ApiResult},
    paging,
    paging::{CursorKey, Keyset, Page, PageRequest, SortValue, TotalCount},
    vocabulary::{OfferingStatus, Stored},
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
    /// Only sections `costFor` calls FREE for a student of this district (with
    /// the `eligible_for` student's grade and age when given, else any).
    pub free_for_district: Option<district::Model>,
    /// Only sections `costFor` does not call NOT_ELIGIBLE for this student.
    pub eligible_for: Option<(district::Model, Student)>,
    /// With (true) or without (false) college credit that applies to the
    /// student (see `colleges::credit`).
    pub college_credit: Option<bool>,
    /// The date memberships, agreements and closures are checked on.
    pub on: NaiveDate,
    /// Leave out sample records (`includeSample: false`).
    pub exclude_sample: bool,
}

impl OfferingCriteria {
    /// Whether a filter needs the rules modules (and the in-memory path).
    pub fn needs_rules(&self) -> bool {
        self.free_for_district.is_some()
            || self.eligible_for.is_some()
            || self.college_credit.is_some()
    }

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
                cond = cond
                    .add(C::SeatsAvailable.gt(0))
                    .add(C::Status.eq(OfferingStatus::Open.as_stored()));
            }
            Some(false) => {
                cond = cond.add(
                    Condition::any()
                        .add(C::SeatsAvailable.lte(0))
                        .add(C::Status.ne(OfferingStatus::Open.as_stored())),
                );
            }
            None => {}
        }
        // Pre-filters only: each keeps every section the rules could accept, so
        // the rules see fewer candidates (the property test in
        // tests/eligibility.rs checks nothing is lost).
        if self.free_for_district.is_some() || self.eligible_for.is_some() {
            cond = cond.add(candidate_condition(
                backend,
                self.eligible_for.as_ref().map(|(_, s)| *s),
                self.on,
            ));
        }
        if self.college_credit == Some(true) {
            // Credit that applies needs an articulation in the first place.
            cond = cond.add(
                C::CourseId.in_subquery(
                    Query::select()
                        .column(entity::articulation::Column::CourseId)
                        .from(entity::articulation::Entity)
                        .and_where(entity::articulation::Column::DeletedAt.is_null())
                        .to_owned(),
                ),
            );
        }
        cond
    }

    /// The ids of candidate sections' `column` (course_id, term_id), as a subquery.
    fn candidates_of(
        &self,
        backend: DatabaseBackend,
        column: course_offering::Column,
    ) -> SelectStatement {
        Query::select()
            .column(column)
            .from(course_offering::Entity)
            .cond_where(self.condition(backend))
            .to_owned()
    }
}

/// Sections the rules could accept for `student` on `on`: not cancelled, of a
/// live course of a program not closed, and (for a given student) within the
/// grade and age bounds and the adult policy `rules::decide` checks. Membership
/// and cost are left to the rules.
fn candidate_condition(
    backend: DatabaseBackend,
    student: Option<Student>,
    on: NaiveDate,
) -> sea_orm::sea_query::SimpleExpr {
    let mut sql = String::from(
        "course_offering.status <> 'CANCELLED' AND course_offering.course_id IN (SELECT c.id FROM course c \
         JOIN regional_program p ON p.id = c.program_id WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL \
         AND (p.closed_on IS NULL OR p.closed_on > ?)",
    );
    let mut values = vec![Value::ChronoDate(Some(on))];
    if let Some(student) = student {
        if student.adult {
            sql.push_str(" AND p.adults_allowed = ?");
            values.push(Value::Bool(Some(true)));
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
    }
    sql.push(')');
    crate::db::custom_expr(backend, sql, values)
}

/// Keeps the candidate sections the rules accept. Loads what the rules need in
/// a fixed number of statements: courses, terms, programs, memberships, and
/// for `collegeCredit` articulations and agreements.
async fn decided_by_rules(
    db: &DatabaseConnection,
    criteria: &OfferingCriteria,
    candidates: Vec<course_offering::Model>,
) -> ApiResult<Vec<(course_offering::Model, course::Model, term::Model)>> {
    let backend = db.get_database_backend();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::DeletedAt.is_null())
        .filter(
            course::Column::Id
                .in_subquery(criteria.candidates_of(backend, course_offering::Column::CourseId)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let terms: HashMap<i32, term::Model> = term::Entity::find()
        .filter(
            term::Column::Id
                .in_subquery(criteria.candidates_of(backend, course_offering::Column::TermId)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let programs: HashMap<i32, regional_program::Model> = regional_program::Entity::find()
        .filter(regional_program::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let districts: Vec<i32> = criteria
        .free_for_district
        .iter()
        .map(|d| d.id)
        .chain(criteria.eligible_for.iter().map(|(d, _)| d.id))
        .collect();
    let memberships = if districts.is_empty() {
        Vec::new()
    } else {
        jpa_membership::Entity::find()
            .filter(jpa_membership::Column::DeletedAt.is_null())
            .filter(jpa_membership::Column::DistrictId.is_in(districts))
            .all(db)
            .await?
    };
    let credit = match criteria.college_credit {
        Some(_) => Some(
            credit::credit_facts(
                db,
                criteria.candidates_of(backend, course_offering::Column::CourseId),
            )
            .await?,
        ),
        None => None,
    };
    // The student whose district is asked about for credit.
    let credit_for = CreditFor {
        district_id: criteria
            .eligible_for
            .as_ref()
            .map(|(d, _)| d.id)
            .or(criteria.free_for_district.as_ref().map(|d| d.id)),
        on: criteria.on,
    };
    let status = |district: &district::Model,
                  student: Student,
                  program: &regional_program::Model,
                  facts: &OfferingFacts<'_>| {
        let facts_of_program = ProgramFacts {
            program,
            district,
            memberships: memberships
                .iter()
                .filter(|m| m.district_id == district.id && m.program_id == program.id)
                .collect(),
            // The status is FREE or NOT_ELIGIBLE whoever could pay.
            funding_options: &[],
            on: criteria.on,
        };
        decide(&facts_of_program, student, Some(facts)).status
    };
    let mut kept = Vec::new();
    for offering in candidates {
        let (Some(course), Some(term)) = (
            courses.get(&offering.course_id),
            terms.get(&offering.term_id),
        ) else {
            continue;
        };
        let Some(program) = course.program_id.and_then(|id| programs.get(&id)) else {
            continue;
        };
        let facts = OfferingFacts {
            offering: &offering,
            course,
            term,
        };
        if let Some((district, student)) = &criteria.eligible_for {
            if status(district, *student, program, &facts) == EligibilityStatus::NotEligible {
                continue;
            }
        }
        if let Some(district) = &criteria.free_for_district {
            let student = criteria.eligible_for.as_ref().map_or(
                Student {
                    grade: None,
                    adult: false,
                    age: None,
                },
                |(_, s)| *s,
            );
            if status(district, student, program, &facts) != EligibilityStatus::Free {
                continue;
            }
        }
        if let (Some(want), Some((articulations, agreements))) = (criteria.college_credit, &credit)
        {
            let has = articulations.iter().any(|a| {
                a.course_id == course.id
                    && credit::applies(
                        a,
                        a.agreement_id.and_then(|id| agreements.get(&id)),
                        course.program_id,
                        credit_for,
                    )
            });
            if has != want {
                continue;
            }
        }
        let (course, term) = (course.clone(), term.clone());
        kept.push((offering, course, term));
    }
    Ok(kept)
}

/// Orders cursor keys as the lists sort: by sort value, then id.
pub fn compare_keys(a: &CursorKey, b: &CursorKey) -> Ordering {
    let sort = match (&a.sort, &b.sort) {
        (SortValue::Int(x), SortValue::Int(y)) => x.cmp(y),
        (SortValue::Text(x), SortValue::Text(y)) => x.cmp(y),
        (SortValue::Int(_), SortValue::Text(_)) => Ordering::Less,
        (SortValue::Text(_), SortValue::Int(_)) => Ordering::Greater,
    };
    sort.then(a.id.cmp(&b.id))
}

/// Cuts one page out of rows already keyed and sorted ascending, as keyset
/// paging would: rows after (or before) the cursor, `size + 1` of them.
pub fn page_in_memory<T>(keyed: Vec<(CursorKey, T)>, req: &PageRequest) -> ApiResult<Page<T>> {
    if let (Some(cursor), Some((first, _))) = (&req.cursor, keyed.first()) {
        if std::mem::discriminant(&cursor.sort) != std::mem::discriminant(&first.sort) {
            return Err(ApiError::bad_input(
                if req.backward { "before" } else { "after" },
                "is not a cursor of this ordering",
            ));
        }
    }
    let total = keyed.len() as u64;
    let mut window: Vec<(CursorKey, T)> = keyed
        .into_iter()
        .filter(|(key, _)| match &req.cursor {
            Some(c) if req.backward => compare_keys(key, c) == Ordering::Less,
            Some(c) => compare_keys(key, c) == Ordering::Greater,
            None => true,
        })
        .collect();
    if req.backward {
        window.reverse();
    }
    window.truncate(req.size as usize + 1);
    let page = Page::from_rows(
        window,
        req,
        |(key, _)| key.clone(),
        TotalCount::Known(total),
    );
    Ok(page.map(|(_, row)| row))
}

/// One page of the sections the rules accept, in the requested order.
async fn offerings_by_rules(
    db: &DatabaseConnection,
    criteria: &OfferingCriteria,
    ordering: OfferingOrdering,
    req: &PageRequest,
) -> ApiResult<Page<course_offering::Model>> {
    let candidates = course_offering::Entity::find()
        .filter(criteria.condition(db.get_database_backend()))
        .all(db)
        .await?;
    let mut keyed: Vec<(CursorKey, course_offering::Model)> =
        decided_by_rules(db, criteria, candidates)
            .await?
            .into_iter()
            .map(|(o, c, t)| {
                let sort = match ordering {
                    OfferingOrdering::Listed => SortValue::Int(o.id.into()),
                    OfferingOrdering::Tuition => SortValue::Int(o.tuition_cents.into()),
                    OfferingOrdering::Title => SortValue::Text(c.title),
                    OfferingOrdering::StartDate => SortValue::Text(t.starts_on.to_string()),
                };
                (CursorKey { sort, id: o.id }, o)
            })
            .collect();
    keyed.sort_by(|a, b| compare_keys(&a.0, &b.0));
    page_in_memory(keyed, req)
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
    if criteria.needs_rules() {
        return offerings_by_rules(db, criteria, ordering, req).await;
    }
    let select =
        course_offering::Entity::find().filter(criteria.condition(db.get_database_backend()));
    match ordering {
        OfferingOrdering::Listed => {
            let order = Keyset {
                sort: C::Id,
                id: C::Id,
                descending: false,
            };
            paging::fetch_page(db, select, order, req, |o| CursorKey {
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
            paging::fetch_page(db, select, order, req, |o| CursorKey {
                sort: SortValue::Int(o.tuition_cents.into()),
                id: o.id,
            })
            .await
        }
        OfferingOrdering::Title => {
            let sort = sea_orm::sea_query::Expr::cust(
                "(SELECT c.title FROM course c WHERE c.id = course_offering.course_id)",
            );
            paging::fetch_page_by_expr(db, select, sort, C::Id, false, req).await
        }
        OfferingOrdering::StartDate => {
            let sort = sea_orm::sea_query::Expr::cust(
                "(SELECT CAST(t.starts_on AS TEXT) FROM term t WHERE t.id = course_offering.term_id)",
            );
            paging::fetch_page_by_expr(db, select, sort, C::Id, false, req).await
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
/// Two statements whatever the page size (sites, candidates), plus the rules'
/// fixed few when a student filter is given.
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
        paging::query_text(
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
    let mut candidates = course_offering::Entity::find()
        .filter(criteria.condition(db.get_database_backend()))
        .filter(course_offering::Column::SiteId.is_in(site_distance.keys().copied()))
        .all(db)
        .await?;
    if criteria.needs_rules() {
        candidates = decided_by_rules(db, criteria, candidates)
            .await?
            .into_iter()
            .map(|(o, _, _)| o)
            .collect();
    }
    // (distance in metres, id): an integer keyset that sorts like the distance.
    let mut keyed: Vec<(CursorKey, (course_offering::Model, f64))> = candidates
        .into_iter()
        .filter_map(|o| {
            let d = *site_distance.get(&o.site_id?)?;
            let key = CursorKey {
                sort: SortValue::Int((d * 1000.0).round() as i64),
                id: o.id,
            };
            Some((key, (o, d)))
        })
        .collect();
    keyed.sort_by(|a, b| compare_keys(&a.0, &b.0));
    page_in_memory(keyed, req)
}
