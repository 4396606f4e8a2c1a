//! `contact`: A public contact by role (office, counselor desk, CTE coordinator) of a ROC/P, a school or an educator program; never a person.

use sea_orm::entity::prelude::*;

/// A public contact by role (office, counselor desk, CTE coordinator) of a ROC/P, a school or an educator program; never a person.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: Option<i32>,
    pub school_id: Option<i32>,
    pub educator_program_id: Option<i32>,
    pub role: String,
    pub label: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
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
    #[sea_orm(
        belongs_to = "super::educator_program::Entity",
        from = "Column::EducatorProgramId",
        to = "super::educator_program::Column::Id"
    )]
    EducatorProgram,
}

impl ActiveModelBehavior for ActiveModel {}
