//! `college`: A dual-enrollment partner college or university.

use sea_orm::entity::prelude::*;

/// A dual-enrollment partner college or university.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "college")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    #[sea_orm(unique)]
    pub ipeds_id: Option<String>,
    pub name: String,
    pub college_district: Option<String>,
    pub website: Option<String>,
    pub kind: String,
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
