//! `educator_organization`: An organisation that recruits, prepares or supports CTE teachers (nonprofit, district or college).

use sea_orm::entity::prelude::*;

/// An organisation that recruits, prepares or supports CTE teachers (nonprofit, district or college).
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "educator_organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub founded_year: Option<i32>,
    pub website: Option<String>,
    pub city: Option<String>,
    pub district_id: Option<i32>,
    pub professionals_recruited: Option<i32>,
    pub students_reached: Option<i32>,
    pub partner_schools: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub counts_wording: Option<String>,
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
