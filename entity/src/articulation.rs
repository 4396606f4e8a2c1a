//! `articulation`: College credit for a course: the college course it counts as, units and years.

use sea_orm::entity::prelude::*;

/// College credit for a course: the college course it counts as, units and years.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "articulation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub college_id: i32,
    pub agreement_id: Option<i32>,
    pub kind: String,
    pub college_course_code: String,
    pub college_course_title: Option<String>,
    #[sea_orm(column_type = "Double")]
    pub units: Option<f64>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
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
        belongs_to = "super::course::Entity",
        from = "Column::CourseId",
        to = "super::course::Column::Id"
    )]
    Course,
    #[sea_orm(
        belongs_to = "super::college::Entity",
        from = "Column::CollegeId",
        to = "super::college::Column::Id"
    )]
    College,
    #[sea_orm(
        belongs_to = "super::dual_enrollment_agreement::Entity",
        from = "Column::AgreementId",
        to = "super::dual_enrollment_agreement::Column::Id"
    )]
    Agreement,
}

impl ActiveModelBehavior for ActiveModel {}
