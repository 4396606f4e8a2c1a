//! `district_fact`: A count a source states for a whole district ("58 pathways across 128 schools").

use sea_orm::entity::prelude::*;

/// A count a source states for a whole district; never spread over its schools.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "district_fact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub district_id: i32,
    /// What is counted: PATHWAYS, SCHOOLS, SECTORS, FEEDER_PROGRAMS.
    pub kind: String,
    pub count: i32,
    /// The whole the count is part of ("13 of 15 sectors").
    pub out_of: Option<i32>,
    /// The fact in words, as the source gives it.
    #[sea_orm(column_type = "Text")]
    pub statement: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub source: Option<String>,
    pub source_updated_at: Option<Date>,
    pub deleted_at: Option<DateTimeUtc>,
    /// Illustrative record, not a real fact.
    pub sample: bool,
}

/// Foreign keys this record holds.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::district::Entity",
        from = "Column::DistrictId",
        to = "super::district::Column::Id"
    )]
    District,
}

impl ActiveModelBehavior for ActiveModel {}
