//! `search_document`: one searchable text per record, indexed for full-text search.

use sea_orm::entity::prelude::*;

/// The text of one record as search sees it; the full-text index is per database (see the migration).
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "search_document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub record_id: i32,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Copied from the record: lets search leave sample records out.
    pub sample: bool,
}

/// No foreign keys: `record_id` points into the table named by `kind`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
