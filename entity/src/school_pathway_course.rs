//! `school_pathway_course`: A course of a school pathway's sequence, or a middle-school feeder course.

use sea_orm::entity::prelude::*;

/// A course of a school pathway's sequence, or a middle-school feeder course.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "school_pathway_course")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub school_pathway_id: i32,
    pub course_id: i32,
    /// A middle-school exploration course that feeds the pathway, not a step of it.
    pub feeder: bool,
}

/// Foreign keys this record holds.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::school_pathway::Entity",
        from = "Column::SchoolPathwayId",
        to = "super::school_pathway::Column::Id"
    )]
    SchoolPathway,
    #[sea_orm(
        belongs_to = "super::course::Entity",
        from = "Column::CourseId",
        to = "super::course::Column::Id"
    )]
    Course,
}

impl ActiveModelBehavior for ActiveModel {}
