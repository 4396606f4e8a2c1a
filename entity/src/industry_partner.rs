//! `industry_partner`: An employer or industry association that works with pathways.

use sea_orm::entity::prelude::*;

/// An employer or industry association that works with pathways.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "industry_partner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub website: Option<String>,
    pub naics_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub city: Option<String>,
    #[sea_orm(column_type = "Double")]
    pub lat: Option<f64>,
    #[sea_orm(column_type = "Double")]
    pub lng: Option<f64>,
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
