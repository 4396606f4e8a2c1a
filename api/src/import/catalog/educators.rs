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
    by_code,
    mapping::Scalars,
    plan::{self, Planned},
    Links, Planner,
};
use crate::vocabulary::Stored;
use crate::{
    catalog::educators::fields,
    changes::Writer,
    error::ApiError,
    import::{
        lookup::Lookups,
        report::{ImportReport, Progress},
        table::{Row, Table},
        ImportError, ImportKind,
    },
    resolve::Codes,
    vocabulary::ContactRole,
};

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
    let scalars = Scalars::of(&fields::EDUCATOR_ORGANIZATIONS);
    let mut p = Planner::<educator_organization::Entity, _>::new(report);
    for mut row in table.rows() {
        let code = row.required("code");
        let key = Some(code.clone());
        let existing = key.as_ref().and_then(|k| stored.get(k)).cloned();
        let mut m = based_on!(existing, educator_organization::Model::default());
        m.code = code;
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
        scalars.apply(&mut row, &mut m);
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
    let scalars = Scalars::of(&fields::EDUCATOR_PROGRAMS);
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
        scalars.apply(&mut row, &mut m);
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
    let scalars = Scalars::of(&fields::EDUCATOR_PARTNERSHIPS);
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
        scalars.apply(&mut row, &mut m);
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
    let scalars = Scalars::of(&fields::TEACHING_OPENINGS);
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
        scalars.apply(&mut row, &mut m);
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
    let roles = ContactRole::stored_names();
    let scalars = Scalars::of(&fields::CONTACTS);
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
        scalars.apply(&mut row, &mut m);
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
