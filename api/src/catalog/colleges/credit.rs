//! Whether college credit applies to a student: the one rule behind
//! `Pathway.collegeCredit(forDistrict/forSchool/onDate)`,
//! `Course.articulations(forDistrict/forSchool/onDate)` and the
//! `collegeCredit` offering filter.
//!
//! An articulation without an agreement applies to anyone taking the course.
//! One under an agreement applies only while the agreement runs (`startsOn` to
//! `endsOn`) and only to the students it covers: a district's agreement (e.g. a
//! CCAP partnership, Education Code 76004) covers that district's students; a
//! ROC/P's agreement covers students taking that ROC/P's course. The
//! articulation's own academic years (`validFrom`/`validTo`, "2025-26") must
//! include the date too.

use std::{collections::HashMap, sync::Arc};

use crate::batch::DataLoader;
use async_graphql::dataloader::Loader;
use chrono::{Datelike, NaiveDate};
use entity::{articulation, dual_enrollment_agreement};
use sea_orm::{
    sea_query::{Query, SelectStatement},
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::{
    error::{ApiResult, LoadError},
    paging::{CursorKey, Page, PageRequest, SortValue},
};

/// The articulations of some courses (`course_ids`: a subquery selecting
/// course ids) and the live agreements they name: two statements.
pub async fn credit_facts(
    db: &DatabaseConnection,
    course_ids: SelectStatement,
) -> ApiResult<(
    Vec<articulation::Model>,
    HashMap<i32, dual_enrollment_agreement::Model>,
)> {
    let articulations = articulation::Entity::find()
        .filter(articulation::Column::DeletedAt.is_null())
        .filter(articulation::Column::CourseId.in_subquery(course_ids.clone()))
        .order_by_asc(articulation::Column::Id)
        .all(db)
        .await?;
    let agreements = dual_enrollment_agreement::Entity::find()
        .filter(dual_enrollment_agreement::Column::DeletedAt.is_null())
        .filter(
            dual_enrollment_agreement::Column::Id.in_subquery(
                Query::select()
                    .column(articulation::Column::AgreementId)
                    .from(articulation::Entity)
                    .and_where(articulation::Column::CourseId.in_subquery(course_ids))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    Ok((articulations, agreements))
}

/// Who the credit is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CreditFor {
    /// The student's district; None when no student was named (then any
    /// agreement in force counts: it gives credit to someone).
    pub district_id: Option<i32>,
    /// The day credit is earned on.
    pub on: NaiveDate,
}

/// The academic year (July to June) a date falls in, by its first year.
fn academic_year(on: NaiveDate) -> i32 {
    if on.month() >= 7 {
        on.year()
    } else {
        on.year() - 1
    }
}

/// The first year of an academic year written "2025-26" (or "2025").
fn first_year(s: &str) -> Option<i32> {
    s.get(..4).and_then(|y| y.parse().ok())
}

/// Whether `a` earns credit for `who` taking a course of program `course_program_id`
/// (none for a district's own course).
/// `agreement` is the row `a.agreement_id` names, when it exists and is not deleted.
pub fn applies(
    a: &articulation::Model,
    agreement: Option<&dual_enrollment_agreement::Model>,
    course_program_id: Option<i32>,
    who: CreditFor,
) -> bool {
    let year = academic_year(who.on);
    if a.valid_from
        .as_deref()
        .and_then(first_year)
        .is_some_and(|from| year < from)
        || a.valid_to
            .as_deref()
            .and_then(first_year)
            .is_some_and(|to| year > to)
    {
        return false;
    }
    if a.agreement_id.is_none() {
        return true;
    }
    let Some(g) = agreement.filter(|g| Some(g.id) == a.agreement_id) else {
        // The agreement is gone: nothing to earn credit through.
        return false;
    };
    if g.starts_on.is_some_and(|s| who.on < s) || g.ends_on.is_some_and(|e| who.on > e) {
        return false;
    }
    if g.program_id.is_some_and(|p| Some(p) != course_program_id) {
        return false;
    }
    match (g.district_id, who.district_id) {
        (Some(covered), Some(student)) => covered == student,
        _ => true,
    }
}

/// Whose college credit a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CreditOf {
    /// One course's articulations.
    Course(i32),
    /// The articulations of a pathway's courses.
    Pathway(i32),
}

/// One scoped credit list: whose, for which student on which day, and whether sample
/// records (an illustrative articulation, course or agreement) are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CreditKey {
    pub of: CreditOf,
    pub who: CreditFor,
    pub real_only: bool,
}

/// Loads scoped credit lists for every course and pathway at one level of a query in three
/// statements (the courses, their articulations, the agreements those name), then applies
/// [`applies`] per list: no statement per parent.
pub struct ScopedCredit(pub DatabaseConnection);

impl Loader<CreditKey> for ScopedCredit {
    type Value = Vec<articulation::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CreditKey],
    ) -> Result<HashMap<CreditKey, Self::Value>, Self::Error> {
        use entity::course;
        let (mut course_ids, mut pathway_ids) = (Vec::new(), Vec::new());
        for key in keys {
            match key.of {
                CreditOf::Course(id) => course_ids.push(id),
                CreditOf::Pathway(id) => pathway_ids.push(id),
            }
        }
        let which = Condition::any()
            .add(course::Column::Id.is_in(course_ids))
            .add(course::Column::PathwayId.is_in(pathway_ids));
        let courses: HashMap<i32, course::Model> = course::Entity::find()
            .filter(which.clone())
            .filter(course::Column::DeletedAt.is_null())
            .all(&self.0)
            .await
            .map_err(|e| Arc::new(e.into()))?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let subquery = Query::select()
            .column(course::Column::Id)
            .from(course::Entity)
            .cond_where(which)
            .and_where(course::Column::DeletedAt.is_null())
            .to_owned();
        let (articulations, agreements) =
            credit_facts(&self.0, subquery).await.map_err(Arc::new)?;
        let mut out = HashMap::new();
        for key in keys {
            let list = articulations
                .iter()
                .filter(|a| {
                    let Some(course) = courses.get(&a.course_id) else {
                        return false;
                    };
                    let mine = match key.of {
                        CreditOf::Course(id) => course.id == id,
                        CreditOf::Pathway(id) => course.pathway_id == Some(id),
                    };
                    let agreement = a.agreement_id.and_then(|id| agreements.get(&id));
                    let sample = a.sample || course.sample || agreement.is_some_and(|g| g.sample);
                    mine && !(key.real_only && sample)
                        && applies(a, agreement, course.program_id, key.who)
                })
                .cloned()
                .collect();
            out.insert(*key, list);
        }
        Ok(out)
    }
}

/// A page of the scoped credit list `key` through the request's [`ScopedCredit`] loader;
/// its cursors are bound to the list (parent, student, day, sample choice).
pub async fn scoped_page(
    ctx: &async_graphql::Context<'_>,
    key: CreditKey,
    req: &PageRequest,
) -> async_graphql::Result<Page<articulation::Model>> {
    let req = req.bound(&format!("scoped credit {key:?}"))?;
    let rows = ctx
        .data_unchecked::<DataLoader<ScopedCredit>>()
        .load_one(key)
        .await
        .map_err(crate::error::from_load)?
        .unwrap_or_default();
    let keyed = rows
        .into_iter()
        .map(|a| {
            let cursor = CursorKey {
                sort: SortValue::Int(a.id.into()),
                id: a.id,
            };
            (cursor, a)
        })
        .collect();
    Ok(crate::catalog::offerings::store::page_in_memory(
        keyed, &req,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LYNWOOD: i32 = 7;
    const BELLFLOWER: i32 = 8;
    const CALAPS: i32 = 2;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn ccap() -> dual_enrollment_agreement::Model {
        dual_enrollment_agreement::Model {
            id: 1,
            district_id: Some(LYNWOOD),
            starts_on: Some(day("2024-07-01")),
            ends_on: Some(day("2027-06-30")),
            ..Default::default()
        }
    }

    fn credit(agreement_id: Option<i32>) -> articulation::Model {
        articulation::Model {
            agreement_id,
            valid_from: Some("2025-26".into()),
            valid_to: Some("2026-27".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_district_agreement_covers_that_district_only() {
        let on = day("2026-09-01");
        let (a, g) = (credit(Some(1)), ccap());
        let lynwood = CreditFor {
            district_id: Some(LYNWOOD),
            on,
        };
        let bellflower = CreditFor {
            district_id: Some(BELLFLOWER),
            on,
        };
        assert!(applies(&a, Some(&g), Some(CALAPS), lynwood));
        assert!(!applies(&a, Some(&g), Some(CALAPS), bellflower));
        assert!(applies(
            &a,
            Some(&g),
            Some(CALAPS),
            CreditFor {
                district_id: None,
                on
            }
        ));
    }

    #[test]
    fn an_agreement_counts_only_while_it_runs() {
        let (a, g) = (credit(Some(1)), ccap());
        for (on, expected) in [
            ("2024-06-30", false),
            ("2025-09-01", true),
            ("2027-06-30", true),
            ("2027-07-01", false),
        ] {
            let who = CreditFor {
                district_id: Some(LYNWOOD),
                on: day(on),
            };
            assert_eq!(applies(&a, Some(&g), Some(CALAPS), who), expected, "{on}");
        }
        assert!(
            !applies(
                &a,
                None,
                Some(CALAPS),
                CreditFor {
                    district_id: Some(LYNWOOD),
                    on: day("2025-09-01")
                }
            ),
            "agreement gone"
        );
    }

    #[test]
    fn a_program_agreement_covers_that_programs_courses() {
        let g = dual_enrollment_agreement::Model {
            program_id: Some(CALAPS),
            district_id: None,
            ..ccap()
        };
        let who = CreditFor {
            district_id: Some(BELLFLOWER),
            on: day("2025-09-01"),
        };
        assert!(applies(&credit(Some(1)), Some(&g), Some(CALAPS), who));
        assert!(!applies(&credit(Some(1)), Some(&g), Some(CALAPS + 1), who));
    }

    #[test]
    fn the_articulations_own_years_bound_it() {
        let a = credit(None);
        for (on, expected) in [
            ("2025-06-30", false),
            ("2025-07-01", true),
            ("2027-06-30", true),
            ("2027-07-01", false),
        ] {
            let who = CreditFor {
                district_id: None,
                on: day(on),
            };
            assert_eq!(applies(&a, None, Some(CALAPS), who), expected, "{on}");
        }
    }
}
