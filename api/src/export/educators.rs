//! The educator sections of the JSON export, in their import layouts.

use std::collections::HashMap;

use entity::{
    contact, educator_organization, educator_partnership, educator_program,
    educator_program_sector, industry_sector, teaching_opening,
};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{json, Value};

use super::{day, live, row, text, Codes};
use crate::{error::ApiResult, import::ImportKind};

/// Every educator section: (kind, rows).
pub(super) async fn sections(
    db: &impl ConnectionTrait,
    c: &Codes,
) -> ApiResult<Vec<(ImportKind, Vec<Value>)>> {
    let organizations: HashMap<i32, String> = educator_organization::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let programs: HashMap<i32, String> = educator_program::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let mut out = Vec::new();

    let mut rows = Vec::new();
    for m in live::<educator_organization::Entity>(db).await? {
        rows.push(row(
            ImportKind::EducatorOrganizations,
            vec![
                json!(m.code),
                json!(m.name),
                json!(m.kind),
                text(&m.description),
                json!(m.founded_year),
                text(&m.website),
                text(&m.city),
                Codes::opt(&c.districts, m.district_id)?,
                json!(m.professionals_recruited),
                json!(m.students_reached),
                json!(m.partner_schools),
                text(&m.counts_wording),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    out.push((ImportKind::EducatorOrganizations, rows));

    let live_programs = live::<educator_program::Entity>(db).await?;
    let mut rows = Vec::new();
    for m in &live_programs {
        rows.push(row(
            ImportKind::EducatorPrograms,
            vec![
                json!(m.code),
                Codes::get(&organizations, m.organization_id)?,
                json!(m.name),
                json!(m.kind),
                text(&m.description),
                text(&m.serves),
                text(&m.compensation),
                text(&m.meeting_cadence),
                json!(m.cohort_size),
                text(&m.registration_url),
                day(m.enrollment_opens_on),
                day(m.enrollment_closes_on),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    out.push((ImportKind::EducatorPrograms, rows));

    // Links between live records only (what an import can resolve again).
    let live_codes: HashMap<i32, &str> = live_programs
        .iter()
        .map(|m| (m.id, m.code.as_str()))
        .collect();
    let sectors: HashMap<i32, String> = live::<industry_sector::Entity>(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let mut rows = Vec::new();
    for m in educator_program_sector::Entity::find().all(db).await? {
        let (Some(program), Some(sector)) =
            (live_codes.get(&m.program_id), sectors.get(&m.sector_id))
        else {
            continue;
        };
        rows.push(row(
            ImportKind::EducatorProgramSectors,
            vec![json!(program), json!(sector)],
        ));
    }
    out.push((ImportKind::EducatorProgramSectors, rows));

    let mut rows = Vec::new();
    for m in live::<educator_partnership::Entity>(db).await? {
        rows.push(row(
            ImportKind::EducatorPartnerships,
            vec![
                json!(m.code),
                Codes::get(&programs, m.program_id)?,
                Codes::get(&c.districts, m.district_id)?,
                day(m.announced_on),
                text(&m.first_school_year),
                text(&m.last_school_year),
                text(&m.starts_wording),
                if m.funders.is_empty() {
                    Value::Null
                } else {
                    json!(m.funders)
                },
                json!(m.new_teachers_per_year),
                json!(m.mentors_per_year),
                json!(m.expected_students),
                text(&m.expected_students_wording),
                text(&m.notes),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    out.push((ImportKind::EducatorPartnerships, rows));

    let mut rows = Vec::new();
    for m in live::<teaching_opening::Entity>(db).await? {
        rows.push(row(
            ImportKind::TeachingOpenings,
            vec![
                json!(m.code),
                Codes::get(&c.districts, m.district_id)?,
                Codes::opt(&c.schools, m.school_id)?,
                Codes::get(&sectors, m.sector_id)?,
                Codes::opt(&c.pathways, m.pathway_id)?,
                json!(m.title),
                text(&m.description),
                text(&m.credential_required),
                day(m.apply_by),
                text(&m.apply_url),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    out.push((ImportKind::TeachingOpenings, rows));

    let mut rows = Vec::new();
    for m in live::<contact::Entity>(db).await? {
        rows.push(row(
            ImportKind::Contacts,
            vec![
                Codes::opt(&c.programs, m.program_id)?,
                Codes::opt(&c.schools, m.school_id)?,
                Codes::opt(&programs, m.educator_program_id)?,
                json!(m.role),
                text(&m.label),
                text(&m.phone),
                text(&m.email),
                text(&m.url),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    out.push((ImportKind::Contacts, rows));
    Ok(out)
}
