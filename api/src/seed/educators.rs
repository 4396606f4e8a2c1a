//! Seeds educator organisations, programs (with their sectors), district
//! partnerships, teaching openings and contacts: the sourced facts of
//! `data/educators.json`, and the illustrative ones of the sample catalogue's
//! `educators` section. Only missing codes are inserted.

use chrono::{NaiveDate, Utc};
use entity::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Deserialize;

use super::{is_sample, keys, non_empty, resolve, SeedError, SeedReport};

/// The educators seed layout.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EducatorSeed {
    #[serde(default)]
    pub organizations: Vec<OrganizationRow>,
    #[serde(default)]
    pub programs: Vec<ProgramRow>,
    #[serde(default)]
    pub partnerships: Vec<PartnershipRow>,
    #[serde(default)]
    pub teaching_openings: Vec<OpeningRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub founded_year: Option<i32>,
    pub website: Option<String>,
    pub city: Option<String>,
    pub professionals_recruited: Option<i32>,
    pub students_reached: Option<i32>,
    pub partner_schools: Option<i32>,
    pub counts_wording: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramRow {
    pub code: String,
    pub organization_code: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub serves: Option<String>,
    pub compensation: Option<String>,
    pub meeting_cadence: Option<String>,
    pub cohort_size: Option<i32>,
    #[serde(default)]
    pub sector_codes: Vec<String>,
    pub registration_url: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnershipRow {
    pub code: String,
    pub program_code: String,
    pub district_cds_code: String,
    pub announced_on: Option<NaiveDate>,
    pub first_school_year: Option<String>,
    pub last_school_year: Option<String>,
    pub starts_wording: Option<String>,
    #[serde(default)]
    pub funders: Vec<String>,
    pub new_teachers_per_year: Option<i32>,
    pub mentors_per_year: Option<i32>,
    pub expected_students: Option<i32>,
    pub expected_students_wording: Option<String>,
    pub notes: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpeningRow {
    pub code: String,
    pub district_cds_code: String,
    pub school_cds_code: Option<String>,
    pub sector_code: String,
    pub pathway_code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub credential_required: Option<String>,
    pub apply_by: Option<NaiveDate>,
    pub apply_url: Option<String>,
    pub source: Option<String>,
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

/// Inserts the rows of `seed` whose code is missing; `file` names the seed file in errors.
pub async fn seed<C: ConnectionTrait>(
    txn: &C,
    seed: EducatorSeed,
    file: &'static str,
) -> Result<SeedReport, SeedError> {
    let now = Utc::now();
    let mut report = SeedReport::default();
    let district_ids = keys::<district::Entity, _>(txn, district::Column::Code).await?;
    let school_ids = keys::<school::Entity, _>(txn, school::Column::Code).await?;
    let sector_ids = keys::<industry_sector::Entity, _>(txn, industry_sector::Column::Code).await?;
    let pathway_ids = keys::<pathway::Entity, _>(txn, pathway::Column::Code).await?;

    let mut organization_ids =
        keys::<educator_organization::Entity, _>(txn, educator_organization::Column::Code).await?;
    for row in seed.organizations {
        if organization_ids.contains_key(&row.code) {
            continue;
        }
        let res = educator_organization::Entity::insert(educator_organization::ActiveModel {
            code: Set(row.code.clone()),
            name: Set(row.name),
            kind: Set(row.kind),
            description: Set(non_empty(row.description)),
            founded_year: Set(row.founded_year),
            website: Set(non_empty(row.website)),
            city: Set(non_empty(row.city)),
            professionals_recruited: Set(row.professionals_recruited),
            students_reached: Set(row.students_reached),
            partner_schools: Set(row.partner_schools),
            counts_wording: Set(non_empty(row.counts_wording)),
            sample: Set(is_sample(&row.source)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        organization_ids.insert(row.code, res.last_insert_id);
        report.inserted += 1;
    }

    let mut program_ids =
        keys::<educator_program::Entity, _>(txn, educator_program::Column::Code).await?;
    for row in seed.programs {
        if program_ids.contains_key(&row.code) {
            continue;
        }
        let organization_id = resolve(
            &organization_ids,
            &row.organization_code,
            file,
            &row.code,
            "educator organization",
        )?;
        let res = educator_program::Entity::insert(educator_program::ActiveModel {
            code: Set(row.code.clone()),
            organization_id: Set(organization_id),
            name: Set(row.name),
            kind: Set(row.kind),
            description: Set(non_empty(row.description)),
            serves: Set(non_empty(row.serves)),
            compensation: Set(non_empty(row.compensation)),
            meeting_cadence: Set(non_empty(row.meeting_cadence)),
            cohort_size: Set(row.cohort_size),
            registration_url: Set(non_empty(row.registration_url)),
            sample: Set(is_sample(&row.source)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        for sector_code in &row.sector_codes {
            let sector_id = resolve(&sector_ids, sector_code, file, &row.code, "sector")?;
            educator_program_sector::Entity::insert(educator_program_sector::ActiveModel {
                program_id: Set(res.last_insert_id),
                sector_id: Set(sector_id),
                ..Default::default()
            })
            .exec(txn)
            .await?;
        }
        program_ids.insert(row.code, res.last_insert_id);
        report.inserted += 1;
    }

    let existing =
        keys::<educator_partnership::Entity, _>(txn, educator_partnership::Column::Code).await?;
    for row in seed
        .partnerships
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        let program_id = resolve(
            &program_ids,
            &row.program_code,
            file,
            &row.code,
            "educator program",
        )?;
        let district_id = resolve(
            &district_ids,
            &row.district_cds_code,
            file,
            &row.code,
            "district",
        )?;
        educator_partnership::Entity::insert(educator_partnership::ActiveModel {
            code: Set(row.code),
            program_id: Set(program_id),
            district_id: Set(district_id),
            announced_on: Set(row.announced_on),
            first_school_year: Set(non_empty(row.first_school_year)),
            last_school_year: Set(non_empty(row.last_school_year)),
            starts_wording: Set(non_empty(row.starts_wording)),
            funders: Set(row.funders.join(";")),
            new_teachers_per_year: Set(row.new_teachers_per_year),
            mentors_per_year: Set(row.mentors_per_year),
            expected_students: Set(row.expected_students),
            expected_students_wording: Set(non_empty(row.expected_students_wording)),
            notes: Set(non_empty(row.notes)),
            sample: Set(is_sample(&row.source)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        report.inserted += 1;
    }

    let existing = keys::<teaching_opening::Entity, _>(txn, teaching_opening::Column::Code).await?;
    for row in seed
        .teaching_openings
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        let district_id = resolve(
            &district_ids,
            &row.district_cds_code,
            file,
            &row.code,
            "district",
        )?;
        let school_id = match &row.school_cds_code {
            Some(cds) => Some(resolve(&school_ids, cds, file, &row.code, "school")?),
            None => None,
        };
        let sector_id = resolve(&sector_ids, &row.sector_code, file, &row.code, "sector")?;
        let pathway_id = match &row.pathway_code {
            Some(code) => Some(resolve(&pathway_ids, code, file, &row.code, "pathway")?),
            None => None,
        };
        teaching_opening::Entity::insert(teaching_opening::ActiveModel {
            code: Set(row.code),
            district_id: Set(district_id),
            school_id: Set(school_id),
            sector_id: Set(sector_id),
            pathway_id: Set(pathway_id),
            title: Set(row.title),
            description: Set(non_empty(row.description)),
            credential_required: Set(non_empty(row.credential_required)),
            apply_by: Set(row.apply_by),
            apply_url: Set(non_empty(row.apply_url)),
            sample: Set(is_sample(&row.source)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        report.inserted += 1;
    }
    Ok(report)
}
