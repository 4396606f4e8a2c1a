//! Course mutations and the rules a course row must follow. Owned by the
//! program that teaches it.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::course;
use sea_orm::ConnectionTrait;

use super::types::{AgArea, Course, CourseLevel};
use crate::vocabulary::Stored;
use crate::{
    changes::{refs, validate, Record},
    error::ApiResult,
    graphql::mutation::{apply, apply_map, delete_record, resolve_maybe, writer, DeletedRecord},
    ids::NodeType,
    new_record,
};

impl Record for course::Entity {
    const NODE: NodeType = NodeType::Course;
    const LABEL: &'static str = "course";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[
        ("course_offering", "course_id"),
        ("articulation", "course_id"),
        ("industry_partnership", "course_id"),
    ];
    const SEARCH_KIND: Option<&'static str> = Some(crate::catalog::search::index::COURSE);

    async fn owners<C: ConnectionTrait>(db: &C, model: &course::Model) -> ApiResult<Vec<String>> {
        Ok(vec![refs::owner_of_course(db, model).await?])
    }

    fn validate(m: &course::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("title", &m.title, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("stateCourseCode", m.state_course_code.as_deref(), 20)?;
        validate::optional_text("catalogSchool", m.catalog_school.as_deref(), 200)?;
        validate::optional_text("ctso", m.ctso.as_deref(), 100)?;
        validate::non_negative("hours", m.hours.map(i64::from))?;
        validate::non_negative("highSchoolCredits", m.high_school_credits.map(i64::from))?;
        validate::grade("minGrade", m.min_grade)?;
        validate::age("minAge", m.min_age)?;
        if let Some(year) = m.uc_approved_year {
            if !(1990..=2100).contains(&year) {
                return Err(crate::error::ApiError::bad_input(
                    "input.ucApprovedYear",
                    format!("must be a year from 1990 to 2100 (got {year})"),
                ));
            }
        }
        Ok(())
    }

    fn key(model: &course::Model) -> i32 {
        model.id
    }
}

/// A new course in a program's or a district's catalogue.
#[derive(InputObject)]
pub struct CreateCourseInput {
    /// The ROC/P that teaches it (its code, e.g. `SOCAL_ROC`); editors may only name their own.
    /// Give this or `districtCdsCode`, not both.
    pub program_code: Option<String>,
    /// The district that teaches it itself (CDS code, or its `code` when it has none), for a district's own pathway course.
    pub district_cds_code: Option<String>,
    /// The district's school that teaches it (CDS code, or its `code` when it has none), with `districtCdsCode`.
    pub school_cds_code: Option<String>,
    /// The course code, unique within the program (1-40 letters, digits, `_`, `-`, `.`), e.g. `HS-100`.
    pub code: String,
    /// The title students see (at most 200 characters).
    pub title: String,
    /// Its step in the pathway.
    pub level: CourseLevel,
    /// The pathway it belongs to (pathway code).
    pub pathway_code: Option<String>,
    /// The CALPADS state course code, when the program has one (never invented).
    pub state_course_code: Option<String>,
    /// What students learn, in a few sentences (at most 5000 characters).
    pub description: Option<String>,
    /// The school that lists it in its catalogue.
    pub catalog_school: Option<String>,
    /// Instructional hours.
    pub hours: Option<i32>,
    /// High-school credits earned.
    pub high_school_credits: Option<i32>,
    /// The A-G area it is approved for.
    pub ag_area: Option<AgArea>,
    /// The year UC approved it for A-G.
    pub uc_approved_year: Option<i32>,
    /// Whether it carries honors weight (default false).
    #[graphql(default)]
    pub honors: bool,
    /// Lowest grade admitted (7-12), overriding the program's policy.
    pub min_grade: Option<i32>,
    /// Lowest age admitted in years (10-120), overriding the program's policy.
    pub min_age: Option<i32>,
    /// The career technical student organisation (e.g. HOSA).
    pub ctso: Option<String>,
    /// Where the facts come from.
    pub source: Option<String>,
}

/// Changes to a course; omitted fields stay, `null` clears an optional field.
#[derive(InputObject, Default)]
pub struct UpdateCourseInput {
    /// New course code, unique within the program (1-40 letters, digits, `_`, `-`, `.`); omit
    /// to keep.
    pub code: Option<String>,
    /// New title students see (at most 200 characters); omit to keep.
    pub title: Option<String>,
    /// New step in the pathway; omit to keep.
    pub level: Option<CourseLevel>,
    /// The pathway it belongs to (pathway code, e.g. `PATIENT_CARE`); omit to keep, null to
    /// clear.
    pub pathway_code: MaybeUndefined<String>,
    /// The CALPADS state course code (never invented); omit to keep, null to clear.
    pub state_course_code: MaybeUndefined<String>,
    /// What students learn (at most 5000 characters); omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// The program's catalogue grouping, e.g. "School of Health Sciences"; omit to keep, null
    /// to clear.
    pub catalog_school: MaybeUndefined<String>,
    /// Instructional hours; omit to keep, null to clear.
    pub hours: MaybeUndefined<i32>,
    /// High-school credits earned; omit to keep, null to clear.
    pub high_school_credits: MaybeUndefined<i32>,
    /// The A-G area it is approved for; omit to keep, null when not A-G approved.
    pub ag_area: MaybeUndefined<AgArea>,
    /// The year UC approved it for A-G (1990-2100); omit to keep, null to clear.
    pub uc_approved_year: MaybeUndefined<i32>,
    /// Whether it carries honors weight; omit to keep.
    pub honors: Option<bool>,
    /// Lowest grade admitted (7-12), overriding the program's policy; omit to keep, null to
    /// clear.
    pub min_grade: MaybeUndefined<i32>,
    /// Lowest age admitted in years (10-120), overriding the program's policy; omit to keep,
    /// null to clear.
    pub min_age: MaybeUndefined<i32>,
    /// The career technical student organisation (e.g. HOSA); omit to keep, null to clear.
    pub ctso: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A course's owner ids from the input: a ROC/P, or a district and optionally its school.
pub async fn course_owner_ids(
    db: &impl sea_orm::ConnectionTrait,
    program_code: Option<&str>,
    district_cds_code: Option<&str>,
    school_cds_code: Option<&str>,
) -> ApiResult<(Option<i32>, Option<i32>, Option<i32>)> {
    match (program_code, district_cds_code) {
        (Some(code), None) => {
            if school_cds_code.is_some() {
                return Err(crate::error::ApiError::bad_input(
                    "input.schoolCdsCode",
                    "a ROC/P course has no school owner: give districtCdsCode with schoolCdsCode",
                ));
            }
            let program_id = refs::program_id(db, "input.programCode", code).await?;
            Ok((Some(program_id), None, None))
        }
        (None, Some(cds)) => {
            let district_id = refs::district_id(db, "input.districtCdsCode", cds).await?;
            let school_id = match school_cds_code {
                Some(school) => Some(
                    refs::school_in_district(db, "input.schoolCdsCode", school, district_id)
                        .await?,
                ),
                None => None,
            };
            Ok((None, Some(district_id), school_id))
        }
        _ => Err(crate::error::ApiError::bad_input(
            "input.programCode",
            "give exactly one owner: programCode (a ROC/P) or districtCdsCode (a district)",
        )),
    }
}

/// Course mutations.
#[derive(Default)]
pub struct CourseMutation;

#[Object]
impl CourseMutation {
    /// Adds a course to a program's catalogue.
    async fn create_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new course.")] input: CreateCourseInput,
    ) -> Result<Course> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let (program_id, district_id, school_id) = course_owner_ids(
            db,
            input.program_code.as_deref(),
            input.district_cds_code.as_deref(),
            input.school_cds_code.as_deref(),
        )
        .await?;
        let pathway_id = match &input.pathway_code {
            Some(code) => Some(refs::pathway_id(db, "input.pathwayCode", code).await?),
            None => None,
        };
        let model = new_record!(
            course::Model {
                program_id,
                pathway_id,
                code: input.code.trim().to_owned(),
                state_course_code: input.state_course_code,
                title: input.title.trim().to_owned(),
                description: input.description,
                level: input.level.as_stored().to_owned(),
                catalog_school: input.catalog_school,
                hours: input.hours,
                high_school_credits: input.high_school_credits,
                ag_area: input.ag_area.map(|a| a.as_stored().to_owned()),
                uc_approved_year: input.uc_approved_year,
                honors: input.honors,
                min_grade: input.min_grade,
                min_age: input.min_age,
                ctso: input.ctso,
                district_id,
                school_id,
            },
            input.source
        );
        let saved = writer.create::<course::Entity>(model).await?;
        writer.commit().await?;
        Ok(Course::from(saved))
    }

    /// Changes a course; `expectedVersion` is the version you read (`CONFLICT` when it moved on).
    async fn update_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the course has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateCourseInput,
    ) -> Result<Course> {
        let key = refs::node_key("id", &id, NodeType::Course)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        let pathway_id = resolve_maybe(input.pathway_code, |code| async move {
            refs::pathway_id(txn, "input.pathwayCode", &code).await
        })
        .await?;
        let saved = writer
            .update::<course::Entity>(key, expected_version, |m| {
                if let Some(code) = input.code {
                    m.code = code.trim().to_owned();
                }
                if let Some(title) = input.title {
                    m.title = title.trim().to_owned();
                }
                if let Some(level) = input.level {
                    m.level = level.as_stored().to_owned();
                }
                apply(&mut m.pathway_id, pathway_id);
                apply(&mut m.state_course_code, input.state_course_code);
                apply(&mut m.description, input.description);
                apply(&mut m.catalog_school, input.catalog_school);
                apply(&mut m.hours, input.hours);
                apply(&mut m.high_school_credits, input.high_school_credits);
                apply_map(&mut m.ag_area, input.ag_area, |a| a.as_stored().to_owned());
                apply(&mut m.uc_approved_year, input.uc_approved_year);
                if let Some(honors) = input.honors {
                    m.honors = honors;
                }
                apply(&mut m.min_grade, input.min_grade);
                apply(&mut m.min_age, input.min_age);
                apply(&mut m.ctso, input.ctso);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(Course::from(saved))
    }

    /// Deletes a course that no live offering, articulation or partnership uses.
    async fn delete_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the course has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<course::Entity>(ctx, &id, expected_version).await?)
    }
}
