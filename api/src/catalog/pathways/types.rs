//! GraphQL types of sectors and pathways. They wrap entity rows privately, so a
//! column change never changes the published schema by accident.

use crate::batch::DataLoader;
use crate::vocabulary::Stored;
use async_graphql::{Context, Enum, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use entity::{industry_sector, pathway};

use super::{loaders::PathwaysOfSector, store::PathwayOrdering};
use crate::{
    connection_types,
    error::from_load,
    graphql::{nested, scalars::Date},
    ids,
    ids::NodeType,
    paging::PageRequest,
};

/// Splits a `;`-separated alias list as stored.
fn split_aliases(aliases: &str) -> Vec<String> {
    aliases
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One of California's 15 CTE industry sectors.
#[derive(Clone)]
pub struct IndustrySector(pub(crate) industry_sector::Model);

/// One of California's 15 CTE industry sectors.
#[Object]
impl IndustrySector {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::IndustrySector, self.0.id)
    }
    /// Stable code, e.g. `HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Name as in the CTE Model Curriculum Standards.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Older or variant names still seen on district sites.
    async fn aliases(&self) -> Vec<String> {
        split_aliases(&self.0.aliases)
    }
    /// What the sector covers.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The sector's pathways in published order.
    async fn pathways(
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
    ) -> Result<PathwayConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let page = nested::child_page::<PathwaysOfSector>(
            ctx,
            self.0.id,
            req,
            crate::graphql::nested::sample_filter(ctx, include_sample),
        )
        .await?;
        Ok(PathwayConnection(page.map(Pathway)))
    }
    /// When this record was created in CTE Hub.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When this record last changed in CTE Hub.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Optimistic-concurrency version; updates must name it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where the facts of this record come from.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// When the source was published or read (null only for sample and user-entered records).
    async fn source_updated_at(&self) -> Option<Date> {
        self.0.source_updated_at.map(Date)
    }
    /// True for an illustrative record; sectors and pathways are always real (false).
    async fn sample(&self) -> bool {
        self.0.sample
    }
}

impl From<industry_sector::Model> for IndustrySector {
    fn from(row: industry_sector::Model) -> Self {
        IndustrySector(row)
    }
}

impl From<pathway::Model> for Pathway {
    fn from(row: pathway::Model) -> Self {
        Pathway(row)
    }
}

/// A career pathway: a sequence of courses (introductory, concentrator, capstone) in one sector.
#[derive(Clone)]
pub struct Pathway(pub(crate) pathway::Model);

/// A career pathway: a sequence of courses (introductory, concentrator, capstone) in one sector.
#[Object]
impl Pathway {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Pathway, self.0.id)
    }
    /// Stable code, e.g. `PATIENT_CARE`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// 3-digit CALPADS CTE pathway code, only where confirmed from the official code set.
    async fn calpads_code(&self) -> Option<&str> {
        self.0.calpads_code.as_deref()
    }
    /// Name as in the CTE Model Curriculum Standards.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Older or variant names still seen on district sites.
    async fn aliases(&self) -> Vec<String> {
        split_aliases(&self.0.aliases)
    }
    /// What the pathway prepares for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The sector this pathway belongs to.
    async fn sector(&self, ctx: &Context<'_>) -> Result<IndustrySector> {
        Ok(
            nested::required::<industry_sector::Entity>(ctx, self.0.sector_id, "sector")
                .await?
                .into(),
        )
    }
    /// Employers with a partnership in this pathway, by name; with `kind`, only
    /// those offering it (e.g. INTERNSHIP).
    async fn industry_partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only partners offering this, e.g. `INTERNSHIP` (default: all partners)."
        )]
        kind: Option<crate::catalog::partners::types::PartnershipKind>,
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
    ) -> Result<crate::catalog::partners::types::IndustryPartnerConnection> {
        use crate::{
            catalog::partners::{
                loaders::PartnersOfPathwayPages,
                types::{IndustryPartner, IndustryPartnerConnection},
            },
            graphql::nested::{child_page, ChildCondition},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let filter =
            crate::graphql::nested::sample_filter(ctx, include_sample).with(kind.map(|k| {
                ChildCondition::ListContains("partnership_kinds", k.as_stored().to_owned())
            }));
        let page = child_page::<PartnersOfPathwayPages>(ctx, self.0.id, req, filter).await?;
        Ok(IndustryPartnerConnection(
            page.map(|row| IndustryPartner::from(row.partner)),
        ))
    }
    /// The schools and districts that run this pathway themselves: "which schools near me
    /// offer Patient Care?". With `near`, nearest first by the school's coordinates (programs
    /// without a school are left out); otherwise by the district's name for it.
    async fn offered_at(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only schools within a radius of a place, nearest first.")] near: Option<
            crate::catalog::offerings::query::NearInput,
        >,
        #[graphql(desc = "Only this district's programs (district CDS code or `code`).")] district: Option<
            String,
        >,
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
    ) -> Result<crate::catalog::school_pathways::types::SchoolPathwayConnection> {
        use crate::catalog::school_pathways::{
            loaders,
            types::{SchoolPathway, SchoolPathwayConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let real_only = crate::graphql::provenance::real_only(ctx, include_sample);
        let page = loaders::offered_at(ctx, self.0.id, near, district, real_only, req).await?;
        Ok(SchoolPathwayConnection(page.map(|(row, distance)| {
            let mut p = SchoolPathway::from(row);
            p.distance_km = distance;
            p
        })))
    }
    /// Employers tied to this pathway and what each offers (internships, job shadows, ...).
    async fn industry_partnerships(
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
    ) -> Result<crate::catalog::partners::types::IndustryPartnershipConnection> {
        use crate::catalog::partners::{
            loaders::PartnershipsOfPathway,
            types::{IndustryPartnership, IndustryPartnershipConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let page = crate::graphql::nested::child_page::<PartnershipsOfPathway>(
            ctx,
            self.0.id,
            req,
            crate::graphql::nested::sample_filter(ctx, include_sample),
        )
        .await?;
        Ok(IndustryPartnershipConnection(
            page.map(IndustryPartnership::from),
        ))
    }
    /// Certifications and licences its courses prepare for.
    async fn certifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<crate::catalog::courses::types::Certification>> {
        use crate::catalog::courses::loaders::CertificationsOfPathway;
        let real_only = crate::graphql::provenance::real_only(ctx, include_sample);
        let rows = ctx
            .data_unchecked::<DataLoader<CertificationsOfPathway>>()
            .load_one((self.0.id, real_only))
            .await
            .map_err(from_load)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|c| !(real_only && c.sample))
            .map(Into::into)
            .collect())
    }
    /// College credit its courses earn, across colleges. Without a student and date it
    /// lists every articulation recorded; with `forDistrict` or `forSchool` and/or
    /// `onDate` only credit that applies to that student on that date (an agreement
    /// must be in force and cover the student's district or the course's ROC/P; each
    /// articulation's `agreement` says which agreement it is earned through).
    async fn college_credit(
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
            loaders::ArticulationsOfPathway,
            types::{Articulation, ArticulationConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let Some(who) = student_scope(ctx, for_district, for_school, on_date.map(|d| d.0)).await?
        else {
            let page = crate::graphql::nested::child_page::<ArticulationsOfPathway>(
                ctx,
                self.0.id,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?;
            return Ok(ArticulationConnection(
                page.map(|row| Articulation::from(row.articulation)),
            ));
        };
        let key = CreditKey {
            of: CreditOf::Pathway(self.0.id),
            who,
            real_only: crate::graphql::provenance::real_only(ctx, include_sample),
        };
        let page = scoped_page(ctx, key, &req).await?;
        Ok(ArticulationConnection(page.map(Articulation::from)))
    }
    /// Its courses (optionally one step of the sequence), by title.
    async fn courses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only courses at this step of the sequence (default: every step).")] level: Option<crate::catalog::courses::types::CourseLevel>,
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
    ) -> Result<crate::catalog::courses::types::CourseConnection> {
        use crate::catalog::courses::{
            loaders::CoursesOfPathway,
            types::{Course, CourseConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        let filter =
            crate::graphql::nested::sample_filter(ctx, include_sample).with(level.map(|l| {
                crate::graphql::nested::ChildCondition::Equals("level", l.as_stored().to_owned())
            }));
        let page =
            crate::graphql::nested::child_page::<CoursesOfPathway>(ctx, self.0.id, req, filter)
                .await?;
        Ok(CourseConnection(page.map(Course::from)))
    }
    /// When this record was created in CTE Hub.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When this record last changed in CTE Hub.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Optimistic-concurrency version; updates must name it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where the facts of this record come from.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// When the source was published or read (null only for sample and user-entered records).
    async fn source_updated_at(&self) -> Option<Date> {
        self.0.source_updated_at.map(Date)
    }
    /// True for an illustrative record; sectors and pathways are always real (false).
    async fn sample(&self) -> bool {
        self.0.sample
    }
}

connection_types!(
    Pathway,
    PathwayConnection,
    PathwayEdge,
    "A page of pathways."
);

/// Filters for `pathways`; all given filters must hold.
#[derive(InputObject, Default)]
pub struct PathwayFilter {
    /// Only pathways of this sector (sector code).
    pub sector_code: Option<String>,
    /// Case-insensitive text in the pathway's name or aliases.
    pub search: Option<String>,
    /// Only pathways this school runs itself (school CDS code or `code`).
    pub offered_at_school: Option<String>,
    /// Only pathways this district runs itself, at any of its schools or district-wide
    /// (district CDS code or `code`).
    pub offered_in_district: Option<String>,
    /// Only pathways run somewhere as a California Partnership Academy (true) or somewhere
    /// not as one (false).
    pub academy: Option<bool>,
}

/// Orderings of `pathways`; ties are broken by id.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum PathwayOrder {
    /// The published order: by sector, then as listed in the standards.
    #[default]
    Standard,
    /// By name, A to Z.
    NameAsc,
    /// By name, Z to A.
    NameDesc,
    /// By code, A to Z.
    CodeAsc,
}

impl From<PathwayOrder> for PathwayOrdering {
    fn from(order: PathwayOrder) -> Self {
        match order {
            PathwayOrder::Standard => PathwayOrdering::Standard,
            PathwayOrder::NameAsc => PathwayOrdering::NameAsc,
            PathwayOrder::NameDesc => PathwayOrdering::NameDesc,
            PathwayOrder::CodeAsc => PathwayOrdering::CodeAsc,
        }
    }
}
