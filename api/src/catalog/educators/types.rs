//! GraphQL types of educator organisations, their programs and district
//! partnerships, teaching openings and role contacts.

use crate::batch::DataLoader;
use crate::vocabulary::Stored;
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use entity::{
    contact, district, educator_organization, educator_partnership, educator_program,
    industry_sector, pathway, school,
};

use super::loaders::{PartnershipsOfEducatorProgram, ProgramsOfOrganization, SectorsOfProgram};
use crate::{
    catalog::{
        districts::types::{District, School},
        pathways::types::{IndustrySector, Pathway},
    },
    connection_types,
    error::from_load,
    graphql::{
        nested,
        nested::{by_id, required},
        provenance::Provenance,
        scalars::{stored_list, Date},
    },
    ids,
    ids::NodeType,
    paging::PageRequest,
    provenance,
};

pub use crate::vocabulary::{ContactRole, EducatorOrganizationKind, EducatorProgramKind};

/// An organisation that recruits, prepares or supports CTE teachers.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct EducatorOrganization {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `ENCORPS`; also the `org` of the organisation's own editors.
    pub code: String,
    /// Name.
    pub name: String,
    /// Nonprofit, district or college.
    pub kind: EducatorOrganizationKind,
    /// What it does, in its own words (mission).
    pub description: Option<String>,
    /// Year it was founded.
    pub founded_year: Option<i32>,
    /// Public website.
    pub website: Option<String>,
    /// Where it is based.
    pub city: Option<String>,
    /// Professionals it has recruited into teaching, cumulative, as the source counts them
    /// (`countsWording` says "more than", "as of").
    pub professionals_recruited: Option<i32>,
    /// Students its teachers have reached, cumulative, as the source counts them.
    pub students_reached: Option<i32>,
    /// Schools it works with, cumulative, as the source counts them.
    pub partner_schools: Option<i32>,
    /// The source's own wording of the counts and their date, e.g. "more than 2,000 ... (cumulative,
    /// as of an undated article)": the numbers above are the ones it gives, not exact totals.
    pub counts_wording: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: educator_organization::Model,
}

impl From<educator_organization::Model> for EducatorOrganization {
    fn from(mut row: educator_organization::Model) -> Self {
        EducatorOrganization {
            id: ids::encode(NodeType::EducatorOrganization, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            name: row.name.clone(),
            kind: Stored::read_stored(&row.kind),
            description: row.description.clone(),
            founded_year: row.founded_year,
            website: row.website.clone(),
            city: row.city.clone(),
            professionals_recruited: row.professionals_recruited,
            students_reached: row.students_reached,
            partner_schools: row.partner_schools,
            counts_wording: row.counts_wording.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl EducatorOrganization {
    /// The district it is, when it is a district running its own program.
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        match self.row.district_id {
            Some(id) => Ok(by_id::<district::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// Its programs, by name.
    async fn programs(
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
    ) -> Result<EducatorProgramConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(EducatorProgramConnection(
            nested::child_page::<ProgramsOfOrganization>(
                ctx,
                self.row.id,
                req,
                nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(EducatorProgram::from),
        ))
    }
}

connection_types!(
    EducatorOrganization,
    EducatorOrganizationConnection,
    EducatorOrganizationEdge,
    "A page of educator organisations."
);

/// A program that recruits, prepares or mentors CTE teachers.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct EducatorProgram {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `ENCORPS_CTE_MENTORSHIP`.
    pub code: String,
    /// Name, e.g. "CTE Mentorship Alliance".
    pub name: String,
    /// Recruitment, credential preparation or mentorship.
    pub kind: EducatorProgramKind,
    /// What it does.
    pub description: Option<String>,
    /// Whom it serves, e.g. "new CTE teachers, paired with experienced mentor teachers".
    pub serves: Option<String>,
    /// How participants are paid or what it costs them, in the source's words.
    pub compensation: Option<String>,
    /// How often participants meet, e.g. "monthly".
    pub meeting_cadence: Option<String>,
    /// Participants per cohort, where a source gives it.
    pub cohort_size: Option<i32>,
    /// Where to sign up (http or https).
    pub registration_url: Option<String>,
    /// The day sign-up opens.
    pub enrollment_opens_on: Option<Date>,
    /// The day sign-up closes.
    pub enrollment_closes_on: Option<Date>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: educator_program::Model,
}

impl From<educator_program::Model> for EducatorProgram {
    fn from(mut row: educator_program::Model) -> Self {
        EducatorProgram {
            id: ids::encode(NodeType::EducatorProgram, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            name: row.name.clone(),
            kind: Stored::read_stored(&row.kind),
            description: row.description.clone(),
            serves: row.serves.clone(),
            compensation: row.compensation.clone(),
            meeting_cadence: row.meeting_cadence.clone(),
            cohort_size: row.cohort_size,
            registration_url: row.registration_url.clone(),
            enrollment_opens_on: row.enrollment_opens_on.map(Date),
            enrollment_closes_on: row.enrollment_closes_on.map(Date),
            row,
        }
    }
}

#[ComplexObject]
impl EducatorProgram {
    /// The organisation that runs it.
    async fn organization(&self, ctx: &Context<'_>) -> Result<EducatorOrganization> {
        Ok(required::<educator_organization::Entity>(
            ctx,
            self.row.organization_id,
            "educator organization",
        )
        .await?
        .into())
    }
    /// The industry sectors whose teachers it serves, in the standards' order.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<IndustrySector>> {
        let rows = ctx
            .data_unchecked::<DataLoader<SectorsOfProgram>>()
            .load_one(self.row.id)
            .await
            .map_err(from_load)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Into::into).collect())
    }
    /// Its partnerships with districts, by code.
    async fn partnerships(
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
    ) -> Result<EducatorPartnershipConnection> {
        let req = PageRequest::from_args(first, after, last, before)?;
        Ok(EducatorPartnershipConnection(
            nested::child_page::<PartnershipsOfEducatorProgram>(
                ctx,
                self.row.id,
                req,
                nested::sample_filter(ctx, include_sample),
            )
            .await?
            .map(EducatorPartnership::from),
        ))
    }
    /// Public contacts by role (never a person).
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Include illustrative sample records (`sample: true`); default: true only on a server started with sample data (the embedded SQLite demo)."
        )]
        include_sample: Option<bool>,
    ) -> Result<Vec<Contact>> {
        super::loaders::contacts_of_educator_program(ctx, self.row.id, include_sample).await
    }
}

connection_types!(
    EducatorProgram,
    EducatorProgramConnection,
    EducatorProgramEdge,
    "A page of educator programs."
);

/// An educator program's partnership with a district.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct EducatorPartnership {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code, e.g. `LAUSD_ENCORPS_PILOT`.
    pub code: String,
    /// The day it was announced.
    pub announced_on: Option<Date>,
    /// First school year it covers, e.g. "2024-25".
    pub first_school_year: Option<String>,
    /// Last school year it covers, e.g. "2025-26".
    pub last_school_year: Option<String>,
    /// When it starts, in the source's words when no day is given, e.g. "summer 2024".
    pub starts_wording: Option<String>,
    /// Who pays for it, e.g. "The Eli and Edythe Broad Foundation".
    pub funders: Vec<String>,
    /// New CTE teachers it takes each year.
    pub new_teachers_per_year: Option<i32>,
    /// Mentor teachers it pairs them with each year.
    pub mentors_per_year: Option<i32>,
    /// Students expected to benefit, as the source gives the number.
    pub expected_students: Option<i32>,
    /// The source's wording of that number, e.g. "nearly 10,000".
    pub expected_students_wording: Option<String>,
    /// Notes, e.g. what mentees are trained in.
    pub notes: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: educator_partnership::Model,
}

impl From<educator_partnership::Model> for EducatorPartnership {
    fn from(mut row: educator_partnership::Model) -> Self {
        EducatorPartnership {
            id: ids::encode(NodeType::EducatorPartnership, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            announced_on: row.announced_on.map(Date),
            first_school_year: row.first_school_year.clone(),
            last_school_year: row.last_school_year.clone(),
            starts_wording: row.starts_wording.clone(),
            funders: stored_list(&row.funders),
            new_teachers_per_year: row.new_teachers_per_year,
            mentors_per_year: row.mentors_per_year,
            expected_students: row.expected_students,
            expected_students_wording: row.expected_students_wording.clone(),
            notes: row.notes.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl EducatorPartnership {
    /// The educator program.
    async fn program(&self, ctx: &Context<'_>) -> Result<EducatorProgram> {
        Ok(
            required::<educator_program::Entity>(ctx, self.row.program_id, "educator program")
                .await?
                .into(),
        )
    }
    /// The partner district.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.row.district_id, "district")
                .await?
                .into(),
        )
    }
}

connection_types!(
    EducatorPartnership,
    EducatorPartnershipConnection,
    EducatorPartnershipEdge,
    "A page of educator partnerships."
);

/// An open CTE teaching position at a district or one of its schools.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct TeachingOpening {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Stable CTE Hub code.
    pub code: String,
    /// Title, e.g. "CTE teacher, Patient Care".
    pub title: String,
    /// What the job is.
    pub description: Option<String>,
    /// The credential it needs, e.g. "CTE Designated Subjects credential".
    pub credential_required: Option<String>,
    /// The last day to apply.
    pub apply_by: Option<Date>,
    /// Where to apply (http or https).
    pub apply_url: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: entity::teaching_opening::Model,
}

impl From<entity::teaching_opening::Model> for TeachingOpening {
    fn from(mut row: entity::teaching_opening::Model) -> Self {
        TeachingOpening {
            id: ids::encode(NodeType::TeachingOpening, row.id),
            provenance: provenance!(row),
            code: row.code.clone(),
            title: row.title.clone(),
            description: row.description.clone(),
            credential_required: row.credential_required.clone(),
            apply_by: row.apply_by.map(Date),
            apply_url: row.apply_url.clone(),
            row,
        }
    }
}

#[ComplexObject]
impl TeachingOpening {
    /// The hiring district.
    async fn district(&self, ctx: &Context<'_>) -> Result<District> {
        Ok(
            required::<district::Entity>(ctx, self.row.district_id, "district")
                .await?
                .into(),
        )
    }
    /// The school, when the opening is at one school.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        match self.row.school_id {
            Some(id) => Ok(by_id::<school::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
    /// The industry sector taught.
    async fn sector(&self, ctx: &Context<'_>) -> Result<IndustrySector> {
        Ok(
            required::<industry_sector::Entity>(ctx, self.row.sector_id, "sector")
                .await?
                .into(),
        )
    }
    /// The pathway taught, when the opening names one.
    async fn pathway(&self, ctx: &Context<'_>) -> Result<Option<Pathway>> {
        match self.row.pathway_id {
            Some(id) => Ok(by_id::<pathway::Entity>(ctx, id).await?.map(Into::into)),
            None => Ok(None),
        }
    }
}

connection_types!(
    TeachingOpening,
    TeachingOpeningConnection,
    TeachingOpeningEdge,
    "A page of teaching openings."
);

/// A public contact by role (office, counselor desk, CTE coordinator): never a person's data.
#[derive(SimpleObject, Clone)]
pub struct Contact {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Which desk it reaches.
    pub role: ContactRole,
    /// How the desk calls itself, e.g. "CTE office".
    pub label: Option<String>,
    /// Phone number of the desk.
    pub phone: Option<String>,
    /// Role e-mail address of the desk.
    pub email: Option<String>,
    /// Web page of the desk.
    pub url: Option<String>,
    #[graphql(flatten)]
    pub provenance: Provenance,
}

impl From<contact::Model> for Contact {
    fn from(mut row: contact::Model) -> Self {
        Contact {
            id: ids::encode(NodeType::Contact, row.id),
            provenance: provenance!(row),
            role: Stored::read_stored(&row.role),
            label: row.label,
            phone: row.phone,
            email: row.email,
            url: row.url,
        }
    }
}
