//! `industry_partnership`: An industry partner's tie to a pathway (optionally a program or course) and what it offers.

use sea_orm::entity::prelude::*;

/// An industry partner's tie to a pathway (optionally a program or course) and what it offers.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "industry_partnership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partner_id: i32,
    pub pathway_id: i32,
    pub program_id: Option<i32>,
    pub course_id: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub kinds: String,
    pub started_on: Option<Date>,
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
        belongs_to = "super::industry_partner::Entity",
        from = "Column::PartnerId",
        to = "super::industry_partner::Column::Id"
    )]
    Partner,
    #[sea_orm(
        belongs_to = "super::pathway::Entity",
        from = "Column::PathwayId",
        to = "super::pathway::Column::Id"
    )]
    Pathway,
    #[sea_orm(
        belongs_to = "super::regional_program::Entity",
        from = "Column::ProgramId",
        to = "super::regional_program::Column::Id"
    )]
    Program,
    #[sea_orm(
        belongs_to = "super::course::Entity",
        from = "Column::CourseId",
        to = "super::course::Column::Id"
    )]
    Course,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::industry_partner::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Partner.def()
    }
}
