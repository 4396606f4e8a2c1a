//! Seeding: the real reference data (sectors, pathways, districts, ROC/Ps,
//! memberships, colleges, ...) and an illustrative sample catalogue.
//!
//! Seeding only inserts records whose natural key is missing, inside one
//! transaction: running it twice changes nothing, and it never overwrites what
//! a partner has since edited.

mod educators;
mod files;
pub mod synthetic;

pub use synthetic::synthetic;

use std::{collections::HashMap, str::FromStr};

use chrono::Utc;
use entity::*;
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QuerySelect,
    TransactionTrait,
};
use serde::de::DeserializeOwned;

use crate::auth::{Caller, Principal, Role};
use crate::catalog::eligibility::rules::DatePrecision;
use crate::codes::plain_name;
use crate::import::{self, Format, ImportKind, ImportRequest};
use crate::vocabulary::Stored;

/// Why seeding failed; nothing was written when it did.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed file {file} is malformed: {message}")]
    Malformed { file: &'static str, message: String },
    #[error("seed file {file}: {record} refers to unknown {what} '{key}'")]
    UnknownReference {
        file: &'static str,
        record: String,
        what: &'static str,
        key: String,
    },
    #[error("synthetic scale must be more than 0 and at most 10, got {0}")]
    Scale(f64),
    #[error("database error while seeding")]
    Database(#[from] DbErr),
}

/// How many records a seed run inserted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub inserted: u64,
}

/// True when the database has no sectors yet, i.e. was never seeded.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(industry_sector::Entity::find().count(db).await? == 0)
}

fn json<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<T, SeedError> {
    serde_json::from_str(text).map_err(|e| SeedError::Malformed {
        file,
        message: e.to_string(),
    })
}

fn csv_rows<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<Vec<T>, SeedError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| SeedError::Malformed {
            file,
            message: e.to_string(),
        })
}

/// The sample catalogue marks its illustrative rows by starting `source` with "Sample data:";
/// the few real rows in it (e.g. Honda PACT) are stored as real.
fn is_sample(source: &Option<String>) -> bool {
    source
        .as_deref()
        .is_some_and(|s| s.trim_start().starts_with("Sample data:"))
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Looks `key` up in `map` or reports which record referred to what.
fn resolve(
    map: &HashMap<String, i32>,
    key: &str,
    file: &'static str,
    record: &str,
    what: &'static str,
) -> Result<i32, SeedError> {
    map.get(key)
        .copied()
        .ok_or_else(|| SeedError::UnknownReference {
            file,
            record: record.to_owned(),
            what,
            key: key.to_owned(),
        })
}

/// `id` by natural key for one table, read in one statement.
async fn keys<E, C>(db: &C, key: E::Column) -> Result<HashMap<String, i32>, DbErr>
where
    E: EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    let id = E::Column::from_str("id").map_err(|_| DbErr::Custom("table without id".into()))?;
    let rows: Vec<(i32, String)> = E::find()
        .select_only()
        .column(id)
        .column(key)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, k)| (k, id)).collect())
}

/// `id` by (parent id, code) for tables whose codes are unique per program.
async fn scoped_keys<E, C>(
    db: &C,
    parent: E::Column,
    key: E::Column,
) -> Result<HashMap<String, i32>, DbErr>
where
    E: EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    let id = E::Column::from_str("id").map_err(|_| DbErr::Custom("table without id".into()))?;
    let rows: Vec<(i32, Option<i32>, String)> = E::find()
        .select_only()
        .column(id)
        .column(parent)
        .column(key)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, p, k)| Some((scoped(p?, &k), id)))
        .collect())
}

fn scoped(parent: i32, code: &str) -> String {
    format!("{parent}/{code}")
}

/// Seeds the real reference data.
pub async fn reference(db: &DatabaseConnection) -> Result<SeedReport, SeedError> {
    let sectors: Vec<files::SectorRow> = csv_rows("data/sectors.csv", files::SECTORS_CSV)?;
    let pathways: Vec<files::PathwayRow> = csv_rows("data/pathways.csv", files::PATHWAYS_CSV)?;
    let reference: files::Reference = json("data/reference.json", files::REFERENCE_JSON)?;
    let orgs: files::Organisations = json("data/organisations.json", files::ORGANISATIONS_JSON)?;
    let now = Utc::now();
    let mut report = SeedReport::default();
    let txn = db.begin().await?;

    let mut sector_ids =
        keys::<industry_sector::Entity, _>(&txn, industry_sector::Column::Code).await?;
    for (i, row) in sectors.into_iter().enumerate() {
        if sector_ids.contains_key(&row.code) {
            continue;
        }
        let res = industry_sector::Entity::insert(industry_sector::ActiveModel {
            code: Set(row.code.clone()),
            name: Set(row.name),
            aliases: Set(row.aliases),
            description: Set(non_empty(row.description)),
            sort_order: Set(i as i32 + 1),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        sector_ids.insert(row.code, res.last_insert_id);
        report.inserted += 1;
    }

    let pathway_ids = keys::<pathway::Entity, _>(&txn, pathway::Column::Code).await?;
    for (i, row) in pathways.into_iter().enumerate() {
        if pathway_ids.contains_key(&row.code) {
            continue;
        }
        let sector_id = resolve(
            &sector_ids,
            &row.sector_code,
            "data/pathways.csv",
            &row.code,
            "sector",
        )?;
        pathway::Entity::insert(pathway::ActiveModel {
            sector_id: Set(sector_id),
            code: Set(row.code),
            calpads_code: Set(non_empty(row.calpads_code)),
            name: Set(row.name),
            aliases: Set(row.aliases),
            description: Set(non_empty(row.description)),
            sort_order: Set(i as i32 + 1),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        report.inserted += 1;
    }

    let existing = keys::<certification::Entity, _>(&txn, certification::Column::Code).await?;
    for row in reference
        .certifications
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        certification::Entity::insert(certification::ActiveModel {
            code: Set(row.code),
            name: Set(row.name),
            issuer: Set(non_empty(row.issuer)),
            url: Set(non_empty(row.url)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        report.inserted += 1;
    }

    let existing = keys::<funding_program::Entity, _>(&txn, funding_program::Column::Code).await?;
    for row in reference
        .funding_programs
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        funding_program::Entity::insert(funding_program::ActiveModel {
            code: Set(row.code),
            name: Set(row.name),
            kind: Set(row.kind),
            description: Set(non_empty(row.description)),
            url: Set(non_empty(row.url)),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        report.inserted += 1;
    }

    let existing =
        keys::<work_based_learning_type::Entity, _>(&txn, work_based_learning_type::Column::Code)
            .await?;
    for row in reference
        .work_based_learning_types
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        work_based_learning_type::Entity::insert(work_based_learning_type::ActiveModel {
            code: Set(row.code),
            name: Set(row.name),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        report.inserted += 1;
    }

    let mut district_ids = keys::<district::Entity, _>(&txn, district::Column::Code).await?;
    for row in orgs.districts {
        if district_ids.contains_key(&row.cds_code) {
            continue;
        }
        let res = district::Entity::insert(district::ActiveModel {
            code: Set(row.cds_code.clone()),
            cds_code: Set(Some(row.cds_code.clone())),
            name: Set(row.name),
            county: Set(Some(row.county)),
            nces_id: Set(non_empty(row.nces_id)),
            website: Set(non_empty(row.website)),
            status: Set("ACTIVE".into()),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        district_ids.insert(row.cds_code, res.last_insert_id);
        report.inserted += 1;
    }

    let mut school_ids = keys::<school::Entity, _>(&txn, school::Column::Code).await?;
    for row in orgs.schools {
        if school_ids.contains_key(&row.cds_code) {
            continue;
        }
        let district_id = resolve(
            &district_ids,
            &row.district_cds_code,
            "data/organisations.json",
            &row.name,
            "district",
        )?;
        let res = school::Entity::insert(school::ActiveModel {
            code: Set(row.cds_code.clone()),
            cds_code: Set(Some(row.cds_code.clone())),
            district_id: Set(district_id),
            name: Set(row.name),
            city: Set(non_empty(row.city)),
            lat: Set(row.lat),
            lng: Set(row.lng),
            grade_low: Set(row.grade_low),
            grade_high: Set(row.grade_high),
            status: Set("ACTIVE".into()),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        school_ids.insert(row.cds_code, res.last_insert_id);
        report.inserted += 1;
    }

    let mut program_ids =
        keys::<regional_program::Entity, _>(&txn, regional_program::Column::Code).await?;
    let site_ids = scoped_keys::<program_site::Entity, _>(
        &txn,
        program_site::Column::ProgramId,
        program_site::Column::Code,
    )
    .await?;
    let option_ids = scoped_keys::<funding_option::Entity, _>(
        &txn,
        funding_option::Column::ProgramId,
        funding_option::Column::Code,
    )
    .await?;
    let membership_rows: Vec<(i32, i32)> = jpa_membership::Entity::find()
        .select_only()
        .column(jpa_membership::Column::ProgramId)
        .column(jpa_membership::Column::DistrictId)
        .into_tuple()
        .all(&txn)
        .await?;
    for row in orgs.programs {
        let program_id = match program_ids.get(&row.code) {
            Some(id) => *id,
            None => {
                let res = regional_program::Entity::insert(regional_program::ActiveModel {
                    code: Set(row.code.clone()),
                    name: Set(row.name.clone()),
                    short_name: Set(non_empty(row.short_name)),
                    website: Set(non_empty(row.website)),
                    governance: Set(row.governance),
                    city: Set(non_empty(row.city)),
                    founded_year: Set(row.founded_year),
                    description: Set(non_empty(row.description)),
                    catalog_schools: Set(row.catalog_schools.join("; ")),
                    min_grade: Set(row.policy.min_grade),
                    max_grade: Set(row.policy.max_grade),
                    min_age: Set(row.policy.min_age),
                    adults_allowed: Set(row.policy.adults_allowed),
                    non_members_allowed: Set(row.policy.non_members_allowed),
                    policy_notes: Set(non_empty(row.policy.notes)),
                    closed_on: Set(row.closed_on),
                    source: Set(non_empty(row.source)),
                    source_updated_at: Set(row.source_updated_at),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .exec(&txn)
                .await?;
                program_ids.insert(row.code.clone(), res.last_insert_id);
                report.inserted += 1;
                res.last_insert_id
            }
        };
        for site in row.sites {
            if site_ids.contains_key(&scoped(program_id, &site.code)) {
                continue;
            }
            let school_id = match &site.school_cds_code {
                Some(cds) => Some(resolve(
                    &school_ids,
                    cds,
                    "data/organisations.json",
                    &site.code,
                    "school",
                )?),
                None => None,
            };
            program_site::Entity::insert(program_site::ActiveModel {
                program_id: Set(program_id),
                code: Set(site.code),
                name: Set(site.name),
                kind: Set(site.kind),
                school_id: Set(school_id),
                address: Set(non_empty(site.address)),
                city: Set(non_empty(site.city)),
                lat: Set(site.lat),
                lng: Set(site.lng),
                source: Set(non_empty(site.source)),
                source_updated_at: Set(site.source_updated_at),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            report.inserted += 1;
        }
        for membership in row.memberships {
            let district_id = resolve(
                &district_ids,
                &membership.district_cds_code,
                "data/organisations.json",
                &row.code,
                "district",
            )?;
            if membership_rows.contains(&(program_id, district_id)) {
                continue;
            }
            jpa_membership::Entity::insert(jpa_membership::ActiveModel {
                program_id: Set(program_id),
                district_id: Set(district_id),
                joined_on: Set(membership.joined_on),
                joined_on_precision: Set(membership
                    .joined_on_precision
                    .as_deref()
                    .map_or(DatePrecision::Day, DatePrecision::read)
                    .as_stored()
                    .to_owned()),
                withdrawn_on: Set(membership.withdrawn_on),
                covers_tuition: Set(membership.covers_tuition),
                covers_materials: Set(membership.covers_materials),
                covers_transportation: Set(membership.covers_transportation),
                source: Set(non_empty(membership.source)),
                source_updated_at: Set(membership.source_updated_at),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            report.inserted += 1;
        }
        for option in row.funding_options {
            if option_ids.contains_key(&scoped(program_id, &option.code)) {
                continue;
            }
            funding_option::Entity::insert(funding_option::ActiveModel {
                program_id: Set(program_id),
                code: Set(option.code),
                name: Set(option.name),
                kind: Set(option.kind),
                description: Set(non_empty(option.description)),
                url: Set(non_empty(option.url)),
                eligibility_notes: Set(non_empty(option.eligibility_notes)),
                source: Set(non_empty(option.source)),
                source_updated_at: Set(option.source_updated_at),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
            report.inserted += 1;
        }
    }

    let existing = keys::<college::Entity, _>(&txn, college::Column::Code).await?;
    for row in orgs
        .colleges
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        college::Entity::insert(college::ActiveModel {
            code: Set(row.code),
            ipeds_id: Set(non_empty(row.ipeds_id)),
            name: Set(row.name),
            college_district: Set(non_empty(row.college_district)),
            website: Set(non_empty(row.website)),
            kind: Set(row.kind),
            city: Set(non_empty(row.city)),
            lat: Set(row.lat),
            lng: Set(row.lng),
            source: Set(non_empty(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        report.inserted += 1;
    }

    district_cte(&txn, &mut district_ids, &mut school_ids, &mut report).await?;
    const EDUCATORS: &str = "data/educators.json";
    let seed: educators::EducatorSeed = json(EDUCATORS, files::EDUCATORS_JSON)?;
    report.inserted += educators::seed(&txn, seed, EDUCATORS).await?.inserted;

    crate::catalog::search::index::reindex(&txn).await?;
    crate::changes::backfill::record_loaded(&txn, "cte-hub seed").await?;
    txn.commit().await?;
    Ok(report)
}

/// What districts and schools run themselves (`data/district_cte.json`): sourced counts for
/// whole districts, and the pathways sources name at a school. Rows already there stay.
async fn district_cte<C: sea_orm::ConnectionTrait>(
    txn: &C,
    district_ids: &mut HashMap<String, i32>,
    school_ids: &mut HashMap<String, i32>,
    report: &mut SeedReport,
) -> Result<(), SeedError> {
    const FILE: &str = "data/district_cte.json";
    let data: files::DistrictCte = json(FILE, files::DISTRICT_CTE_JSON)?;
    let now = Utc::now();
    // A CDE schools file may have given one its CDS code since (the same plain name): that
    // record is it, and the file's short codes name it.
    let district_names: HashMap<String, i32> = district::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|d| (plain_name(&d.name), d.id))
        .collect();
    let school_names: HashMap<(i32, String), i32> = school::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|s| ((s.district_id, plain_name(&s.name)), s.id))
        .collect();
    for row in data.districts {
        if district_ids.contains_key(&row.code) {
            continue;
        }
        if let Some(id) = district_names.get(&plain_name(&row.name)) {
            district_ids.insert(row.code, *id);
            continue;
        }
        let res = district::Entity::insert(district::ActiveModel {
            code: Set(row.code.clone()),
            cds_code: Set(None),
            name: Set(row.name),
            county: Set(row.county),
            website: Set(non_empty(row.website)),
            status: Set("ACTIVE".into()),
            sample: Set(is_sample(&Some(row.source.clone()))),
            source: Set(Some(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        district_ids.insert(row.code, res.last_insert_id);
        report.inserted += 1;
    }
    for row in data.schools {
        if school_ids.contains_key(&row.code) {
            continue;
        }
        let district_id = resolve(
            district_ids,
            &row.district_code,
            FILE,
            &row.code,
            "district",
        )?;
        if let Some(id) = school_names.get(&(district_id, plain_name(&row.name))) {
            school_ids.insert(row.code, *id);
            continue;
        }
        let res = school::Entity::insert(school::ActiveModel {
            code: Set(row.code.clone()),
            cds_code: Set(None),
            district_id: Set(district_id),
            name: Set(row.name),
            city: Set(non_empty(row.city)),
            grade_low: Set(row.grade_low),
            grade_high: Set(row.grade_high),
            status: Set("ACTIVE".into()),
            sample: Set(is_sample(&Some(row.source.clone()))),
            source: Set(Some(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        school_ids.insert(row.code, res.last_insert_id);
        report.inserted += 1;
    }
    let existing = keys::<district_fact::Entity, _>(txn, district_fact::Column::Code).await?;
    for row in data
        .district_facts
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        let district_id = resolve(
            district_ids,
            &row.district_cds_code,
            FILE,
            &row.code,
            "district",
        )?;
        district_fact::Entity::insert(district_fact::ActiveModel {
            code: Set(row.code),
            district_id: Set(district_id),
            kind: Set(row.kind),
            count: Set(row.count),
            out_of: Set(row.out_of),
            statement: Set(row.statement),
            sample: Set(is_sample(&Some(row.source.clone()))),
            source: Set(Some(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        report.inserted += 1;
    }
    let pathway_ids = keys::<pathway::Entity, _>(txn, pathway::Column::Code).await?;
    let funding_ids =
        keys::<funding_program::Entity, _>(txn, funding_program::Column::Code).await?;
    let existing = keys::<school_pathway::Entity, _>(txn, school_pathway::Column::Code).await?;
    for row in data
        .school_pathways
        .into_iter()
        .filter(|r| !existing.contains_key(&r.code))
    {
        let district_id = resolve(
            district_ids,
            &row.district_cds_code,
            FILE,
            &row.code,
            "district",
        )?;
        let school_id = match &row.school_cds_code {
            Some(cds) => Some(resolve(school_ids, cds, FILE, &row.code, "school")?),
            None => None,
        };
        let pathway_id = match &row.pathway_code {
            Some(code) => Some(resolve(&pathway_ids, code, FILE, &row.code, "pathway")?),
            None => None,
        };
        let academy_funding_program_id = match &row.academy_funding_code {
            Some(code) => Some(resolve(
                &funding_ids,
                code,
                FILE,
                &row.code,
                "funding program",
            )?),
            None => None,
        };
        school_pathway::Entity::insert(school_pathway::ActiveModel {
            code: Set(row.code),
            district_id: Set(district_id),
            school_id: Set(school_id),
            pathway_id: Set(pathway_id),
            pathway_inferred: Set(row.pathway_inferred),
            local_name: Set(row.local_name),
            description: Set(non_empty(row.description)),
            earns: Set(row.earns.join(",")),
            credit_agreement_id: Set(None),
            schedules: Set(row.schedules.join(",")),
            ctso: Set(non_empty(row.ctso)),
            grade_low: Set(row.grade_low),
            grade_high: Set(row.grade_high),
            academy: Set(row.academy),
            academy_funding_program_id: Set(academy_funding_program_id),
            sample: Set(is_sample(&Some(row.source.clone()))),
            source: Set(Some(row.source)),
            source_updated_at: Set(row.source_updated_at),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(txn)
        .await?;
        report.inserted += 1;
    }
    Ok(())
}

/// Loads the illustrative sample catalogue (terms, courses, offerings, college credit,
/// industry partners, opportunities, district courses, a sample educator program) from
/// `data/sample_catalog.json`, a catalogue export (docs/import.md), through the catalogue
/// import: the same checks, write path, change feed and search index as any partner's file,
/// and no second copy of each record kind's columns. Needs [`reference`] first.
///
/// Running it again restores the file's values on the records a client changed (the sourced
/// Honda PACT partner included); records a client deleted stay deleted (their rows are
/// skipped with a warning). On a database without them, any refused row is a broken file.
pub async fn sample(db: &DatabaseConnection) -> Result<SeedReport, SeedError> {
    let report = import_sample(db, false).await?;
    if report.rejected == 0 {
        return Ok(SeedReport {
            inserted: report.created as u64,
        });
    }
    // Refused rows on a database that already holds the sample: records deleted since.
    if report.updated + report.unchanged == 0 {
        return Err(sample_refused(&report));
    }
    let report = import_sample(db, true).await?;
    if let Some(first) = report.rejections.first() {
        tracing::warn!(
            skipped = report.rejected,
            first = %first.reason,
            "sample rows skipped: their records were deleted since the sample was loaded"
        );
    }
    Ok(SeedReport {
        inserted: report.created as u64,
    })
}

/// The sample file the seed loads.
const SAMPLE_FILE: &str = "data/sample_catalog.json";

/// One import of the sample file as `cte-hub seed`; `partial` writes the valid rows even when
/// some are refused.
async fn import_sample(
    db: &DatabaseConnection,
    partial: bool,
) -> Result<import::ImportReport, SeedError> {
    let seeder = Caller::Authenticated(Principal {
        sub: "cte-hub seed".into(),
        org: "cte-hub".into(),
        roles: vec![Role::Admin],
    });
    let request = ImportRequest {
        kind: ImportKind::Catalog,
        bytes: files::SAMPLE_CATALOG_JSON.as_bytes(),
        format: Some(Format::Json),
        dry_run: false,
        partial,
    };
    import::run(db, &seeder, None, request, &import::Silent)
        .await
        .map_err(|e| SeedError::Malformed {
            file: SAMPLE_FILE,
            message: e.to_string(),
        })
}

/// The error of a sample file the import refuses.
fn sample_refused(report: &import::ImportReport) -> SeedError {
    let first = report.rejections.first();
    SeedError::Malformed {
        file: SAMPLE_FILE,
        message: format!(
            "{} row(s) rejected, the first: line {} ({}): {}",
            report.rejected,
            first.map_or(0, |r| r.line),
            first.and_then(|r| r.column.as_deref()).unwrap_or("*"),
            first.map_or("", |r| r.reason.as_str())
        ),
    }
}
