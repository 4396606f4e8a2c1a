//! The CSV and JSON catalogue imports: one column layout per kind (the same
//! names in CSV headers, JSON keys and `cte-hub export json`), upserted by the
//! kind's natural key. A column absent from the file leaves stored values
//! alone; a column present but empty clears an optional value.

use std::collections::{HashMap, HashSet};

use async_graphql::resolver_utils::EnumType;
use entity::{
    articulation, certification, course, course_certification, course_offering,
    course_prerequisite, dual_enrollment_agreement, industry_partner, industry_partner_sector,
    industry_partnership, industry_sector, jpa_membership, opportunity, program_site, term,
};
use sea_orm::EntityTrait;

use super::{
    lookup::Lookups,
    plan::{self, Planned},
    report::{ImportReport, Progress, Rejection},
    table::{Row, Table},
    ImportError, ImportKind,
};
use crate::{
    catalog::{
        colleges::types::ArticulationKind,
        courses::types::{AgArea, CourseLevel},
        eligibility::rules::DatePrecision,
        offerings::types::{Modality, OfferingStatus, Schedule},
        partners::types::PartnershipKind,
        programs::types::{SiteKind, TermKind},
    },
    changes::{links::Link, Writer},
    error::ApiError,
};

/// One column of a kind's layout.
pub struct Column {
    /// The CSV header or JSON key.
    pub name: &'static str,
    /// Needed in the header (and a value on every row).
    pub required: bool,
    /// What goes in it, for `docs/import.md`.
    pub doc: &'static str,
}

const fn req(name: &'static str, doc: &'static str) -> Column {
    Column {
        name,
        required: true,
        doc,
    }
}

const fn opt(name: &'static str, doc: &'static str) -> Column {
    Column {
        name,
        required: false,
        doc,
    }
}

const SOURCE: Column = opt(
    "source",
    "where the facts come from (shown to users as provenance)",
);

const SAMPLE: Column = opt(
    "sample",
    "true/false (default false): an illustrative record, not a real fact; lists and search can leave it out",
);

/// The columns of each catalogue kind, in template and export order; the first columns are the
/// natural key.
pub fn layout(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Terms => {
            const COLUMNS: &[Column] = &[
                req("program", "program code, e.g. SOCAL_ROC"),
                req("code", "term code, unique in the program, e.g. 2026-FALL"),
                req("name", "name students see"),
                req("starts_on", "first day, YYYY-MM-DD"),
                req("ends_on", "last day, YYYY-MM-DD, not before starts_on"),
                req("kind", "SEMESTER, QUARTER, SUMMER or SUPPLEMENTAL"),
                opt("transportation_available", "true/false (default false)"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Sites => {
            const COLUMNS: &[Column] = &[
                req("program", "program code"),
                req("code", "site code, unique in the program"),
                req("name", "site name"),
                req("kind", "CENTRAL_CAMPUS, MEMBER_HIGH_SCHOOL or OTHER"),
                opt(
                    "school_cds",
                    "14-digit CDS code of the school the site is at",
                ),
                opt("address", "street address"),
                opt("city", "city"),
                opt("lat", "latitude, decimal degrees (with lng)"),
                opt("lng", "longitude, decimal degrees (with lat)"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Courses => {
            const COLUMNS: &[Column] = &[
                req("program", "program code"),
                req("code", "course code, unique in the program"),
                req("title", "title students see"),
                req("level", "INTRODUCTORY, CONCENTRATOR or CAPSTONE"),
                opt(
                    "pathway",
                    "pathway code, name or older name (case and punctuation ignored)",
                ),
                opt(
                    "state_course_code",
                    "CALPADS state course code (never invent one)",
                ),
                opt("description", "up to 5,000 characters"),
                opt("catalog_school", "school that lists it"),
                opt("hours", "instructional hours"),
                opt("high_school_credits", "high-school credits"),
                opt("ag_area", "UC/CSU A-G area: A to G"),
                opt("uc_approved_year", "year UC approved it"),
                opt("honors", "true/false"),
                opt("min_grade", "lowest grade, 7-12"),
                opt("min_age", "minimum age"),
                opt("ctso", "career technical student organisation"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Offerings => {
            const COLUMNS: &[Column] = &[
                req("program", "program code"),
                req("course_code", "course code in the program"),
                req("term_code", "term code in the program"),
                req("section", "section, unique per course and term"),
                opt("site_code", "site code in the program"),
                req(
                    "schedule",
                    "SCHOOL_DAY, AFTER_SCHOOL, EVENING, SATURDAY or ONLINE_ASYNC",
                ),
                opt("meeting_days", "MON;TUE;... "),
                opt("start_time", "HH:MM"),
                opt("end_time", "HH:MM"),
                req("modality", "IN_PERSON, HYBRID or ONLINE"),
                opt("capacity", "seats in all"),
                opt("seats_available", "open seats, at most capacity"),
                req("status", "OPEN, WAITLIST, FULL or CANCELLED"),
                opt("transportation_provided", "true/false"),
                opt(
                    "tuition_cents",
                    "tuition for non-members, in cents (default 0)",
                ),
                opt("materials_fee_cents", "materials fee in cents (default 0)"),
                opt("instructor_name", "instructor"),
                opt("enrollment_opens_on", "YYYY-MM-DD"),
                opt("enrollment_closes_on", "YYYY-MM-DD"),
                opt(
                    "registration_url",
                    "where to sign up for the section (http or https)",
                ),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::CourseCertifications => {
            const COLUMNS: &[Column] = &[
                req("program", "program code of the course"),
                req("course_code", "course code in the program"),
                req(
                    "certification",
                    "certification code (a reference record, e.g. CNA)",
                ),
            ];
            COLUMNS
        }
        ImportKind::CoursePrerequisites => {
            const COLUMNS: &[Column] = &[
                req("program", "program code of the course"),
                req("course_code", "course code in the program"),
                opt(
                    "prerequisite_program",
                    "program code of the course to complete first (default: the same program)",
                ),
                req(
                    "prerequisite_code",
                    "course code of the course to complete first",
                ),
            ];
            COLUMNS
        }
        ImportKind::PartnerSectors => {
            const COLUMNS: &[Column] = &[
                req("partner", "industry partner code"),
                req(
                    "sector",
                    "industry sector code, e.g. HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY",
                ),
            ];
            COLUMNS
        }
        ImportKind::Memberships => {
            const COLUMNS: &[Column] = &[
                req("program", "program code"),
                req("district_cds", "the member district's 14-digit CDS code"),
                req(
                    "joined_on",
                    "YYYY-MM-DD; with program and district the row's key, so a district that left and rejoined has one row per membership",
                ),
                opt(
                    "joined_on_precision",
                    "how precisely joined_on is known: DAY (default), MONTH, YEAR or UNKNOWN",
                ),
                opt("withdrawn_on", "YYYY-MM-DD, when the district left"),
                opt("covers_tuition", "true/false (default true)"),
                opt("covers_materials", "true/false (default true)"),
                opt("covers_transportation", "true/false (default false)"),
                opt("notes", "up to 2,000 characters"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Agreements => {
            const COLUMNS: &[Column] = &[
                req("code", "agreement code, unique"),
                req("name", "agreement name"),
                req("college", "college code or 6-digit IPEDS id"),
                opt("district_cds", "CDS code of the partner district, when one"),
                opt("program", "program code, when a ROC/P is the partner"),
                req("kind", "CCAP, ARTICULATION or CONCURRENT"),
                opt("approved_on", "YYYY-MM-DD"),
                opt("starts_on", "YYYY-MM-DD"),
                opt("ends_on", "YYYY-MM-DD, not before starts_on"),
                opt("url", "https URL of the agreement"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Articulations => {
            const COLUMNS: &[Column] = &[
                req("program", "program code of the high-school course"),
                req("course_code", "course code in the program"),
                req("college", "college code or 6-digit IPEDS id"),
                req("college_course_code", "the college's course code"),
                req("kind", "CCAP, ARTICULATION or CONCURRENT"),
                opt("college_course_title", "the college's course title"),
                opt("units", "college units, 0-30"),
                opt("agreement_code", "dual-enrollment (CCAP) agreement code"),
                opt("valid_from", "first term or year it applies"),
                opt("valid_to", "last term or year it applies"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Partners => {
            const COLUMNS: &[Column] = &[
                req("code", "industry partner code (its organisation key)"),
                req("name", "employer name"),
                opt("website", "https URL"),
                opt("naics_code", "2-6 digit NAICS code"),
                opt("description", "up to 5,000 characters"),
                opt("contact_email", "e-mail for schools"),
                opt("contact_phone", "phone"),
                opt("city", "city"),
                opt("lat", "latitude"),
                opt("lng", "longitude"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Partnerships => {
            const COLUMNS: &[Column] = &[
                req("partner", "industry partner code"),
                req("pathway", "pathway code, name or older name"),
                opt("program", "program code, when tied to one program"),
                opt("course_code", "course code in that program"),
                req(
                    "kinds",
                    "one or more of ADVISORY_BOARD, INTERNSHIP, JOB_SHADOW, MENTORSHIP, GUEST_SPEAKER, SITE_TOUR, APPRENTICESHIP, PRE_APPRENTICESHIP, EQUIPMENT_DONATION, CURRICULUM_REVIEW, separated by ';'",
                ),
                opt("started_on", "YYYY-MM-DD"),
                opt("notes", "up to 2,000 characters"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Opportunities => {
            const COLUMNS: &[Column] = &[
                req("code", "opportunity code, unique"),
                req("partner", "industry partner code"),
                opt("pathway", "pathway code, name or older name"),
                req(
                    "kind",
                    "one of the partnership kinds (INTERNSHIP, JOB_SHADOW, MENTORSHIP, APPRENTICESHIP, ...)",
                ),
                opt("wbl_type", "CALPADS work-based-learning type code"),
                req("title", "title students see"),
                opt("description", "up to 5,000 characters"),
                opt("paid", "true/false"),
                opt("hourly_wage_cents", "wage in cents (paid only)"),
                opt("hours", "hours in all"),
                opt("min_grade", "lowest grade, 7-12"),
                opt("min_age", "minimum age"),
                opt(
                    "clearances",
                    "required clearances separated by ';' (e.g. TB_TEST;LIVE_SCAN)",
                ),
                opt("seats", "places"),
                opt("starts_on", "YYYY-MM-DD"),
                opt("apply_by", "YYYY-MM-DD, not after starts_on"),
                opt("apply_url", "https URL"),
                opt("location_name", "where"),
                opt("city", "city"),
                opt("lat", "latitude"),
                opt("lng", "longitude"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::EducatorOrganizations
        | ImportKind::EducatorPrograms
        | ImportKind::EducatorProgramSectors
        | ImportKind::EducatorPartnerships
        | ImportKind::TeachingOpenings
        | ImportKind::Contacts => educators::layout(kind),
        ImportKind::Pubschls | ImportKind::Catalog => &[],
    }
}

/// The GraphQL names of an enum, which are also the stored values.
fn names<T: EnumType>() -> Vec<&'static str> {
    T::items().iter().map(|i| i.name).collect()
}

/// Extra columns a header may have beyond its kind's layout before the file is refused whole.
const MIN_HEADER_ALLOWANCE: usize = 64;

/// Refuses a header that lacks a required column or has one the kind does not know (a typo
/// would otherwise be silently ignored).
pub fn check_header(kind: ImportKind, table: &Table) -> Vec<Rejection> {
    let columns = layout(kind);
    let mut problems = Vec::new();
    // A header far wider than the layout is the wrong file (or an attack on the closest-name
    // search): one problem, not one per column.
    let widest = columns.len().saturating_mul(2).max(MIN_HEADER_ALLOWANCE);
    if table.headers().len() > widest {
        problems.push(Rejection {
            line: 1,
            column: None,
            reason: format!(
                "the header has {} columns and a {} file has at most {}: is this the right file? (see docs/import.md)",
                table.headers().len(),
                kind.name(),
                columns.len()
            ),
        });
        return problems;
    }
    for column in columns.iter().filter(|c| c.required) {
        if !table.has(column.name) {
            problems.push(Rejection {
                line: 1,
                column: Some(column.name.to_owned()),
                reason: "required column is missing from the header".into(),
            });
        }
    }
    for header in table.headers() {
        let known = columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(header.trim()));
        if !known {
            let valid: Vec<String> = columns.iter().map(|c| c.name.to_owned()).collect();
            problems.push(Rejection {
                line: 1,
                column: Some(header.clone()),
                reason: format!(
                    "unknown column; closest: {}",
                    super::lookup::closest(header, &valid).join(", ")
                ),
            });
        }
    }
    problems
}

/// The header-only CSV template of a kind.
pub fn template(kind: ImportKind) -> String {
    let names: Vec<&str> = layout(kind).iter().map(|c| c.name).collect();
    format!("{}\n", names.join(","))
}

/// Sets `$field` from the row only when the file has the column.
macro_rules! put {
    ($row:ident, $field:expr, $column:literal, $value:expr) => {
        if $row.has($column) {
            $field = $value;
        }
    };
}

/// Collects a kind's rows into plans, rejecting duplicates of a natural key within the file.
struct Planner<'r, E: crate::changes::Record, K> {
    report: &'r mut ImportReport,
    seen: HashMap<K, usize>,
    planned: Vec<Planned<E>>,
}

impl<'r, E: crate::changes::Record, K: std::hash::Hash + Eq> Planner<'r, E, K> {
    fn new(report: &'r mut ImportReport) -> Self {
        Planner {
            report,
            seen: HashMap::new(),
            planned: Vec::new(),
        }
    }

    /// Accepts the row's record when nothing on the row was wrong.
    fn accept(
        &mut self,
        row: &mut Row<'_>,
        key: Option<K>,
        key_column: &str,
        existing: Option<E::Model>,
        desired: E::Model,
    ) {
        if let Some(key) = key {
            if let Some(first) = self.seen.insert(key, row.line) {
                row.reject(
                    key_column,
                    format!("the same record is also on line {first}"),
                );
            }
        }
        let rejections = row.take_rejections();
        if rejections.is_empty() {
            self.planned.push(Planned {
                line: row.line,
                existing,
                desired,
            });
        } else {
            self.report.rejected += 1;
            self.report.reject_all(rejections);
        }
    }
}

/// Keeps the stored record's bookkeeping (id, version, timestamps) on the row's version.
macro_rules! based_on {
    ($existing:expr, $blank:expr) => {
        $existing.clone().unwrap_or($blank)
    };
}

mod educators;

/// Imports one catalogue file of `kind`, updating `lk` with what it created so a combined
/// import can refer to it next.
pub async fn import(
    writer: &Writer,
    kind: ImportKind,
    table: &Table,
    lk: &mut Lookups,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    report.rows_read += table.len();
    let header = check_header(kind, table);
    if !header.is_empty() {
        report.rejected += table.len();
        report.reject_all(header);
        return Ok(());
    }
    let db = writer.txn();
    match kind {
        ImportKind::Terms => {
            let stored: HashMap<(i32, String), term::Model> = plan::stored::<term::Entity>(db)
                .await?
                .into_iter()
                .map(|m| ((m.program_id, m.code.clone()), m))
                .collect();
            let kinds = names::<TermKind>();
            let mut p = Planner::<term::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let code = row.required("code");
                let key = program.map(|id| (id, code.clone()));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, term::Model::default());
                m.program_id = program.unwrap_or_default();
                m.code = code;
                m.name = row.required("name");
                m.starts_on = row.required_date("starts_on").unwrap_or_default();
                m.ends_on = row.required_date("ends_on").unwrap_or_default();
                m.kind = row.required_choice("kind", &kinds).to_owned();
                put!(
                    row,
                    m.transportation_available,
                    "transportation_available",
                    row.flag("transportation_available", false)
                );
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            for t in plan::write(writer, p.planned, report, progress).await? {
                lk.add_term(t.program_id, &t.code, t.id);
            }
        }
        ImportKind::Sites => {
            let stored: HashMap<(i32, String), program_site::Model> =
                plan::stored::<program_site::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.program_id, m.code.clone()), m))
                    .collect();
            let kinds = names::<SiteKind>();
            let mut p = Planner::<program_site::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let code = row.required("code");
                let key = program.map(|id| (id, code.clone()));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, program_site::Model::default());
                m.program_id = program.unwrap_or_default();
                m.code = code;
                m.name = row.required("name");
                m.kind = row.required_choice("kind", &kinds).to_owned();
                put!(
                    row,
                    m.school_id,
                    "school_cds",
                    lk.school(&mut row, "school_cds")
                );
                put!(row, m.address, "address", row.text("address"));
                put!(row, m.city, "city", row.text("city"));
                put!(row, m.lat, "lat", row.float("lat"));
                put!(row, m.lng, "lng", row.float("lng"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            for s in plan::write(writer, p.planned, report, progress).await? {
                lk.add_site(s.program_id, &s.code, s.id);
            }
        }
        ImportKind::Courses => {
            let stored: HashMap<(i32, String), course::Model> = plan::stored::<course::Entity>(db)
                .await?
                .into_iter()
                .map(|m| ((m.program_id, m.code.clone()), m))
                .collect();
            let (levels, areas) = (names::<CourseLevel>(), names::<AgArea>());
            let mut p = Planner::<course::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let code = row.required("code");
                let key = program.map(|id| (id, code.clone()));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, course::Model::default());
                m.program_id = program.unwrap_or_default();
                m.code = code;
                m.title = row.required("title");
                m.level = row.required_choice("level", &levels).to_owned();
                put!(
                    row,
                    m.pathway_id,
                    "pathway",
                    lk.pathway(&mut row, "pathway")
                );
                put!(
                    row,
                    m.state_course_code,
                    "state_course_code",
                    row.text("state_course_code")
                );
                put!(row, m.description, "description", row.text("description"));
                put!(
                    row,
                    m.catalog_school,
                    "catalog_school",
                    row.text("catalog_school")
                );
                put!(row, m.hours, "hours", row.int("hours"));
                put!(
                    row,
                    m.high_school_credits,
                    "high_school_credits",
                    row.int("high_school_credits")
                );
                put!(
                    row,
                    m.ag_area,
                    "ag_area",
                    row.choice("ag_area", &areas).map(str::to_owned)
                );
                put!(
                    row,
                    m.uc_approved_year,
                    "uc_approved_year",
                    row.int("uc_approved_year")
                );
                put!(row, m.honors, "honors", row.flag("honors", false));
                put!(row, m.min_grade, "min_grade", row.int("min_grade"));
                put!(row, m.min_age, "min_age", row.int("min_age"));
                put!(row, m.ctso, "ctso", row.text("ctso"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            for c in plan::write(writer, p.planned, report, progress).await? {
                lk.add_course(c.program_id, &c.code, c.id);
            }
        }
        ImportKind::Offerings => {
            let stored: HashMap<(i32, i32, String), course_offering::Model> =
                plan::stored::<course_offering::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.course_id, m.term_id, m.section.clone()), m))
                    .collect();
            let (schedules, modalities, statuses) = (
                names::<Schedule>(),
                names::<Modality>(),
                names::<OfferingStatus>(),
            );
            let mut p = Planner::<course_offering::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let course = program.and_then(|pr| lk.course(&mut row, pr, "course_code"));
                let term = program.and_then(|pr| lk.term(&mut row, pr, "term_code"));
                let section = row.required("section");
                let key = course.zip(term).map(|(c, t)| (c, t, section.clone()));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, course_offering::Model::default());
                m.course_id = course.unwrap_or_default();
                m.term_id = term.unwrap_or_default();
                m.section = section;
                if row.has("site_code") {
                    m.site_id = program.and_then(|pr| lk.site(&mut row, pr, "site_code"));
                }
                m.schedule = row.required_choice("schedule", &schedules).to_owned();
                put!(
                    row,
                    m.meeting_days,
                    "meeting_days",
                    row.text("meeting_days")
                        .map(|d| d.replace(';', ",").to_ascii_uppercase())
                );
                put!(row, m.start_time, "start_time", row.text("start_time"));
                put!(row, m.end_time, "end_time", row.text("end_time"));
                m.modality = row.required_choice("modality", &modalities).to_owned();
                put!(row, m.capacity, "capacity", row.int("capacity"));
                put!(
                    row,
                    m.seats_available,
                    "seats_available",
                    row.int("seats_available")
                );
                m.status = row.required_choice("status", &statuses).to_owned();
                put!(
                    row,
                    m.transportation_provided,
                    "transportation_provided",
                    row.flag("transportation_provided", false)
                );
                put!(
                    row,
                    m.tuition_cents,
                    "tuition_cents",
                    row.int("tuition_cents").unwrap_or(0)
                );
                put!(
                    row,
                    m.materials_fee_cents,
                    "materials_fee_cents",
                    row.int("materials_fee_cents").unwrap_or(0)
                );
                put!(
                    row,
                    m.instructor_name,
                    "instructor_name",
                    row.text("instructor_name")
                );
                put!(
                    row,
                    m.enrollment_opens_on,
                    "enrollment_opens_on",
                    row.date("enrollment_opens_on")
                );
                put!(
                    row,
                    m.enrollment_closes_on,
                    "enrollment_closes_on",
                    row.date("enrollment_closes_on")
                );
                put!(
                    row,
                    m.registration_url,
                    "registration_url",
                    row.text("registration_url")
                );
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "section", existing, m);
            }
            plan::write(writer, p.planned, report, progress).await?;
        }
        ImportKind::Memberships => {
            // Keyed by joined_on too: a district that left and rejoined has two memberships.
            let stored: HashMap<(i32, i32, chrono::NaiveDate), jpa_membership::Model> =
                plan::stored::<jpa_membership::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.program_id, m.district_id, m.joined_on), m))
                    .collect();
            let precisions = names::<DatePrecision>();
            let mut p = Planner::<jpa_membership::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let district = lk.district(&mut row, "district_cds");
                let joined_on = row.required_date("joined_on");
                let key = program
                    .zip(district)
                    .zip(joined_on)
                    .map(|((p, d), j)| (p, d, j));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(
                    existing,
                    jpa_membership::Model {
                        covers_tuition: true,
                        covers_materials: true,
                        ..Default::default()
                    }
                );
                m.program_id = program.unwrap_or_default();
                m.district_id = district.unwrap_or_default();
                m.joined_on = joined_on.unwrap_or_default();
                if m.joined_on_precision.is_empty() {
                    m.joined_on_precision = DatePrecision::Day.as_stored().to_owned();
                }
                if let Some(p) = row.choice("joined_on_precision", &precisions) {
                    m.joined_on_precision = p.to_owned();
                }
                put!(
                    row,
                    m.withdrawn_on,
                    "withdrawn_on",
                    row.date("withdrawn_on")
                );
                put!(
                    row,
                    m.covers_tuition,
                    "covers_tuition",
                    row.flag("covers_tuition", true)
                );
                put!(
                    row,
                    m.covers_materials,
                    "covers_materials",
                    row.flag("covers_materials", true)
                );
                put!(
                    row,
                    m.covers_transportation,
                    "covers_transportation",
                    row.flag("covers_transportation", false)
                );
                put!(row, m.notes, "notes", row.text("notes"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "joined_on", existing, m);
            }
            plan::write(writer, p.planned, report, progress).await?;
        }
        ImportKind::Agreements => {
            let stored: HashMap<String, dual_enrollment_agreement::Model> =
                plan::stored::<dual_enrollment_agreement::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.to_ascii_uppercase(), m))
                    .collect();
            let kinds = names::<ArticulationKind>();
            let mut p = Planner::<dual_enrollment_agreement::Entity, _>::new(report);
            for mut row in table.rows() {
                let code = row.required("code");
                let key = Some(code.to_ascii_uppercase());
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, dual_enrollment_agreement::Model::default());
                m.code = code;
                m.name = row.required("name");
                m.college_id = lk.college(&mut row, "college").unwrap_or_default();
                if row.has("district_cds") {
                    m.district_id = match row.text("district_cds") {
                        Some(_) => lk.district(&mut row, "district_cds"),
                        None => None,
                    };
                }
                if row.has("program") {
                    m.program_id = match row.text("program") {
                        Some(_) => lk.program(&mut row, "program"),
                        None => None,
                    };
                }
                m.kind = row.required_choice("kind", &kinds).to_owned();
                put!(row, m.approved_on, "approved_on", row.date("approved_on"));
                put!(row, m.starts_on, "starts_on", row.date("starts_on"));
                put!(row, m.ends_on, "ends_on", row.date("ends_on"));
                put!(row, m.url, "url", row.text("url"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            for a in plan::write(writer, p.planned, report, progress).await? {
                lk.add_agreement(&a.code, a.id);
            }
        }
        ImportKind::Articulations => {
            let stored: HashMap<(i32, i32, String), articulation::Model> =
                plan::stored::<articulation::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| {
                        (
                            (m.course_id, m.college_id, m.college_course_code.clone()),
                            m,
                        )
                    })
                    .collect();
            let kinds = names::<ArticulationKind>();
            let mut p = Planner::<articulation::Entity, _>::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let course = program.and_then(|pr| lk.course(&mut row, pr, "course_code"));
                let college = lk.college(&mut row, "college");
                let college_course = row.required("college_course_code");
                let key = course
                    .zip(college)
                    .map(|(c, k)| (c, k, college_course.clone()));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, articulation::Model::default());
                m.course_id = course.unwrap_or_default();
                m.college_id = college.unwrap_or_default();
                m.college_course_code = college_course;
                m.kind = row.required_choice("kind", &kinds).to_owned();
                put!(
                    row,
                    m.college_course_title,
                    "college_course_title",
                    row.text("college_course_title")
                );
                put!(row, m.units, "units", row.float("units"));
                put!(
                    row,
                    m.agreement_id,
                    "agreement_code",
                    lk.agreement(&mut row, "agreement_code")
                );
                put!(row, m.valid_from, "valid_from", row.text("valid_from"));
                put!(row, m.valid_to, "valid_to", row.text("valid_to"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "college_course_code", existing, m);
            }
            plan::write(writer, p.planned, report, progress).await?;
        }
        ImportKind::Partners => {
            let stored: HashMap<String, industry_partner::Model> =
                plan::stored::<industry_partner::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.to_ascii_uppercase(), m))
                    .collect();
            let mut p = Planner::<industry_partner::Entity, _>::new(report);
            for mut row in table.rows() {
                let code = row.required("code");
                let key = Some(code.to_ascii_uppercase());
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, industry_partner::Model::default());
                m.code = code;
                m.name = row.required("name");
                put!(row, m.website, "website", row.text("website"));
                put!(row, m.naics_code, "naics_code", row.text("naics_code"));
                put!(row, m.description, "description", row.text("description"));
                put!(
                    row,
                    m.contact_email,
                    "contact_email",
                    row.text("contact_email")
                );
                put!(
                    row,
                    m.contact_phone,
                    "contact_phone",
                    row.text("contact_phone")
                );
                put!(row, m.city, "city", row.text("city"));
                put!(row, m.lat, "lat", row.float("lat"));
                put!(row, m.lng, "lng", row.float("lng"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            for partner in plan::write(writer, p.planned, report, progress).await? {
                lk.add_partner(&partner.code, partner.id);
            }
        }
        ImportKind::Partnerships => {
            type Key = (i32, i32, Option<i32>, Option<i32>);
            let stored: HashMap<Key, industry_partnership::Model> =
                plan::stored::<industry_partnership::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.partner_id, m.pathway_id, m.program_id, m.course_id), m))
                    .collect();
            let kinds = names::<PartnershipKind>();
            let mut p = Planner::<industry_partnership::Entity, _>::new(report);
            for mut row in table.rows() {
                let partner = lk.partner(&mut row, "partner");
                let pathway = lk.required_pathway(&mut row, "pathway");
                let program = if row.text("program").is_some() {
                    lk.program(&mut row, "program")
                } else {
                    None
                };
                let course = program.and_then(|pr| lk.optional_course(&mut row, pr, "course_code"));
                if program.is_none()
                    && row.text("course_code").is_some()
                    && row.text("program").is_none()
                {
                    row.reject("program", "a course_code needs the program that teaches it");
                }
                let key = partner
                    .zip(pathway)
                    .map(|(pa, pw)| (pa, pw, program, course));
                let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
                let mut m = based_on!(existing, industry_partnership::Model::default());
                m.partner_id = partner.unwrap_or_default();
                m.pathway_id = pathway.unwrap_or_default();
                m.program_id = program;
                m.course_id = course;
                let picked = row.choices("kinds", &kinds);
                if picked.is_empty() && row.text("kinds").is_none() {
                    row.reject(
                        "kinds",
                        "is required: one or more of the PartnershipKind values",
                    );
                }
                m.kinds = picked.join(",");
                put!(row, m.started_on, "started_on", row.date("started_on"));
                put!(row, m.notes, "notes", row.text("notes"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "pathway", existing, m);
            }
            plan::write(writer, p.planned, report, progress).await?;
        }
        ImportKind::Opportunities => {
            let stored: HashMap<String, opportunity::Model> =
                plan::stored::<opportunity::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let kinds = names::<PartnershipKind>();
            let mut p = Planner::<opportunity::Entity, _>::new(report);
            for mut row in table.rows() {
                let code = row.required("code");
                let key = Some(code.clone());
                let existing = stored.get(&code).cloned();
                let mut m = based_on!(existing, opportunity::Model::default());
                m.code = code;
                m.partner_id = lk.partner(&mut row, "partner").unwrap_or_default();
                put!(
                    row,
                    m.pathway_id,
                    "pathway",
                    lk.pathway(&mut row, "pathway")
                );
                m.kind = row.required_choice("kind", &kinds).to_owned();
                put!(
                    row,
                    m.wbl_type_code,
                    "wbl_type",
                    lk.wbl_type(&mut row, "wbl_type")
                );
                m.title = row.required("title");
                put!(row, m.description, "description", row.text("description"));
                put!(row, m.paid, "paid", row.flag("paid", false));
                put!(
                    row,
                    m.hourly_wage_cents,
                    "hourly_wage_cents",
                    row.int("hourly_wage_cents")
                );
                put!(row, m.hours, "hours", row.int("hours"));
                put!(row, m.min_grade, "min_grade", row.int("min_grade"));
                put!(row, m.min_age, "min_age", row.int("min_age"));
                put!(
                    row,
                    m.clearances,
                    "clearances",
                    row.text("clearances").map(|c| list(&c)).unwrap_or_default()
                );
                put!(row, m.seats, "seats", row.int("seats"));
                put!(row, m.starts_on, "starts_on", row.date("starts_on"));
                put!(row, m.apply_by, "apply_by", row.date("apply_by"));
                put!(row, m.apply_url, "apply_url", row.text("apply_url"));
                put!(
                    row,
                    m.location_name,
                    "location_name",
                    row.text("location_name")
                );
                put!(row, m.city, "city", row.text("city"));
                put!(row, m.lat, "lat", row.float("lat"));
                put!(row, m.lng, "lng", row.float("lng"));
                put!(row, m.source, "source", row.text("source"));
                put!(row, m.sample, "sample", row.flag("sample", false));
                p.accept(&mut row, key, "code", existing, m);
            }
            plan::write(writer, p.planned, report, progress).await?;
        }
        ImportKind::CourseCertifications => {
            let certifications = live_codes::<certification::Entity>(db).await?;
            let stored: HashSet<(i32, i32)> = course_certification::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.course_id, m.certification_id))
                .collect();
            let mut links = Links::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let course = program.and_then(|pr| lk.course(&mut row, pr, "course_code"));
                let cert = by_code(&mut row, &certifications, "certification", "certification");
                let key = course.zip(cert);
                let model = key.map(
                    |(course_id, certification_id)| course_certification::Model {
                        id: 0,
                        course_id,
                        certification_id,
                    },
                );
                links.accept(&mut row, key, "certification", model);
            }
            links
                .write::<course_certification::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::CoursePrerequisites => {
            let stored: HashSet<(i32, i32)> = course_prerequisite::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.course_id, m.prerequisite_id))
                .collect();
            let mut links = Links::new(report);
            for mut row in table.rows() {
                let program = lk.program(&mut row, "program");
                let course = program.and_then(|pr| lk.course(&mut row, pr, "course_code"));
                let other = if row.text("prerequisite_program").is_some() {
                    lk.program(&mut row, "prerequisite_program")
                } else {
                    program
                };
                let first = other.and_then(|pr| lk.course(&mut row, pr, "prerequisite_code"));
                if course.is_some() && course == first {
                    row.reject(
                        "prerequisite_code",
                        "a course cannot be its own prerequisite",
                    );
                }
                let key = course.zip(first);
                let model = key.map(|(course_id, prerequisite_id)| course_prerequisite::Model {
                    id: 0,
                    course_id,
                    prerequisite_id,
                });
                links.accept(&mut row, key, "prerequisite_code", model);
            }
            links
                .write::<course_prerequisite::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::PartnerSectors => {
            let sectors = live_codes::<industry_sector::Entity>(db).await?;
            let stored: HashSet<(i32, i32)> = industry_partner_sector::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.partner_id, m.sector_id))
                .collect();
            let mut links = Links::new(report);
            for mut row in table.rows() {
                let partner = lk.partner(&mut row, "partner");
                let sector = by_code(&mut row, &sectors, "sector", "industry sector");
                let key = partner.zip(sector);
                let model = key.map(|(partner_id, sector_id)| industry_partner_sector::Model {
                    id: 0,
                    partner_id,
                    sector_id,
                });
                links.accept(&mut row, key, "sector", model);
            }
            links
                .write::<industry_partner_sector::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::EducatorOrganizations
        | ImportKind::EducatorPrograms
        | ImportKind::EducatorProgramSectors
        | ImportKind::EducatorPartnerships
        | ImportKind::TeachingOpenings
        | ImportKind::Contacts => {
            educators::import(writer, kind, table, lk, report, progress).await?;
        }
        ImportKind::Pubschls | ImportKind::Catalog => {
            return Err(ImportError::Unreadable(format!(
                "{} is not a catalogue layout",
                kind.name()
            )))
        }
    }
    Ok(())
}

/// Collects the rows of a link kind (keyed by the two records they join), rejecting
/// duplicates within the file, then adds the links not stored yet.
struct Links<'r, M> {
    report: &'r mut ImportReport,
    seen: HashMap<(i32, i32), usize>,
    planned: Vec<(usize, (i32, i32), M)>,
}

impl<'r, M> Links<'r, M> {
    fn new(report: &'r mut ImportReport) -> Self {
        Links {
            report,
            seen: HashMap::new(),
            planned: Vec::new(),
        }
    }

    fn accept(
        &mut self,
        row: &mut Row<'_>,
        key: Option<(i32, i32)>,
        key_column: &str,
        model: Option<M>,
    ) {
        if let Some(key) = key {
            if let Some(first) = self.seen.insert(key, row.line) {
                row.reject(key_column, format!("the same link is also on line {first}"));
            }
        }
        let rejections = row.take_rejections();
        match (key, model) {
            (Some(key), Some(model)) if rejections.is_empty() => {
                self.planned.push((row.line, key, model));
            }
            _ => {
                self.report.rejected += 1;
                self.report.reject_all(rejections);
            }
        }
    }

    /// Adds the planned links that are not stored yet, through the write path (scope
    /// checked, in the change feed); links already there are unchanged.
    async fn write<L: Link<Model = M>>(
        self,
        writer: &Writer,
        stored: &HashSet<(i32, i32)>,
        progress: &dyn Progress,
    ) -> Result<(), ImportError> {
        progress.stage(&format!("writing {}s", L::LABEL), self.planned.len());
        for (line, key, model) in self.planned {
            progress.advance(1);
            if stored.contains(&key) {
                self.report.unchanged += 1;
                continue;
            }
            if let Err(e) = writer.check_link::<L>(&model).await {
                self.report.reject(plan::rejection(line, e)?);
                self.report.rejected += 1;
                continue;
            }
            writer
                .link::<L>(model)
                .await
                .map_err(|e| match plan::rejection(line, e) {
                    Ok(r) => ImportError::Row(r),
                    Err(e) => e,
                })?;
            self.report.created += 1;
        }
        progress.finish();
        Ok(())
    }
}

/// Live reference records by upper-cased code (certifications, industry sectors).
async fn live_codes<E>(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<HashMap<String, i32>, ImportError>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{ColumnTrait, ModelTrait, QueryFilter};
    let column = |name| crate::changes::write::column::<E>(name);
    let (id, code, deleted) = (column("id")?, column("code")?, column("deleted_at")?);
    Ok(E::find()
        .filter(deleted.is_null())
        .all(db)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .filter_map(|m| match (m.get(id), m.get(code)) {
            (sea_orm::Value::Int(Some(id)), sea_orm::Value::String(Some(code))) => {
                Some((code.to_ascii_uppercase(), id))
            }
            _ => None,
        })
        .collect())
}

/// The id of the reference record whose code the row gives in `column`.
fn by_code(
    row: &mut Row<'_>,
    codes: &HashMap<String, i32>,
    column: &str,
    what: &str,
) -> Option<i32> {
    let code = row.required(column);
    if code.is_empty() {
        return None;
    }
    let found = codes.get(&code.trim().to_ascii_uppercase()).copied();
    if found.is_none() {
        row.reject(column, format!("no {what} has code '{code}'"));
    }
    found
}

/// `a; b ,c` → `a,b,c`, as lists are stored.
fn list(raw: &str) -> String {
    raw.split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}
