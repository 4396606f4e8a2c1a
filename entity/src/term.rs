//! `term`: A ROC/P's term (semester, quarter, summer, supplemental).

use sea_orm::entity::prelude::*;

/// A ROC/P's term (semester, quarter, summer, supplemental).
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "term")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: i32,
    pub code: String,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub kind: String,
    pub transportation_available: bool,
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
}

impl ActiveModelBehavior for ActiveModel {}
