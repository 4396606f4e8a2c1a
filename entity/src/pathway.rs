//! `pathway`: A career pathway of the CTE Model Curriculum Standards: a sequence of courses inside one sector.

use sea_orm::entity::prelude::*;

/// A career pathway of the CTE Model Curriculum Standards: a sequence of courses inside one sector.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pathway")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub sector_id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub calpads_code: Option<String>,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub aliases: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub sort_order: i32,
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
        belongs_to = "super::industry_sector::Entity",
        from = "Column::SectorId",
        to = "super::industry_sector::Column::Id"
    )]
    Sector,
}

impl ActiveModelBehavior for ActiveModel {}
