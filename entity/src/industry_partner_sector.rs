//! `industry_partner_sector`: Which sectors an industry partner works in.

use sea_orm::entity::prelude::*;

/// Which sectors an industry partner works in.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "industry_partner_sector")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partner_id: i32,
    pub sector_id: i32,
}

/// Foreign keys this record holds.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::industry_partner::Entity",
        from = "Column::PartnerId",
        to = "super::industry_partner::Column::Id"
    )]
    Partner,
    #[sea_orm(
        belongs_to = "super::industry_sector::Entity",
        from = "Column::SectorId",
        to = "super::industry_sector::Column::Id"
    )]
    Sector,
}

impl ActiveModelBehavior for ActiveModel {}
