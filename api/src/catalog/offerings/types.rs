//! GraphQL types of course offerings (sections).

use crate::batch::DataLoader;
use crate::vocabulary::Stored;
pub use crate::vocabulary::{Modality, OfferingStatus, Schedule};
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use chrono::Utc;
use entity::{course, course_offering, district, program_site, regional_program, term};

use super::loaders::{DistrictByCode, SchoolByCode};
use crate::{
    catalog::{
        courses::types::Course,
        eligibility::{
            query::student,
            rules::{decide, OfferingFacts, ProgramFacts},
            types::OfferingCost,
        },
        programs::{
            loaders::{FundingOptionsOfProgram, MembershipsOfDistrict},
            types::{ProgramSite, Term},
        },
    },
    codes::LeaCode,
    connection_types,
    error::{from_load, ApiError},
    graphql::{
        nested,
        nested::{by_id, required},
        provenance::Provenance,
        scalars::Date,
    },
    ids,
    ids::NodeType,
    provenance,
};

/// One section of a course in a term at a site.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct CourseOffering {
    /// Opaque global ID.
    #[graphql(owned)]
    pub id: ID,
    /// Section label within the course and term, e.g. `01`.
    pub section: String,
    /// School day, after school, evening, Saturday or online.
    pub schedule: Schedule,
    /// Meeting days, e.g. ["MON", "WED"].
    pub meeting_days: Vec<String>,
    /// Start time (local, HH:MM).
    pub start_time: Option<String>,
    /// End time (local, HH:MM).
    pub end_time: Option<String>,
    /// In person, hybrid or online.
    pub modality: Modality,
    /// Seats in total.
    pub capacity: Option<i32>,
    /// Seats still open.
    pub seats_available: Option<i32>,
    /// Open, waitlist, full or cancelled.
    pub status: OfferingStatus,
    /// Whether the section runs transportation (member-district students only; see `costFor`).
    pub transportation_provided: bool,
    /// Tuition a non-member pays, in cents.
    pub tuition_cents: i32,
    /// Materials fee a non-member pays, in cents.
    pub materials_fee_cents: i32,
    /// Instructor, when published.
    pub instructor_name: Option<String>,
    /// The day enrolment opens.
    pub enrollment_opens_on: Option<Date>,
    /// The day enrolment closes.
    pub enrollment_closes_on: Option<Date>,
    /// Where to sign up for this section (http or https).
    pub registration_url: Option<String>,
    /// Distance in km from the `near` point, when the list was filtered by one.
    pub distance_km: Option<f64>,
    #[graphql(flatten)]
    pub provenance: Provenance,
    #[graphql(skip)]
    pub row: course_offering::Model,
}

impl From<course_offering::Model> for CourseOffering {
    fn from(mut row: course_offering::Model) -> Self {
        CourseOffering {
            id: ids::encode(NodeType::CourseOffering, row.id),
            provenance: provenance!(row),
            section: row.section.clone(),
            schedule: Stored::read_stored(&row.schedule),
            meeting_days: row
                .meeting_days
                .as_deref()
                .map(crate::graphql::scalars::stored_list)
                .unwrap_or_default(),
            start_time: row.start_time.clone(),
            end_time: row.end_time.clone(),
            modality: Stored::read_stored(&row.modality),
            capacity: row.capacity,
            seats_available: row.seats_available,
            status: Stored::read_stored(&row.status),
            transportation_provided: row.transportation_provided,
            tuition_cents: row.tuition_cents,
            materials_fee_cents: row.materials_fee_cents,
            instructor_name: row.instructor_name.clone(),
            enrollment_opens_on: row.enrollment_opens_on.map(Date),
            enrollment_closes_on: row.enrollment_closes_on.map(Date),
            registration_url: row.registration_url.clone(),
            distance_km: None,
            row,
        }
    }
}

#[ComplexObject]
impl CourseOffering {
    /// The course this is a section of.
    async fn course(&self, ctx: &Context<'_>) -> Result<Course> {
        Ok(
            required::<course::Entity>(ctx, self.row.course_id, "course")
                .await?
                .into(),
        )
    }
    /// The term it runs in.
    async fn term(&self, ctx: &Context<'_>) -> Result<Term> {
        Ok(required::<term::Entity>(ctx, self.row.term_id, "term")
            .await?
            .into())
    }
    /// Where it meets.
    async fn site(&self, ctx: &Context<'_>) -> Result<Option<ProgramSite>> {
        match self.row.site_id {
            Some(id) => Ok(by_id::<program_site::Entity>(ctx, id)
                .await?
                .map(Into::into)),
            None => Ok(None),
        }
    }

    /// What this section costs a given student, who could pay, and why: the
    /// same answer as `eligibility` for this one section.
    async fn cost_for(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The student's district: its 14-digit CDS code from the CDE (ends in 0000000), or its `code` when it has none. Give this or `schoolCdsCode`."
        )]
        district_cds_code: Option<String>,
        #[graphql(
            desc = "The student's school: its 14-digit CDS code from the CDE (or its `code` when it has none); its district decides membership."
        )]
        school_cds_code: Option<String>,
        #[graphql(desc = "The student's grade, 7-12 (required unless `adult` is true).")]
        grade: Option<i32>,
        #[graphql(
            default,
            desc = "An adult learner rather than a high-school student (default false)."
        )]
        adult: bool,
        #[graphql(desc = "The student's age in years, checked against minimum ages.")] age: Option<
            i32,
        >,
        #[graphql(
            desc = "The date to decide for, YYYY-MM-DD (default today); memberships change over time."
        )]
        on_date: Option<Date>,
    ) -> Result<OfferingCost> {
        let student = student(grade, adult, age, "")?;
        let on = on_date
            .map(|d| d.0)
            .unwrap_or_else(|| Utc::now().date_naive());
        let district = match (district_cds_code, school_cds_code) {
            (Some(raw), None) => {
                let cds = LeaCode::parse_district("districtCdsCode", &raw)?;
                ctx.data_unchecked::<DataLoader<DistrictByCode>>()
                    .load_one(cds.as_str().to_owned())
                    .await
                    .map_err(from_load)?
                    .ok_or_else(|| {
                        ApiError::NotFound(format!("no district has {}", cds.describe()))
                    })?
            }
            (None, Some(raw)) => {
                let cds = LeaCode::parse_school("schoolCdsCode", &raw)?;
                let school = ctx
                    .data_unchecked::<DataLoader<SchoolByCode>>()
                    .load_one(cds.as_str().to_owned())
                    .await
                    .map_err(from_load)?
                    .ok_or_else(|| {
                        ApiError::NotFound(format!("no school has {}", cds.describe()))
                    })?;
                required::<district::Entity>(ctx, school.district_id, "district").await?
            }
            _ => {
                return Err(ApiError::bad_input(
                    "districtCdsCode",
                    "give exactly one of districtCdsCode or schoolCdsCode",
                )
                .into())
            }
        };
        let course = required::<course::Entity>(ctx, self.row.course_id, "course").await?;
        let term = required::<term::Entity>(ctx, self.row.term_id, "term").await?;
        // Offerings are sections of ROC/P courses (a district's own course has none).
        let program_id = course.program_id.ok_or_else(|| {
            ApiError::Internal(format!("offering {} has a district course", self.row.id))
        })?;
        let program = required::<regional_program::Entity>(ctx, program_id, "program").await?;
        let memberships = nested::children::<MembershipsOfDistrict>(ctx, district.id).await?;
        let funding = nested::children::<FundingOptionsOfProgram>(ctx, program.id).await?;
        let facts = ProgramFacts {
            program: &program,
            district: &district,
            memberships: memberships
                .iter()
                .filter(|m| m.program_id == program.id)
                .collect(),
            funding_options: &funding,
            on,
        };
        let offering = OfferingFacts {
            offering: &self.row,
            course: &course,
            term: &term,
        };
        let answer = decide(&facts, student, Some(&offering)).into();
        Ok(OfferingCost {
            offering: self.clone(),
            answer,
        })
    }
}

connection_types!(
    CourseOffering,
    CourseOfferingConnection,
    CourseOfferingEdge,
    "A page of course offerings."
);
