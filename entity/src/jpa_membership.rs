//! `jpa_membership`: A district's membership in a ROC/P's joint powers agreement, with dates and covered benefits.

use sea_orm::entity::prelude::*;

/// A district's membership in a ROC/P's joint powers agreement, with dates and covered benefits.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jpa_membership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: i32,
    pub district_id: i32,
    pub joined_on: Date,
    /// How precisely `joined_on` is known: DAY, MONTH, YEAR or UNKNOWN.
    pub joined_on_precision: String,
    pub withdrawn_on: Option<Date>,
    pub covers_tuition: bool,
    pub covers_materials: bool,
    pub covers_transportation: bool,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
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
        belongs_to = "super::regional_program::Entity",
        from = "Column::ProgramId",
        to = "super::regional_program::Column::Id"
    )]
    Program,
    #[sea_orm(
        belongs_to = "super::district::Entity",
        from = "Column::DistrictId",
        to = "super::district::Column::Id"
    )]
    District,
}

impl ActiveModelBehavior for ActiveModel {}
