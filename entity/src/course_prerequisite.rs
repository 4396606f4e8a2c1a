//! `course_prerequisite`: A course that must be completed before another.

use sea_orm::entity::prelude::*;

/// A course that must be completed before another.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course_prerequisite")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub prerequisite_id: i32,
}

/// Foreign keys this record holds.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::course::Entity",
        from = "Column::CourseId",
        to = "super::course::Column::Id"
    )]
    Course,
    #[sea_orm(
        belongs_to = "super::course::Entity",
        from = "Column::PrerequisiteId",
        to = "super::course::Column::Id"
    )]
    Prerequisite,
}

impl ActiveModelBehavior for ActiveModel {}
