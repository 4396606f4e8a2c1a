//! `district`: A California school district (LEA), keyed by its CDS code where one is on record.

use sea_orm::entity::prelude::*;

/// A California school district (LEA), keyed by its CDS code where one is on record.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "district")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Its key in CTE Hub: the CDS code when it has one, else a short name (`HART_UHSD`).
    #[sea_orm(unique)]
    pub code: String,
    /// The 14-digit CDS code; none when no public source gives it (never invented).
    #[sea_orm(unique)]
    pub cds_code: Option<String>,
    pub name: String,
    /// None when no source names it.
    pub county: Option<String>,
    pub nces_id: Option<String>,
    pub website: Option<String>,
    pub status: String,
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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
