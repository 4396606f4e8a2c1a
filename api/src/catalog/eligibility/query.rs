//! The `eligibility` root field.

use async_graphql::{Context, Object, Result};
use chrono::Utc;
use sea_orm::DatabaseConnection;

use super::{
    rules::{decide, OfferingFacts, ProgramFacts, Student},
    store,
    types::{CostAnswer, Eligibility, EligibilityInput, OfferingCost, ProgramEligibility},
};
use crate::{
    codes::Grade,
    error::{ApiError, ApiResult},
    graphql::scalars::Date,
};

/// Validates who is asking; `prefix` names the argument (e.g. `input.`).
pub fn student(
    grade: Option<i32>,
    adult: bool,
    age: Option<i32>,
    prefix: &str,
) -> ApiResult<Student> {
    if let Some(age) = age {
        if !(5..=120).contains(&age) {
            return Err(ApiError::bad_input(
                format!("{prefix}age"),
                format!("age must be 5 to 120 (got {age})"),
            ));
        }
    }
    let grade = match (adult, grade) {
        (true, _) => None,
        (false, Some(g)) => Some(Grade::parse(&format!("{prefix}grade"), g)?.get()),
        (false, None) => {
            return Err(ApiError::bad_input(
                format!("{prefix}grade"),
                "give a grade (7-12), or adult: true",
            ))
        }
    };
    Ok(Student { grade, adult, age })
}

/// Eligibility root field.
#[derive(Default)]
pub struct EligibilityQuery;

#[Object]
impl EligibilityQuery {
    /// Which ROC/Ps (and, with `programCode`, which sections) a student may take,
    /// what it costs them, who could pay, and why.
    async fn eligibility(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The student: where they live or study, grade or adult, age, and the date to decide for."
        )]
        input: EligibilityInput,
        #[graphql(
            desc = "Include illustrative sample sections (`sample: true`) in the per-section answers; default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Eligibility> {
        let real_only = crate::graphql::provenance::real_only(ctx, include_sample);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let student = student(input.grade, input.adult, input.age, "input.")?;
        let on = input
            .on_date
            .map(|d| d.0)
            .unwrap_or_else(|| Utc::now().date_naive());
        let (district, school) = store::student_district(
            db,
            input.district_cds_code.as_deref(),
            input.school_cds_code.as_deref(),
            "input.",
        )
        .await?;
        let world = store::program_world(db, district.id, input.program_code.as_deref()).await?;
        let mut programs = Vec::new();
        for program in &world.programs {
            let facts = ProgramFacts {
                program,
                district: &district,
                memberships: world
                    .memberships
                    .iter()
                    .filter(|m| m.program_id == program.id)
                    .collect(),
                funding_options: world
                    .funding
                    .get(&program.id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
                on,
            };
            let mut offerings = Vec::new();
            if input.program_code.is_some() {
                for (offering, course, term) in
                    store::current_offerings(db, program.id, on, real_only).await?
                {
                    let answer = decide(
                        &facts,
                        student,
                        Some(&OfferingFacts {
                            offering: &offering,
                            course: &course,
                            term: &term,
                        }),
                    );
                    offerings.push(OfferingCost {
                        offering: offering.into(),
                        answer: CostAnswer::from(answer),
                    });
                }
            }
            programs.push(ProgramEligibility {
                program: program.clone().into(),
                answer: decide(&facts, student, None).into(),
                offerings,
            });
        }
        Ok(Eligibility {
            district: district.into(),
            school: school.map(Into::into),
            grade: student.grade,
            adult: student.adult,
            age: student.age,
            on_date: Date(on),
            programs,
        })
    }
}
