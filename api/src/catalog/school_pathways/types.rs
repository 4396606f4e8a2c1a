//! GraphQL types of school pathways (programs of study) and district facts.

use crate::batch::DataLoader;
use crate::vocabulary::Stored;
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use entity::{
    district, district_fact, dual_enrollment_agreement, funding_program, pathway, school,
    school_pathway,
};

use super::loaders::{CoursesKey, CoursesOfSchoolPathway};
use crate::{
    catalog::{
        colleges::types::DualEnrollmentAgreement,
        courses::types::Course,
        districts::types::{District, School},
        funding::types::FundingProgram,
        pathways::types::Pathway,
    },
    connection_types,
    error::from_load,
    graphql::{
        nested::{by_id, required},
        provenance::Provenance,
        scalars::stored_list,
    },
    ids,
    ids::NodeType,
    provenance,
};

pub use crate::vocabulary::{CompletionAward, DistrictFactKind, PathwaySchedule};

/// A pathway a district, or one of its schools, runs itself as a program of study: free, by
/// definition, for the district's own students.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct SchoolPathway {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `BELLFLOWER_HIGH_AVIATION`.
    pub code: String,
    /// The name the district uses, e.g. "Green technology" ("(sample)" marks an illustrative one).
    pub local_name: String,
    /// What students do in it.
    pub description: Option<String>,
    /// True when the link to the state `pathway` is CTE Hub's reading of the source, not the
    /// source's own statement.
    pub pathway_inferred: bool,
    /// What completing it earns.
    pub earns: Vec<CompletionAward>,
    /// When its classes meet (several possible).
    pub schedules: Vec<PathwaySchedule>,
    /// Career technical student organisation (HOSA, SkillsUSA, FFA, ...).
    pub ctso: Option<String>,
    /// Lowest grade it takes.
    pub grade_low: Option<i32>,
    /// Highest grade it takes.
    pub grade_high: Option<i32>,
    /// A California Partnership Academy (a school within a school, grades 10-12).
    pub academy: bool,
    /// Kilometres from the place asked about in `Pathway.offeredAt(near:)`; null elsewhere.
    pub distance_km: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: school_pathway::Model,
}

impl From<school_pathway::Model> for SchoolPathway {
    fn from(mut row: school_pathway::Model) -> Self {
        SchoolPathway {
            id: ids::encode(NodeType::SchoolPathway, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            local_name: row.local_name.clone(),
            description: row.description.clone(),
            pathway_inferred: row.pathway_inferred,
            earns: stored_list(&row.earns)
                .iter()
                .map(|e| Stored::read_stored(e))
                .collect(),
            schedules: stored_list(&row.schedules)
                .iter()
                .map(|s| Stored::read_stored(s))
                .collect(),
            ctso: row.ctso.clone(),
            grade_low: row.grade_low,
            grade_high: row.grade_high,
            academy: row.academy,
            distance_km: None,
            row,
        }
    }
}

#[ComplexObject]
impl SchoolPathway {
    /// The district that runs it.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.row.district_id, "district")
                .await?
                .into(),
        )
    }
    /// The school that runs it; null when the source names only the district.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        match self.row.school_id {
            Some(id) => Ok(by_id::<school::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// The state pathway it follows; null when the source gives only the district's label.
    async fn pathway(&self, ctx: &Context<'_>) -> Result<Option<Pathway>> {
        match self.row.pathway_id {
            Some(id) => Ok(by_id::<pathway::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// The course sequence, INTRODUCTORY → CONCENTRATOR → CAPSTONE (a handful of courses).
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Course>> {
        courses(ctx, self.row.id, false, include_sample).await
    }
    /// Middle-school exploration courses that feed it (grades 7-8), not steps of it.
    async fn feeder_courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Course>> {
        courses(ctx, self.row.id, true, include_sample).await
    }
    /// The dual-enrollment agreement its college credit comes through, when named.
    async fn credit_agreement(&self, ctx: &Context<'_>) -> Result<Option<DualEnrollmentAgreement>> {
        match self.row.credit_agreement_id {
            Some(id) => Ok(by_id::<dual_enrollment_agreement::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }
    /// What pays for the academy (e.g. California Partnership Academies); null otherwise.
    async fn academy_funding(&self, ctx: &Context<'_>) -> Result<Option<FundingProgram>> {
        match self.row.academy_funding_program_id {
            Some(id) => Ok(by_id::<funding_program::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }
}

/// A school pathway's sequence or feeder courses through the request's loader.
async fn courses(
    ctx: &Context<'_>,
    key: i32,
    feeder: bool,
    include_sample: Option<bool>,
) -> Result<Vec<Course>> {
    let key = CoursesKey {
        school_pathway_id: key,
        feeder,
        real_only: crate::graphql::provenance::real_only(ctx, include_sample),
    };
    Ok(ctx
        .data_unchecked::<DataLoader<CoursesOfSchoolPathway>>()
        .load_one(key)
        .await
        .map_err(from_load)?
        .unwrap_or_default()
        .into_iter()
        .map(Course::from)
        .collect())
}

connection_types!(
    SchoolPathway,
    SchoolPathwayConnection,
    SchoolPathwayEdge,
    "A page of pathways districts and schools run themselves."
);

/// A count a source states for a whole district ("58 CTE career pathways across 128 schools"):
/// never spread over its schools.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct DistrictFact {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `LAUSD_PATHWAYS`.
    pub code: String,
    /// What it counts.
    pub kind: DistrictFactKind,
    /// The number the source gives.
    pub count: i32,
    /// The whole it is part of, when the source gives one ("13 of 15 sectors": 15).
    pub out_of: Option<i32>,
    /// The fact in words, as the source states it.
    pub statement: String,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub district_id: i32,
}

impl From<district_fact::Model> for DistrictFact {
    fn from(mut row: district_fact::Model) -> Self {
        DistrictFact {
            id: ids::encode(NodeType::DistrictFact, row.id),
            provenance: provenance!(row),
            code: row.code,
            kind: Stored::read_stored(&row.kind),
            count: row.count,
            out_of: row.out_of,
            statement: row.statement,
            district_id: row.district_id,
        }
    }
}

#[ComplexObject]
impl DistrictFact {
    /// The district it is about.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.district_id, "district")
                .await?
                .into(),
        )
    }
}
