//! `funding_option`: Who can pay for a non-member student at a ROC/P (workforce board, rehabilitation, self-pay, ...).

use sea_orm::entity::prelude::*;

/// Who can pay for a non-member student at a ROC/P (workforce board, rehabilitation, self-pay, ...).
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "funding_option")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: i32,
    pub code: String,
    pub name: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    pub url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub eligibility_notes: Option<String>,
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
