//! GraphQL types of the change feed and the audit log.

use async_graphql::{Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::change_event;
use serde_json::{Map, Value as Json};

use crate::{connection_types, ids, ids::NodeType, vocabulary::Stored};

/// What happened to a record.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ChangeOperation {
    /// The record appeared.
    Create,
    /// Some of its fields changed.
    Update,
    /// It was deleted (a tombstone: remove it from your copy).
    Delete,
}

impl ChangeOperation {
    /// The stored operation (`CREATE`, `UPDATE`, `DELETE`: [`super::write`]).
    fn read(stored: &str) -> Self {
        Self::from_stored(stored).unwrap_or(ChangeOperation::Update)
    }
}

fn global_id(event: &change_event::Model) -> ID {
    match NodeType::from_name(&event.record_type) {
        Some(node_type) => ids::encode(node_type, event.record_key),
        None => ID(format!("{}:{}", event.record_type, event.record_key)),
    }
}

fn parse_state(state: &Option<String>) -> Option<Map<String, Json>> {
    let mut fields = state
        .as_deref()
        .and_then(|text| serde_json::from_str::<Map<String, Json>>(text).ok())?;
    for value in fields.values_mut() {
        if let Some(fixed) = value.as_str().and_then(legacy_literal) {
            *value = Json::String(fixed);
        }
    }
    Some(fields)
}

/// Entries written before the feed's format was fixed hold dates and timestamps as quoted SQL
/// literals (`'2026-12-01 00:53:43.932293 +00:00'`, `'2027-01-04'`): give them in the
/// documented format (RFC 3339 / `YYYY-MM-DD`; their precision is what was kept then).
fn legacy_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    if let Ok(t) = DateTime::parse_from_str(inner, "%Y-%m-%d %H:%M:%S%.f %:z") {
        return Some(
            t.with_timezone(&Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
    }
    chrono::NaiveDate::parse_from_str(inner, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// One entry of the change feed: apply them in order to keep a copy of the catalogue current.
#[derive(Clone)]
pub struct Change(pub change_event::Model);

/// One entry of the change feed: apply them in order to keep a copy of the catalogue current.
#[Object]
impl Change {
    /// What happened.
    async fn operation(&self) -> ChangeOperation {
        ChangeOperation::read(&self.0.operation)
    }
    /// The GraphQL type of the record (`Course`, `CourseOffering`, ...), or the link table
    /// (`CourseCertification`, `CoursePrerequisite`, `IndustryPartnerSector`, `SchoolPathwayCourse`).
    async fn record_type(&self) -> &str {
        &self.0.record_type
    }
    /// The record's global ID (what `node(id:)` takes); for a link row (`CourseCertification`,
    /// `CoursePrerequisite`, `IndustryPartnerSector`, `SchoolPathwayCourse`) `<recordType>:<id>`.
    async fn record_id(&self) -> ID {
        global_id(&self.0)
    }
    /// The record's version after this change.
    async fn version(&self) -> i32 {
        self.0.record_version
    }
    /// When the change was committed.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// Every stored field of the record after the change (camelCase column names, ids as
    /// integers, timestamps RFC 3339 in UTC at the stored precision, dates YYYY-MM-DD); null
    /// for a delete.
    async fn record(&self) -> Option<Json> {
        parse_state(&self.0.after_state).map(Json::Object)
    }
}

connection_types!(
    Change,
    ChangeConnection,
    ChangeEdge,
    "The change feed, oldest first. Keep `pageInfo.endCursor` and pass it as `since` next time."
);

/// One field an audited change touched.
#[derive(SimpleObject, Clone)]
pub struct FieldChange {
    /// The field (camelCase column name).
    pub field: String,
    /// Its value before (null when the record was created).
    pub before: Option<Json>,
    /// Its value after (null when the record was deleted).
    pub after: Option<Json>,
}

/// Who changed what, when: one audited mutation or import row.
#[derive(Clone)]
pub struct AuditEntry(pub change_event::Model);

/// Who changed what, when: one audited mutation or import row (admins only).
#[Object]
impl AuditEntry {
    /// When the change was committed.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The token's `sub`: the API client or user.
    async fn actor_sub(&self) -> Option<&str> {
        self.0.actor_sub.as_deref()
    }
    /// The organisation the actor acted for.
    async fn actor_org(&self) -> Option<&str> {
        self.0.actor_org.as_deref()
    }
    /// The request id (also in the server log).
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// What happened.
    async fn operation(&self) -> ChangeOperation {
        ChangeOperation::read(&self.0.operation)
    }
    /// The GraphQL type of the record.
    async fn record_type(&self) -> &str {
        &self.0.record_type
    }
    /// The record's global ID.
    async fn record_id(&self) -> ID {
        global_id(&self.0)
    }
    /// The record's version after the change.
    async fn version(&self) -> i32 {
        self.0.record_version
    }
    /// The fields that changed, with their values before and after.
    async fn changes(&self) -> Vec<FieldChange> {
        let before = parse_state(&self.0.before_state).unwrap_or_default();
        let after = parse_state(&self.0.after_state).unwrap_or_default();
        match ChangeOperation::read(&self.0.operation) {
            ChangeOperation::Create => after
                .into_iter()
                .map(|(field, value)| FieldChange {
                    field,
                    before: None,
                    after: Some(value),
                })
                .collect(),
            ChangeOperation::Update => before
                .into_iter()
                .map(|(field, value)| FieldChange {
                    after: after.get(&field).cloned(),
                    field,
                    before: Some(value),
                })
                .collect(),
            ChangeOperation::Delete => before
                .into_iter()
                .map(|(field, value)| FieldChange {
                    field,
                    before: Some(value),
                    after: None,
                })
                .collect(),
        }
    }
}

connection_types!(
    AuditEntry,
    AuditEntryConnection,
    AuditEntryEdge,
    "Audited changes, newest first."
);

#[cfg(test)]
mod tests {
    #[test]
    fn old_entries_read_in_the_documented_format() {
        assert_eq!(
            super::legacy_literal("'2026-12-01 00:53:43.932293 +00:00'").as_deref(),
            Some("2026-12-01T00:53:43.932293Z")
        );
        assert_eq!(
            super::legacy_literal("'2027-01-04'").as_deref(),
            Some("2027-01-04")
        );
        assert_eq!(super::legacy_literal("O'Neil"), None);
    }
}
