//! `educator_program_sector`: Which industry sectors an educator program serves.

use sea_orm::entity::prelude::*;

/// Which industry sectors an educator program serves.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "educator_program_sector")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub program_id: i32,
    pub sector_id: i32,
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
        belongs_to = "super::industry_sector::Entity",
        from = "Column::SectorId",
        to = "super::industry_sector::Column::Id"
    )]
    Sector,
}

impl ActiveModelBehavior for ActiveModel {}
