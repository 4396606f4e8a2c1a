//! The CSV and JSON catalogue imports: one column layout per kind (the same
//! names in CSV headers, JSON keys and `cte-hub export json`), upserted by the
//! kind's natural key. A column absent from the file leaves stored values
//! alone; a column present but empty clears an optional value.
//!
//! The layouts are the kinds' definitions (`catalog/<area>/fields.rs`); each kind's planner
//! reads its natural key and references, and [`mapping::Scalars`] every other column.

use std::collections::{HashMap, HashSet};

use entity::{
    articulation, certification, course, course_certification, course_offering,
    course_prerequisite, district_fact, dual_enrollment_agreement, industry_partner,
    industry_partner_sector, industry_partnership, industry_sector, jpa_membership, opportunity,
    program_site, school_pathway, school_pathway_course, term,
};
use sea_orm::EntityTrait;

use super::{
    lookup::Lookups,
    plan::{self, Planned},
    report::{ImportReport, Progress, Rejection},
    table::{Row, Table},
    ImportError, ImportKind,
};
use crate::vocabulary::Stored;
use crate::{
    catalog::{
        colleges::fields as colleges, courses::fields as courses,
        educators::fields as educator_fields, eligibility::rules::DatePrecision,
        offerings::fields as offerings, partners::fields as partners, programs::fields as programs,
        school_pathways::fields as school_pathways,
    },
    changes::{links::Link, Writer},
    error::ApiError,
    fields::{Field, RecordKind},
    resolve::Codes,
    vocabulary::PartnershipKind,
};
use mapping::Scalars;

/// The `format` of a catalogue document (`cte-hub export json`); `import catalog` refuses
/// documents without it.
pub const FORMAT: &str = "cte-hub-catalog/1";

/// The definition of a catalogue kind (its columns, GraphQL type and inputs), stated by its
/// area in `catalog/<area>/fields.rs`; `None` for the schools file and the whole catalogue.
pub fn record_kind(kind: ImportKind) -> Option<&'static RecordKind> {
    Some(match kind {
        ImportKind::Terms => &programs::TERMS,
        ImportKind::Sites => &programs::SITES,
        ImportKind::Memberships => &programs::MEMBERSHIPS,
        ImportKind::Courses => &courses::COURSES,
        ImportKind::CourseCertifications => &courses::COURSE_CERTIFICATIONS,
        ImportKind::CoursePrerequisites => &courses::COURSE_PREREQUISITES,
        ImportKind::DistrictCourses => &courses::DISTRICT_COURSES,
        ImportKind::Offerings => &offerings::OFFERINGS,
        ImportKind::Agreements => &colleges::AGREEMENTS,
        ImportKind::Articulations => &colleges::ARTICULATIONS,
        ImportKind::Partners => &partners::PARTNERS,
        ImportKind::PartnerSectors => &partners::PARTNER_SECTORS,
        ImportKind::Partnerships => &partners::PARTNERSHIPS,
        ImportKind::Opportunities => &partners::OPPORTUNITIES,
        ImportKind::SchoolPathways => &school_pathways::SCHOOL_PATHWAYS,
        ImportKind::SchoolPathwayCourses => &school_pathways::SCHOOL_PATHWAY_COURSES,
        ImportKind::DistrictFacts => &school_pathways::DISTRICT_FACTS,
        ImportKind::EducatorOrganizations => &educator_fields::EDUCATOR_ORGANIZATIONS,
        ImportKind::EducatorPrograms => &educator_fields::EDUCATOR_PROGRAMS,
        ImportKind::EducatorProgramSectors => &educator_fields::EDUCATOR_PROGRAM_SECTORS,
        ImportKind::EducatorPartnerships => &educator_fields::EDUCATOR_PARTNERSHIPS,
        ImportKind::TeachingOpenings => &educator_fields::TEACHING_OPENINGS,
        ImportKind::Contacts => &educator_fields::CONTACTS,
        ImportKind::Pubschls | ImportKind::Catalog => return None,
    })
}

/// The columns of each catalogue kind, in template and export order; the first columns are the
/// natural key.
pub fn layout(kind: ImportKind) -> &'static [Field] {
    record_kind(kind).map_or(&[], |k| k.fields)
}

/// The column table of `kind` in docs/import.md (a test keeps the docs equal to it).
pub fn docs_table(kind: ImportKind) -> String {
    let mut table = String::from("| column | required | what goes in it |\n|---|---|---|\n");
    for c in layout(kind) {
        let required = if c.required { "yes" } else { "" };
        table.push_str(&format!("| `{}` | {required} | {} |\n", c.name, c.doc));
    }
    table
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
                    crate::resolve::closest(header, &valid).join(", ")
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
mod mapping;

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
            let planned = plan_terms(table, lk, &stored, report);
            for t in plan::write(writer, planned, report, progress).await? {
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
            let planned = plan_sites(table, lk, &stored, report);
            for s in plan::write(writer, planned, report, progress).await? {
                lk.add_site(s.program_id, &s.code, s.id);
            }
        }
        ImportKind::Courses => {
            let stored: HashMap<(i32, String), course::Model> = plan::stored::<course::Entity>(db)
                .await?
                .into_iter()
                .filter_map(|m| Some(((m.program_id?, m.code.clone()), m)))
                .collect();
            let planned = plan_courses(table, lk, &stored, report);
            for c in plan::write(writer, planned, report, progress).await? {
                lk.add_course(c.program_id.unwrap_or_default(), &c.code, c.id);
            }
        }
        ImportKind::Offerings => {
            let stored: HashMap<(i32, i32, String), course_offering::Model> =
                plan::stored::<course_offering::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.course_id, m.term_id, m.section.clone()), m))
                    .collect();
            let planned = plan_offerings(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::Memberships => {
            // Keyed by joined_on too: a district that left and rejoined has two memberships.
            let stored: HashMap<(i32, i32, chrono::NaiveDate), jpa_membership::Model> =
                plan::stored::<jpa_membership::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.program_id, m.district_id, m.joined_on), m))
                    .collect();
            let planned = plan_memberships(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::Agreements => {
            let stored: HashMap<String, dual_enrollment_agreement::Model> =
                plan::stored::<dual_enrollment_agreement::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let planned = plan_agreements(table, lk, &stored, report);
            for a in plan::write(writer, planned, report, progress).await? {
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
            let planned = plan_articulations(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::Partners => {
            let stored: HashMap<String, industry_partner::Model> =
                plan::stored::<industry_partner::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let planned = plan_partners(table, &stored, report);
            for partner in plan::write(writer, planned, report, progress).await? {
                lk.add_partner(&partner.code, partner.id);
            }
        }
        ImportKind::Partnerships => {
            let stored: HashMap<PartnershipKey, industry_partnership::Model> =
                plan::stored::<industry_partnership::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| ((m.partner_id, m.pathway_id, m.program_id, m.course_id), m))
                    .collect();
            let planned = plan_partnerships(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::Opportunities => {
            let stored: HashMap<String, opportunity::Model> =
                plan::stored::<opportunity::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let planned = plan_opportunities(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::DistrictCourses => {
            let stored: HashMap<(i32, String), course::Model> = plan::stored::<course::Entity>(db)
                .await?
                .into_iter()
                .filter(|m| m.program_id.is_none())
                .filter_map(|m| Some(((m.district_id?, m.code.clone()), m)))
                .collect();
            let planned = plan_district_courses(table, lk, &stored, report);
            for c in plan::write(writer, planned, report, progress).await? {
                lk.add_district_course(c.district_id.unwrap_or_default(), &c.code, c.id);
            }
        }
        ImportKind::SchoolPathways => {
            let stored: HashMap<String, school_pathway::Model> =
                plan::stored::<school_pathway::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let funding = Codes::load::<entity::funding_program::Entity>(db, "code").await?;
            let planned = plan_school_pathways(table, lk, &funding, &stored, report);
            for s in plan::write(writer, planned, report, progress).await? {
                lk.add_school_pathway(&s.code, s.id);
            }
        }
        ImportKind::SchoolPathwayCourses => {
            let stored: HashSet<(i32, i32)> = school_pathway_course::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.school_pathway_id, m.course_id))
                .collect();
            let links = plan_school_pathway_courses(table, lk, report);
            links
                .write::<school_pathway_course::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::DistrictFacts => {
            let stored: HashMap<String, district_fact::Model> =
                plan::stored::<district_fact::Entity>(db)
                    .await?
                    .into_iter()
                    .map(|m| (m.code.clone(), m))
                    .collect();
            let planned = plan_district_facts(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::CourseCertifications => {
            let certifications = Codes::load::<certification::Entity>(db, "code").await?;
            let stored: HashSet<(i32, i32)> = course_certification::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.course_id, m.certification_id))
                .collect();
            let links = plan_course_certifications(table, lk, &certifications, report);
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
            let links = plan_course_prerequisites(table, lk, report);
            links
                .write::<course_prerequisite::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::PartnerSectors => {
            let sectors = Codes::load::<industry_sector::Entity>(db, "code").await?;
            let stored: HashSet<(i32, i32)> = industry_partner_sector::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.partner_id, m.sector_id))
                .collect();
            let links = plan_partner_sectors(table, lk, &sectors, report);
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

/// A partnership's natural key: partner, pathway, program and course.
type PartnershipKey = (i32, i32, Option<i32>, Option<i32>);

/// The rows of a terms file mapped onto the stored records; refusals go to the report.
fn plan_terms(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, String), term::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<term::Entity>> {
    let scalars = Scalars::of(&programs::TERMS);
    let mut p = Planner::<term::Entity, _>::new(report);
    for mut row in table.rows() {
        let program = lk.program(&mut row, "program");
        let code = row.required("code");
        let key = program.map(|id| (id, code.clone()));
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, term::Model::default());
        m.program_id = program.unwrap_or_default();
        m.code = code;
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a sites file mapped onto the stored records; refusals go to the report.
fn plan_sites(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, String), program_site::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<program_site::Entity>> {
    let scalars = Scalars::of(&programs::SITES);
    let mut p = Planner::<program_site::Entity, _>::new(report);
    for mut row in table.rows() {
        let program = lk.program(&mut row, "program");
        let code = row.required("code");
        let key = program.map(|id| (id, code.clone()));
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, program_site::Model::default());
        m.program_id = program.unwrap_or_default();
        m.code = code;
        put!(
            row,
            m.school_id,
            "school_cds",
            lk.school(&mut row, "school_cds")
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a courses file mapped onto the stored records; refusals go to the report.
fn plan_courses(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, String), course::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<course::Entity>> {
    let scalars = Scalars::of(&courses::COURSES);
    let mut p = Planner::<course::Entity, _>::new(report);
    for mut row in table.rows() {
        let program = lk.program(&mut row, "program");
        let code = row.required("code");
        let key = program.map(|id| (id, code.clone()));
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, course::Model::default());
        m.program_id = Some(program.unwrap_or_default());
        m.code = code;
        put!(
            row,
            m.pathway_id,
            "pathway",
            lk.pathway(&mut row, "pathway")
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a offerings file mapped onto the stored records; refusals go to the report.
fn plan_offerings(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, i32, String), course_offering::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<course_offering::Entity>> {
    let scalars = Scalars::of(&offerings::OFFERINGS);
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
        put!(
            row,
            m.meeting_days,
            "meeting_days",
            row.text("meeting_days")
                .map(|d| d.replace(';', ",").to_ascii_uppercase())
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "section", existing, m);
    }
    p.planned
}

/// The rows of a memberships file mapped onto the stored records; refusals go to the report.
fn plan_memberships(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, i32, chrono::NaiveDate), jpa_membership::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<jpa_membership::Entity>> {
    let precisions = DatePrecision::stored_names();
    let scalars = Scalars::of(&programs::MEMBERSHIPS);
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
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "joined_on", existing, m);
    }
    p.planned
}

/// The rows of a agreements file mapped onto the stored records; refusals go to the report.
fn plan_agreements(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<String, dual_enrollment_agreement::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<dual_enrollment_agreement::Entity>> {
    let scalars = Scalars::of(&colleges::AGREEMENTS);
    let mut p = Planner::<dual_enrollment_agreement::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, dual_enrollment_agreement::Model::default());
        m.code = code;
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
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a articulations file mapped onto the stored records; refusals go to the report.
fn plan_articulations(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, i32, String), articulation::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<articulation::Entity>> {
    let scalars = Scalars::of(&colleges::ARTICULATIONS);
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
        put!(
            row,
            m.agreement_id,
            "agreement_code",
            lk.agreement(&mut row, "agreement_code")
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "college_course_code", existing, m);
    }
    p.planned
}

/// The rows of a partners file mapped onto the stored records; refusals go to the report.
fn plan_partners(
    table: &Table,
    stored: &HashMap<String, industry_partner::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<industry_partner::Entity>> {
    let scalars = Scalars::of(&partners::PARTNERS);
    let mut p = Planner::<industry_partner::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, industry_partner::Model::default());
        m.code = code;
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a partnerships file mapped onto the stored records; refusals go to the report.
fn plan_partnerships(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<PartnershipKey, industry_partnership::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<industry_partnership::Entity>> {
    let kinds = PartnershipKind::stored_names();
    let scalars = Scalars::of(&partners::PARTNERSHIPS);
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
        if program.is_none() && row.text("course_code").is_some() && row.text("program").is_none() {
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
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "pathway", existing, m);
    }
    p.planned
}

/// The rows of a opportunities file mapped onto the stored records; refusals go to the report.
fn plan_opportunities(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<String, opportunity::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<opportunity::Entity>> {
    let scalars = Scalars::of(&partners::OPPORTUNITIES);
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
        put!(
            row,
            m.wbl_type_code,
            "wbl_type",
            lk.wbl_type(&mut row, "wbl_type")
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a course certifications file as links; refusals go to the report.
fn plan_course_certifications<'r>(
    table: &Table,
    lk: &Lookups,
    certifications: &Codes,
    report: &'r mut ImportReport,
) -> Links<'r, course_certification::Model> {
    let mut links = Links::new(report);
    for mut row in table.rows() {
        let program = lk.program(&mut row, "program");
        let course = program.and_then(|pr| lk.course(&mut row, pr, "course_code"));
        let cert = by_code(&mut row, certifications, "certification", "certification");
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
}

/// The rows of a course prerequisites file as links; refusals go to the report.
fn plan_course_prerequisites<'r>(
    table: &Table,
    lk: &Lookups,
    report: &'r mut ImportReport,
) -> Links<'r, course_prerequisite::Model> {
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
}

/// The rows of a partner sectors file as links; refusals go to the report.
fn plan_partner_sectors<'r>(
    table: &Table,
    lk: &Lookups,
    sectors: &Codes,
    report: &'r mut ImportReport,
) -> Links<'r, industry_partner_sector::Model> {
    let mut links = Links::new(report);
    for mut row in table.rows() {
        let partner = lk.partner(&mut row, "partner");
        let sector = by_code(&mut row, sectors, "sector", "industry sector");
        let key = partner.zip(sector);
        let model = key.map(|(partner_id, sector_id)| industry_partner_sector::Model {
            id: 0,
            partner_id,
            sector_id,
        });
        links.accept(&mut row, key, "sector", model);
    }
    links
}

/// The rows of a district courses file mapped onto the stored records (a district's own
/// courses, keyed by district and code); refusals go to the report.
fn plan_district_courses(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<(i32, String), course::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<course::Entity>> {
    let scalars = Scalars::of(&courses::DISTRICT_COURSES);
    let mut p = Planner::<course::Entity, _>::new(report);
    for mut row in table.rows() {
        let district = lk.district(&mut row, "district");
        let code = row.required("code");
        let key = district.map(|id| (id, code.clone()));
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, course::Model::default());
        m.program_id = None;
        m.district_id = Some(district.unwrap_or_default());
        m.code = code;
        put!(row, m.school_id, "school", lk.school(&mut row, "school"));
        put!(
            row,
            m.pathway_id,
            "pathway",
            lk.pathway(&mut row, "pathway")
        );
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a school pathways file mapped onto the stored records; refusals go to the
/// report. `funding` holds the funding program codes an academy may name.
fn plan_school_pathways(
    table: &Table,
    lk: &Lookups,
    funding: &Codes,
    stored: &HashMap<String, school_pathway::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<school_pathway::Entity>> {
    let scalars = Scalars::of(&school_pathways::SCHOOL_PATHWAYS);
    let mut p = Planner::<school_pathway::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = stored.get(&code).cloned();
        let mut m = based_on!(existing, school_pathway::Model::default());
        m.code = code;
        m.district_id = lk.district(&mut row, "district").unwrap_or_default();
        put!(row, m.school_id, "school", lk.school(&mut row, "school"));
        put!(
            row,
            m.pathway_id,
            "pathway",
            lk.pathway(&mut row, "pathway")
        );
        put!(
            row,
            m.credit_agreement_id,
            "credit_agreement",
            lk.agreement(&mut row, "credit_agreement")
        );
        if row.has("academy_funding") {
            m.academy_funding_program_id = if row.text("academy_funding").is_some() {
                by_code(&mut row, funding, "academy_funding", "funding program")
            } else {
                None
            };
        }
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a school pathway courses file as links (a ROC/P course or a district's own);
/// refusals go to the report.
fn plan_school_pathway_courses<'r>(
    table: &Table,
    lk: &Lookups,
    report: &'r mut ImportReport,
) -> Links<'r, school_pathway_course::Model> {
    let mut links = Links::new(report);
    for mut row in table.rows() {
        let program_of_study = lk.school_pathway(&mut row, "school_pathway");
        let course = match (row.text("program"), row.text("district")) {
            (Some(_), None) => lk
                .program(&mut row, "program")
                .and_then(|pr| lk.course(&mut row, pr, "course_code")),
            (None, Some(_)) => lk
                .district(&mut row, "district")
                .and_then(|d| lk.district_course(&mut row, d, "course_code")),
            _ => {
                row.reject(
                        "program",
                        "give exactly one of program (a ROC/P course) or district (a district's own course)",
                    );
                None
            }
        };
        let feeder = row.flag("feeder", false);
        let key = program_of_study.zip(course);
        let model = key.map(
            |(school_pathway_id, course_id)| school_pathway_course::Model {
                id: 0,
                school_pathway_id,
                course_id,
                feeder,
            },
        );
        links.accept(&mut row, key, "course_code", model);
    }
    links
}

/// The rows of a district facts file mapped onto the stored records; refusals go to the report.
fn plan_district_facts(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<String, district_fact::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<district_fact::Entity>> {
    let scalars = Scalars::of(&school_pathways::DISTRICT_FACTS);
    let mut p = Planner::<district_fact::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = stored.get(&code).cloned();
        let mut m = based_on!(existing, district_fact::Model::default());
        m.code = code;
        m.district_id = lk.district(&mut row, "district").unwrap_or_default();
        scalars.apply(&mut row, &mut m);
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
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

/// The id of the reference record whose code the row gives in `column`.
fn by_code(row: &mut Row<'_>, codes: &Codes, column: &str, what: &str) -> Option<i32> {
    let code = row.required(column);
    if code.is_empty() {
        return None;
    }
    let found = codes.get(&code);
    if found.is_none() {
        row.reject(column, format!("no {what} has code '{code}'"));
    }
    found
}

#[cfg(test)]
mod tests {
    //! Each catalogue kind's row mapping, without a database: a valid row and each refusal
    //! the mapping itself makes (the write path's checks are tested through imports).

    use super::*;
    use crate::import::table::Format;

    /// What a file of one kind becomes: the planned records (their `Debug` text) and the
    /// refusals. The match names every kind, so a new kind must get a planner here.
    fn plan(kind: ImportKind, csv: &str) -> (Vec<String>, Vec<Rejection>) {
        let table = Table::read(csv, Format::Csv, &[]).expect("a table");
        let header = check_header(kind, &table);
        if !header.is_empty() {
            return (Vec::new(), header);
        }
        let lk = Lookups::sample();
        let codes = |code: &str| {
            let mut codes = Codes::default();
            codes.insert(code, 1);
            codes
        };
        let mut report = ImportReport::default();
        fn shown<T: std::fmt::Debug>(records: impl IntoIterator<Item = T>) -> Vec<String> {
            records.into_iter().map(|r| format!("{r:?}")).collect()
        }
        // Every kind's records planned from an empty store, shown by their `Debug` text.
        macro_rules! planned {
            ($plan:ident) => {
                $plan(&table, &lk, &HashMap::new(), &mut report)
                    .into_iter()
                    .map(|p| format!("{:?}", p.desired))
                    .collect()
            };
        }
        let planned: Vec<String> = match kind {
            ImportKind::Terms => planned!(plan_terms),
            ImportKind::Sites => planned!(plan_sites),
            ImportKind::Courses => planned!(plan_courses),
            ImportKind::Offerings => planned!(plan_offerings),
            ImportKind::Memberships => planned!(plan_memberships),
            ImportKind::Agreements => planned!(plan_agreements),
            ImportKind::Articulations => {
                planned!(plan_articulations)
            }
            ImportKind::Partners => plan_partners(&table, &HashMap::new(), &mut report)
                .into_iter()
                .map(|p| format!("{:?}", p.desired))
                .collect(),
            ImportKind::Partnerships => {
                planned!(plan_partnerships)
            }
            ImportKind::Opportunities => {
                planned!(plan_opportunities)
            }
            ImportKind::CourseCertifications => shown(
                plan_course_certifications(&table, &lk, &codes("CNA"), &mut report)
                    .planned
                    .into_iter()
                    .map(|(_, _, m)| m),
            ),
            ImportKind::CoursePrerequisites => shown(
                plan_course_prerequisites(&table, &lk, &mut report)
                    .planned
                    .into_iter()
                    .map(|(_, _, m)| m),
            ),
            ImportKind::PartnerSectors => shown(
                plan_partner_sectors(
                    &table,
                    &lk,
                    &codes("HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"),
                    &mut report,
                )
                .planned
                .into_iter()
                .map(|(_, _, m)| m),
            ),
            ImportKind::DistrictCourses => planned!(plan_district_courses),
            ImportKind::SchoolPathways => {
                plan_school_pathways(&table, &lk, &codes("CPA"), &HashMap::new(), &mut report)
                    .into_iter()
                    .map(|p| format!("{:?}", p.desired))
                    .collect()
            }
            ImportKind::SchoolPathwayCourses => shown(
                plan_school_pathway_courses(&table, &lk, &mut report)
                    .planned
                    .into_iter()
                    .map(|(_, _, m)| m),
            ),
            ImportKind::DistrictFacts => planned!(plan_district_facts),
            ImportKind::EducatorOrganizations => shown(
                educators::plan_educator_organizations(&table, &lk, &HashMap::new(), &mut report)
                    .into_iter()
                    .map(|p| p.desired),
            ),
            ImportKind::EducatorPrograms => shown(
                educators::plan_educator_programs(
                    &table,
                    &codes("ENCORPS"),
                    &HashMap::new(),
                    &mut report,
                )
                .into_iter()
                .map(|p| p.desired),
            ),
            ImportKind::EducatorProgramSectors => shown(
                educators::plan_educator_program_sectors(
                    &table,
                    &codes("ENCORPS_MENTORSHIP"),
                    &codes("HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"),
                    &mut report,
                )
                .planned
                .into_iter()
                .map(|(_, _, m)| m),
            ),
            ImportKind::EducatorPartnerships => shown(
                educators::plan_educator_partnerships(
                    &table,
                    &lk,
                    &codes("ENCORPS_MENTORSHIP"),
                    &HashMap::new(),
                    &mut report,
                )
                .into_iter()
                .map(|p| p.desired),
            ),
            ImportKind::TeachingOpenings => {
                // Patient Care (3) is in sector 1; school 1 is in district 1.
                let refs = educators::OpeningRefs {
                    pathway_sectors: HashMap::from([(3, 1)]),
                    school_districts: HashMap::from([(1, 1)]),
                };
                shown(
                    educators::plan_teaching_openings(
                        &table,
                        &lk,
                        &codes("HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"),
                        &refs,
                        &HashMap::new(),
                        &mut report,
                    )
                    .into_iter()
                    .map(|p| p.desired),
                )
            }
            ImportKind::Contacts => shown(
                educators::plan_contacts(
                    &table,
                    &lk,
                    &codes("ENCORPS_MENTORSHIP"),
                    &HashMap::new(),
                    &mut report,
                )
                .into_iter()
                .map(|p| p.desired),
            ),
            ImportKind::Pubschls | ImportKind::Catalog => Vec::new(),
        };
        (planned, report.rejections)
    }

    /// What a row should give: these `Debug` fragments in the one planned record, or a
    /// refusal of this column with this text.
    enum Expect {
        Record(&'static [&'static str]),
        Refused(&'static str, &'static str),
    }
    use Expect::{Record, Refused};

    const TERM: &str = "program,code,name,starts_on,ends_on,kind,transportation_available";
    const SITE: &str = "program,code,name,kind,school_cds,lat,lng";
    const COURSE: &str = "program,code,title,level,pathway,ag_area,hours";
    const OFFERING: &str =
        "program,course_code,term_code,section,site_code,schedule,modality,status,tuition_cents";
    const MEMBERSHIP: &str = "program,district_cds,joined_on,joined_on_precision,covers_tuition";
    const AGREEMENT: &str = "code,name,college,district_cds,kind,starts_on";
    const ARTICULATION: &str =
        "program,course_code,college,college_course_code,kind,units,agreement_code";
    const PARTNER: &str = "code,name,website,lat";
    const PARTNERSHIP: &str = "partner,pathway,program,course_code,kinds";
    const OPPORTUNITY: &str = "code,partner,kind,title,wbl_type,clearances,paid";
    const CERTIFICATION: &str = "program,course_code,certification";
    const PREREQUISITE: &str = "program,course_code,prerequisite_code";
    const PARTNER_SECTOR: &str = "partner,sector";
    const DISTRICT_COURSE: &str = "district,code,school,title,level,pathway";
    const SCHOOL_PATHWAY: &str =
        "code,district,school,pathway,local_name,earns,schedules,academy,academy_funding";
    const SCHOOL_PATHWAY_COURSE: &str = "school_pathway,program,district,course_code,feeder";
    const DISTRICT_FACT: &str = "code,district,kind,count,out_of,statement,source";
    const EDUCATOR_ORGANIZATION: &str = "code,name,kind,founded_year,district_cds";
    const EDUCATOR_PROGRAM: &str = "code,organization,name,kind,cohort_size";
    const EDUCATOR_PROGRAM_SECTOR: &str = "program,sector";
    const EDUCATOR_PARTNERSHIP: &str =
        "code,program,district_cds,first_school_year,funders,new_teachers_per_year";
    const TEACHING_OPENING: &str = "code,district_cds,school_cds,sector,pathway,title,apply_by";
    const CONTACT: &str = "program,school_cds,educator_program,role,label,phone";

    /// A row of the table: what it shows, the kind, the file, what it should give.
    type Case = (&'static str, ImportKind, String, Expect);

    fn rows() -> Vec<Case> {
        use ImportKind::*;
        let file = |header: &str, lines: &[&str]| format!("{header}\n{}\n", lines.join("\n"));
        let term = "SOCAL_ROC,2026-FALL,Fall 2026,2026-08-17,2026-12-18,SEMESTER,yes";
        let offering = "SOCAL_ROC,CA-MA100,2026-FALL,A,TORRANCE,AFTER_SCHOOL,IN_PERSON,OPEN,25000";
        vec![
            ("term", Terms, file(TERM, &[term]), Record(&["program_id: 1", "code: \"2026-FALL\"", "kind: \"SEMESTER\"", "transportation_available: true"])),
            ("term: unknown program", Terms, file(TERM, &["NOPE,2026-FALL,Fall 2026,2026-08-17,2026-12-18,SEMESTER,"]), Refused("program", "no program has code 'NOPE' (known: SOCAL_ROC)")),
            ("term: a code in another case is another code", Terms, file(TERM, &["socal_roc,2026-FALL,Fall 2026,2026-08-17,2026-12-18,SEMESTER,"]), Refused("program", "no program has code 'socal_roc' (known: SOCAL_ROC)")),
            ("term: date", Terms, file(TERM, &["SOCAL_ROC,2026-FALL,Fall 2026,08/17/2026,2026-12-18,SEMESTER,"]), Refused("starts_on", "'08/17/2026' is not a date written YYYY-MM-DD")),
            ("term: kind", Terms, file(TERM, &["SOCAL_ROC,2026-FALL,Fall 2026,2026-08-17,2026-12-18,TRIMESTER,"]), Refused("kind", "'TRIMESTER' is not one of SEMESTER")),
            ("term: name missing", Terms, file(TERM, &["SOCAL_ROC,2026-FALL,,2026-08-17,2026-12-18,SEMESTER,"]), Refused("name", "is required")),
            ("term: yes/no", Terms, file(TERM, &["SOCAL_ROC,2026-FALL,Fall 2026,2026-08-17,2026-12-18,SEMESTER,maybe"]), Refused("transportation_available", "'maybe' is not yes/no")),
            ("term: twice", Terms, file(TERM, &[term, term]), Refused("code", "the same record is also on line 2")),
            ("term: header lacks a column", Terms, file("program,code,name", &["SOCAL_ROC,2026-FALL,Fall 2026"]), Refused("starts_on", "required column is missing from the header")),
            ("term: unknown column", Terms, file(&format!("{TERM},colour"), &[&format!("{term},red")]), Refused("colour", "unknown column; closest:")),
            ("site", Sites, file(SITE, &["SOCAL_ROC,TORRANCE,Torrance campus,CENTRAL_CAMPUS,19650601938752,33.8,-118.3"]), Record(&["school_id: Some(1)", "kind: \"CENTRAL_CAMPUS\"", "lat: Some(33.8)"])),
            ("site: unknown school", Sites, file(SITE, &["SOCAL_ROC,TORRANCE,Torrance campus,CENTRAL_CAMPUS,00000000000000,,"]), Refused("school_cds", "no school has CDS code '00000000000000'")),
            ("site: latitude", Sites, file(SITE, &["SOCAL_ROC,TORRANCE,Torrance campus,CENTRAL_CAMPUS,,north,"]), Refused("lat", "'north' is not a number")),
            ("course, pathway by name", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,CAPSTONE,patient care,G,180"]), Record(&["pathway_id: Some(3)", "level: \"CAPSTONE\"", "ag_area: Some(\"G\")", "hours: Some(180)"])),
            ("course: unknown pathway", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,CAPSTONE,Patient Cares,,"]), Refused("pathway", "no pathway is called 'Patient Cares'; closest: Patient Care")),
            ("course: level", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,ADVANCED,,,"]), Refused("level", "'ADVANCED' is not one of INTRODUCTORY")),
            ("course: level missing", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,,,,"]), Refused("level", "is required: one of INTRODUCTORY")),
            ("course: A-G area", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,CAPSTONE,,H,"]), Refused("ag_area", "'H' is not one of A")),
            ("course: hours", Courses, file(COURSE, &["SOCAL_ROC,CA-MA100,Medical Assisting,CAPSTONE,,,12.5"]), Refused("hours", "'12.5' is not a whole number")),
            ("offering", Offerings, file(OFFERING, &[offering]), Record(&["course_id: 1", "term_id: 1", "site_id: Some(1)", "schedule: \"AFTER_SCHOOL\"", "tuition_cents: 25000"])),
            ("offering: unknown course", Offerings, file(OFFERING, &["SOCAL_ROC,XX-1,2026-FALL,A,,AFTER_SCHOOL,IN_PERSON,OPEN,"]), Refused("course_code", "the program has no course 'XX-1' (import courses first)")),
            ("offering: unknown term", Offerings, file(OFFERING, &["SOCAL_ROC,CA-MA100,2030-FALL,A,,AFTER_SCHOOL,IN_PERSON,OPEN,"]), Refused("term_code", "the program has no term '2030-FALL' (import terms first)")),
            ("offering: unknown site", Offerings, file(OFFERING, &["SOCAL_ROC,CA-MA100,2026-FALL,A,MOON,AFTER_SCHOOL,IN_PERSON,OPEN,"]), Refused("site_code", "the program has no site 'MOON' (import sites first)")),
            ("offering: schedule", Offerings, file(OFFERING, &["SOCAL_ROC,CA-MA100,2026-FALL,A,,LUNCHTIME,IN_PERSON,OPEN,"]), Refused("schedule", "'LUNCHTIME' is not one of SCHOOL_DAY")),
            ("offering: status missing", Offerings, file(OFFERING, &["SOCAL_ROC,CA-MA100,2026-FALL,A,,AFTER_SCHOOL,IN_PERSON,,"]), Refused("status", "is required: one of OPEN")),
            ("offering: twice", Offerings, file(OFFERING, &[offering, offering]), Refused("section", "the same record is also on line 2")),
            ("membership", Memberships, file(MEMBERSHIP, &["SOCAL_ROC,19650600000000,1983-07-01,YEAR,"]), Record(&["district_id: 1", "joined_on_precision: \"YEAR\"", "covers_tuition: true", "covers_transportation: false"])),
            ("membership: unknown district", Memberships, file(MEMBERSHIP, &["SOCAL_ROC,00000000000000,1983-07-01,,"]), Refused("district_cds", "no district has CDS code '00000000000000'")),
            ("membership: joined_on missing", Memberships, file(MEMBERSHIP, &["SOCAL_ROC,19650600000000,,,"]), Refused("joined_on", "is required")),
            ("membership: precision", Memberships, file(MEMBERSHIP, &["SOCAL_ROC,19650600000000,1983-07-01,DECADE,"]), Refused("joined_on_precision", "'DECADE' is not one of DAY")),
            ("agreement", Agreements, file(AGREEMENT, &["ECC-TORRANCE-CCAP,El Camino - Torrance CCAP,EL_CAMINO,19650600000000,CCAP,2024-07-01"]), Record(&["college_id: 1", "district_id: Some(1)", "kind: \"CCAP\""])),
            ("agreement: unknown college", Agreements, file(AGREEMENT, &["X,X,NOWHERE,,CCAP,"]), Refused("college", "no college has code or IPEDS id 'NOWHERE'")),
            ("agreement: kind", Agreements, file(AGREEMENT, &["X,X,EL_CAMINO,,HANDSHAKE,"]), Refused("kind", "'HANDSHAKE' is not one of CCAP")),
            ("articulation", Articulations, file(ARTICULATION, &["SOCAL_ROC,CA-MA100,EL_CAMINO,MA 101,CCAP,3,ECC-TORRANCE-CCAP"]), Record(&["course_id: 1", "college_course_code: \"MA 101\"", "units: Some(3.0)", "agreement_id: Some(1)"])),
            ("articulation: unknown agreement", Articulations, file(ARTICULATION, &["SOCAL_ROC,CA-MA100,EL_CAMINO,MA 101,CCAP,,NONE"]), Refused("agreement_code", "no dual-enrollment agreement has code 'NONE'")),
            ("articulation: units", Articulations, file(ARTICULATION, &["SOCAL_ROC,CA-MA100,EL_CAMINO,MA 101,CCAP,three,"]), Refused("units", "'three' is not a number")),
            ("partner", Partners, file(PARTNER, &["HARBOR_SMILES_DENTAL,Harbor Smiles Dental,https://example.org,33.8"]), Record(&["code: \"HARBOR_SMILES_DENTAL\"", "website: Some(\"https://example.org\")"])),
            ("partner: code missing", Partners, file(PARTNER, &[",Harbor Smiles Dental,,"]), Refused("code", "is required")),
            ("partner: twice", Partners, file(PARTNER, &["HARBOR_SMILES_DENTAL,A,,", "HARBOR_SMILES_DENTAL,B,,"]), Refused("code", "the same record is also on line 2")),
            ("partnership", Partnerships, file(PARTNERSHIP, &["HONDA_PACT,PATIENT_CARE,SOCAL_ROC,CA-MA100,internship; job shadow"]), Record(&["partner_id: 1", "pathway_id: 3", "course_id: Some(1)", "kinds: \"INTERNSHIP,JOB_SHADOW\""])),
            ("partnership: unknown partner", Partnerships, file(PARTNERSHIP, &["NOBODY,PATIENT_CARE,,,INTERNSHIP"]), Refused("partner", "no industry partner has code 'NOBODY'")),
            ("partnership: pathway missing", Partnerships, file(PARTNERSHIP, &["HONDA_PACT,,,,INTERNSHIP"]), Refused("pathway", "is required")),
            ("partnership: course without program", Partnerships, file(PARTNERSHIP, &["HONDA_PACT,PATIENT_CARE,,CA-MA100,INTERNSHIP"]), Refused("program", "a course_code needs the program that teaches it")),
            ("partnership: kinds missing", Partnerships, file(PARTNERSHIP, &["HONDA_PACT,PATIENT_CARE,,,"]), Refused("kinds", "is required: one or more of the PartnershipKind values")),
            ("opportunity", Opportunities, file(OPPORTUNITY, &["HONDA-2027-INT,HONDA_PACT,INTERNSHIP,Shop intern,10,TB_TEST; LIVE_SCAN,yes"]), Record(&["partner_id: 1", "wbl_type_code: Some(\"10\")", "clearances: \"TB_TEST,LIVE_SCAN\"", "paid: true"])),
            ("opportunity: work-based-learning type", Opportunities, file(OPPORTUNITY, &["X,HONDA_PACT,INTERNSHIP,Intern,99,,"]), Refused("wbl_type", "'99' is not one of the CALPADS work-based-learning types (10, 15)")),
            ("opportunity: kind", Opportunities, file(OPPORTUNITY, &["X,HONDA_PACT,PICNIC,Intern,,,"]), Refused("kind", "'PICNIC' is not one of ADVISORY_BOARD")),
            ("course certification", CourseCertifications, file(CERTIFICATION, &["SOCAL_ROC,CA-MA100,CNA"]), Record(&["course_id: 1", "certification_id: 1"])),
            ("course certification: unknown", CourseCertifications, file(CERTIFICATION, &["SOCAL_ROC,CA-MA100,PILOT"]), Refused("certification", "no certification has code 'PILOT'")),
            ("course certification: case counts", CourseCertifications, file(CERTIFICATION, &["SOCAL_ROC,CA-MA100,cna"]), Refused("certification", "no certification has code 'cna'")),
            ("course certification: twice", CourseCertifications, file(CERTIFICATION, &["SOCAL_ROC,CA-MA100,CNA", "SOCAL_ROC,CA-MA100,CNA"]), Refused("certification", "the same link is also on line 2")),
            ("course prerequisite", CoursePrerequisites, file(PREREQUISITE, &["SOCAL_ROC,CA-MA100,ED-100"]), Record(&["course_id: 1", "prerequisite_id: 2"])),
            ("course prerequisite: itself", CoursePrerequisites, file(PREREQUISITE, &["SOCAL_ROC,CA-MA100,CA-MA100"]), Refused("prerequisite_code", "a course cannot be its own prerequisite")),
            ("partner sector", PartnerSectors, file(PARTNER_SECTOR, &["HONDA_PACT,HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"]), Record(&["partner_id: 1", "sector_id: 1"])),
            ("partner sector: unknown", PartnerSectors, file(PARTNER_SECTOR, &["HONDA_PACT,SPACE"]), Refused("sector", "no industry sector has code 'SPACE'")),
            ("district course", DistrictCourses, file(DISTRICT_COURSE, &["19650600000000,HS-MED1,19650601938752,Medical Terminology,INTRODUCTORY,Patient Care"]), Record(&["program_id: None", "district_id: Some(1)", "school_id: Some(1)", "pathway_id: Some(3)"])),
            ("district course: unknown district", DistrictCourses, file(DISTRICT_COURSE, &["00000000000000,HS-MED1,,Medical Terminology,INTRODUCTORY,"]), Refused("district", "no district has CDS code '00000000000000'")),
            ("district course: unknown school", DistrictCourses, file(DISTRICT_COURSE, &["19650600000000,HS-MED1,00000000000000,Medical Terminology,INTRODUCTORY,"]), Refused("school", "no school has CDS code '00000000000000'")),
            ("school pathway", SchoolPathways, file(SCHOOL_PATHWAY, &["HS-HEALTH,19650600000000,19650601938752,PATIENT_CARE,Health Careers Academy,certificate of completion; COLLEGE_CREDIT,SCHOOL_DAY; EXTENDED_DAY,yes,CPA"]), Record(&["district_id: 1", "school_id: Some(1)", "pathway_id: Some(3)", "earns: \"CERTIFICATE_OF_COMPLETION,COLLEGE_CREDIT\"", "schedules: \"SCHOOL_DAY,EXTENDED_DAY\"", "academy: true", "academy_funding_program_id: Some(1)"])),
            ("school pathway: award", SchoolPathways, file(SCHOOL_PATHWAY, &["HS-HEALTH,19650600000000,,,Health,DIPLOMA,,,"]), Refused("earns", "'DIPLOMA' is not one of CERTIFICATE_OF_COMPLETION")),
            ("school pathway: academy funding", SchoolPathways, file(SCHOOL_PATHWAY, &["HS-HEALTH,19650600000000,,,Health,,,yes,NOPE"]), Refused("academy_funding", "no funding program has code 'NOPE'")),
            ("school pathway: local name missing", SchoolPathways, file(SCHOOL_PATHWAY, &["HS-HEALTH,19650600000000,,,,,,,"]), Refused("local_name", "is required")),
            ("school pathway course, a district's own", SchoolPathwayCourses, file(SCHOOL_PATHWAY_COURSE, &["HS-HEALTH,,19650600000000,HS-MED1,no"]), Record(&["school_pathway_id: 1", "course_id: 5", "feeder: false"])),
            ("school pathway course, a ROC/P's", SchoolPathwayCourses, file(SCHOOL_PATHWAY_COURSE, &["HS-HEALTH,SOCAL_ROC,,CA-MA100,yes"]), Record(&["school_pathway_id: 1", "course_id: 1", "feeder: true"])),
            ("school pathway course: both owners", SchoolPathwayCourses, file(SCHOOL_PATHWAY_COURSE, &["HS-HEALTH,SOCAL_ROC,19650600000000,CA-MA100,"]), Refused("program", "give exactly one of program")),
            ("school pathway course: unknown pathway", SchoolPathwayCourses, file(SCHOOL_PATHWAY_COURSE, &["NOPE,,19650600000000,HS-MED1,"]), Refused("school_pathway", "no school pathway has code 'NOPE'")),
            ("school pathway course: unknown district course", SchoolPathwayCourses, file(SCHOOL_PATHWAY_COURSE, &["HS-HEALTH,,19650600000000,CA-MA100,"]), Refused("course_code", "the district has no course 'CA-MA100'")),
            ("district fact", DistrictFacts, file(DISTRICT_FACT, &["HS-SECTORS,19650600000000,SECTORS,13,15,13 of the 15 sectors,a source"]), Record(&["district_id: 1", "kind: \"SECTORS\"", "count: 13", "out_of: Some(15)"])),
            ("district fact: count missing", DistrictFacts, file(DISTRICT_FACT, &["HS-SECTORS,19650600000000,SECTORS,,15,13 of the 15 sectors,a source"]), Refused("count", "is required")),
            ("district fact: kind", DistrictFacts, file(DISTRICT_FACT, &["HS-SECTORS,19650600000000,TEACHERS,3,,3 teachers,a source"]), Refused("kind", "'TEACHERS' is not one of PATHWAYS")),
            ("district fact: source missing", DistrictFacts, file(DISTRICT_FACT, &["HS-SECTORS,19650600000000,SECTORS,13,15,13 of the 15 sectors,"]), Refused("source", "is required")),
            ("educator organisation", EducatorOrganizations, file(EDUCATOR_ORGANIZATION, &["ENCORPS,EnCorps,NONPROFIT,2007,"]), Record(&["code: \"ENCORPS\"", "kind: \"NONPROFIT\"", "founded_year: Some(2007)", "district_id: None"])),
            ("educator organisation: kind", EducatorOrganizations, file(EDUCATOR_ORGANIZATION, &["ENCORPS,EnCorps,CHARITY,,"]), Refused("kind", "'CHARITY' is not one of NONPROFIT")),
            ("educator organisation: unknown district", EducatorOrganizations, file(EDUCATOR_ORGANIZATION, &["X,X,DISTRICT,,00000000000000"]), Refused("district_cds", "no district has CDS code '00000000000000'")),
            ("educator program", EducatorPrograms, file(EDUCATOR_PROGRAM, &["ENCORPS_MENTORSHIP,ENCORPS,CTE Mentorship Alliance,MENTORSHIP,25"]), Record(&["organization_id: 1", "kind: \"MENTORSHIP\"", "cohort_size: Some(25)"])),
            ("educator program: unknown organisation", EducatorPrograms, file(EDUCATOR_PROGRAM, &["X,NOBODY,X,MENTORSHIP,"]), Refused("organization", "no educator organization has code 'NOBODY'")),
            ("educator program: a code in another case is another code", EducatorPrograms, file(EDUCATOR_PROGRAM, &["X,encorps,X,MENTORSHIP,"]), Refused("organization", "no educator organization has code 'encorps'")),
            ("educator program sector", EducatorProgramSectors, file(EDUCATOR_PROGRAM_SECTOR, &["ENCORPS_MENTORSHIP,HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"]), Record(&["program_id: 1", "sector_id: 1"])),
            ("educator program sector: unknown sector", EducatorProgramSectors, file(EDUCATOR_PROGRAM_SECTOR, &["ENCORPS_MENTORSHIP,SPACE"]), Refused("sector", "no industry sector has code 'SPACE'")),
            ("educator partnership", EducatorPartnerships, file(EDUCATOR_PARTNERSHIP, &["LAUSD-ENCORPS,ENCORPS_MENTORSHIP,19650600000000,2024-25,The Eli and Edythe Broad Foundation ; ,25"]), Record(&["program_id: 1", "district_id: 1", "funders: \"The Eli and Edythe Broad Foundation\"", "new_teachers_per_year: Some(25)"])),
            ("educator partnership: unknown district", EducatorPartnerships, file(EDUCATOR_PARTNERSHIP, &["X,ENCORPS_MENTORSHIP,00000000000000,,,"]), Refused("district_cds", "no district has CDS code '00000000000000'")),
            ("educator partnership: count", EducatorPartnerships, file(EDUCATOR_PARTNERSHIP, &["X,ENCORPS_MENTORSHIP,19650600000000,,,many"]), Refused("new_teachers_per_year", "'many' is not a whole number")),
            ("teaching opening", TeachingOpenings, file(TEACHING_OPENING, &["OPEN-1,19650600000000,19650601938752,,PATIENT_CARE,Health science teacher,2027-03-01"]), Record(&["district_id: 1", "school_id: Some(1)", "sector_id: 1", "pathway_id: Some(3)"])),
            ("teaching opening: neither sector nor pathway", TeachingOpenings, file(TEACHING_OPENING, &["OPEN-1,19650600000000,,,,Teacher,"]), Refused("sector", "give the sector (or the pathway) the opening teaches")),
            ("teaching opening: apply-by date", TeachingOpenings, file(TEACHING_OPENING, &["OPEN-1,19650600000000,,HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY,,Teacher,March"]), Refused("apply_by", "'March' is not a date written YYYY-MM-DD")),
            ("contact", Contacts, file(CONTACT, &["SOCAL_ROC,,,CTE_COORDINATOR,CTE office,310-555-0100"]), Record(&["program_id: Some(1)", "role: \"CTE_COORDINATOR\"", "label: Some(\"CTE office\")"])),
            ("contact: role", Contacts, file(CONTACT, &["SOCAL_ROC,,,PRINCIPAL,,"]), Refused("role", "'PRINCIPAL' is not one of OFFICE")),
            ("contact: unknown educator program", Contacts, file(CONTACT, &[",,NOPE,OFFICE,,"]), Refused("educator_program", "no educator program has code 'NOPE'")),
        ]
    }

    #[test]
    fn each_kind_maps_a_valid_row_and_refuses_bad_ones() {
        let mut valid = HashSet::new();
        let mut refused = HashSet::new();
        for (name, kind, csv, expect) in rows() {
            let (planned, rejections) = plan(kind, &csv);
            match expect {
                Record(fragments) => {
                    assert_eq!(rejections, Vec::new(), "{name}");
                    assert_eq!(planned.len(), 1, "{name}");
                    for fragment in fragments {
                        assert!(
                            planned[0].contains(fragment),
                            "{name}: {fragment} not in {}",
                            planned[0]
                        );
                    }
                    valid.insert(kind.name());
                }
                Refused(column, reason) => {
                    assert!(
                        rejections
                            .iter()
                            .any(|r| r.column.as_deref() == Some(column)
                                && r.reason.contains(reason)),
                        "{name}: expected {column}: {reason:?}, got {rejections:?}"
                    );
                    // A refused row is never planned (a duplicate's first row is).
                    assert!(planned.len() <= 1, "{name}");
                    refused.insert(kind.name());
                }
            }
        }
        for kind in ImportKind::CATALOG_ORDER {
            assert!(
                valid.contains(kind.name()),
                "no valid row of {}",
                kind.name()
            );
            assert!(
                refused.contains(kind.name()),
                "no refused row of {}",
                kind.name()
            );
        }
    }
}
