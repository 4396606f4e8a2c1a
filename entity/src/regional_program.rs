//! `regional_program`: A Regional Occupational Center/Program (ROC/P) with its eligibility policy.

use sea_orm::entity::prelude::*;

/// A Regional Occupational Center/Program (ROC/P) with its eligibility policy.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "regional_program")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub website: Option<String>,
    pub governance: String,
    pub city: Option<String>,
    pub founded_year: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub catalog_schools: String,
    pub min_grade: Option<i32>,
    pub max_grade: Option<i32>,
    pub min_age: Option<i32>,
    pub adults_allowed: bool,
    pub non_members_allowed: bool,
    #[sea_orm(column_type = "Text")]
    pub policy_notes: Option<String>,
    pub closed_on: Option<Date>,
    pub registration_url: Option<String>,
    pub enrollment_opens_on: Option<Date>,
    pub enrollment_closes_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub source: Option<String>,
    pub source_updated_at: Option<Date>,
    /// Illustrative record, not a real fact (the sample catalogue, or marked so on import).
    pub sample: bool,
    pub deleted_at: Option<DateTimeUtc>,
}

/// Foreign keys this record holds.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
