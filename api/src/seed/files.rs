//! The shapes of the seed files in `data/`, compiled into the binary so that a
//! fresh machine needs nothing but the executable.

use chrono::NaiveDate;
use serde::Deserialize;

pub const SECTORS_CSV: &str = include_str!("../../../data/sectors.csv");
pub const PATHWAYS_CSV: &str = include_str!("../../../data/pathways.csv");
pub const REFERENCE_JSON: &str = include_str!("../../../data/reference.json");
pub const ORGANISATIONS_JSON: &str = include_str!("../../../data/organisations.json");
pub const EDUCATORS_JSON: &str = include_str!("../../../data/educators.json");
pub const SAMPLE_CATALOG_JSON: &str = include_str!("../../../data/sample_catalog.json");
pub const DISTRICT_CTE_JSON: &str = include_str!("../../../data/district_cte.json");

/// `data/district_cte.json`: what districts and schools run themselves, as sources state it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictCte {
    /// Districts with sourced CTE facts but no CDS code in any source: keyed by a short code.
    #[serde(default)]
    pub districts: Vec<DistrictWithoutCds>,
    /// Schools likewise (their district named by its key).
    #[serde(default)]
    pub schools: Vec<SchoolWithoutCds>,
    pub district_facts: Vec<DistrictFactRow>,
    pub school_pathways: Vec<SchoolPathwayRow>,
}

/// A district no public source gives a CDS code for (never invented): its `code` is its key.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictWithoutCds {
    pub code: String,
    pub name: String,
    pub county: Option<String>,
    pub website: Option<String>,
    pub source: String,
    pub source_updated_at: Option<NaiveDate>,
}

/// A school no public source gives a CDS code for.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolWithoutCds {
    pub code: String,
    /// Its district's key: a CDS code, or the `code` of a district above.
    pub district_code: String,
    pub name: String,
    pub city: Option<String>,
    pub grade_low: Option<i32>,
    pub grade_high: Option<i32>,
    pub source: String,
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictFactRow {
    pub code: String,
    pub district_cds_code: String,
    pub kind: String,
    pub count: i32,
    pub out_of: Option<i32>,
    pub statement: String,
    pub source: String,
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolPathwayRow {
    pub code: String,
    pub district_cds_code: String,
    pub school_cds_code: Option<String>,
    pub pathway_code: Option<String>,
    #[serde(default)]
    pub pathway_inferred: bool,
    pub local_name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub earns: Vec<String>,
    #[serde(default)]
    pub schedules: Vec<String>,
    pub ctso: Option<String>,
    pub grade_low: Option<i32>,
    pub grade_high: Option<i32>,
    #[serde(default)]
    pub academy: bool,
    pub academy_funding_code: Option<String>,
    pub source: String,
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
pub struct SectorRow {
    pub code: String,
    pub name: String,
    pub aliases: String,
    pub description: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
pub struct PathwayRow {
    pub code: String,
    pub sector_code: String,
    pub name: String,
    pub calpads_code: Option<String>,
    pub aliases: String,
    pub description: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    pub certifications: Vec<CertificationRow>,
    pub funding_programs: Vec<FundingProgramRow>,
    pub work_based_learning_types: Vec<WblTypeRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificationRow {
    pub code: String,
    pub name: String,
    pub issuer: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundingProgramRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WblTypeRow {
    pub code: String,
    pub name: String,
    pub source: Option<String>,
    /// When the source was published or read.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisations {
    pub districts: Vec<DistrictRow>,
    pub schools: Vec<SchoolRow>,
    pub programs: Vec<ProgramRow>,
    pub colleges: Vec<CollegeRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistrictRow {
    pub cds_code: String,
    pub name: String,
    pub county: String,
    pub nces_id: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchoolRow {
    pub cds_code: String,
    pub district_cds_code: String,
    pub name: String,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub grade_low: Option<i32>,
    pub grade_high: Option<i32>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramRow {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub website: Option<String>,
    pub governance: String,
    pub city: Option<String>,
    pub founded_year: Option<i32>,
    pub description: Option<String>,
    #[serde(default)]
    pub catalog_schools: Vec<String>,
    pub policy: PolicyRow,
    pub closed_on: Option<NaiveDate>,
    #[serde(default)]
    pub sites: Vec<SiteRow>,
    #[serde(default)]
    pub memberships: Vec<MembershipRow>,
    #[serde(default)]
    pub funding_options: Vec<FundingOptionRow>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRow {
    pub min_grade: Option<i32>,
    pub max_grade: Option<i32>,
    pub min_age: Option<i32>,
    pub adults_allowed: bool,
    pub non_members_allowed: bool,
    pub notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub school_cds_code: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRow {
    pub district_cds_code: String,
    pub joined_on: NaiveDate,
    /// DAY, MONTH, YEAR or UNKNOWN (default DAY): sources rarely give the day a district joined.
    pub joined_on_precision: Option<String>,
    pub withdrawn_on: Option<NaiveDate>,
    pub covers_tuition: bool,
    pub covers_materials: bool,
    pub covers_transportation: bool,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundingOptionRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub eligibility_notes: Option<String>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollegeRow {
    pub code: String,
    pub ipeds_id: Option<String>,
    pub name: String,
    pub college_district: Option<String>,
    pub website: Option<String>,
    pub kind: String,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub source: Option<String>,
    /// When the source was published or read; absent for sample rows.
    #[serde(default)]
    pub source_updated_at: Option<NaiveDate>,
}
