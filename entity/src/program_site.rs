//! `program_site`: A place where a ROC/P teaches: its central campus or a member high school.

use sea_orm::entity::prelude::*;

/// A place where a ROC/P teaches: its central campus or a member high school.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "program_site")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: i32,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub school_id: Option<i32>,
    pub address: Option<String>,
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
        belongs_to = "super::regional_program::Entity",
        from = "Column::ProgramId",
        to = "super::regional_program::Column::Id"
    )]
    Program,
    #[sea_orm(
        belongs_to = "super::school::Entity",
        from = "Column::SchoolId",
        to = "super::school::Column::Id"
    )]
    School,
}

impl ActiveModelBehavior for ActiveModel {}
