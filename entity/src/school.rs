//! `school`: A school; eligibility asked by school resolves to its district.

use sea_orm::entity::prelude::*;

/// A school; eligibility asked by school resolves to its district.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "school")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Its key in CTE Hub: the CDS code when it has one, else a short name (`HART_UHSD`).
    #[sea_orm(unique)]
    pub code: String,
    /// The 14-digit CDS code; none when no public source gives it (never invented).
    #[sea_orm(unique)]
    pub cds_code: Option<String>,
    pub district_id: i32,
    pub name: String,
    pub city: Option<String>,
    #[sea_orm(column_type = "Double")]
    pub lat: Option<f64>,
    #[sea_orm(column_type = "Double")]
    pub lng: Option<f64>,
    pub grade_low: Option<i32>,
    pub grade_high: Option<i32>,
    pub nces_id: Option<String>,
    pub status: String,
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
        belongs_to = "super::district::Entity",
        from = "Column::DistrictId",
        to = "super::district::Column::Id"
    )]
    District,
}

impl ActiveModelBehavior for ActiveModel {}
