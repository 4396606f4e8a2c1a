//! `dual_enrollment_agreement`: An agreement between a college and a district or ROC/P (CCAP, articulation).

use sea_orm::entity::prelude::*;

/// An agreement between a college and a district or ROC/P (CCAP, articulation).
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dual_enrollment_agreement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub college_id: i32,
    pub district_id: Option<i32>,
    pub program_id: Option<i32>,
    pub kind: String,
    pub approved_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub url: Option<String>,
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
        belongs_to = "super::college::Entity",
        from = "Column::CollegeId",
        to = "super::college::Column::Id"
    )]
    College,
    #[sea_orm(
        belongs_to = "super::district::Entity",
        from = "Column::DistrictId",
        to = "super::district::Column::Id"
    )]
    District,
    #[sea_orm(
        belongs_to = "super::regional_program::Entity",
        from = "Column::ProgramId",
        to = "super::regional_program::Column::Id"
    )]
    Program,
}

impl ActiveModelBehavior for ActiveModel {}
