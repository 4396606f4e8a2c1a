//! `educator_program`: One program of an educator organisation: recruitment, credential preparation or mentorship.

use sea_orm::entity::prelude::*;

/// One program of an educator organisation: recruitment, credential preparation or mentorship.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "educator_program")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub organization_id: i32,
    pub name: String,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub serves: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub compensation: Option<String>,
    pub meeting_cadence: Option<String>,
    pub cohort_size: Option<i32>,
    pub registration_url: Option<String>,
    pub enrollment_opens_on: Option<Date>,
    pub enrollment_closes_on: Option<Date>,
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
        belongs_to = "super::educator_organization::Entity",
        from = "Column::OrganizationId",
        to = "super::educator_organization::Column::Id"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
