//! `change_event`: one create, update or delete of a catalogue record: the audit trail
//! (who, when, before/after) and the change feed (its id is the feed position).

use sea_orm::entity::prelude::*;

/// One change of one catalogue record, written in the same transaction as the change.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub occurred_at: DateTimeUtc,
    pub record_type: String,
    pub record_key: i32,
    pub operation: String,
    pub record_version: i32,
    pub actor_sub: Option<String>,
    pub actor_org: Option<String>,
    pub request_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub before_state: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub after_state: Option<String>,
}

/// No foreign keys: the log outlives the records it describes.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
