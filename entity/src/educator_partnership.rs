//! `educator_partnership`: An educator program's partnership with a district: school years, funders, teachers and mentors per year.

use sea_orm::entity::prelude::*;

/// An educator program's partnership with a district: school years, funders, teachers and mentors per year.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "educator_partnership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub program_id: i32,
    pub district_id: i32,
    pub announced_on: Option<Date>,
    pub first_school_year: Option<String>,
    pub last_school_year: Option<String>,
    pub starts_wording: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub funders: String,
    pub new_teachers_per_year: Option<i32>,
    pub mentors_per_year: Option<i32>,
    pub expected_students: Option<i32>,
    pub expected_students_wording: Option<String>,
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
        belongs_to = "super::educator_program::Entity",
        from = "Column::ProgramId",
        to = "super::educator_program::Column::Id"
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
