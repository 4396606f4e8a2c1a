//! `opportunity`: A concrete work-based-learning opening offered by an industry partner.

use sea_orm::entity::prelude::*;

/// A concrete work-based-learning opening offered by an industry partner.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub partner_id: i32,
    pub pathway_id: Option<i32>,
    pub kind: String,
    pub wbl_type_code: Option<String>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub paid: bool,
    pub hourly_wage_cents: Option<i32>,
    pub hours: Option<i32>,
    pub min_grade: Option<i32>,
    pub min_age: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub clearances: String,
    pub seats: Option<i32>,
    pub starts_on: Option<Date>,
    pub apply_by: Option<Date>,
    pub apply_url: Option<String>,
    pub location_name: Option<String>,
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
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::industry_partner::Entity",
        from = "Column::PartnerId",
        to = "super::industry_partner::Column::Id"
    )]
    Partner,
    #[sea_orm(
        belongs_to = "super::pathway::Entity",
        from = "Column::PathwayId",
        to = "super::pathway::Column::Id"
    )]
    Pathway,
}

impl ActiveModelBehavior for ActiveModel {}
