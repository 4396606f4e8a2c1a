//! GraphQL types of ROC/Ps and what belongs to them.

pub use crate::vocabulary::{SiteKind, TermKind};
use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject, ID};
use chrono::Utc;
use entity::{
    district, funding_option, jpa_membership, program_site, regional_program, school, term,
};

use super::loaders::{
    FundingOptionsOfProgram, MemberDistrictsOfProgram, MembershipsOfProgram, SitesOfProgram,
    TermsOfProgram,
};
use crate::vocabulary::Stored;
use crate::{
    catalog::{
        districts::types::{District, DistrictConnection, School},
        eligibility::rules::DatePrecision,
    },
    connection_types,
    graphql::{
        nested,
        nested::{by_id, required, ChildCondition},
        provenance::Provenance,
        scalars::{stored_list, Date},
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

/// How a ROC/P is governed.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum Governance {
    /// A joint powers agreement of member districts.
    #[default]
    Jpa,
    /// Run by a county office of education.
    CountyOperated,
}

/// Who may enrol at a ROC/P; eligibility answers are computed from this.
#[derive(SimpleObject, Clone, Debug)]
pub struct EligibilityPolicy {
    /// Lowest grade admitted (null: no minimum).
    pub min_grade: Option<i32>,
    /// Highest grade admitted (null: no maximum).
    pub max_grade: Option<i32>,
    /// Minimum age (Education Code 52314 sets 16 unless exceptions apply; null: none set).
    pub min_age: Option<i32>,
    /// Whether adults may enrol (usually paying a fee).
    pub adults_allowed: bool,
    /// Whether students of non-member districts may enrol by paying or with funding.
    pub non_members_allowed: bool,
    /// The program's own words on exceptions.
    pub notes: Option<String>,
}

/// A Regional Occupational Center/Program (ROC/P), e.g. SoCal ROC or CalAPS.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct RegionalProgram {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable code, e.g. `SOCAL_ROC`.
    pub code: String,
    /// Full name.
    pub name: String,
    /// The name people use, e.g. "SoCal ROC".
    pub short_name: Option<String>,
    /// Public website.
    pub website: Option<String>,
    /// JPA or county-operated.
    pub governance: Governance,
    /// Where it is based.
    pub city: Option<String>,
    /// Year it was founded.
    pub founded_year: Option<i32>,
    /// What it offers.
    pub description: Option<String>,
    /// How its catalogue is grouped, e.g. "School of Health Sciences".
    pub catalog_schools: Vec<String>,
    /// Who may enrol.
    pub policy: EligibilityPolicy,
    /// When it closed (null while open).
    pub closed_on: Option<Date>,
    /// Where to sign up (http or https).
    pub registration_url: Option<String>,
    /// The day enrolment opens.
    pub enrollment_opens_on: Option<Date>,
    /// The day enrolment closes.
    pub enrollment_closes_on: Option<Date>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub key: i32,
}

impl From<regional_program::Model> for RegionalProgram {
    fn from(mut row: regional_program::Model) -> Self {
        RegionalProgram {
            id: ids::encode(NodeType::RegionalProgram, row.id),
            provenance: provenance!(row),
            key: row.id,
            code: row.code,
            name: row.name,
            short_name: row.short_name,
            website: row.website,
            governance: Stored::read_stored(&row.governance),
            city: row.city,
            founded_year: row.founded_year,
            description: row.description,
            catalog_schools: stored_list(&row.catalog_schools),
            policy: EligibilityPolicy {
                min_grade: row.min_grade,
                max_grade: row.max_grade,
                min_age: row.min_age,
                adults_allowed: row.adults_allowed,
                non_members_allowed: row.non_members_allowed,
                notes: row.policy_notes,
            },
            closed_on: row.closed_on.map(Date),
            registration_url: row.registration_url,
            enrollment_opens_on: row.enrollment_opens_on.map(Date),
            enrollment_closes_on: row.enrollment_closes_on.map(Date),
        }
    }
}

/// Whether a membership is in force on a date.
pub fn membership_active_on(m: &jpa_membership::Model, on: chrono::NaiveDate) -> bool {
    m.joined_on <= on && m.withdrawn_on.is_none_or(|w| w > on)
}

#[ComplexObject]
impl RegionalProgram {
    /// Public contacts by role (office, counselor desk, CTE coordinator; never a person).
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<crate::catalog::educators::types::Contact>> {
        crate::catalog::educators::loaders::contacts_of_program(ctx, self.key, include_sample).await
    }
    /// Where it teaches: its central campus and member high schools.
    async fn sites(
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
    ) -> Result<ProgramSiteConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(ProgramSiteConnection(
            nested::child_page::<SitesOfProgram>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(ProgramSite::from),
        ))
    }

    /// Districts whose students attend free on `onDate` (default today) under the JPA.
    async fn member_districts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The date to check, YYYY-MM-DD (default today); memberships start and end over time."
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
    ) -> Result<DistrictConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        let on = on_date
            .map(|d| d.0)
            .unwrap_or_else(|| Utc::now().date_naive());
        let filter =
            nested::sample_filter(ctx, include_sample).with(Some(ChildCondition::ActiveOn(on)));
        let page =
            nested::child_page::<MemberDistrictsOfProgram>(ctx, self.key, req, filter).await?;
        let page = page
            .try_map_async(|m| async move {
                Ok(District::from(
                    required::<district::Entity>(ctx, m.district_id, "district").await?,
                ))
            })
            .await?;
        Ok(DistrictConnection(page))
    }

    /// Every JPA membership, current and past, with dates and benefits.
    async fn memberships(
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
    ) -> Result<JpaMembershipConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(JpaMembershipConnection(
            nested::child_page::<MembershipsOfProgram>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(JpaMembership::from),
        ))
    }

    /// Who can pay when a student's district is not a member.
    async fn funding_options(
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
    ) -> Result<FundingOptionConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(FundingOptionConnection(
            nested::child_page::<FundingOptionsOfProgram>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(FundingOption::from),
        ))
    }

    /// The program's catalogue, by title.
    async fn courses(
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
    ) -> Result<crate::catalog::courses::types::CourseConnection> {
        use crate::catalog::courses::{
            loaders::CoursesOfProgram,
            types::{Course, CourseConnection},
        };
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(CourseConnection(
            nested::child_page::<CoursesOfProgram>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(Course::from),
        ))
    }

    /// The program's terms, by start date.
    async fn terms(
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
    ) -> Result<TermConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(TermConnection(
            nested::child_page::<TermsOfProgram>(
                ctx,
                self.key,
                req,
                crate::graphql::nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(Term::from),
        ))
    }
}

connection_types!(
    RegionalProgram,
    RegionalProgramConnection,
    RegionalProgramEdge,
    "A page of ROC/Ps."
);

/// A place where a ROC/P teaches.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct ProgramSite {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// The program's code for the site.
    pub code: String,
    /// Name, e.g. "SoCal ROC campus".
    pub name: String,
    /// Central campus, member high school or other.
    pub kind: SiteKind,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Latitude (decimal degrees).
    pub lat: Option<f64>,
    /// Longitude (decimal degrees).
    pub lng: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub program_id: i32,
    #[graphql(skip)]
    pub school_id: Option<i32>,
}

impl From<program_site::Model> for ProgramSite {
    fn from(mut row: program_site::Model) -> Self {
        ProgramSite {
            id: ids::encode(NodeType::ProgramSite, row.id),
            provenance: provenance!(row),
            program_id: row.program_id,
            school_id: row.school_id,
            code: row.code,
            name: row.name,
            kind: Stored::read_stored(&row.kind),
            address: row.address,
            city: row.city,
            lat: row.lat,
            lng: row.lng,
        }
    }
}

#[ComplexObject]
impl ProgramSite {
    /// The program that teaches here.
    async fn program(&self, ctx: &Context<'_>) -> Result<RegionalProgram> {
        Ok(
            required::<regional_program::Entity>(ctx, self.program_id, "program")
                .await?
                .into(),
        )
    }
    /// The high school this site is at, when it is one.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        match self.school_id {
            Some(id) => Ok(by_id::<school::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
}

/// What a member district's students get free.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Benefit {
    /// No tuition.
    Tuition,
    /// No materials fee.
    Materials,
    /// Bus transportation to the site.
    Transportation,
}

/// A district's membership in a ROC/P's joint powers agreement, with dates.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct JpaMembership {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// When the district joined; read it with `joinedOnPrecision` (only the year, or
    /// nothing, may be known, and the rest is a placeholder).
    pub joined_on: Date,
    /// How precisely `joinedOn` is known: DAY, MONTH, YEAR or UNKNOWN.
    pub joined_on_precision: DatePrecision,
    /// When it withdrew (null while a member).
    pub withdrawn_on: Option<Date>,
    /// What its students get free.
    pub benefits: Vec<Benefit>,
    /// Notes on the membership.
    pub notes: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: jpa_membership::Model,
}

impl From<jpa_membership::Model> for JpaMembership {
    fn from(mut row: jpa_membership::Model) -> Self {
        let mut benefits = Vec::new();
        if row.covers_tuition {
            benefits.push(Benefit::Tuition);
        }
        if row.covers_materials {
            benefits.push(Benefit::Materials);
        }
        if row.covers_transportation {
            benefits.push(Benefit::Transportation);
        }
        JpaMembership {
            id: ids::encode(NodeType::JpaMembership, row.id),
            provenance: provenance!(row),
            joined_on: Date(row.joined_on),
            joined_on_precision: DatePrecision::read(&row.joined_on_precision),
            withdrawn_on: row.withdrawn_on.map(Date),
            benefits,
            notes: row.notes.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl JpaMembership {
    /// Whether the membership is in force on `onDate` (default today).
    async fn active(
        &self,
        #[graphql(desc = "The date to check, YYYY-MM-DD (default today).")] on_date: Option<Date>,
    ) -> bool {
        membership_active_on(
            &self.row,
            on_date
                .map(|d| d.0)
                .unwrap_or_else(|| Utc::now().date_naive()),
        )
    }
    /// The ROC/P.
    async fn program(&self, ctx: &Context<'_>) -> Result<RegionalProgram> {
        Ok(
            required::<regional_program::Entity>(ctx, self.row.program_id, "program")
                .await?
                .into(),
        )
    }
    /// The member district.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.row.district_id, "district")
                .await?
                .into(),
        )
    }
}

/// Kinds of funding for non-member students.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default, Debug)]
pub enum FundingOptionKind {
    /// A workforce development board (WIOA), e.g. South Bay Workforce Investment Board.
    WorkforceBoard,
    /// The Department of Rehabilitation.
    Rehabilitation,
    /// The student or family pays.
    SelfPay,
    /// A scholarship.
    Scholarship,
    /// Anything else.
    #[default]
    Other,
}

/// Who can pay for a non-member student at a ROC/P.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct FundingOption {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// The program's code for it.
    pub code: String,
    /// Name, e.g. "South Bay Workforce Investment Board".
    pub name: String,
    /// Workforce board, rehabilitation, self-pay, ...
    pub kind: FundingOptionKind,
    /// What it pays for.
    pub description: Option<String>,
    /// Where to apply.
    pub url: Option<String>,
    /// Who qualifies.
    pub eligibility_notes: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub program_id: i32,
}

impl From<funding_option::Model> for FundingOption {
    fn from(mut row: funding_option::Model) -> Self {
        FundingOption {
            id: ids::encode(NodeType::FundingOption, row.id),
            provenance: provenance!(row),
            program_id: row.program_id,
            code: row.code,
            name: row.name,
            kind: Stored::read_stored(&row.kind),
            description: row.description,
            url: row.url,
            eligibility_notes: row.eligibility_notes,
        }
    }
}

#[ComplexObject]
impl FundingOption {
    /// The ROC/P it applies to.
    async fn program(&self, ctx: &Context<'_>) -> Result<RegionalProgram> {
        Ok(
            required::<regional_program::Entity>(ctx, self.program_id, "program")
                .await?
                .into(),
        )
    }
}

/// A ROC/P term, e.g. "Fall 2026".
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Term {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// The program's code for it, e.g. `2026-FALL`.
    pub code: String,
    /// Name, e.g. "Fall 2026".
    pub name: String,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Semester, quarter, summer or supplemental.
    pub kind: TermKind,
    /// Whether buses run this term (a term without drivers has none).
    pub transportation_available: bool,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub program_id: i32,
}

impl From<term::Model> for Term {
    fn from(mut row: term::Model) -> Self {
        Term {
            id: ids::encode(NodeType::Term, row.id),
            provenance: provenance!(row),
            program_id: row.program_id,
            code: row.code,
            name: row.name,
            starts_on: Date(row.starts_on),
            ends_on: Date(row.ends_on),
            kind: Stored::read_stored(&row.kind),
            transportation_available: row.transportation_available,
        }
    }
}

#[ComplexObject]
impl Term {
    /// The ROC/P whose term it is.
    async fn program(&self, ctx: &Context<'_>) -> Result<RegionalProgram> {
        Ok(
            required::<regional_program::Entity>(ctx, self.program_id, "program")
                .await?
                .into(),
        )
    }
}

connection_types!(Term, TermConnection, TermEdge, "A page of terms.");
connection_types!(
    ProgramSite,
    ProgramSiteConnection,
    ProgramSiteEdge,
    "A page of sites."
);
connection_types!(
    JpaMembership,
    JpaMembershipConnection,
    JpaMembershipEdge,
    "A page of JPA memberships."
);
connection_types!(
    FundingOption,
    FundingOptionConnection,
    FundingOptionEdge,
    "A page of funding options."
);
