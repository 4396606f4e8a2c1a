//! A deterministic, California-scale synthetic catalogue for benchmarks
//! (`cte-hub seed --synthetic <scale>`).
//!
//! Scale 1 is about 1,000 districts, 10,000 schools, 70 ROC/Ps, 5,000 courses,
//! 50,000 offerings, 115 colleges, 3,000 industry partners and 10,000
//! opportunities; smaller scales shrink every count. The same scale always
//! gives the same rows: a fixed-seed PRNG drives every choice and every
//! timestamp is fixed.
//!
//! It never invents a real-looking official code: it reuses the seeded sectors
//! and pathways, gives synthetic districts and schools no CDS code (their short codes,
//! `SYN_D00001` and `SYN_S00001_0000001`, are their keys), leaves IPEDS ids empty, and says
//! "Synthetic benchmark data" in every record's `source`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};

use super::{keys, scoped, scoped_keys, SeedError, SeedReport};
use crate::vocabulary::{CourseLevel, Modality, OfferingStatus, PartnershipKind, Schedule, Stored};

/// The PRNG seed; changing it changes every synthetic record.
pub const SEED: u64 = 20_261_123;

/// Largest accepted scale (100,000 districts would overflow the 5-digit district part).
pub const MAX_SCALE: f64 = 10.0;

/// The `code` of the first synthetic ROC/P; its presence means the data set is loaded.
const MARKER_PROGRAM: &str = "SYN_ROCP_001";

/// Rows per multi-row INSERT: stays under SQLite's 32,766 bound parameters.
const CHUNK: usize = 500;

/// Counts at scale 1.
const DISTRICTS: usize = 1_000;
const SCHOOLS: usize = 10_000;
const PROGRAMS: usize = 70;
const COURSES: usize = 5_000;
const OFFERINGS: usize = 50_000;
const COLLEGES: usize = 115;
const PARTNERS: usize = 3_000;
const OPPORTUNITIES: usize = 10_000;

/// The terms every synthetic ROC/P runs, with their share of sections.
/// `2026-FALL` is the current term of the benchmark's portal page.
const TERMS: &[(&str, &str, &str, &str, &str, f64)] = &[
    (
        "2025-FALL",
        "Fall 2025",
        "2025-08-18",
        "2025-12-19",
        "SEMESTER",
        0.15,
    ),
    (
        "2026-SPRING",
        "Spring 2026",
        "2026-01-20",
        "2026-06-05",
        "SEMESTER",
        0.20,
    ),
    (
        "2026-SUMMER",
        "Summer 2026",
        "2026-06-22",
        "2026-07-31",
        "SUMMER",
        0.05,
    ),
    (
        "2026-FALL",
        "Fall 2026",
        "2026-08-17",
        "2026-12-18",
        "SEMESTER",
        0.45,
    ),
    (
        "2027-SPRING",
        "Spring 2027",
        "2027-01-19",
        "2027-06-04",
        "SEMESTER",
        0.15,
    ),
];

const PLACES: &[&str] = &[
    "Alder",
    "Birch",
    "Cedar",
    "Dogwood",
    "Elm",
    "Fir",
    "Juniper",
    "Laurel",
    "Madrone",
    "Manzanita",
    "Oak",
    "Pine",
    "Redwood",
    "Sage",
    "Sequoia",
    "Sycamore",
    "Tamarack",
    "Willow",
    "Yucca",
    "Buckeye",
];
const FEATURES: &[&str] = &[
    "Valley", "Springs", "Creek", "Ridge", "Mesa", "Harbor", "Hills", "Lake", "Canyon", "Grove",
    "Bluff", "Flats", "Point", "Meadows", "Vista",
];
const DISTRICT_KINDS: &[&str] = &[
    "Unified",
    "Unified",
    "Unified",
    "Elementary",
    "Elementary",
    "Joint Union High",
];
const CATALOG_SCHOOLS: &str =
    "School of Health Sciences; School of Engineering and Design; School of Public and Consumer Services";
const SCHEDULES: &[(Schedule, f64)] = &[
    (Schedule::SchoolDay, 0.55),
    (Schedule::AfterSchool, 0.2),
    (Schedule::Evening, 0.12),
    (Schedule::Saturday, 0.08),
    (Schedule::OnlineAsync, 0.05),
];
const STATUSES: &[(OfferingStatus, f64)] = &[
    (OfferingStatus::Open, 0.7),
    (OfferingStatus::Waitlist, 0.1),
    (OfferingStatus::Full, 0.15),
    (OfferingStatus::Cancelled, 0.05),
];
const WBL_KINDS: &[(PartnershipKind, Option<&str>)] = &[
    (PartnershipKind::Internship, Some("10")),
    (PartnershipKind::JobShadow, None),
    (PartnershipKind::Mentorship, None),
    (PartnershipKind::SiteTour, None),
    (PartnershipKind::GuestSpeaker, None),
    (PartnershipKind::PreApprenticeship, Some("25")),
    (PartnershipKind::Apprenticeship, None),
];
const DEPARTMENTS: &[&str] = &[
    "CIS", "HLTH", "AUTO", "CONS", "BUS", "ART", "ENGR", "AGRI", "CDEV", "CULN",
];

/// SplitMix64: tiny, fast and good enough for test data; no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n); n must be positive.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as usize) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// In [0, n), small indexes much more likely: a few big ones, a long tail.
    fn skewed(&mut self, n: usize, power: f64) -> usize {
        ((self.unit().powf(power) * n as f64) as usize).min(n.saturating_sub(1))
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let mut x = self.unit() * items.iter().map(|(_, w)| w).sum::<f64>();
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }
}

fn scaled(base: usize, scale: f64) -> usize {
    ((base as f64 * scale).round() as usize).max(1)
}

fn day(text: &str) -> Result<NaiveDate, SeedError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| SeedError::Malformed {
        file: "seed/synthetic.rs",
        message: format!("date {text}: {e}"),
    })
}

fn place_name(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(PLACES), rng.pick(FEATURES))
}

/// Inserts rows in multi-row statements of [`CHUNK`] rows.
async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<u64, SeedError>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let total = rows.len() as u64;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(total)
}

/// Loads the synthetic data set at `scale` (0 < scale <= 10) in one transaction.
/// Needs the reference data; inserts nothing when a synthetic set is already there.
pub async fn synthetic(db: &DatabaseConnection, scale: f64) -> Result<SeedReport, SeedError> {
    if !(scale > 0.0 && scale <= MAX_SCALE) {
        return Err(SeedError::Scale(scale));
    }
    let exists = regional_program::Entity::find()
        .filter(sea_orm::ColumnTrait::eq(
            &regional_program::Column::Code,
            MARKER_PROGRAM,
        ))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(SeedReport::default());
    }
    let txn = db.begin().await?;
    let inserted = generate(&txn, scale).await?;
    crate::catalog::search::index::reindex(&txn).await?;
    crate::changes::backfill::record_loaded(&txn, "cte-hub seed --synthetic").await?;
    txn.commit().await?;
    Ok(SeedReport { inserted })
}

#[allow(clippy::too_many_lines)]
async fn generate<C: ConnectionTrait>(db: &C, scale: f64) -> Result<u64, SeedError> {
    let mut rng = Rng(SEED);
    let at: DateTime<Utc> = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default(); // 2026-01-01
    let source = Some(format!(
        "Synthetic benchmark data (seed {SEED}, scale {scale}): generated by `cte-hub seed --synthetic`; not a real record"
    ));
    let mut inserted = 0u64;

    // Reference data: every synthetic course and partner hangs off the real pathways.
    let pathways: Vec<(i32, i32, String)> = pathway::Entity::find()
        .select_only()
        .column(pathway::Column::Id)
        .column(pathway::Column::SectorId)
        .column(pathway::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    if pathways.is_empty() {
        return Err(SeedError::Malformed {
            file: "seed/synthetic.rs",
            message: "no pathways: load the reference data first".into(),
        });
    }
    // A shuffled popularity order: some pathways get many more courses than others.
    let mut pathway_order: Vec<usize> = (0..pathways.len()).collect();
    for i in (1..pathway_order.len()).rev() {
        pathway_order.swap(i, rng.below(i + 1));
    }

    // Districts and schools: short codes, never a CDS code.
    let n_districts = scaled(DISTRICTS, scale);
    let district_cds: Vec<String> = (1..=n_districts).map(|i| format!("SYN_D{i:05}")).collect();
    let mut rows = Vec::with_capacity(n_districts);
    for (i, cds) in district_cds.iter().enumerate() {
        rows.push(district::ActiveModel {
            code: Set(cds.clone()),
            cds_code: Set(None),
            name: Set(format!(
                "{} {} School District (synthetic {:04})",
                place_name(&mut rng),
                rng.pick(DISTRICT_KINDS),
                i + 1
            )),
            county: Set(Some(format!("Synthetic County {:02}", 1 + i % 58))),
            status: Set("ACTIVE".into()),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    let ids = keys::<district::Entity, _>(db, district::Column::Code).await?;
    let district_ids: Vec<i32> = district_cds
        .iter()
        .map(|c| ids.get(c).copied().unwrap_or_default())
        .collect();
    let centers: Vec<(f64, f64)> = (0..n_districts)
        .map(|_| (32.7 + rng.unit() * 9.0, -124.0 + rng.unit() * 9.5))
        .collect();

    let n_schools = scaled(SCHOOLS, scale);
    let mut school_district = Vec::with_capacity(n_schools);
    let mut school_cds = Vec::with_capacity(n_schools);
    let mut high_schools: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut rows = Vec::with_capacity(n_schools);
    for s in 0..n_schools {
        // Skewed: a few very large districts, many with one or two schools.
        let d = if s < n_districts {
            s
        } else {
            rng.skewed(n_districts, 2.5)
        };
        let cds = format!("SYN_S{:05}_{:07}", d + 1, s + 1);
        let (low, high, kind) = match rng.below(10) {
            0..=5 => (0, 5, "Elementary"),
            6..=7 => (6, 8, "Middle"),
            _ => (9, 12, "High"),
        };
        if high == 12 {
            high_schools.entry(d).or_default().push(s);
        }
        let (lat, lng) = centers[d];
        rows.push(school::ActiveModel {
            code: Set(cds.clone()),
            cds_code: Set(None),
            district_id: Set(district_ids[d]),
            name: Set(format!(
                "{} {kind} (synthetic {:05})",
                place_name(&mut rng),
                s + 1
            )),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            lat: Set(Some(lat + (rng.unit() - 0.5) * 0.3)),
            lng: Set(Some(lng + (rng.unit() - 0.5) * 0.3)),
            grade_low: Set(Some(low)),
            grade_high: Set(Some(high)),
            status: Set("ACTIVE".into()),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
        school_district.push(d);
        school_cds.push(cds);
    }
    inserted += insert_all(db, rows).await?;
    let ids = keys::<school::Entity, _>(db, school::Column::Code).await?;
    let school_ids: Vec<i32> = school_cds
        .iter()
        .map(|c| ids.get(c).copied().unwrap_or_default())
        .collect();

    // ROC/Ps with their policy.
    let n_programs = scaled(PROGRAMS, scale);
    let program_codes: Vec<String> = (1..=n_programs)
        .map(|i| format!("SYN_ROCP_{i:03}"))
        .collect();
    let mut rows = Vec::with_capacity(n_programs);
    for (i, code) in program_codes.iter().enumerate() {
        let place = place_name(&mut rng);
        let min_grade = *rng.pick(&[9, 10, 10, 11]);
        rows.push(regional_program::ActiveModel {
            code: Set(code.clone()),
            name: Set(format!(
                "{place} Regional Occupational Program (synthetic {:03})",
                i + 1
            )),
            short_name: Set(Some(format!("{place} ROP"))),
            governance: Set(if rng.chance(0.8) {
                "JPA"
            } else {
                "COUNTY_OPERATED"
            }
            .into()),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            founded_year: Set(Some(rng.range(1967, 2005) as i32)),
            description: Set(Some("A synthetic ROC/P generated for load tests.".into())),
            catalog_schools: Set(CATALOG_SCHOOLS.into()),
            min_grade: Set(Some(min_grade)),
            max_grade: Set(Some(12)),
            min_age: Set(if rng.chance(0.3) { Some(16) } else { None }),
            adults_allowed: Set(rng.chance(0.5)),
            non_members_allowed: Set(rng.chance(0.7)),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    let ids = keys::<regional_program::Entity, _>(db, regional_program::Column::Code).await?;
    let program_ids: Vec<i32> = program_codes
        .iter()
        .map(|c| ids.get(c).copied().unwrap_or_default())
        .collect();

    // JPA memberships: most districts belong to one ROC/P, a few to two; some withdrew.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_programs];
    let mut rows = Vec::new();
    for (d, &district_id) in district_ids.iter().enumerate() {
        if !rng.chance(0.85) {
            continue;
        }
        let first = rng.skewed(n_programs, 1.6);
        let mut programs = vec![first];
        if rng.chance(0.05) && n_programs > 1 {
            programs.push((first + 1 + rng.below(n_programs - 1)) % n_programs);
        }
        for p in programs {
            members[p].push(d);
            let withdrawn = rng.chance(0.04);
            rows.push(jpa_membership::ActiveModel {
                program_id: Set(program_ids[p]),
                district_id: Set(district_id),
                joined_on: Set(
                    NaiveDate::from_ymd_opt(rng.range(1967, 2022) as i32, 7, 1).unwrap_or_default()
                ),
                withdrawn_on: Set(if withdrawn {
                    NaiveDate::from_ymd_opt(2024, 6, 30)
                } else {
                    None
                }),
                covers_tuition: Set(true),
                covers_materials: Set(rng.chance(0.9)),
                covers_transportation: Set(rng.chance(0.8)),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
    }
    inserted += insert_all(db, rows).await?;

    // Sites: a central campus and up to five member high schools; funding options; terms.
    let mut sites = Vec::new();
    let mut options = Vec::new();
    let mut terms = Vec::new();
    for (p, &program_id) in program_ids.iter().enumerate() {
        let (lat, lng) = members[p]
            .first()
            .map(|&d| centers[d])
            .unwrap_or((36.5, -119.5));
        sites.push(program_site::ActiveModel {
            program_id: Set(program_id),
            code: Set("CENTRAL".into()),
            name: Set("Central campus (synthetic)".into()),
            kind: Set("CENTRAL_CAMPUS".into()),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            lat: Set(Some(lat)),
            lng: Set(Some(lng)),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
        let member_high: Vec<usize> = members[p]
            .iter()
            .flat_map(|d| high_schools.get(d).into_iter().flatten().copied())
            .take(5)
            .collect();
        for s in member_high {
            sites.push(program_site::ActiveModel {
                program_id: Set(program_id),
                code: Set(format!("HS-{:05}", s + 1)),
                name: Set(format!("Member high school {:05} (synthetic)", s + 1)),
                kind: Set("MEMBER_HIGH_SCHOOL".into()),
                school_id: Set(Some(school_ids[s])),
                lat: Set(Some(centers[school_district[s]].0)),
                lng: Set(Some(centers[school_district[s]].1)),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
        options.push(funding_option::ActiveModel {
            program_id: Set(program_id),
            code: Set("SELF_PAY".into()),
            name: Set("Self-pay (synthetic)".into()),
            kind: Set("SELF_PAY".into()),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
        if rng.chance(0.5) {
            options.push(funding_option::ActiveModel {
                program_id: Set(program_id),
                code: Set("WIOA".into()),
                name: Set(format!(
                    "{} Workforce Board (synthetic)",
                    place_name(&mut rng)
                )),
                kind: Set("WORKFORCE_BOARD".into()),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
        for (code, name, starts, ends, kind, _) in TERMS {
            terms.push(term::ActiveModel {
                program_id: Set(program_id),
                code: Set((*code).into()),
                name: Set((*name).into()),
                starts_on: Set(day(starts)?),
                ends_on: Set(day(ends)?),
                kind: Set((*kind).into()),
                transportation_available: Set(*kind != "SUMMER"),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
    }
    inserted += insert_all(db, sites).await?;
    inserted += insert_all(db, options).await?;
    inserted += insert_all(db, terms).await?;
    let program_set: HashSet<i32> = program_ids.iter().copied().collect();
    let mut program_sites: HashMap<i32, Vec<i32>> = HashMap::new();
    let site_rows: Vec<(i32, i32)> = program_site::Entity::find()
        .select_only()
        .column(program_site::Column::Id)
        .column(program_site::Column::ProgramId)
        .into_tuple()
        .all(db)
        .await?;
    for (id, program) in site_rows {
        if program_set.contains(&program) {
            program_sites.entry(program).or_default().push(id);
        }
    }
    for list in program_sites.values_mut() {
        list.sort_unstable();
    }
    let term_ids =
        scoped_keys::<term::Entity, _>(db, term::Column::ProgramId, term::Column::Code).await?;

    // Courses: a few ROC/Ps much larger than others; most courses introductory.
    let n_courses = scaled(COURSES, scale);
    let mut course_keys = Vec::with_capacity(n_courses);
    let mut course_facts = Vec::with_capacity(n_courses);
    let mut rows = Vec::with_capacity(n_courses);
    for k in 0..n_courses {
        let p = if k < n_programs {
            k
        } else {
            rng.skewed(n_programs, 2.0)
        };
        let pathway = if rng.chance(0.05) {
            None
        } else {
            Some(&pathways[pathway_order[rng.skewed(pathways.len(), 1.8)]])
        };
        let level = match rng.below(100) {
            0..=59 => CourseLevel::Introductory,
            60..=87 => CourseLevel::Concentrator,
            _ => CourseLevel::Capstone,
        };
        let hours = *rng.pick(&[90, 120, 180, 180, 270, 360, 540]);
        let code = format!("SYN-{:04}", k + 1);
        let topic = pathway.map_or("Career Exploration", |(_, _, name)| name.as_str());
        let prefix = match level {
            CourseLevel::Introductory => "Introduction to",
            CourseLevel::Concentrator => "Applied",
            CourseLevel::Capstone => "Advanced",
        };
        rows.push(course::ActiveModel {
            program_id: Set(Some(program_ids[p])),
            pathway_id: Set(pathway.map(|(id, _, _)| *id)),
            code: Set(code.clone()),
            title: Set(format!("{prefix} {topic} {}", k + 1)),
            description: Set(Some(format!(
                "Synthetic {} course in {topic}.",
                level.as_stored().to_lowercase()
            ))),
            level: Set(level.as_stored().into()),
            catalog_school: Set(None),
            hours: Set(Some(hours)),
            high_school_credits: Set(Some(if hours >= 180 { 10 } else { 5 })),
            ag_area: Set(if rng.chance(0.2) {
                Some((*rng.pick(&["D", "F", "G", "G"])).into())
            } else {
                None
            }),
            uc_approved_year: Set(None),
            honors: Set(level == CourseLevel::Capstone && rng.chance(0.2)),
            min_grade: Set(if rng.chance(0.1) { Some(11) } else { None }),
            min_age: Set(None),
            ctso: Set(None),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
        course_keys.push(scoped(program_ids[p], &code));
        course_facts.push((program_ids[p], hours, level));
    }
    inserted += insert_all(db, rows).await?;
    let ids = scoped_keys::<course::Entity, _>(db, course::Column::ProgramId, course::Column::Code)
        .await?;
    let course_ids: Vec<i32> = course_keys
        .iter()
        .map(|k| ids.get(k).copied().unwrap_or_default())
        .collect();
    // Popularity order of courses for sections: introductory ones first.
    let mut by_popularity: Vec<usize> = (0..n_courses).collect();
    for i in (1..by_popularity.len()).rev() {
        by_popularity.swap(i, rng.below(i + 1));
    }
    by_popularity.sort_by_key(|&k| course_facts[k].2 as u8);

    // Offerings over several terms and sites.
    let n_offerings = scaled(OFFERINGS, scale);
    let term_weights: Vec<(&str, f64)> = TERMS.iter().map(|t| (t.0, t.5)).collect();
    let mut sections: HashMap<(usize, &str), u32> = HashMap::new();
    let mut term_starts = HashMap::new();
    for t in TERMS {
        term_starts.insert(t.0, day(t.2)?);
    }
    let mut rows = Vec::with_capacity(n_offerings);
    for o in 0..n_offerings {
        let k = if o < n_courses {
            o
        } else {
            by_popularity[rng.skewed(n_courses, 1.5)]
        };
        let (program_id, hours, _) = course_facts[k];
        let term_code = rng.weighted(&term_weights);
        let n = sections.entry((k, term_code)).or_insert(0);
        *n += 1;
        let section = format!("{n:02}");
        let term_id = term_ids
            .get(&scoped(program_id, term_code))
            .copied()
            .unwrap_or_default();
        let schedule = rng.weighted(SCHEDULES);
        let site_id = match (schedule, program_sites.get(&program_id)) {
            (Schedule::OnlineAsync, _) | (_, None) => None,
            (_, Some(list)) => Some(*rng.pick(list)),
        };
        let status = rng.weighted(STATUSES);
        let capacity = rng.range(20, 36) as i32;
        let seats = match status {
            OfferingStatus::Open => rng.range(1, capacity as i64) as i32,
            _ => 0,
        };
        let (start, end, days) = match schedule {
            Schedule::SchoolDay => ("08:00", "10:00", "MON,TUE,WED,THU,FRI"),
            Schedule::AfterSchool => ("15:30", "18:30", "MON,WED"),
            Schedule::Evening => ("18:00", "21:00", "TUE,THU"),
            Schedule::Saturday => ("08:00", "14:00", "SAT"),
            Schedule::OnlineAsync => ("", "", ""),
        };
        let opens = term_starts.get(term_code).copied();
        rows.push(course_offering::ActiveModel {
            course_id: Set(course_ids[k]),
            term_id: Set(term_id),
            site_id: Set(site_id),
            section: Set(section),
            schedule: Set(schedule.as_stored().into()),
            meeting_days: Set(Some(days.to_owned()).filter(|d| !d.is_empty())),
            start_time: Set(Some(start.to_owned()).filter(|t| !t.is_empty())),
            end_time: Set(Some(end.to_owned()).filter(|t| !t.is_empty())),
            modality: Set(match schedule {
                Schedule::OnlineAsync => Modality::Online,
                _ if rng.chance(0.1) => Modality::Hybrid,
                _ => Modality::InPerson,
            }
            .as_stored()
            .into()),
            capacity: Set(Some(capacity)),
            seats_available: Set(Some(seats)),
            status: Set(status.as_stored().into()),
            transportation_provided: Set(schedule == Schedule::SchoolDay && rng.chance(0.6)),
            tuition_cents: Set(hours * rng.range(700, 1100) as i32),
            materials_fee_cents: Set(rng.range(0, 30) as i32 * 500),
            instructor_name: Set(None),
            enrollment_opens_on: Set(opens.map(|d| d - chrono::Days::new(120))),
            enrollment_closes_on: Set(opens.map(|d| d + chrono::Days::new(14))),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;

    // Colleges (no IPEDS id: these are not real institutions) and agreements.
    let n_colleges = scaled(COLLEGES, scale);
    let college_codes: Vec<String> = (1..=n_colleges)
        .map(|i| format!("SYN_COLLEGE_{i:03}"))
        .collect();
    let mut rows = Vec::with_capacity(n_colleges);
    for (i, code) in college_codes.iter().enumerate() {
        let kind = match rng.below(20) {
            0..=15 => "COMMUNITY_COLLEGE",
            16..=17 => "CSU",
            18 => "UC",
            _ => "PRIVATE",
        };
        let place = place_name(&mut rng);
        rows.push(college::ActiveModel {
            code: Set(code.clone()),
            ipeds_id: Set(None),
            name: Set(format!("{place} College (synthetic {:03})", i + 1)),
            college_district: Set(Some(format!(
                "{place} Community College District (synthetic)"
            ))),
            kind: Set(kind.into()),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    let ids = keys::<college::Entity, _>(db, college::Column::Code).await?;
    let college_ids: Vec<i32> = college_codes
        .iter()
        .map(|c| ids.get(c).copied().unwrap_or_default())
        .collect();
    // Each ROC/P partners with one college (its "home" college) by agreement.
    let home_college: Vec<usize> = (0..n_programs).map(|_| rng.below(n_colleges)).collect();
    let mut rows = Vec::with_capacity(n_programs);
    for (p, &c) in home_college.iter().enumerate() {
        rows.push(dual_enrollment_agreement::ActiveModel {
            code: Set(format!("SYN-AGR-{:03}", p + 1)),
            name: Set(format!("Synthetic articulation agreement {:03}", p + 1)),
            college_id: Set(college_ids[c]),
            program_id: Set(Some(program_ids[p])),
            kind: Set("ARTICULATION".into()),
            starts_on: Set(NaiveDate::from_ymd_opt(2024, 7, 1)),
            ends_on: Set(NaiveDate::from_ymd_opt(2028, 6, 30)),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    let agreement_ids =
        keys::<dual_enrollment_agreement::Entity, _>(db, dual_enrollment_agreement::Column::Code)
            .await?;
    let program_index: HashMap<i32, usize> = program_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    // Articulations: about a third of courses earn college credit at one or two colleges.
    let mut rows = Vec::new();
    for (k, &course_id) in course_ids.iter().enumerate() {
        if !rng.chance(0.35) {
            continue;
        }
        let p = program_index.get(&course_facts[k].0).copied().unwrap_or(0);
        let mut colleges = vec![home_college[p]];
        if rng.chance(0.3) && n_colleges > 1 {
            colleges.push((home_college[p] + 1 + rng.below(n_colleges - 1)) % n_colleges);
        }
        for (j, c) in colleges.into_iter().enumerate() {
            let home = j == 0;
            rows.push(articulation::ActiveModel {
                course_id: Set(course_id),
                college_id: Set(college_ids[c]),
                agreement_id: Set(if home {
                    agreement_ids.get(&format!("SYN-AGR-{:03}", p + 1)).copied()
                } else {
                    None
                }),
                kind: Set(if home { "ARTICULATION" } else { "CCAP" }.into()),
                college_course_code: Set(format!(
                    "{} {}",
                    rng.pick(DEPARTMENTS),
                    100 + rng.below(150)
                )),
                college_course_title: Set(Some("Synthetic college course".into())),
                units: Set(Some(*rng.pick(&[1.0, 2.0, 3.0, 3.0, 4.0]))),
                valid_from: Set(Some("2025-26".into())),
                valid_to: Set(Some("2027-28".into())),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
    }
    inserted += insert_all(db, rows).await?;

    // Industry partners, their sectors, partnerships and opportunities.
    let n_partners = scaled(PARTNERS, scale);
    let partner_codes: Vec<String> = (1..=n_partners)
        .map(|i| format!("SYN_PARTNER_{i:04}"))
        .collect();
    let mut partner_pathways: Vec<Vec<usize>> = Vec::with_capacity(n_partners);
    let mut rows = Vec::with_capacity(n_partners);
    for (i, code) in partner_codes.iter().enumerate() {
        // Pathways of one sector (the first pick's), one to three of them.
        let first = pathway_order[rng.skewed(pathways.len(), 1.5)];
        let sector = pathways[first].1;
        let same: Vec<usize> = (0..pathways.len())
            .filter(|&j| pathways[j].1 == sector)
            .collect();
        let mut chosen = vec![first];
        for _ in 0..rng.below(3) {
            let j = *rng.pick(&same);
            if !chosen.contains(&j) {
                chosen.push(j);
            }
        }
        partner_pathways.push(chosen);
        rows.push(industry_partner::ActiveModel {
            code: Set(code.clone()),
            name: Set(format!(
                "{} {} (synthetic {:04})",
                place_name(&mut rng),
                rng.pick(&[
                    "Group",
                    "Services",
                    "Works",
                    "Health",
                    "Partners",
                    "Industries"
                ]),
                i + 1
            )),
            description: Set(Some(
                "A synthetic employer generated for load tests.".into(),
            )),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    let ids = keys::<industry_partner::Entity, _>(db, industry_partner::Column::Code).await?;
    let partner_ids: Vec<i32> = partner_codes
        .iter()
        .map(|c| ids.get(c).copied().unwrap_or_default())
        .collect();
    let mut links = Vec::with_capacity(n_partners);
    let mut partnerships = Vec::new();
    let kinds = [
        PartnershipKind::AdvisoryBoard,
        PartnershipKind::Internship,
        PartnershipKind::JobShadow,
        PartnershipKind::GuestSpeaker,
        PartnershipKind::Mentorship,
    ]
    .map(Stored::as_stored);
    for (i, &partner_id) in partner_ids.iter().enumerate() {
        links.push(industry_partner_sector::ActiveModel {
            partner_id: Set(partner_id),
            sector_id: Set(pathways[partner_pathways[i][0]].1),
            ..Default::default()
        });
        for &j in &partner_pathways[i] {
            let a = rng.below(kinds.len());
            let b = (a + 1 + rng.below(kinds.len() - 1)) % kinds.len();
            partnerships.push(industry_partnership::ActiveModel {
                partner_id: Set(partner_id),
                pathway_id: Set(pathways[j].0),
                program_id: Set(if rng.chance(0.3) {
                    Some(program_ids[rng.below(n_programs)])
                } else {
                    None
                }),
                kinds: Set(format!("{},{}", kinds[a.min(b)], kinds[a.max(b)])),
                source: Set(source.clone()),
                created_at: Set(at),
                updated_at: Set(at),
                ..Default::default()
            });
        }
    }
    inserted += insert_all(db, links).await?;
    inserted += insert_all(db, partnerships).await?;

    let n_opportunities = scaled(OPPORTUNITIES, scale);
    let mut rows = Vec::with_capacity(n_opportunities);
    for o in 0..n_opportunities {
        let i = rng.skewed(n_partners, 1.5);
        let pathway = pathways[*rng.pick(&partner_pathways[i])].0;
        let (kind, wbl) = *rng.pick(WBL_KINDS);
        let paid = (kind == PartnershipKind::Internship && rng.chance(0.6))
            || matches!(
                kind,
                PartnershipKind::Apprenticeship | PartnershipKind::PreApprenticeship
            );
        rows.push(opportunity::ActiveModel {
            code: Set(format!("SYN-OPP-{:05}", o + 1)),
            partner_id: Set(partner_ids[i]),
            pathway_id: Set(Some(pathway)),
            kind: Set(kind.as_stored().into()),
            wbl_type_code: Set(wbl.map(str::to_owned)),
            title: Set(format!(
                "Synthetic {} {:05}",
                kind.as_stored().to_lowercase().replace('_', " "),
                o + 1
            )),
            paid: Set(paid),
            hourly_wage_cents: Set(if paid {
                Some(rng.range(1650, 2500) as i32)
            } else {
                None
            }),
            hours: Set(Some(*rng.pick(&[4, 20, 40, 80, 120]))),
            min_grade: Set(Some(*rng.pick(&[9, 10, 11, 12]))),
            min_age: Set(if rng.chance(0.4) { Some(16) } else { None }),
            clearances: Set(if rng.chance(0.3) {
                "TB_TEST,WORK_PERMIT"
            } else {
                ""
            }
            .into()),
            seats: Set(Some(rng.range(1, 10) as i32)),
            starts_on: Set(NaiveDate::from_ymd_opt(2027, 1 + rng.below(6) as u32, 1)),
            apply_by: Set(NaiveDate::from_ymd_opt(2026, 12, 15)),
            city: Set(Some(format!("{} (synthetic)", rng.pick(PLACES)))),
            source: Set(source.clone()),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        });
    }
    inserted += insert_all(db, rows).await?;
    Ok(inserted)
}
