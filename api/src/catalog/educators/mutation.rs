//! Educator organisation, program, partnership, teaching-opening and contact
//! mutations. An organisation owns itself and its programs; a district owns
//! its teaching openings; a partnership belongs to both the program's
//! organisation and the district; a contact belongs to whoever owns the ROC/P,
//! school or educator program it is the contact of.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, Result, ID};
use entity::{
    contact, educator_organization, educator_partnership, educator_program,
    educator_program_sector, teaching_opening,
};
use sea_orm::ConnectionTrait;

use super::{
    contacts,
    types::{
        Contact, ContactRole, EducatorOrganization, EducatorOrganizationKind, EducatorPartnership,
        EducatorProgram, EducatorProgramKind, TeachingOpening,
    },
};
use crate::vocabulary::Stored;
use crate::{
    catalog::pathways::store as pathways,
    changes::{links::Link, refs, validate, Record, Writer},
    error::{ApiError, ApiResult},
    graphql::{
        mutation::{apply, delete_record, set, writer, DeletedRecord},
        scalars::Date,
    },
    ids::NodeType,
    new_record,
};

impl Record for educator_organization::Entity {
    const NODE: NodeType = NodeType::EducatorOrganization;
    const LABEL: &'static str = "educator organization";
    const DEPENDENTS: &'static [(&'static str, &'static str)] =
        &[("educator_program", "organization_id")];
    const SEARCH_KIND: Option<&'static str> =
        Some(crate::catalog::search::index::EDUCATOR_ORGANIZATION);

    async fn owners<C: ConnectionTrait>(
        _db: &C,
        m: &educator_organization::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![m.code.clone()])
    }

    fn validate(m: &educator_organization::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::url("website", m.website.as_deref())?;
        validate::optional_text("city", m.city.as_deref(), 100)?;
        if let Some(year) = m.founded_year.filter(|y| !(1800..=2100).contains(y)) {
            return Err(ApiError::bad_input(
                "input.foundedYear",
                format!("must be a year from 1800 to 2100 (got {year})"),
            ));
        }
        validate::non_negative(
            "professionalsRecruited",
            m.professionals_recruited.map(i64::from),
        )?;
        validate::non_negative("studentsReached", m.students_reached.map(i64::from))?;
        validate::non_negative("partnerSchools", m.partner_schools.map(i64::from))?;
        validate::optional_text("countsWording", m.counts_wording.as_deref(), 1000)
    }

    fn key(m: &educator_organization::Model) -> i32 {
        m.id
    }
}

impl Record for educator_program::Entity {
    const NODE: NodeType = NodeType::EducatorProgram;
    const LABEL: &'static str = "educator program";
    const DEPENDENTS: &'static [(&'static str, &'static str)] = &[
        ("educator_partnership", "program_id"),
        ("contact", "educator_program_id"),
    ];
    const SEARCH_KIND: Option<&'static str> = Some(crate::catalog::search::index::EDUCATOR_PROGRAM);

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &educator_program::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![organization_owner(db, m.organization_id).await?])
    }

    fn validate(m: &educator_program::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("name", &m.name, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("serves", m.serves.as_deref(), 1000)?;
        validate::optional_text("compensation", m.compensation.as_deref(), 1000)?;
        validate::optional_text("meetingCadence", m.meeting_cadence.as_deref(), 100)?;
        validate::non_negative("cohortSize", m.cohort_size.map(i64::from))?;
        validate::url("registrationUrl", m.registration_url.as_deref())?;
        validate::date_order(
            "enrollmentOpensOn",
            m.enrollment_opens_on,
            "enrollmentClosesOn",
            m.enrollment_closes_on,
        )
    }

    fn key(m: &educator_program::Model) -> i32 {
        m.id
    }
}

impl Record for educator_partnership::Entity {
    const NODE: NodeType = NodeType::EducatorPartnership;
    const LABEL: &'static str = "educator partnership";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &educator_partnership::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![
            program_owner(db, m.program_id).await?,
            refs::district_owner(db, m.district_id).await?,
        ])
    }

    fn validate(m: &educator_partnership::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        let first = school_year("firstSchoolYear", m.first_school_year.as_deref())?;
        let last = school_year("lastSchoolYear", m.last_school_year.as_deref())?;
        if let (Some(first), Some(last)) = (first, last) {
            if last < first {
                return Err(ApiError::bad_input(
                    "input.lastSchoolYear",
                    "is before firstSchoolYear",
                ));
            }
        }
        validate::optional_text("startsWording", m.starts_wording.as_deref(), 100)?;
        for funder in m.funders.split(';') {
            validate::optional_text("funders", Some(funder), 200)?;
        }
        validate::non_negative("newTeachersPerYear", m.new_teachers_per_year.map(i64::from))?;
        validate::non_negative("mentorsPerYear", m.mentors_per_year.map(i64::from))?;
        validate::non_negative("expectedStudents", m.expected_students.map(i64::from))?;
        validate::optional_text(
            "expectedStudentsWording",
            m.expected_students_wording.as_deref(),
            100,
        )?;
        validate::optional_text("notes", m.notes.as_deref(), 5000)
    }

    fn key(m: &educator_partnership::Model) -> i32 {
        m.id
    }
}

impl Record for teaching_opening::Entity {
    const NODE: NodeType = NodeType::TeachingOpening;
    const LABEL: &'static str = "teaching opening";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &teaching_opening::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![refs::district_owner(db, m.district_id).await?])
    }

    fn validate(m: &teaching_opening::Model) -> ApiResult<()> {
        validate::code("code", &m.code)?;
        validate::text("title", &m.title, 200)?;
        validate::optional_text("description", m.description.as_deref(), 5000)?;
        validate::optional_text("credentialRequired", m.credential_required.as_deref(), 200)?;
        validate::url("applyUrl", m.apply_url.as_deref())
    }

    fn key(m: &teaching_opening::Model) -> i32 {
        m.id
    }
}

impl Record for contact::Entity {
    const NODE: NodeType = NodeType::Contact;
    const LABEL: &'static str = "contact";

    async fn owners<C: ConnectionTrait>(db: &C, m: &contact::Model) -> ApiResult<Vec<String>> {
        let mut owners = Vec::new();
        if let Some(id) = m.program_id {
            owners.push(refs::program_owner(db, id).await?);
        }
        if let Some(id) = m.school_id {
            if let Some(school) = super::store::school(db, id).await? {
                owners.push(refs::district_owner(db, school.district_id).await?);
            }
        }
        if let Some(id) = m.educator_program_id {
            owners.push(program_owner(db, id).await?);
        }
        Ok(owners)
    }

    fn validate(m: &contact::Model) -> ApiResult<()> {
        let holders = [
            m.program_id.is_some(),
            m.school_id.is_some(),
            m.educator_program_id.is_some(),
        ];
        if holders.iter().filter(|h| **h).count() != 1 {
            return Err(ApiError::bad_input(
                "input",
                "a contact belongs to exactly one ROC/P, school or educator program",
            ));
        }
        validate::optional_text("label", m.label.as_deref(), 100)?;
        contacts::phone("input.phone", m.phone.as_deref())?;
        validate::email("email", m.email.as_deref())?;
        validate::url("url", m.url.as_deref())?;
        if m.phone.is_none() && m.email.is_none() && m.url.is_none() {
            return Err(ApiError::bad_input(
                "input.phone",
                "give at least a phone, an e-mail address or a page",
            ));
        }
        contacts::role_contact(m.label.as_deref(), m.email.as_deref())
    }

    fn key(m: &contact::Model) -> i32 {
        m.id
    }
}

impl Link for educator_program_sector::Entity {
    const RECORD_TYPE: &'static str = "EducatorProgramSector";
    const LABEL: &'static str = "educator program sector";

    async fn owners<C: ConnectionTrait>(
        db: &C,
        m: &educator_program_sector::Model,
    ) -> ApiResult<Vec<String>> {
        Ok(vec![program_owner(db, m.program_id).await?])
    }

    fn key(m: &educator_program_sector::Model) -> i32 {
        m.id
    }
}

/// `2024-25`: a school year, the second part the year after the first. Returns its first year.
fn school_year(name: &str, value: Option<&str>) -> ApiResult<Option<i32>> {
    let Some(value) = value else { return Ok(None) };
    let parsed = value.split_once('-').and_then(|(a, b)| {
        let first: i32 = a.parse().ok().filter(|_| a.len() == 4)?;
        let second: i32 = b.parse().ok().filter(|_| b.len() == 2)?;
        (second == (first + 1) % 100).then_some(first)
    });
    match parsed {
        Some(first) if validate::DATE_YEARS.contains(&first) => Ok(Some(first)),
        _ => Err(ApiError::bad_input(
            format!("input.{name}"),
            format!("'{value}' is not a school year such as 2024-25"),
        )),
    }
}

/// The organisation key of an educator organisation: its code.
async fn organization_owner(db: &impl ConnectionTrait, id: i32) -> ApiResult<String> {
    Ok(super::store::organization(db, id)
        .await?
        .map(|o| o.code)
        .unwrap_or_default())
}

/// The organisation key of an educator program: its organisation's code.
async fn program_owner(db: &impl ConnectionTrait, id: i32) -> ApiResult<String> {
    match super::store::program(db, id).await? {
        Some(program) => organization_owner(db, program.organization_id).await,
        None => Ok(String::new()),
    }
}

/// The id of the live educator organisation with `code`.
pub async fn organization_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    super::store::organization_by_code(db, code)
        .await?
        .ok_or_else(|| {
            ApiError::bad_input(field, format!("no educator organization has code '{code}'"))
        })
}

/// The id of the live educator program with `code`.
pub async fn educator_program_id(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> ApiResult<i32> {
    super::store::program_by_code(db, code)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, format!("no educator program has code '{code}'")))
}

/// The sector, and the pathway when given, of an opening: the pathway fixes the sector, and a
/// sector given with it must be the pathway's.
pub async fn opening_subject(
    db: &impl ConnectionTrait,
    sector_code: Option<&str>,
    pathway_code: Option<&str>,
) -> ApiResult<(i32, Option<i32>)> {
    let pathway = match pathway_code {
        Some(code) => Some(
            pathways::pathway_by_code(db, code.trim())
                .await?
                .ok_or_else(|| {
                    ApiError::bad_input(
                        "input.pathwayCode",
                        format!("no pathway has code '{code}'"),
                    )
                })?,
        ),
        None => None,
    };
    let sector = match sector_code {
        Some(code) => Some(sector_id(db, "input.sectorCode", code).await?),
        None => None,
    };
    match (sector, pathway) {
        (Some(sector), Some(p)) if p.sector_id != sector => Err(ApiError::bad_input(
            "input.pathwayCode",
            format!("pathway '{}' is not in the sector given", p.code),
        )),
        (_, Some(p)) => Ok((p.sector_id, Some(p.id))),
        (Some(sector), None) => Ok((sector, None)),
        (None, None) => Err(ApiError::bad_input(
            "input.sectorCode",
            "give the sector (or the pathway) the opening teaches",
        )),
    }
}

async fn sector_id(db: &impl ConnectionTrait, field: &str, code: &str) -> ApiResult<i32> {
    pathways::sector_by_code(db, code.trim())
        .await?
        .map(|s| s.id)
        .ok_or_else(|| ApiError::bad_input(field, format!("no industry sector has code '{code}'")))
}

/// The school of an opening, which must be in the hiring district.
async fn opening_school(db: &impl ConnectionTrait, district_id: i32, cds: &str) -> ApiResult<i32> {
    let id = refs::school_id(db, "input.schoolCdsCode", cds).await?;
    let school = super::store::school(db, id).await?;
    if school.is_some_and(|s| s.district_id == district_id) {
        Ok(id)
    } else {
        Err(ApiError::bad_input(
            "input.schoolCdsCode",
            "the school is not in the opening's district",
        ))
    }
}

/// Replaces the sectors of an educator program with `codes`, through the write path's links.
async fn set_sectors(writer: &Writer, program_id: i32, codes: &[String]) -> ApiResult<()> {
    let db = writer.txn();
    let mut wanted = Vec::new();
    for code in codes {
        let id = sector_id(db, "input.sectorCodes", code).await?;
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    let stored = super::store::sector_links(db, program_id).await?;
    for link in &stored {
        if !wanted.contains(&link.sector_id) {
            writer
                .unlink::<educator_program_sector::Entity>(link.clone())
                .await?;
        }
    }
    for sector_id in wanted {
        if !stored.iter().any(|l| l.sector_id == sector_id) {
            writer
                .link::<educator_program_sector::Entity>(educator_program_sector::Model {
                    id: 0,
                    program_id,
                    sector_id,
                })
                .await?;
        }
    }
    Ok(())
}

/// `;`-joined, as list columns are stored.
fn joined(items: &[String]) -> String {
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}

/// A new organisation that recruits, prepares or supports CTE teachers.
#[derive(InputObject)]
pub struct CreateEducatorOrganizationInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`); it is also the `org` of
    /// the organisation's own editors.
    pub code: String,
    /// Name (at most 200 characters).
    pub name: String,
    /// Nonprofit, district or college.
    pub kind: EducatorOrganizationKind,
    /// What it does, e.g. its mission (at most 5000 characters).
    pub description: Option<String>,
    /// Year founded (1800-2100).
    pub founded_year: Option<i32>,
    /// Public website (http or https).
    pub website: Option<String>,
    /// City (at most 100 characters).
    pub city: Option<String>,
    /// The district it is, for a district's own program (CDS code, or its `code` when it has none).
    pub district_cds_code: Option<String>,
    /// Professionals recruited, cumulative, as the source gives the number.
    pub professionals_recruited: Option<i32>,
    /// Students reached, cumulative, as the source gives the number.
    pub students_reached: Option<i32>,
    /// Schools worked with, cumulative, as the source gives the number.
    pub partner_schools: Option<i32>,
    /// The source's wording of those counts and their date (at most 1000 characters).
    pub counts_wording: Option<String>,
    /// Where the facts come from: a URL or publication; start it with "Sample data:" when
    /// details are illustrative.
    pub source: Option<String>,
}

/// Changes to an educator organisation; omitted fields stay, `null` clears. The code cannot
/// change (it is the editors' `org`).
#[derive(InputObject)]
pub struct UpdateEducatorOrganizationInput {
    /// New name; omit to keep.
    pub name: Option<String>,
    /// Nonprofit, district or college; omit to keep.
    pub kind: Option<EducatorOrganizationKind>,
    /// What it does; omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// Year founded; omit to keep, null to clear.
    pub founded_year: MaybeUndefined<i32>,
    /// Public website; omit to keep, null to clear.
    pub website: MaybeUndefined<String>,
    /// City; omit to keep, null to clear.
    pub city: MaybeUndefined<String>,
    /// Professionals recruited; omit to keep, null to clear.
    pub professionals_recruited: MaybeUndefined<i32>,
    /// Students reached; omit to keep, null to clear.
    pub students_reached: MaybeUndefined<i32>,
    /// Schools worked with; omit to keep, null to clear.
    pub partner_schools: MaybeUndefined<i32>,
    /// The source's wording of the counts; omit to keep, null to clear.
    pub counts_wording: MaybeUndefined<String>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new educator program.
#[derive(InputObject)]
pub struct CreateEducatorProgramInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`).
    pub code: String,
    /// The organisation that runs it (its code).
    pub organization_code: String,
    /// Name (at most 200 characters).
    pub name: String,
    /// Recruitment, credential preparation or mentorship.
    pub kind: EducatorProgramKind,
    /// What it does (at most 5000 characters).
    pub description: Option<String>,
    /// Whom it serves (at most 1000 characters).
    pub serves: Option<String>,
    /// How participants are paid or what it costs (at most 1000 characters).
    pub compensation: Option<String>,
    /// How often participants meet, e.g. "monthly" (at most 100 characters).
    pub meeting_cadence: Option<String>,
    /// Participants per cohort.
    pub cohort_size: Option<i32>,
    /// The sectors whose teachers it serves (sector codes).
    #[graphql(default)]
    pub sector_codes: Vec<String>,
    /// Where to sign up (http or https).
    pub registration_url: Option<String>,
    /// The day sign-up opens (YYYY-MM-DD).
    pub enrollment_opens_on: Option<Date>,
    /// The day sign-up closes (YYYY-MM-DD, not before it opens).
    pub enrollment_closes_on: Option<Date>,
    /// Where the facts come from; start it with "Sample data:" when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an educator program; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateEducatorProgramInput {
    /// New code; omit to keep.
    pub code: Option<String>,
    /// New name; omit to keep.
    pub name: Option<String>,
    /// Recruitment, credential preparation or mentorship; omit to keep.
    pub kind: Option<EducatorProgramKind>,
    /// What it does; omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// Whom it serves; omit to keep, null to clear.
    pub serves: MaybeUndefined<String>,
    /// Compensation; omit to keep, null to clear.
    pub compensation: MaybeUndefined<String>,
    /// How often participants meet; omit to keep, null to clear.
    pub meeting_cadence: MaybeUndefined<String>,
    /// Participants per cohort; omit to keep, null to clear.
    pub cohort_size: MaybeUndefined<i32>,
    /// The sectors it serves, replacing the list; omit to keep.
    pub sector_codes: Option<Vec<String>>,
    /// Where to sign up; omit to keep, null to clear.
    pub registration_url: MaybeUndefined<String>,
    /// The day sign-up opens; omit to keep, null to clear.
    pub enrollment_opens_on: MaybeUndefined<Date>,
    /// The day sign-up closes; omit to keep, null to clear.
    pub enrollment_closes_on: MaybeUndefined<Date>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new partnership of an educator program with a district.
#[derive(InputObject)]
pub struct CreateEducatorPartnershipInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`).
    pub code: String,
    /// The educator program (its code).
    pub program_code: String,
    /// The district (CDS code, or its `code` when it has none).
    pub district_cds_code: String,
    /// The day it was announced (YYYY-MM-DD).
    pub announced_on: Option<Date>,
    /// First school year it covers, e.g. "2024-25".
    pub first_school_year: Option<String>,
    /// Last school year it covers, e.g. "2025-26".
    pub last_school_year: Option<String>,
    /// When it starts in the source's words when no day is known, e.g. "summer 2024".
    pub starts_wording: Option<String>,
    /// Who pays for it.
    #[graphql(default)]
    pub funders: Vec<String>,
    /// New CTE teachers each year.
    pub new_teachers_per_year: Option<i32>,
    /// Mentor teachers each year.
    pub mentors_per_year: Option<i32>,
    /// Students expected to benefit.
    pub expected_students: Option<i32>,
    /// The source's wording of that number, e.g. "nearly 10,000".
    pub expected_students_wording: Option<String>,
    /// Notes (at most 5000 characters).
    pub notes: Option<String>,
    /// Where the facts come from; start it with "Sample data:" when details are illustrative.
    pub source: Option<String>,
}

/// Changes to an educator partnership; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateEducatorPartnershipInput {
    /// The day it was announced; omit to keep, null to clear.
    pub announced_on: MaybeUndefined<Date>,
    /// First school year; omit to keep, null to clear.
    pub first_school_year: MaybeUndefined<String>,
    /// Last school year; omit to keep, null to clear.
    pub last_school_year: MaybeUndefined<String>,
    /// When it starts, in words; omit to keep, null to clear.
    pub starts_wording: MaybeUndefined<String>,
    /// Who pays for it, replacing the list; omit to keep.
    pub funders: Option<Vec<String>>,
    /// New CTE teachers each year; omit to keep, null to clear.
    pub new_teachers_per_year: MaybeUndefined<i32>,
    /// Mentor teachers each year; omit to keep, null to clear.
    pub mentors_per_year: MaybeUndefined<i32>,
    /// Students expected to benefit; omit to keep, null to clear.
    pub expected_students: MaybeUndefined<i32>,
    /// The source's wording of that number; omit to keep, null to clear.
    pub expected_students_wording: MaybeUndefined<String>,
    /// Notes; omit to keep, null to clear.
    pub notes: MaybeUndefined<String>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new CTE teaching opening.
#[derive(InputObject)]
pub struct CreateTeachingOpeningInput {
    /// Code, unique in CTE Hub (1-40 letters, digits, `_`, `-`, `.`).
    pub code: String,
    /// The hiring district (CDS code, or its `code` when it has none).
    pub district_cds_code: String,
    /// The school, when the opening is at one (CDS code or `code`, in the district).
    pub school_cds_code: Option<String>,
    /// The sector taught (sector code); may be left out when a pathway is given.
    pub sector_code: Option<String>,
    /// The pathway taught (pathway code).
    pub pathway_code: Option<String>,
    /// Title (at most 200 characters).
    pub title: String,
    /// What the job is (at most 5000 characters).
    pub description: Option<String>,
    /// The credential it needs, e.g. "CTE Designated Subjects credential".
    pub credential_required: Option<String>,
    /// The last day to apply (YYYY-MM-DD).
    pub apply_by: Option<Date>,
    /// Where to apply (http or https).
    pub apply_url: Option<String>,
    /// Where the facts come from; start it with "Sample data:" when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a teaching opening; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateTeachingOpeningInput {
    /// New title; omit to keep.
    pub title: Option<String>,
    /// What the job is; omit to keep, null to clear.
    pub description: MaybeUndefined<String>,
    /// The credential it needs; omit to keep, null to clear.
    pub credential_required: MaybeUndefined<String>,
    /// The last day to apply; omit to keep, null to clear.
    pub apply_by: MaybeUndefined<Date>,
    /// Where to apply; omit to keep, null to clear.
    pub apply_url: MaybeUndefined<String>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// A new public contact by role. Name exactly one of `programCode`, `schoolCdsCode` and
/// `educatorProgramCode`.
#[derive(InputObject)]
pub struct CreateContactInput {
    /// The ROC/P it is a contact of (program code).
    pub program_code: Option<String>,
    /// The school it is a contact of (CDS code, or its `code` when it has none).
    pub school_cds_code: Option<String>,
    /// The educator program it is a contact of (its code).
    pub educator_program_code: Option<String>,
    /// Which desk it reaches.
    pub role: ContactRole,
    /// How the desk calls itself, e.g. "CTE office" (never a person's name; at most 100
    /// characters).
    pub label: Option<String>,
    /// The desk's phone number.
    pub phone: Option<String>,
    /// The desk's role address, e.g. `cte-office@example.org` (never a person's address).
    pub email: Option<String>,
    /// The desk's web page (http or https).
    pub url: Option<String>,
    /// Where the facts come from; start it with "Sample data:" when details are illustrative.
    pub source: Option<String>,
}

/// Changes to a contact; omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateContactInput {
    /// Which desk it reaches; omit to keep.
    pub role: Option<ContactRole>,
    /// How the desk calls itself; omit to keep, null to clear.
    pub label: MaybeUndefined<String>,
    /// Phone; omit to keep, null to clear.
    pub phone: MaybeUndefined<String>,
    /// Role e-mail address; omit to keep, null to clear.
    pub email: MaybeUndefined<String>,
    /// Web page; omit to keep, null to clear.
    pub url: MaybeUndefined<String>,
    /// Where the facts come from; omit to keep, null to clear.
    pub source: MaybeUndefined<String>,
}

/// Educator and contact mutations.
#[derive(Default)]
pub struct EducatorMutation;

#[Object]
impl EducatorMutation {
    /// Adds an educator organisation (admins, or an editor whose `org` is the new code).
    async fn create_educator_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new educator organization.")] input: CreateEducatorOrganizationInput,
    ) -> Result<EducatorOrganization> {
        let writer = writer(ctx).await?;
        let district_id = match &input.district_cds_code {
            Some(cds) => Some(refs::district_id(writer.txn(), "input.districtCdsCode", cds).await?),
            None => None,
        };
        let model = new_record!(
            educator_organization::Model {
                code: input.code.trim().to_owned(),
                name: input.name.trim().to_owned(),
                kind: input.kind.as_stored().to_owned(),
                description: input.description,
                founded_year: input.founded_year,
                website: input.website,
                city: input.city,
                district_id,
                professionals_recruited: input.professionals_recruited,
                students_reached: input.students_reached,
                partner_schools: input.partner_schools,
                counts_wording: input.counts_wording,
            },
            input.source
        );
        let saved = writer
            .create::<educator_organization::Entity>(model)
            .await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Changes an educator organisation.
    async fn update_educator_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator organization's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator organization has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateEducatorOrganizationInput,
    ) -> Result<EducatorOrganization> {
        let key = refs::node_key("id", &id, NodeType::EducatorOrganization)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<educator_organization::Entity>(key, expected_version, |m| {
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.description, input.description);
                apply(&mut m.founded_year, input.founded_year);
                apply(&mut m.website, input.website);
                apply(&mut m.city, input.city);
                apply(
                    &mut m.professionals_recruited,
                    input.professionals_recruited,
                );
                apply(&mut m.students_reached, input.students_reached);
                apply(&mut m.partner_schools, input.partner_schools);
                apply(&mut m.counts_wording, input.counts_wording);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Deletes an educator organisation that has no live program.
    async fn delete_educator_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator organization's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator organization has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<educator_organization::Entity>(ctx, &id, expected_version).await?)
    }

    /// Adds a program to an educator organisation.
    async fn create_educator_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new educator program.")] input: CreateEducatorProgramInput,
    ) -> Result<EducatorProgram> {
        let writer = writer(ctx).await?;
        let organization_id = organization_id(
            writer.txn(),
            "input.organizationCode",
            &input.organization_code,
        )
        .await?;
        let model = new_record!(
            educator_program::Model {
                code: input.code.trim().to_owned(),
                organization_id,
                name: input.name.trim().to_owned(),
                kind: input.kind.as_stored().to_owned(),
                description: input.description,
                serves: input.serves,
                compensation: input.compensation,
                meeting_cadence: input.meeting_cadence,
                cohort_size: input.cohort_size,
                registration_url: input.registration_url,
                enrollment_opens_on: input.enrollment_opens_on.map(|d| d.0),
                enrollment_closes_on: input.enrollment_closes_on.map(|d| d.0),
            },
            input.source
        );
        let saved = writer.create::<educator_program::Entity>(model).await?;
        set_sectors(&writer, saved.id, &input.sector_codes).await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Changes an educator program (its sectors too, when `sectorCodes` is given).
    async fn update_educator_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator program's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator program has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateEducatorProgramInput,
    ) -> Result<EducatorProgram> {
        let key = refs::node_key("id", &id, NodeType::EducatorProgram)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<educator_program::Entity>(key, expected_version, |m| {
                set(&mut m.code, input.code.map(|c| c.trim().to_owned()));
                set(&mut m.name, input.name.map(|n| n.trim().to_owned()));
                set(&mut m.kind, input.kind.map(|k| k.as_stored().to_owned()));
                apply(&mut m.description, input.description);
                apply(&mut m.serves, input.serves);
                apply(&mut m.compensation, input.compensation);
                apply(&mut m.meeting_cadence, input.meeting_cadence);
                apply(&mut m.cohort_size, input.cohort_size);
                apply(&mut m.registration_url, input.registration_url);
                apply(
                    &mut m.enrollment_opens_on,
                    input.enrollment_opens_on.map_value(|d| d.0),
                );
                apply(
                    &mut m.enrollment_closes_on,
                    input.enrollment_closes_on.map_value(|d| d.0),
                );
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        if let Some(codes) = &input.sector_codes {
            // The caller owns the program (checked by the update): its links are theirs too.
            set_sectors(&writer, saved.id, codes).await?;
        }
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Deletes an educator program that has no live partnership or contact.
    async fn delete_educator_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator program's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator program has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<educator_program::Entity>(ctx, &id, expected_version).await?)
    }

    /// Records an educator program's partnership with a district (the program's organisation or
    /// the district may).
    async fn create_educator_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new educator partnership.")] input: CreateEducatorPartnershipInput,
    ) -> Result<EducatorPartnership> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program_id = educator_program_id(db, "input.programCode", &input.program_code).await?;
        let district_id =
            refs::district_id(db, "input.districtCdsCode", &input.district_cds_code).await?;
        let model = new_record!(
            educator_partnership::Model {
                code: input.code.trim().to_owned(),
                program_id,
                district_id,
                announced_on: input.announced_on.map(|d| d.0),
                first_school_year: input.first_school_year,
                last_school_year: input.last_school_year,
                starts_wording: input.starts_wording,
                funders: joined(&input.funders),
                new_teachers_per_year: input.new_teachers_per_year,
                mentors_per_year: input.mentors_per_year,
                expected_students: input.expected_students,
                expected_students_wording: input.expected_students_wording,
                notes: input.notes,
            },
            input.source
        );
        let saved = writer.create::<educator_partnership::Entity>(model).await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Changes an educator partnership.
    async fn update_educator_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator partnership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator partnership has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateEducatorPartnershipInput,
    ) -> Result<EducatorPartnership> {
        let key = refs::node_key("id", &id, NodeType::EducatorPartnership)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<educator_partnership::Entity>(key, expected_version, |m| {
                apply(&mut m.announced_on, input.announced_on.map_value(|d| d.0));
                apply(&mut m.first_school_year, input.first_school_year);
                apply(&mut m.last_school_year, input.last_school_year);
                apply(&mut m.starts_wording, input.starts_wording);
                set(&mut m.funders, input.funders.as_deref().map(joined));
                apply(&mut m.new_teachers_per_year, input.new_teachers_per_year);
                apply(&mut m.mentors_per_year, input.mentors_per_year);
                apply(&mut m.expected_students, input.expected_students);
                apply(
                    &mut m.expected_students_wording,
                    input.expected_students_wording,
                );
                apply(&mut m.notes, input.notes);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Deletes an educator partnership.
    async fn delete_educator_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The educator partnership's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the educator partnership has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<educator_partnership::Entity>(ctx, &id, expected_version).await?)
    }

    /// Posts a CTE teaching opening (the district's editors or admins).
    async fn create_teaching_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new teaching opening.")] input: CreateTeachingOpeningInput,
    ) -> Result<TeachingOpening> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let district_id =
            refs::district_id(db, "input.districtCdsCode", &input.district_cds_code).await?;
        let school_id = match &input.school_cds_code {
            Some(cds) => Some(opening_school(db, district_id, cds).await?),
            None => None,
        };
        let (sector_id, pathway_id) = opening_subject(
            db,
            input.sector_code.as_deref(),
            input.pathway_code.as_deref(),
        )
        .await?;
        let model = new_record!(
            teaching_opening::Model {
                code: input.code.trim().to_owned(),
                district_id,
                school_id,
                sector_id,
                pathway_id,
                title: input.title.trim().to_owned(),
                description: input.description,
                credential_required: input.credential_required,
                apply_by: input.apply_by.map(|d| d.0),
                apply_url: input.apply_url,
            },
            input.source
        );
        let saved = writer.create::<teaching_opening::Entity>(model).await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Changes a teaching opening.
    async fn update_teaching_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teaching opening's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the teaching opening has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateTeachingOpeningInput,
    ) -> Result<TeachingOpening> {
        let key = refs::node_key("id", &id, NodeType::TeachingOpening)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<teaching_opening::Entity>(key, expected_version, |m| {
                set(&mut m.title, input.title.map(|t| t.trim().to_owned()));
                apply(&mut m.description, input.description);
                apply(&mut m.credential_required, input.credential_required);
                apply(&mut m.apply_by, input.apply_by.map_value(|d| d.0));
                apply(&mut m.apply_url, input.apply_url);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Deletes a teaching opening (e.g. once filled).
    async fn delete_teaching_opening(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The teaching opening's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the teaching opening has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<teaching_opening::Entity>(ctx, &id, expected_version).await?)
    }

    /// Adds a public role contact to a ROC/P, a school or an educator program (whoever owns it
    /// may). A label or address that reads like a person's is refused.
    async fn create_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new contact.")] input: CreateContactInput,
    ) -> Result<Contact> {
        let writer = writer(ctx).await?;
        let db = writer.txn();
        let program_id = match &input.program_code {
            Some(code) => Some(refs::program_id(db, "input.programCode", code).await?),
            None => None,
        };
        let school_id = match &input.school_cds_code {
            Some(cds) => Some(refs::school_id(db, "input.schoolCdsCode", cds).await?),
            None => None,
        };
        let educator_program_id = match &input.educator_program_code {
            Some(code) => Some(educator_program_id(db, "input.educatorProgramCode", code).await?),
            None => None,
        };
        let model = new_record!(
            contact::Model {
                program_id,
                school_id,
                educator_program_id,
                role: input.role.as_stored().to_owned(),
                label: input.label.map(|l| l.trim().to_owned()),
                phone: input.phone,
                email: input.email.map(|e| e.trim().to_owned()),
                url: input.url,
            },
            input.source
        );
        let saved = writer.create::<contact::Entity>(model).await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Changes a contact.
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the contact has changed since."
        )]
        expected_version: i32,
        #[graphql(desc = "The fields to change; omitted fields keep their value.")]
        input: UpdateContactInput,
    ) -> Result<Contact> {
        let key = refs::node_key("id", &id, NodeType::Contact)?;
        let writer = writer(ctx).await?;
        let saved = writer
            .update::<contact::Entity>(key, expected_version, |m| {
                set(&mut m.role, input.role.map(|r| r.as_stored().to_owned()));
                apply(&mut m.label, input.label.map_value(|l| l.trim().to_owned()));
                apply(&mut m.phone, input.phone);
                apply(&mut m.email, input.email.map_value(|e| e.trim().to_owned()));
                apply(&mut m.url, input.url);
                apply(&mut m.source, input.source);
                Ok(())
            })
            .await?;
        writer.commit().await?;
        Ok(saved.into())
    }

    /// Deletes a contact.
    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact's global ID (its `id` field).")] id: ID,
        #[graphql(
            desc = "The `version` you last read; refused with `CONFLICT` when the contact has changed since."
        )]
        expected_version: i32,
    ) -> Result<DeletedRecord> {
        Ok(delete_record::<contact::Entity>(ctx, &id, expected_version).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years_read_like_2024_25() {
        assert_eq!(
            school_year("firstSchoolYear", Some("2024-25")).ok(),
            Some(Some(2024))
        );
        assert_eq!(
            school_year("firstSchoolYear", Some("1999-00")).ok(),
            Some(Some(1999))
        );
        assert_eq!(school_year("firstSchoolYear", None).ok(), Some(None));
        for bad in ["2024-26", "2024", "24-25", "2024/25", "abcd-ef"] {
            assert!(school_year("firstSchoolYear", Some(bad)).is_err(), "{bad}");
        }
    }
}
