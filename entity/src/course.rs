//! `course`: A course in a ROC/P's or a district's catalogue, one step of a pathway.

use sea_orm::entity::prelude::*;

/// A course in a ROC/P's or a district's catalogue, one step of a pathway.
///
/// Exactly one owner: `program_id` (a ROC/P) or `district_id` (a district, and
/// optionally one of its schools); the database checks it.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: Option<i32>,
    pub pathway_id: Option<i32>,
    pub code: String,
    pub state_course_code: Option<String>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub level: String,
    pub catalog_school: Option<String>,
    pub hours: Option<i32>,
    pub high_school_credits: Option<i32>,
    pub ag_area: Option<String>,
    pub uc_approved_year: Option<i32>,
    pub honors: bool,
    pub min_grade: Option<i32>,
    pub min_age: Option<i32>,
    pub ctso: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub source: Option<String>,
    pub source_updated_at: Option<Date>,
    /// Illustrative record, not a real fact (the sample catalogue, or marked so on import).
    pub sample: bool,
    pub deleted_at: Option<DateTimeUtc>,
    /// The district that runs the course itself (no ROC/P).
    pub district_id: Option<i32>,
    /// The district's school that teaches it, when the source says.
    pub school_id: Option<i32>,
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
        belongs_to = "super::pathway::Entity",
        from = "Column::PathwayId",
        to = "super::pathway::Column::Id"
    )]
    Pathway,
}

impl ActiveModelBehavior for ActiveModel {}
