//! The educator kinds of the catalogue import: organisations, their programs
//! and the sectors they serve, district partnerships, teaching openings, and
//! role contacts of ROC/Ps, schools and educator programs. Same rules as the
//! other kinds: upserted by natural key, through the write path.

use std::collections::{HashMap, HashSet};

use entity::{
    contact, educator_organization, educator_partnership, educator_program,
    educator_program_sector, industry_sector, teaching_opening,
};
use sea_orm::EntityTrait;

use super::{
    by_code, names, opt,
    plan::{self, Planned},
    req, Column, Links, Planner, SAMPLE, SOURCE,
};
use crate::{
    changes::Writer,
    error::ApiError,
    import::{
        lookup::Lookups,
        report::{ImportReport, Progress},
        table::{Row, Table},
        ImportError, ImportKind,
    },
    resolve::Codes,
    vocabulary::{ContactRole, EducatorOrganizationKind, EducatorProgramKind},
};

/// The columns of an educator kind (empty for other kinds).
pub fn layout(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::EducatorOrganizations => {
            const COLUMNS: &[Column] = &[
                req("code", "educator organisation code (its organisation key)"),
                req("name", "name"),
                req("kind", "NONPROFIT, DISTRICT or COLLEGE"),
                opt("description", "what it does, up to 5,000 characters"),
                opt("founded_year", "year founded"),
                opt("website", "https URL"),
                opt("city", "city"),
                opt(
                    "district_cds",
                    "14-digit CDS code, for a district's own program",
                ),
                opt(
                    "professionals_recruited",
                    "cumulative count, as the source gives it",
                ),
                opt(
                    "students_reached",
                    "cumulative count, as the source gives it",
                ),
                opt(
                    "partner_schools",
                    "cumulative count, as the source gives it",
                ),
                opt(
                    "counts_wording",
                    "the source's wording of the counts and their date",
                ),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::EducatorPrograms => {
            const COLUMNS: &[Column] = &[
                req("code", "educator program code, unique"),
                req("organization", "educator organisation code"),
                req("name", "name"),
                req("kind", "RECRUITMENT, CREDENTIAL_PREPARATION or MENTORSHIP"),
                opt("description", "up to 5,000 characters"),
                opt("serves", "whom it serves"),
                opt("compensation", "how participants are paid"),
                opt(
                    "meeting_cadence",
                    "how often participants meet, e.g. monthly",
                ),
                opt("cohort_size", "participants per cohort"),
                opt("registration_url", "where to sign up (https URL)"),
                opt("enrollment_opens_on", "YYYY-MM-DD"),
                opt("enrollment_closes_on", "YYYY-MM-DD"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::EducatorProgramSectors => {
            const COLUMNS: &[Column] = &[
                req("program", "educator program code"),
                req("sector", "industry sector code"),
            ];
            COLUMNS
        }
        ImportKind::EducatorPartnerships => {
            const COLUMNS: &[Column] = &[
                req("code", "partnership code, unique"),
                req("program", "educator program code"),
                req("district_cds", "14-digit CDS code of the district"),
                opt("announced_on", "YYYY-MM-DD"),
                opt("first_school_year", "e.g. 2024-25"),
                opt("last_school_year", "e.g. 2025-26"),
                opt("starts_wording", "when it starts, in the source's words"),
                opt("funders", "who pays, separated by ';'"),
                opt("new_teachers_per_year", "new CTE teachers each year"),
                opt("mentors_per_year", "mentor teachers each year"),
                opt("expected_students", "students expected to benefit"),
                opt(
                    "expected_students_wording",
                    "the source's wording of that number",
                ),
                opt("notes", "up to 5,000 characters"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::TeachingOpenings => {
            const COLUMNS: &[Column] = &[
                req("code", "opening code, unique"),
                req("district_cds", "14-digit CDS code of the hiring district"),
                opt(
                    "school_cds",
                    "14-digit CDS code of the school, in the district",
                ),
                opt(
                    "sector",
                    "industry sector code (needed when no pathway is given)",
                ),
                opt("pathway", "pathway code, name or older name"),
                req("title", "title"),
                opt("description", "up to 5,000 characters"),
                opt(
                    "credential_required",
                    "e.g. CTE Designated Subjects credential",
                ),
                opt("apply_by", "YYYY-MM-DD"),
                opt("apply_url", "https URL"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        ImportKind::Contacts => {
            const COLUMNS: &[Column] = &[
                opt("program", "ROC/P program code (give exactly one of program, school_cds, educator_program)"),
                opt("school_cds", "14-digit CDS code of the school"),
                opt("educator_program", "educator program code"),
                req("role", "OFFICE, COUNSELOR_DESK, CTE_COORDINATOR, ENROLLMENT or RECRUITMENT"),
                opt("label", "the desk's name, e.g. CTE office (never a person's name)"),
                opt("phone", "the desk's phone"),
                opt("email", "the desk's role address (never a person's)"),
                opt("url", "the desk's page (https URL)"),
                SOURCE,
                SAMPLE,
            ];
            COLUMNS
        }
        _ => &[],
    }
}

/// A teaching opening's references the row is checked against: each pathway's sector and
/// each school's district.
#[derive(Default)]
pub(super) struct OpeningRefs {
    /// Pathway id → its sector id.
    pub pathway_sectors: HashMap<i32, i32>,
    /// School id → its district id.
    pub school_districts: HashMap<i32, i32>,
}

/// The rows of an educator organisations file mapped onto the stored records.
pub(super) fn plan_educator_organizations(
    table: &Table,
    lk: &Lookups,
    stored: &HashMap<String, educator_organization::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<educator_organization::Entity>> {
    let kinds = names::<EducatorOrganizationKind>();
    let mut p = Planner::<educator_organization::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, educator_organization::Model::default());
        m.code = code;
        m.name = row.required("name");
        m.kind = row.required_choice("kind", &kinds).to_owned();
        put!(row, m.description, "description", row.text("description"));
        put!(row, m.founded_year, "founded_year", row.int("founded_year"));
        put!(row, m.website, "website", row.text("website"));
        put!(row, m.city, "city", row.text("city"));
        // An empty cell clears the district; a given one must resolve.
        put!(
            row,
            m.district_id,
            "district_cds",
            match row.text("district_cds") {
                Some(_) => lk.district(&mut row, "district_cds"),
                None => None,
            }
        );
        put!(
            row,
            m.professionals_recruited,
            "professionals_recruited",
            row.int("professionals_recruited")
        );
        put!(
            row,
            m.students_reached,
            "students_reached",
            row.int("students_reached")
        );
        put!(
            row,
            m.partner_schools,
            "partner_schools",
            row.int("partner_schools")
        );
        put!(
            row,
            m.counts_wording,
            "counts_wording",
            row.text("counts_wording")
        );
        put!(row, m.source, "source", row.text("source"));
        put!(row, m.sample, "sample", row.flag("sample", false));
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of an educator programs file mapped onto the stored records.
pub(super) fn plan_educator_programs(
    table: &Table,
    organizations: &Codes,
    stored: &HashMap<String, educator_program::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<educator_program::Entity>> {
    let kinds = names::<EducatorProgramKind>();
    let mut p = Planner::<educator_program::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, educator_program::Model::default());
        m.code = code;
        m.organization_id = by_code(
            &mut row,
            organizations,
            "organization",
            "educator organization",
        )
        .unwrap_or_default();
        m.name = row.required("name");
        m.kind = row.required_choice("kind", &kinds).to_owned();
        put!(row, m.description, "description", row.text("description"));
        put!(row, m.serves, "serves", row.text("serves"));
        put!(
            row,
            m.compensation,
            "compensation",
            row.text("compensation")
        );
        put!(
            row,
            m.meeting_cadence,
            "meeting_cadence",
            row.text("meeting_cadence")
        );
        put!(row, m.cohort_size, "cohort_size", row.int("cohort_size"));
        put!(
            row,
            m.registration_url,
            "registration_url",
            row.text("registration_url")
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
        put!(row, m.source, "source", row.text("source"));
        put!(row, m.sample, "sample", row.flag("sample", false));
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of an educator program sectors file: the links they give.
pub(super) fn plan_educator_program_sectors<'r>(
    table: &Table,
    programs: &Codes,
    sectors: &Codes,
    report: &'r mut ImportReport,
) -> Links<'r, educator_program_sector::Model> {
    let mut links = Links::new(report);
    for mut row in table.rows() {
        let program = by_code(&mut row, programs, "program", "educator program");
        let sector = by_code(&mut row, sectors, "sector", "industry sector");
        let key = program.zip(sector);
        let model = key.map(|(program_id, sector_id)| educator_program_sector::Model {
            id: 0,
            program_id,
            sector_id,
        });
        links.accept(&mut row, key, "sector", model);
    }
    links
}

/// The rows of an educator partnerships file mapped onto the stored records.
pub(super) fn plan_educator_partnerships(
    table: &Table,
    lk: &Lookups,
    programs: &Codes,
    stored: &HashMap<String, educator_partnership::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<educator_partnership::Entity>> {
    let mut p = Planner::<educator_partnership::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, educator_partnership::Model::default());
        m.code = code;
        m.program_id =
            by_code(&mut row, programs, "program", "educator program").unwrap_or_default();
        m.district_id = lk.district(&mut row, "district_cds").unwrap_or_default();
        put!(
            row,
            m.announced_on,
            "announced_on",
            row.date("announced_on")
        );
        put!(
            row,
            m.first_school_year,
            "first_school_year",
            row.text("first_school_year")
        );
        put!(
            row,
            m.last_school_year,
            "last_school_year",
            row.text("last_school_year")
        );
        put!(
            row,
            m.starts_wording,
            "starts_wording",
            row.text("starts_wording")
        );
        put!(
            row,
            m.funders,
            "funders",
            row.text("funders").map(|f| funders(&f)).unwrap_or_default()
        );
        put!(
            row,
            m.new_teachers_per_year,
            "new_teachers_per_year",
            row.int("new_teachers_per_year")
        );
        put!(
            row,
            m.mentors_per_year,
            "mentors_per_year",
            row.int("mentors_per_year")
        );
        put!(
            row,
            m.expected_students,
            "expected_students",
            row.int("expected_students")
        );
        put!(
            row,
            m.expected_students_wording,
            "expected_students_wording",
            row.text("expected_students_wording")
        );
        put!(row, m.notes, "notes", row.text("notes"));
        put!(row, m.source, "source", row.text("source"));
        put!(row, m.sample, "sample", row.flag("sample", false));
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// The rows of a teaching openings file mapped onto the stored records.
pub(super) fn plan_teaching_openings(
    table: &Table,
    lk: &Lookups,
    sectors: &Codes,
    refs: &OpeningRefs,
    stored: &HashMap<String, teaching_opening::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<teaching_opening::Entity>> {
    let mut p = Planner::<teaching_opening::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, teaching_opening::Model::default());
        m.code = code;
        m.district_id = lk.district(&mut row, "district_cds").unwrap_or_default();
        put!(
            row,
            m.school_id,
            "school_cds",
            lk.school(&mut row, "school_cds")
        );
        if let Some(school) = m.school_id {
            if refs.school_districts.get(&school) != Some(&m.district_id) {
                row.reject("school_cds", "the school is not in the opening's district");
            }
        }
        let sector = optional_code(&mut row, sectors, "sector", "industry sector");
        let pathway = lk.pathway(&mut row, "pathway");
        let pathway_sector = pathway.and_then(|p| refs.pathway_sectors.get(&p).copied());
        match (sector, pathway_sector) {
            (Some(s), Some(ps)) if s != ps => {
                row.reject("pathway", "the pathway is not in the sector given")
            }
            (_, Some(ps)) => m.sector_id = ps,
            (Some(s), None) => m.sector_id = s,
            (None, None) if row.text("sector").is_none() && pathway.is_none() => row.reject(
                "sector",
                "give the sector (or the pathway) the opening teaches",
            ),
            (None, None) => {}
        }
        m.pathway_id = pathway;
        m.title = row.required("title");
        put!(row, m.description, "description", row.text("description"));
        put!(
            row,
            m.credential_required,
            "credential_required",
            row.text("credential_required")
        );
        put!(row, m.apply_by, "apply_by", row.date("apply_by"));
        put!(row, m.apply_url, "apply_url", row.text("apply_url"));
        put!(row, m.source, "source", row.text("source"));
        put!(row, m.sample, "sample", row.flag("sample", false));
        p.accept(&mut row, key, "code", existing, m);
    }
    p.planned
}

/// A contact's natural key: the ROC/P, school or educator program it belongs to, its role
/// and label.
pub(super) type ContactKey = (
    Option<i32>,
    Option<i32>,
    Option<i32>,
    String,
    Option<String>,
);

/// The rows of a contacts file mapped onto the stored records.
pub(super) fn plan_contacts(
    table: &Table,
    lk: &Lookups,
    programs: &Codes,
    stored: &HashMap<ContactKey, contact::Model>,
    report: &mut ImportReport,
) -> Vec<Planned<contact::Entity>> {
    let roles = names::<ContactRole>();
    let mut p = Planner::<contact::Entity, _>::new(report);
    for mut row in table.rows() {
        let program = if row.text("program").is_some() {
            lk.program(&mut row, "program")
        } else {
            None
        };
        let school = lk.school(&mut row, "school_cds");
        let educator_program =
            optional_code(&mut row, programs, "educator_program", "educator program");
        let role = row.required_choice("role", &roles).to_owned();
        let label = row.text("label");
        let key = (
            program,
            school,
            educator_program,
            role.clone(),
            label.clone(),
        );
        let existing = stored.get(&key).cloned();
        let mut m = based_on!(existing, contact::Model::default());
        m.program_id = program;
        m.school_id = school;
        m.educator_program_id = educator_program;
        m.role = role;
        m.label = label;
        put!(row, m.phone, "phone", row.text("phone"));
        put!(row, m.email, "email", row.text("email"));
        put!(row, m.url, "url", row.text("url"));
        put!(row, m.source, "source", row.text("source"));
        put!(row, m.sample, "sample", row.flag("sample", false));
        p.accept(&mut row, Some(key), "role", existing, m);
    }
    p.planned
}

/// Imports one educator kind: reads what the rows refer to, plans them, writes the plan.
pub async fn import(
    writer: &Writer,
    kind: ImportKind,
    table: &Table,
    lk: &mut Lookups,
    report: &mut ImportReport,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let db = writer.txn();
    match kind {
        ImportKind::EducatorOrganizations => {
            let stored =
                by_stored_code::<educator_organization::Entity, _>(db, |m| &m.code).await?;
            let planned = plan_educator_organizations(table, lk, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::EducatorPrograms => {
            let organizations = Codes::load::<educator_organization::Entity>(db, "code").await?;
            let stored = by_stored_code::<educator_program::Entity, _>(db, |m| &m.code).await?;
            let planned = plan_educator_programs(table, &organizations, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::EducatorProgramSectors => {
            let programs = Codes::load::<educator_program::Entity>(db, "code").await?;
            let sectors = Codes::load::<industry_sector::Entity>(db, "code").await?;
            let stored: HashSet<(i32, i32)> = educator_program_sector::Entity::find()
                .all(db)
                .await
                .map_err(ApiError::from)?
                .into_iter()
                .map(|m| (m.program_id, m.sector_id))
                .collect();
            plan_educator_program_sectors(table, &programs, &sectors, report)
                .write::<educator_program_sector::Entity>(writer, &stored, progress)
                .await?;
        }
        ImportKind::EducatorPartnerships => {
            let programs = Codes::load::<educator_program::Entity>(db, "code").await?;
            let stored = by_stored_code::<educator_partnership::Entity, _>(db, |m| &m.code).await?;
            let planned = plan_educator_partnerships(table, lk, &programs, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::TeachingOpenings => {
            let sectors = Codes::load::<industry_sector::Entity>(db, "code").await?;
            let refs = OpeningRefs {
                pathway_sectors: entity::pathway::Entity::find()
                    .all(db)
                    .await
                    .map_err(ApiError::from)?
                    .into_iter()
                    .map(|p| (p.id, p.sector_id))
                    .collect(),
                school_districts: entity::school::Entity::find()
                    .all(db)
                    .await
                    .map_err(ApiError::from)?
                    .into_iter()
                    .map(|s| (s.id, s.district_id))
                    .collect(),
            };
            let stored = by_stored_code::<teaching_opening::Entity, _>(db, |m| &m.code).await?;
            let planned = plan_teaching_openings(table, lk, &sectors, &refs, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        ImportKind::Contacts => {
            let programs = Codes::load::<educator_program::Entity>(db, "code").await?;
            let stored: HashMap<ContactKey, contact::Model> = plan::stored::<contact::Entity>(db)
                .await?
                .into_iter()
                .map(|m| {
                    let key = (
                        m.program_id,
                        m.school_id,
                        m.educator_program_id,
                        m.role.clone(),
                        m.label.clone(),
                    );
                    (key, m)
                })
                .collect();
            let planned = plan_contacts(table, lk, &programs, &stored, report);
            plan::write(writer, planned, report, progress).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The stored records of `E` by their code, exactly as stored (codes match exactly).
async fn by_stored_code<E, F>(
    db: &impl sea_orm::ConnectionTrait,
    code: F,
) -> Result<HashMap<String, E::Model>, ImportError>
where
    E: crate::changes::Record,
    F: Fn(&E::Model) -> &String,
{
    Ok(plan::stored::<E>(db)
        .await?
        .into_iter()
        .map(|m| (code(&m).clone(), m))
        .collect())
}

/// The id of the record whose code the row gives in `column`, when given.
fn optional_code(row: &mut Row<'_>, codes: &Codes, column: &str, what: &str) -> Option<i32> {
    row.text(column)?;
    by_code(row, codes, column, what)
}

/// `a; b` → `a;b`: funders are `;`-separated (a funder's name may hold a comma).
fn funders(raw: &str) -> String {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}
