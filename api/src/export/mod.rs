//! The whole catalogue out again: as JSON in the import layouts (re-importable:
//! export → import into a database with only the reference records → export
//! gives the same file), and as CTDL JSON-LD for Credential Engine ([`ctdl`]).
//!
//! Rows carry natural keys (program, course and term codes, CDS codes), never
//! database ids or timestamps, and are sorted, so the same catalogue always
//! gives the same bytes.

pub mod ctdl;
mod educators;

use std::collections::HashMap;

use entity::{
    articulation, certification, college, course, course_certification, course_offering,
    course_prerequisite, district, district_fact, dual_enrollment_agreement, funding_program,
    industry_partner, industry_partner_sector, industry_partnership, industry_sector,
    jpa_membership, opportunity, pathway, program_site, regional_program, school, school_pathway,
    school_pathway_course, term,
};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{json, Map, Value};

use crate::{
    error::{ApiError, ApiResult},
    import::{catalog::layout, ImportKind},
};

/// The `format` of an export document, defined beside the layout it names.
pub use crate::import::catalog::FORMAT;

/// Codes by id, to write rows with natural keys.
struct Codes {
    programs: HashMap<i32, String>,
    pathways: HashMap<i32, String>,
    districts: HashMap<i32, String>,
    schools: HashMap<i32, String>,
    colleges: HashMap<i32, String>,
    partners: HashMap<i32, String>,
    agreements: HashMap<i32, String>,
    terms: HashMap<i32, String>,
    sites: HashMap<i32, String>,
    courses: HashMap<i32, (i32, String)>,
}

async fn live<E: EntityTrait>(db: &impl ConnectionTrait) -> ApiResult<Vec<E::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let deleted = crate::changes::write::column::<E>("deleted_at")?;
    Ok(E::find().filter(deleted.is_null()).all(db).await?)
}

macro_rules! codes {
    ($db:expr, $entity:ident, |$m:ident| $value:expr) => {
        $entity::Entity::find()
            .all($db)
            .await?
            .into_iter()
            .map(|$m| ($m.id, $value))
            .collect::<HashMap<_, _>>()
    };
}

impl Codes {
    async fn load(db: &impl ConnectionTrait) -> ApiResult<Codes> {
        Ok(Codes {
            programs: codes!(db, regional_program, |m| m.code),
            pathways: codes!(db, pathway, |m| m.code),
            districts: codes!(db, district, |m| m.cds_code),
            schools: codes!(db, school, |m| m.cds_code),
            colleges: codes!(db, college, |m| m.code),
            partners: codes!(db, industry_partner, |m| m.code),
            agreements: codes!(db, dual_enrollment_agreement, |m| m.code),
            terms: codes!(db, term, |m| m.code),
            sites: codes!(db, program_site, |m| m.code),
            courses: course::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .filter_map(|m| Some((m.id, (m.program_id?, m.code))))
                .collect(),
        })
    }

    fn get(map: &HashMap<i32, String>, id: i32) -> ApiResult<Value> {
        map.get(&id)
            .map(|c| Value::String(c.clone()))
            .ok_or_else(|| ApiError::Internal(format!("export: dangling reference {id}")))
    }

    fn opt(map: &HashMap<i32, String>, id: Option<i32>) -> ApiResult<Value> {
        id.map_or(Ok(Value::Null), |id| Self::get(map, id))
    }

    fn course(&self, id: i32) -> ApiResult<(Value, Value)> {
        let (program, code) = self
            .courses
            .get(&id)
            .ok_or_else(|| ApiError::Internal(format!("export: dangling course {id}")))?;
        Ok((
            Self::get(&self.programs, *program)?,
            Value::String(code.clone()),
        ))
    }
}

fn text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::String)
}

fn day(value: Option<chrono::NaiveDate>) -> Value {
    value.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn list(value: &str) -> Value {
    if value.is_empty() {
        Value::Null
    } else {
        Value::String(value.replace(',', ";"))
    }
}

/// One row in the column order of `kind`'s layout.
fn row(kind: ImportKind, values: Vec<Value>) -> Value {
    let columns = layout(kind);
    debug_assert_eq!(columns.len(), values.len(), "{}", kind.name());
    Value::Object(
        columns
            .iter()
            .zip(values)
            .map(|(c, v)| (c.name.to_owned(), v))
            .collect::<Map<_, _>>(),
    )
}

/// The whole catalogue as one JSON document, every section in its import layout.
pub async fn catalog_json(db: &impl ConnectionTrait) -> ApiResult<Value> {
    let c = Codes::load(db).await?;
    let mut document = Map::new();
    document.insert("format".into(), json!(FORMAT));
    let mut section = |kind: ImportKind, mut rows: Vec<Value>| {
        rows.sort_by_cached_key(|r| r.to_string());
        document.insert(kind.name().to_owned(), Value::Array(rows));
    };

    let mut rows = Vec::new();
    for m in live::<term::Entity>(db).await? {
        rows.push(row(
            ImportKind::Terms,
            vec![
                Codes::get(&c.programs, m.program_id)?,
                json!(m.code),
                json!(m.name),
                json!(m.starts_on.to_string()),
                json!(m.ends_on.to_string()),
                json!(m.kind),
                json!(m.transportation_available),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Terms, rows);

    let mut rows = Vec::new();
    for m in live::<program_site::Entity>(db).await? {
        rows.push(row(
            ImportKind::Sites,
            vec![
                Codes::get(&c.programs, m.program_id)?,
                json!(m.code),
                json!(m.name),
                json!(m.kind),
                Codes::opt(&c.schools, m.school_id)?,
                text(&m.address),
                text(&m.city),
                json!(m.lat),
                json!(m.lng),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Sites, rows);

    // The course layout is a ROC/P's catalogue; a district's own courses are not in it yet.
    let mut rows = Vec::new();
    for m in live::<course::Entity>(db).await? {
        let Some(program_id) = m.program_id else {
            continue;
        };
        rows.push(row(
            ImportKind::Courses,
            vec![
                Codes::get(&c.programs, program_id)?,
                json!(m.code),
                json!(m.title),
                json!(m.level),
                Codes::opt(&c.pathways, m.pathway_id)?,
                text(&m.state_course_code),
                text(&m.description),
                text(&m.catalog_school),
                json!(m.hours),
                json!(m.high_school_credits),
                text(&m.ag_area),
                json!(m.uc_approved_year),
                json!(m.honors),
                json!(m.min_grade),
                json!(m.min_age),
                text(&m.ctso),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Courses, rows);

    // Links: only those between live records (what an import can resolve again).
    let live_courses: HashMap<i32, (i32, String)> = live::<course::Entity>(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.id, (m.program_id?, m.code))))
        .collect();
    let live_course = |id: i32| -> ApiResult<Option<(Value, Value)>> {
        match live_courses.get(&id) {
            Some((program, code)) => Ok(Some((
                Codes::get(&c.programs, *program)?,
                Value::String(code.clone()),
            ))),
            None => Ok(None),
        }
    };
    let certifications: HashMap<i32, String> = live::<certification::Entity>(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let mut rows = Vec::new();
    for m in course_certification::Entity::find().all(db).await? {
        let (Some((program, course)), Some(cert)) = (
            live_course(m.course_id)?,
            certifications.get(&m.certification_id),
        ) else {
            continue;
        };
        rows.push(row(
            ImportKind::CourseCertifications,
            vec![program, course, json!(cert)],
        ));
    }
    section(ImportKind::CourseCertifications, rows);

    let mut rows = Vec::new();
    for m in course_prerequisite::Entity::find().all(db).await? {
        let (Some((program, course)), Some((first_program, first))) =
            (live_course(m.course_id)?, live_course(m.prerequisite_id)?)
        else {
            continue;
        };
        rows.push(row(
            ImportKind::CoursePrerequisites,
            vec![program, course, first_program, first],
        ));
    }
    section(ImportKind::CoursePrerequisites, rows);

    let mut rows = Vec::new();
    for m in live::<course_offering::Entity>(db).await? {
        let (program, course) = c.course(m.course_id)?;
        rows.push(row(
            ImportKind::Offerings,
            vec![
                program,
                course,
                Codes::get(&c.terms, m.term_id)?,
                json!(m.section),
                Codes::opt(&c.sites, m.site_id)?,
                json!(m.schedule),
                m.meeting_days.as_deref().map_or(Value::Null, list),
                text(&m.start_time),
                text(&m.end_time),
                json!(m.modality),
                json!(m.capacity),
                json!(m.seats_available),
                json!(m.status),
                json!(m.transportation_provided),
                json!(m.tuition_cents),
                json!(m.materials_fee_cents),
                text(&m.instructor_name),
                day(m.enrollment_opens_on),
                day(m.enrollment_closes_on),
                text(&m.registration_url),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Offerings, rows);

    let mut rows = Vec::new();
    for m in live::<jpa_membership::Entity>(db).await? {
        rows.push(row(
            ImportKind::Memberships,
            vec![
                Codes::get(&c.programs, m.program_id)?,
                Codes::get(&c.districts, m.district_id)?,
                json!(m.joined_on.to_string()),
                json!(m.joined_on_precision),
                day(m.withdrawn_on),
                json!(m.covers_tuition),
                json!(m.covers_materials),
                json!(m.covers_transportation),
                text(&m.notes),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Memberships, rows);

    let mut rows = Vec::new();
    for m in live::<dual_enrollment_agreement::Entity>(db).await? {
        rows.push(row(
            ImportKind::Agreements,
            vec![
                json!(m.code),
                json!(m.name),
                Codes::get(&c.colleges, m.college_id)?,
                Codes::opt(&c.districts, m.district_id)?,
                Codes::opt(&c.programs, m.program_id)?,
                json!(m.kind),
                day(m.approved_on),
                day(m.starts_on),
                day(m.ends_on),
                text(&m.url),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Agreements, rows);

    let mut rows = Vec::new();
    for m in live::<articulation::Entity>(db).await? {
        let (program, course) = c.course(m.course_id)?;
        rows.push(row(
            ImportKind::Articulations,
            vec![
                program,
                course,
                Codes::get(&c.colleges, m.college_id)?,
                json!(m.college_course_code),
                json!(m.kind),
                text(&m.college_course_title),
                json!(m.units),
                Codes::opt(&c.agreements, m.agreement_id)?,
                text(&m.valid_from),
                text(&m.valid_to),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Articulations, rows);

    let mut rows = Vec::new();
    for m in live::<industry_partner::Entity>(db).await? {
        rows.push(row(
            ImportKind::Partners,
            vec![
                json!(m.code),
                json!(m.name),
                text(&m.website),
                text(&m.naics_code),
                text(&m.description),
                text(&m.contact_email),
                text(&m.contact_phone),
                text(&m.city),
                json!(m.lat),
                json!(m.lng),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Partners, rows);

    let live_partners: HashMap<i32, String> = live::<industry_partner::Entity>(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let sectors: HashMap<i32, String> = live::<industry_sector::Entity>(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let mut rows = Vec::new();
    for m in industry_partner_sector::Entity::find().all(db).await? {
        let (Some(partner), Some(sector)) =
            (live_partners.get(&m.partner_id), sectors.get(&m.sector_id))
        else {
            continue;
        };
        rows.push(row(
            ImportKind::PartnerSectors,
            vec![json!(partner), json!(sector)],
        ));
    }
    section(ImportKind::PartnerSectors, rows);

    let mut rows = Vec::new();
    for m in live::<industry_partnership::Entity>(db).await? {
        let course = match m.course_id {
            Some(id) => c.course(id)?.1,
            None => Value::Null,
        };
        rows.push(row(
            ImportKind::Partnerships,
            vec![
                Codes::get(&c.partners, m.partner_id)?,
                Codes::get(&c.pathways, m.pathway_id)?,
                Codes::opt(&c.programs, m.program_id)?,
                course,
                list(&m.kinds),
                day(m.started_on),
                text(&m.notes),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Partnerships, rows);

    let mut rows = Vec::new();
    for m in live::<opportunity::Entity>(db).await? {
        rows.push(row(
            ImportKind::Opportunities,
            vec![
                json!(m.code),
                Codes::get(&c.partners, m.partner_id)?,
                Codes::opt(&c.pathways, m.pathway_id)?,
                json!(m.kind),
                text(&m.wbl_type_code),
                json!(m.title),
                text(&m.description),
                json!(m.paid),
                json!(m.hourly_wage_cents),
                json!(m.hours),
                json!(m.min_grade),
                json!(m.min_age),
                list(&m.clearances),
                json!(m.seats),
                day(m.starts_on),
                day(m.apply_by),
                text(&m.apply_url),
                text(&m.location_name),
                text(&m.city),
                json!(m.lat),
                json!(m.lng),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::Opportunities, rows);

    let district_courses: Vec<course::Model> = live::<course::Entity>(db)
        .await?
        .into_iter()
        .filter(|m| m.program_id.is_none())
        .collect();
    let mut rows = Vec::new();
    for m in &district_courses {
        let Some(district_id) = m.district_id else {
            continue;
        };
        rows.push(row(
            ImportKind::DistrictCourses,
            vec![
                Codes::get(&c.districts, district_id)?,
                json!(m.code),
                Codes::opt(&c.schools, m.school_id)?,
                json!(m.title),
                json!(m.level),
                Codes::opt(&c.pathways, m.pathway_id)?,
                text(&m.state_course_code),
                text(&m.description),
                json!(m.hours),
                json!(m.high_school_credits),
                text(&m.ag_area),
                json!(m.uc_approved_year),
                json!(m.honors),
                json!(m.min_grade),
                json!(m.min_age),
                text(&m.ctso),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::DistrictCourses, rows);

    let funding_codes: HashMap<i32, String> = funding_program::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let live_programs_of_study: HashMap<i32, String> = live::<school_pathway::Entity>(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.code))
        .collect();
    let mut rows = Vec::new();
    for m in live::<school_pathway::Entity>(db).await? {
        rows.push(row(
            ImportKind::SchoolPathways,
            vec![
                json!(m.code),
                Codes::get(&c.districts, m.district_id)?,
                Codes::opt(&c.schools, m.school_id)?,
                Codes::opt(&c.pathways, m.pathway_id)?,
                json!(m.pathway_inferred),
                json!(m.local_name),
                text(&m.description),
                list(&m.earns),
                Codes::opt(&c.agreements, m.credit_agreement_id)?,
                list(&m.schedules),
                text(&m.ctso),
                json!(m.grade_low),
                json!(m.grade_high),
                json!(m.academy),
                Codes::opt(&funding_codes, m.academy_funding_program_id)?,
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::SchoolPathways, rows);

    // A course of a live program of study, named by its ROC/P or its district.
    let owners: HashMap<i32, (Value, Value, Value)> = live::<course::Entity>(db)
        .await?
        .into_iter()
        .filter_map(|m| {
            let owner = match (m.program_id, m.district_id) {
                (Some(p), _) => (c.programs.get(&p).map(|v| json!(v))?, Value::Null),
                (None, Some(d)) => (Value::Null, c.districts.get(&d).map(|v| json!(v))?),
                (None, None) => return None,
            };
            Some((m.id, (owner.0, owner.1, json!(m.code))))
        })
        .collect();
    let mut rows = Vec::new();
    for m in school_pathway_course::Entity::find().all(db).await? {
        let (Some(program_of_study), Some((program, district, course))) = (
            live_programs_of_study.get(&m.school_pathway_id),
            owners.get(&m.course_id),
        ) else {
            continue;
        };
        rows.push(row(
            ImportKind::SchoolPathwayCourses,
            vec![
                json!(program_of_study),
                program.clone(),
                district.clone(),
                course.clone(),
                json!(m.feeder),
            ],
        ));
    }
    section(ImportKind::SchoolPathwayCourses, rows);

    let mut rows = Vec::new();
    for m in live::<district_fact::Entity>(db).await? {
        rows.push(row(
            ImportKind::DistrictFacts,
            vec![
                json!(m.code),
                Codes::get(&c.districts, m.district_id)?,
                json!(m.kind),
                json!(m.count),
                json!(m.out_of),
                json!(m.statement),
                text(&m.source),
                json!(m.sample),
            ],
        ));
    }
    section(ImportKind::DistrictFacts, rows);
    for (kind, rows) in educators::sections(db, &c).await? {
        section(kind, rows);
    }

    Ok(Value::Object(document))
}
