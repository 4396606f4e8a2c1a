//! Writes of school pathways, their course sequences and district facts. A district's
//! editors (`org` = its CDS code) own its pathways and facts; admins own everything.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::{district_fact, school_pathway, school_pathway_course};
use sea_orm::ConnectionTrait;

use super::{
    store,
    types::{CompletionAward, DistrictFact, DistrictFactKind, PathwaySchedule, SchoolPathway},
};
use crate::vocabulary::Stored;
use crate::{
    changes::{links::Link, refs, validate, Record},
    error::{ApiError, ApiResult},
    graphql::mutation::{apply, delete_record, resolve_maybe, set, writer, DeletedRecord},
    ids::NodeType,
    new_record,
};

impl Record for school_pathway::Entity {
    const NODE: NodeType = NodeType::SchoolPathway;
    const LABEL: &'static str = "school pathway";
    const SEARCH_KIND: Option<&'static str> = Some(crate::catalog::search::index::SCHOOL_PATHWAY);

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &school_pathway::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::district_owner(db, m.district_id).await?])
    }

    fn validate(m: &school_pathway::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("localName", &m.local_name, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("ctso", m.ctso.as_deref(), 100)?;
        validate::grade("gradeLow", m.grade_low)?;
        validate::grade("gradeHigh", m.grade_high)?;
        if let (Some(low), Some(high)) = (m.grade_low, m.grade_high) {
            if low > high {
                return Err(ApiError::bad_input(
                    "input.gradeHigh",
                    format!("must not be below gradeLow ({low})"),
                ));
            }
        }
        if m.academy_funding_program_id.is_some() && !m.academy {
            return Err(ApiError::bad_input(
                "input.academyFundingCode",
                "only an academy has academy funding: set academy to true or clear it",
            ));
        }
        if m.pathway_inferred && m.pathway_id.is_none() {
            return Err(ApiError::bad_input(
                "input.pathwayInferred",
                "there is no state pathway link to mark as inferred",
            ));
        }
        Ok(())
    }

    fn key(m: &school_pathway::Model) -> i32 {
        m.id
    }
}

impl Record for district_fact::Entity {
    const NODE: NodeType = NodeType::DistrictFact;
    const LABEL: &'static str = "district fact";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &district_fact::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::district_owner(db, m.district_id).await?])
    }

    fn validate(m: &district_fact::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("statement", &m.statement, 500)?;
        validate::non_negative("count", Some(m.count.into()))?;
        if m.out_of.is_some_and(|whole| whole < m.count) {
            return Err(ApiError::bad_input(
                "input.outOf",
                format!("must be at least count ({})", m.count),
            ));
        }
        // A district fact is only worth its source.
        if m.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            return Err(ApiError::bad_input(
                "input.source",
                "a district fact needs its source (a URL, or a publication's title, publisher and date)",
            ));
        }
        Ok(())
    }

    fn key(m: &district_fact::Model) -> i32 {
        m.id
    }
}

impl Link for school_pathway_course::Entity {
    const RECORD_TYPE: &'static str = "SchoolPathwayCourse";
    const LABEL: &'static str = "school pathway course";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &school_pathway_course::Model,
    ) -> ApiResult<Vec<String>> {
        let Some(program) = store::by_id(db, m.school_pathway_id).await? else {
            return Ok(Vec::new());
        };
        Ok(vec![refs::district_owner(db, program.district_id).await?])
    }

    fn key(m: &school_pathway_course::Model) -> i32 {
        m.id
    }
}

/// Stored form of a list of enum values: names joined by commas, without repeats.
fn names<T>(values: &[T]) -> String
where
    T: async_graphql::resolver_utils::EnumType + PartialEq + Copy,
{
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        let name = v.as_stored();
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out.join(",")
}

/// A pathway a district or one of its schools runs itself.
#[derive(InputObject)]
pub struct CreateSchoolPathwayInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`), e.g. `MAYFAIR_HIGH_HEALTH`.
    pub code: String,
    /// The district that runs it (CDS code, or its `code` when it has none); its editors own the record.
    pub district_cds_code: String,
    /// The district's school that runs it (CDS code, or its `code` when it has none); omit for a district-wide program.
    pub school_cds_code: Option<String>,
    /// The state pathway it follows (pathway code); omit when the source gives only the
    /// district's own label.
    pub pathway_code: Option<String>,
    /// True when the link to `pathwayCode` is your reading of the source, not its statement.
    #[graphql(default)]
    pub pathway_inferred: bool,
    /// The name the district uses (at most 200 characters), e.g. "Health occupations".
    pub local_name: String,
    /// What students do in it (at most 5000 characters).
    pub description: Option<String>,
    /// What completing it earns.
    #[graphql(default)]
    pub earns: Vec<CompletionAward>,
    /// The dual-enrollment agreement its college credit comes through (agreement code).
    pub credit_agreement_code: Option<String>,
    /// When its classes meet.
    #[graphql(default)]
    pub schedules: Vec<PathwaySchedule>,
    /// Career technical student organisation (at most 100 characters).
    pub ctso: Option<String>,
    /// Lowest grade (7-12).
    pub grade_low: Option<i32>,
    /// Highest grade (7-12).
    pub grade_high: Option<i32>,
    /// A California Partnership Academy (default false).
    #[graphql(default)]
    pub academy: bool,
    /// What pays for the academy (funding program code, e.g. `CPA`).
    pub academy_funding_code: Option<String>,
    /// Where the facts come from: a URL or a publication; start it with "Sample data:" when
    /// details are illustrative.
    pub source: Option<String>,
}

/// Changes to a school pathway; omitted fields stay, `null` clears. The district cannot change.
#[derive(InputObject)]
pub struct UpdateSchoolPathwayInput {
    /// New code; omit to keep.
    pub code: Option<String>,
    /// The school that runs it (CDS code or `code`, in the same district); omit to keep, null for
    /// district-wide.
    pub school_cds_code: MaybeUndefined<String>,
    /// The state pathway (code); omit to keep, null to clear.
    pub pathway_code: MaybeUndefined<String>,
    /// Whether the state pathway link is an inference; omit to keep.
    pub pathway_inferred: Option<bool>,
    /// The district's name for it; omit to keep.
    pub local_name: Option<String>,
    /// What students do in it; omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// What completing it earns, replacing the list; omit to keep.
    pub earns: Option<Vec<CompletionAward>>,
    /// The agreement its college credit comes through (code); omit to keep, null to clear.
    pub credit_agreement_code: MaybeUndefined<String>,
    /// When its classes meet, replacing the list; omit to keep.
    pub schedules: Option<Vec<PathwaySchedule>>,
    /// Career technical student organisation; omit to keep, null to clear.
    pub ctso: MaybeUndefined<String>,
    /// Lowest grade (7-12); omit to keep, null to clear.
    pub grade_low: MaybeUndefined<i32>,
    /// Highest grade (7-12); omit to keep, null to clear.
    pub grade_high: MaybeUndefined<i32>,
    /// Whether it is a California Partnership Academy; omit to keep.
    pub academy: Option<bool>,
    /// What pays for the academy (funding program code); omit to keep, null to clear.
    pub academy_funding_code: MaybeUndefined<String>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A count a source states for a whole district.
#[derive(InputObject)]
pub struct CreateDistrictFactInput {
    /// Code, unique in CTE Hub, e.g. `LAUSD_PATHWAYS`.
    pub code: String,
    /// The district (CDS code, or its `code` when it has none); its editors own the record.
    pub district_cds_code: String,
    /// What it counts.
    pub kind: DistrictFactKind,
    /// The number the source gives.
    pub count: i32,
    /// The whole it is part of ("13 of 15 sectors": 15).
    pub out_of: Option<i32>,
    /// The fact in words, as the source states it (at most 500 characters).
    pub statement: String,
    /// Where it comes from (required): a URL, or a publication's title, publisher and date.
    pub source: String,
}

/// Changes to a district fact; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateDistrictFactInput {
    /// What it counts; omit to keep.
    pub kind: Option<DistrictFactKind>,
    /// The number; omit to keep.
    pub count: Option<i32>,
    /// The whole it is part of; omit to keep, null to clear.
    pub out_of: MaybeUndefined<i32>,
    /// The fact in words; omit to keep.
    pub statement: Option<String>,
    /// Where it comes from; omit to keep.
    pub source: Option<String>,
}

/// School pathway and district fact mutations.
#[derive(Default)]
pub struct SchoolPathwayMutation;

#[Object]
impl SchoolPathwayMutation {
    /// Adds a pathway a district or school runs itself (district editors or admins).
    async fn create_school_pathway(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new school pathway.")] input: CreateSchoolPathwayInput,
    ) -> Result<SchoolPathway> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let district_id =
            refs::district_id(db, "input.districtCdsCode", &input.district_cds_code).await?;
        let school_id = match &input.school_cds_code {
            Some(cds) => {
                Some(refs::school_in_district(db, "input.schoolCdsCode", cds, district_id).await?)
            }
            None => None,
        };
        let pathway_id = match &input.pathway_code {
            Some(code) => Some(refs::pathway_id(db, "input.pathwayCode", code).await?),
            None => None,
        };
        let credit_agreement_id = match &input.credit_agreement_code {
            Some(code) => Some(refs::agreement_id(db, "input.creditAgreementCode", code).await?),
            None => None,
        };
        let academy_funding_program_id = match &input.academy_funding_code {
            Some(code) => {
                Some(store::funding_program_id(db, "input.academyFundingCode", code).await?)
            }
            None => None,
        };
        let model = new_record!(
            school_pathway::Model {
                code: input.code.trim().to_owned(),
                district_id,
                school_id,
                pathway_id,
                pathway_inferred: input.pathway_inferred,
                local_name: input.local_name.trim().to_owned(),
                description: input.description,
                earns: names(&input.earns),
                credit_agreement_id,
                schedules: names(&input.schedules),
                ctso: input.ctso,
                grade_low: input.grade_low,
                grade_high: input.grade_high,
                academy: input.academy,
                academy_funding_program_id,
            },
            input.source
        );
        let saved = writer.create::<school_pathway::Entity>(model).await?;
        writer.commit().await?;
        Ok(SchoolPathway::from(saved))
    }

    /// Changes a school pathway.
    async fn update_school_pathway(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school pathway's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the school pathway has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateSchoolPathwayInput,
    ) -> Result<SchoolPathway> {
        let key = refs::node_key("id", &id, NodeType::SchoolPathway)?;
        let writer = writer(ctx).await?;
        let txn = writer.txn();
        let district_id = store::by_id(txn, key)
            .await?
            .map(|m| m.district_id)
            .ok_or_else(|| ApiError::NotFound("no live school pathway has this id".into()))?;
        let school_id = resolve_maybe(input.school_cds_code, |cds| async move {
            refs::school_in_district(txn, "input.schoolCdsCode", &cds, district_id).await
        })
        .await?;
        let pathway_id = resolve_maybe(input.pathway_code, |code| async move {
            refs::pathway_id(txn, "input.pathwayCode", &code).await
        })
        .await?;
        let credit_agreement_id = resolve_maybe(input.credit_agreement_code, |code| async move {
            refs::agreement_id(txn, "input.creditAgreementCode", &code).await
        })
        .await?;
        let funding_id = resolve_maybe(input.academy_funding_code, |code| async move {
            store::funding_program_id(txn, "input.academyFundingCode", &code).await
        })
        .await?;
        let saved = writer
            .update::<school_pathway::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                apply(&mut m.school_id, school_id);
                apply(&mut m.pathway_id, pathway_id);
                set(&mut m.pathway_inferred, input.pathway_inferred);
                set(
                    &mut m.local_name,
                    input.local_name.map(|n| n.trim().to_owned()),
                );
                apply(&mut m.description, input.description);
                set(&mut m.earns, input.earns.as_deref().map(names));
                apply(&mut m.credit_agreement_id, credit_agreement_id);
                set(&mut m.schedules, input.schedules.as_deref().map(names));
                apply(&mut m.ctso, input.ctso);
                apply(&mut m.grade_low, input.grade_low);
                apply(&mut m.grade_high, input.grade_high);
                set(&mut m.academy, input.academy);
                apply(&mut m.academy_funding_program_id, funding_id);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(SchoolPathway::from(saved))
    }

    /// Deletes a school pathway (a tombstone in the change feed).
    async fn delete_school_pathway(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school pathway's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the school pathway has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<school_pathway::Entity>(ctx, &id, expected_version).await?)
    }

    /// Puts a course in a school pathway's sequence (or, with `feeder`, among its middle-school
    /// exploration courses). The course must be the district's own or a ROC/P course.
    async fn add_school_pathway_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school pathway's global ID.")] school_pathway_id: ID,
        #[graphql(desc = "The course's global ID.")] course_id: ID,
        #[graphql(
            default,
            desc = "A middle-school exploration course that feeds the pathway (default false)."
        )]
        feeder: bool,
    ) -> Result<SchoolPathway> {
        let key = refs::node_key(
            "schoolPathwayId",
            &school_pathway_id,
            NodeType::SchoolPathway,
        )?;
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program = store::live(db, key).await?;
        let course = refs::course(db, "courseId", &course_id).await?;
        writer
            .link::<school_pathway_course::Entity>(school_pathway_course::Model {
                id: 0,
                school_pathway_id: program.id,
                course_id: course.id,
                feeder,
            })
            .await?;
        writer.commit().await?;
        Ok(SchoolPathway::from(program))
    }

    /// Takes a course out of a school pathway.
    async fn remove_school_pathway_course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school pathway's global ID.")] school_pathway_id: ID,
        #[graphql(desc = "The course's global ID.")] course_id: ID,
    ) -> Result<SchoolPathway> {
        let key = refs::node_key(
            "schoolPathwayId",
            &school_pathway_id,
            NodeType::SchoolPathway,
        )?;
        let course_key = refs::node_key("courseId", &course_id, NodeType::Course)?;
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program = store::live(db, key).await?;
        let link = store::course_link(db, program.id, course_key)
            .await?
            .ok_or_else(|| {
                ApiError::bad_input("courseId", "this course is not in the school pathway")
            })?;
        writer.unlink::<school_pathway_course::Entity>(link).await?;
        writer.commit().await?;
        Ok(SchoolPathway::from(program))
    }

    /// Adds a count a source states for a whole district (district editors or admins).
    async fn create_district_fact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new district fact.")] input: CreateDistrictFactInput,
    ) -> Result<DistrictFact> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let district_id =
            refs::district_id(db, "input.districtCdsCode", &input.district_cds_code).await?;
        let model = new_record!(
            district_fact::Model {
                code: input.code.trim().to_owned(),
                district_id,
                kind: input.kind.as_stored().to_owned(),
                count: input.count,
                out_of: input.out_of,
                statement: input.statement.trim().to_owned(),
            },
            Some(input.source)
        );
        let saved = writer.create::<district_fact::Entity>(model).await?;
        writer.commit().await?;
        Ok(DistrictFact::from(saved))
    }

    /// Changes a district fact.
    async fn update_district_fact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The district fact's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the district fact has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateDistrictFactInput,
    ) -> Result<DistrictFact> {
        let key = refs::node_key("id", &id, NodeType::DistrictFact)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<district_fact::Entity>(key, expected_version, |m| {
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                set(&mut m.count, input.count);
                apply(&mut m.out_of, input.out_of);
                set(
                    &mut m.statement,
                    input.statement.map(|s| s.trim().to_owned()),
                );
                if let Some(source) = input.source {
                    m.source = Some(source);
                }
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(DistrictFact::from(saved))
    }

    /// Deletes a district fact.
    async fn delete_district_fact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The district fact's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the district fact has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<district_fact::Entity>(ctx, &id, expected_version).await?)
    }
}
