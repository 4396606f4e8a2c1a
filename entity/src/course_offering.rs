//! `course_offering`: One section of a course in a term at a site: what a student actually enrols in.

use sea_orm::entity::prelude::*;

/// One section of a course in a term at a site: what a student actually enrols in.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course_offering")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub term_id: i32,
    pub site_id: Option<i32>,
    pub section: String,
    pub schedule: String,
    pub meeting_days: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub modality: String,
    pub capacity: Option<i32>,
    pub seats_available: Option<i32>,
    pub status: String,
    pub transportation_provided: bool,
    pub tuition_cents: i32,
    pub materials_fee_cents: i32,
    pub instructor_name: Option<String>,
    pub enrollment_opens_on: Option<Date>,
    pub enrollment_closes_on: Option<Date>,
    pub registration_url: Option<String>,
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
        belongs_to = "super::term::Entity",
        from = "Column::TermId",
        to = "super::term::Column::Id"
    )]
    Term,
    #[sea_orm(
        belongs_to = "super::program_site::Entity",
        from = "Column::SiteId",
        to = "super::program_site::Column::Id"
    )]
    Site,
}

impl ActiveModelBehavior for ActiveModel {}
