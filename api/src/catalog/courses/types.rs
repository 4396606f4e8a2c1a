//! GraphQL types of courses and certifications.

pub use crate::vocabulary::{AgArea, CourseLevel};
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use entity::{certification, course, district, pathway, regional_program, school};

use super::loaders::{CertificationsOfCourse, OfferingsOfCourse, PrerequisitesOfCourse};
use crate::vocabulary::Stored;
use crate::{
    catalog::{
        districts::types::{District, School},
        offerings::types::{CourseOffering, CourseOfferingConnection},
        pathways::types::Pathway,
        programs::types::RegionalProgram,
    },
    connection_types,
    error::from_load,
    graphql::{
        nested,
        nested::{by_id, required},
        provenance::{real_only, Provenance},
        scalars::Date,
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

/// An industry-recognized certification or state licence a course prepares for.
#[derive(SimpleObject, Clone)]
pub struct Certification {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable code, e.g. `CNA`.
    pub code: String,
    /// Name, e.g. "Certified Nurse Assistant".
    pub name: String,
    /// Who issues it.
    pub issuer: Option<String>,
    /// Where to read about it.
    pub url: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
}

impl From<certification::Model> for Certification {
    fn from(mut row: certification::Model) -> Self {
        Certification {
            id: ids::encode(NodeType::Certification, row.id),
            provenance: provenance!(row),
            code: row.code,
            name: row.name,
            issuer: row.issuer,
            url: row.url,
        }
    }
}

/// A course in a ROC/P's catalogue.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Course {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// The program's local course code.
    pub code: String,
    /// CALPADS 4-digit CTE state course code (7000-8999), where known.
    pub state_course_code: Option<String>,
    /// The title students see, e.g. "Fundamentals of Nursing".
    pub title: String,
    /// What students learn.
    pub description: Option<String>,
    /// Introductory, concentrator or capstone.
    pub level: CourseLevel,
    /// The program's catalogue grouping, e.g. "School of Health Sciences".
    pub catalog_school: Option<String>,
    /// Instructional hours.
    pub hours: Option<i32>,
    /// High-school credits earned.
    pub high_school_credits: Option<i32>,
    /// UC/CSU A-G area (null when not A-G approved).
    pub ag_area: Option<AgArea>,
    /// Year UC approved it for A-G.
    pub uc_approved_year: Option<i32>,
    /// Whether it carries honors weight.
    pub honors: bool,
    /// Minimum grade, overriding the program's policy.
    pub min_grade: Option<i32>,
    /// Minimum age, overriding the program's policy.
    pub min_age: Option<i32>,
    /// Career technical student organisation (HOSA, SkillsUSA, FFA, ...).
    pub ctso: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub key: i32,
    #[graphql(skip)]
    pub program_id: Option<i32>,
    #[graphql(skip)]
    pub district_id: Option<i32>,
    #[graphql(skip)]
    pub school_id: Option<i32>,
    #[graphql(skip)]
    pub pathway_id: Option<i32>,
}

impl From<course::Model> for Course {
    fn from(mut row: course::Model) -> Self {
        Course {
            id: ids::encode(NodeType::Course, row.id),
            provenance: provenance!(row),
            key: row.id,
            program_id: row.program_id,
            district_id: row.district_id,
            school_id: row.school_id,
            pathway_id: row.pathway_id,
            code: row.code,
            state_course_code: row.state_course_code,
            title: row.title,
            description: row.description,
            level: Stored::read_stored(&row.level),
            catalog_school: row.catalog_school,
            hours: row.hours,
            high_school_credits: row.high_school_credits,
            ag_area: row.ag_area.as_deref().and_then(AgArea::from_stored),
            uc_approved_year: row.uc_approved_year,
            honors: row.honors,
            min_grade: row.min_grade,
            min_age: row.min_age,
            ctso: row.ctso,
        }
    }
}

#[ComplexObject]
impl Course {
    /// The ROC/P that teaches it; null for a district's own course (see `district`).
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<RegionalProgram>> {
        match self.program_id {
            Some(id) => Ok(Some(
                required::<regional_program::Entity>(ctx, id, "program")
                    .await?
                    .into(),
            )),
            None => Ok(None),
        }
    }
    /// The district that teaches it itself; null for a ROC/P course.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        match self.district_id {
            Some(id) => Ok(Some(
                required::<district::Entity>(ctx, id, "district")
                    .await?
                    .into(),
            )),
            None => Ok(None),
        }
    }
    /// The district's school that teaches it, when known.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        match self.school_id {
            Some(id) => Ok(by_id::<school::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// The pathway it is a step of.
    async fn pathway(&self, ctx: &Context<'_>) -> Result<Option<Pathway>> {
        match self.pathway_id {
            Some(id) => Ok(by_id::<pathway::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// Certifications it prepares for.
    async fn certifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Certification>> {
        let real_only = real_only(ctx, include_sample);
        let rows = ctx
            .data_unchecked::<crate::batch::DataLoader<CertificationsOfCourse>>()
            .load_one(self.key)
            .await
            .map_err(from_load)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|c| !(real_only && c.sample))
            .map(Into::into)
            .collect())
    }
    /// Courses to complete first.
    async fn prerequisites(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Course>> {
        let real_only = real_only(ctx, include_sample);
        let rows = ctx
            .data_unchecked::<crate::batch::DataLoader<PrerequisitesOfCourse>>()
            .load_one(self.key)
            .await
            .map_err(from_load)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|c| !(real_only && c.sample))
            .map(Into::into)
            .collect())
    }
    /// College credit it earns (CCAP, articulated, concurrent). Without a student and date it
    /// lists every articulation recorded; with `forDistrict` or `forSchool` and/or `onDate`
    /// only credit that applies to that student on that date, by the same rule as
    /// `Pathway.collegeCredit` (an agreement must be in force and cover the student's district
    /// or the course's ROC/P; each articulation's `agreement` says which agreement it is
    /// earned through).
    // Eleven GraphQL arguments (district, school, date, sample and paging): one over
    // clippy.toml's threshold for connection resolvers, and the schema fixes them.
    #[allow(clippy::too_many_arguments)]
    async fn articulations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only credit a student of this district (CDS code, or its `code` when it has none) can earn; give this or `forSchool`."
        )]
        for_district: Option<String>,
        #[graphql(
            desc = "Only credit a student of this school (CDS code, or its `code` when it has none) can earn; its district decides."
        )]
        for_school: Option<String>,
        #[graphql(
            desc = "Only credit that applies on this date, YYYY-MM-DD (default today when `forDistrict` or `forSchool` is given)."
        )]
        on_date: Option<Date>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<crate::catalog::colleges::types::ArticulationConnection> {
        use crate::catalog::colleges::{
            credit::{scoped_page, CreditKey, CreditOf},
            loaders::student_scope,
            loaders::ArticulationsOfCourse,
            types::{Articulation, ArticulationConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let Some(who) = student_scope(ctx, for_district, for_school, on_date.map(|d| d.0)).await?
        else {
            let filter = nested::sample_filter(ctx, include_sample);
            let page =
                nested::child_page::<ArticulationsOfCourse>(ctx, self.key, req, filter).await?;
            return Ok(ArticulationConnection(page.map(Articulation::from)));
        };
        let key = CreditKey {
            of: CreditOf::Course(self.key),
            who,
            real_only: real_only(ctx, include_sample),
        };
        let page = scoped_page(ctx, key, &req).await?;
        Ok(ArticulationConnection(page.map(Articulation::from)))
    }
    /// Its sections in every term.
    async fn offerings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, or after `after`: 0-100, default 20.")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor, e.g. the last page's `pageInfo.endCursor`.")]
        after: Option<String>,
        #[graphql(desc = "Page size from the end, or before `before`: 0-100.")] last: Option<i32>,
        #[graphql(desc = "End before this cursor, e.g. the next page's `pageInfo.startCursor`.")]
        before: Option<String>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<CourseOfferingConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let filter = nested::sample_filter(ctx, include_sample);
        let page = nested::child_page::<OfferingsOfCourse>(ctx, self.key, req, filter).await?;
        Ok(CourseOfferingConnection(page.map(CourseOffering::from)))
    }
}

connection_types!(Course, CourseConnection, CourseEdge, "A page of courses.");
