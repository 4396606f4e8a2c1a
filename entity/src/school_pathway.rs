//! `school_pathway`: A pathway a district, or one of its schools, runs itself as a program of study.

use sea_orm::entity::prelude::*;

/// A pathway a district, or one of its schools, runs itself as a program of study.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "school_pathway")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub district_id: i32,
    pub school_id: Option<i32>,
    /// The state pathway; null when the source gives only the district's own label.
    pub pathway_id: Option<i32>,
    /// The link to the state pathway is CTE Hub's reading, not the source's.
    pub pathway_inferred: bool,
    /// The name the district uses, e.g. "Green technology".
    pub local_name: String,
    #[sea_orm(column_type = "Text")]
    pub description: Option<String>,
    /// Comma-separated completion awards (CERTIFICATE_OF_COMPLETION, ...).
    #[sea_orm(column_type = "Text")]
    pub earns: String,
    pub credit_agreement_id: Option<i32>,
    /// Comma-separated times it runs (SCHOOL_DAY, EXTENDED_DAY, SATURDAY).
    #[sea_orm(column_type = "Text")]
    pub schedules: String,
    pub ctso: Option<String>,
    pub grade_low: Option<i32>,
    pub grade_high: Option<i32>,
    /// A California Partnership Academy.
    pub academy: bool,
    pub academy_funding_program_id: Option<i32>,
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
    #[sea_orm(
        belongs_to = "super::school::Entity",
        from = "Column::SchoolId",
        to = "super::school::Column::Id"
    )]
    School,
    #[sea_orm(
        belongs_to = "super::pathway::Entity",
        from = "Column::PathwayId",
        to = "super::pathway::Column::Id"
    )]
    Pathway,
}

impl ActiveModelBehavior for ActiveModel {}
