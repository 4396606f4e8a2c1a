//! Dual-enrollment agreement and articulation mutations. An agreement is
//! owned by its college and by the district or program that signed it; an
//! articulation by its college and by the program that teaches the course.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::{articulation, dual_enrollment_agreement};
use sea_orm::ConnectionTrait;

use super::types::{Articulation, ArticulationKind, DualEnrollmentAgreement};
use crate::vocabulary::Stored;
use crate::{
    changes::{refs, validate, Record},
    error::{ApiError, ApiResult},
    graphql::{
        mutation::{apply, delete_record, resolve_maybe, set, writer, DeletedRecord},
        scalars::Date,
    },
    ids::NodeType,
    new_record,
};

impl Record for dual_enrollment_agreement::Entity {
    const NODE: NodeType = NodeType::DualEnrollmentAgreement;
    const LABEL: &'static str = "dual-enrollment agreement";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[("articulation", "agreement_id")];

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &dual_enrollment_agreement::Model,
    ) -> ApiResult<Vec<String>> {
        let mut owners = refs::college_owners(db, m.college_id).await?;
        if let Some(district_id) = m.district_id {
            owners.push(refs::district_owner(db, district_id).await?);
        }
        if let Some(program_id) = m.program_id {
            owners.push(refs::program_owner(db, program_id).await?);
        }
        Ok(owners)
    }

    fn validate(m: &dual_enrollment_agreement::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::url("url", m.url.as_deref())?;
        validate::date_order("startsOn", m.starts_on, "endsOn", m.ends_on)
    }

    fn key(m: &dual_enrollment_agreement::Model) -> i32 {
        m.id
    }
}

impl Record for articulation::Entity {
    const NODE: NodeType = NodeType::Articulation;
    const LABEL: &'static str = "articulation";

    async fn owners<C: ConnectionTrait>(db: &C, m: &articulation::Model) -> ApiResult<Vec<String>> {
        let mut owners = refs::college_owners(db, m.college_id).await?;
        owners.push(refs::course_owner(db, m.course_id).await?);
        Ok(owners)
    }

    fn validate(m: &articulation::Model) -> ApiResult<()> {
        validate::text("collegeCourseCode", &m.college_course_code, 40)?;
        validate::optional_text("collegeCourseTitle", m.college_course_title.as_deref(), 200)?;
        if let Some(units) = m.units {
            if !(0.0..=30.0).contains(&units) {
                return Err(ApiError::bad_input(
                    "input.units",
                    format!("must be from 0 to 30 units (got {units})"),
                ));
            }
        }
        for (name, value) in [("validFrom", &m.valid_from), ("validTo", &m.valid_to)] {
            validate::optional_text(name, value.as_deref(), 20)?;
        }
        if let (Some(from), Some(to)) = (&m.valid_from, &m.valid_to) {
            if from > to {
                return Err(ApiError::bad_input(
                    "input.validTo",
                    format!("validTo ({to}) is before validFrom ({from})"),
                ));
            }
        }
        Ok(())
    }

    fn key(m: &articulation::Model) -> i32 {
        m.id
    }
}

/// A new agreement between a college and a district or program.
#[derive(InputObject)]
pub struct CreateDualEnrollmentAgreementInput {
    /// The college (IPEDS id, or CTE Hub code when it has none).
    pub college: String,
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`), e.g. `ECC-TORRANCE-CCAP`.
    pub code: String,
    /// Name people know it by, e.g. "El Camino College CCAP Partnership" (at most 200
    /// characters).
    pub name: String,
    /// CCAP, articulation or concurrent enrollment.
    pub kind: ArticulationKind,
    /// The district that signed it (CDS code, or its `code` when it has none), if any.
    pub district_cds_code: Option<String>,
    /// The program that signed it (code), if any.
    pub program_code: Option<String>,
    /// When the boards approved it (YYYY-MM-DD).
    pub approved_on: Option<Date>,
    /// First day in force (YYYY-MM-DD).
    pub starts_on: Option<Date>,
    /// Last day in force (YYYY-MM-DD, not before `startsOn`).
    pub ends_on: Option<Date>,
    /// The agreement document (http or https).
    pub url: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an agreement; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateDualEnrollmentAgreementInput {
    /// New code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`); omit to keep.
    pub code: Option<String>,
    /// New name (at most 200 characters); omit to keep.
    pub name: Option<String>,
    /// CCAP, articulation or concurrent enrollment; omit to keep.
    pub kind: Option<ArticulationKind>,
    /// When the boards approved it (YYYY-MM-DD); omit to keep, null to clear.
    pub approved_on: MaybeUndefined<Date>,
    /// First day in force (YYYY-MM-DD); omit to keep, null to clear.
    pub starts_on: MaybeUndefined<Date>,
    /// Last day in force (YYYY-MM-DD, not before `startsOn`); omit to keep, null to clear.
    pub ends_on: MaybeUndefined<Date>,
    /// The agreement document (http or https); omit to keep, null to clear.
    pub url: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// College credit for a course.
#[derive(InputObject)]
pub struct CreateArticulationInput {
    /// The high-school or ROC/P course (its ID).
    pub course_id: ID,
    /// The college (IPEDS id, or CTE Hub code).
    pub college: String,
    /// The agreement it falls under (its code), if any.
    pub agreement_code: Option<String>,
    /// CCAP, articulation or concurrent enrollment.
    pub kind: ArticulationKind,
    /// The college course it counts as, e.g. `HEOC 172`.
    pub college_course_code: String,
    /// The college course's title, e.g. "Introduction to Medical Assisting" (at most 200
    /// characters).
    pub college_course_title: Option<String>,
    /// Semester units earned, 0-30.
    pub units: Option<f64>,
    /// First academic year, e.g. `2025-26`.
    pub valid_from: Option<String>,
    /// Last academic year.
    pub valid_to: Option<String>,
    /// Where the facts come from: a URL, statute or reference; start it with "Sample data:"
    /// when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an articulation; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateArticulationInput {
    /// The agreement it falls under (its code); omit to keep, null to clear.
    pub agreement_code: MaybeUndefined<String>,
    /// CCAP, articulation or concurrent enrollment; omit to keep.
    pub kind: Option<ArticulationKind>,
    /// The college course it counts as, e.g. `HEOC 172` (at most 40 characters); omit to keep.
    pub college_course_code: Option<String>,
    /// The college course's title (at most 200 characters); omit to keep, null to clear.
    pub college_course_title: MaybeUndefined<String>,
    /// Semester units earned, 0-30; omit to keep, null to clear.
    pub units: MaybeUndefined<f64>,
    /// First academic year, e.g. `2025-26`; omit to keep, null to clear.
    pub valid_from: MaybeUndefined<String>,
    /// Last academic year, e.g. `2027-28`; omit to keep, null to clear.
    pub valid_to: MaybeUndefined<String>,
    /// Where the facts come from (a URL, statute or reference); omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// Agreement and articulation mutations.
#[derive(Default)]
pub struct CollegeMutation;

#[Object]
impl CollegeMutation {
    /// Records a dual-enrollment agreement.
    async fn create_dual_enrollment_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new dual-enrollment agreement.")]
        input: CreateDualEnrollmentAgreementInput,
    ) -> Result<DualEnrollmentAgreement> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let college_id = refs::college_id(db, "input.college", &input.college).await?;
        let district_id = match &input.district_cds_code {
            Some(cds) => Some(refs::district_id(db, "input.districtCdsCode", cds).await?),
            None => None,
        };
        let program_id = match &input.program_code {
            Some(code) => Some(refs::program_id(db, "input.programCode", code).await?),
            None => None,
        };
        let model = new_record!(
            dual_enrollment_agreement::Model {
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                college_id,
                district_id,
                program_id,
                kind: input.kind.as_stored().to_owned(),
                approved_on: input.approved_on.map(|d| d.0),
                starts_on: input.starts_on.map(|d| d.0),
                ends_on: input.ends_on.map(|d| d.0),
                url: input.url,
            },
            input.source
        );
        let saved = writer
            .create::<dual_enrollment_agreement::Entity>(model)
            .await?;
        writer.commit().await?;
        Ok(DualEnrollmentAgreement::from(saved))
    }

    /// Changes an agreement.
    async fn update_dual_enrollment_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dual-enrollment agreement's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the dual-enrollment agreement has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateDualEnrollmentAgreementInput,
    ) -> Result<DualEnrollmentAgreement> {
        let key = refs::node_key("id", &id, NodeType::DualEnrollmentAgreement)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<dual_enrollment_agreement::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.approved_on, input.approved_on.map_value(|d| d.0));
                apply(&mut m.starts_on, input.starts_on.map_value(|d| d.0));
                apply(&mut m.ends_on, input.ends_on.map_value(|d| d.0));
                apply(&mut m.url, input.url);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(DualEnrollmentAgreement::from(saved))
    }

    /// Deletes an agreement no live articulation falls under.
    async fn delete_dual_enrollment_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dual-enrollment agreement's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the dual-enrollment agreement has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<dual_enrollment_agreement::Entity>(ctx, &id, expected_version).await?)
    }

    /// Records college credit for a course.
    async fn create_articulation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new articulation.")] input: CreateArticulationInput,
    ) -> Result<Articulation> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let course = refs::program_course(db, "input.courseId", &input.course_id).await?;
        let college_id = refs::college_id(db, "input.college", &input.college).await?;
        let agreement_id = match &input.agreement_code {
            Some(code) => Some(refs::agreement_id(db, "input.agreementCode", code).await?),
            None => None,
        };
        let model = new_record!(
            articulation::Model {
                course_id: course.id,
                college_id,
                agreement_id,
                kind: input.kind.as_stored().to_owned(),
                college_course_code: input.college_course_code.trim().to_owned(),
                college_course_title: input.college_course_title,
                units: input.units,
                valid_from: input.valid_from,
                valid_to: input.valid_to,
            },
            input.source
        );
        let saved = writer.create::<articulation::Entity>(model).await?;
        writer.commit().await?;
        Ok(Articulation::from(saved))
    }

    /// Changes an articulation.
    async fn update_articulation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The articulation's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the articulation has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateArticulationInput,
    ) -> Result<Articulation> {
        let key = refs::node_key("id", &id, NodeType::Articulation)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        let agreement = resolve_maybe(input.agreement_code, |code| async move {
            refs::agreement_id(txn, "input.agreementCode", &code).await
        })
        .await?;
        let saved = writer
            .update::<articulation::Entity>(key, expected_version, |m| {
                apply(&mut m.agreement_id, agreement);
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                set(
                    &mut m.college_course_code,
                    input.college_course_code.map(|c| c.trim().to_owned()),
                );
                apply(&mut m.college_course_title, input.college_course_title);
                apply(&mut m.units, input.units);
                apply(&mut m.valid_from, input.valid_from);
                apply(&mut m.valid_to, input.valid_to);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(Articulation::from(saved))
    }

    /// Deletes an articulation.
    async fn delete_articulation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The articulation's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the articulation has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<articulation::Entity>(ctx, &id, expected_version).await?)
    }
}
