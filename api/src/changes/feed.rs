//! SQL of the change feed (`changes`, in commit order) and the audit log (newest first).

use entity::change_event;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    error::ApiResult,
    ids::NodeType,
    paging::{fetch_page, CursorKey, Keyset, Page, PageRequest, SortValue},
};

/// Narrows the audit log (IDs already decoded); all given filters must hold.
#[derive(Default, Debug, Clone)]
pub struct AuditCriteria {
    /// Changes of this record.
    pub record: Option<(NodeType, i32)>,
    /// Made by this token subject.
    pub actor_sub: Option<String>,
    /// Made for this organisation.
    pub actor_org: Option<String>,
}

fn position(event: &change_event::Model) -> CursorKey {
    CursorKey {
        sort: SortValue::Int(event.id as i64),
        id: event.id,
    }
}

/// One page of the change feed, in commit order.
pub async fn changes_page(
    db: &DatabaseConnection,
    req: &PageRequest,
) -> ApiResult<Page<change_event::Model>> {
    let order = Keyset {
        sort: change_event::Column::Id,
        id: change_event::Column::Id,
        descending: false,
    };
    fetch_page(db, change_event::Entity::find(), order, req, position).await
}

/// One page of the audit log, newest first.
pub async fn audit_page(
    db: &DatabaseConnection,
    criteria: AuditCriteria,
    req: &PageRequest,
) -> ApiResult<Page<change_event::Model>> {
    let mut select = change_event::Entity::find();
    if let Some((node_type, key)) = criteria.record {
        select = select
            .filter(change_event::Column::RecordType.eq(node_type.name()))
            .filter(change_event::Column::RecordKey.eq(key));
    }
    if let Some(sub) = criteria.actor_sub {
        select = select.filter(change_event::Column::ActorSub.eq(sub));
    }
    if let Some(org) = criteria.actor_org {
        select = select.filter(change_event::Column::ActorOrg.eq(org));
    }
    let order = Keyset {
        sort: change_event::Column::Id,
        id: change_event::Column::Id,
        descending: true,
    };
    fetch_page(db, select, order, req, position).await
}
