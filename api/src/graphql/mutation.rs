//! What every mutation shares: the write connection, the caller, the
//! [`Writer`] it opens, and the small input helpers for partial updates.

use async_graphql::{Context, MaybeUndefined, SimpleObject, ID};
use sea_orm::DatabaseConnection;

use crate::{
    auth::Caller,
    changes::{refs, Record, Writer},
    error::ApiResult,
    ids,
};

/// The primary database (writes never go to a read replica).
#[derive(Clone)]
pub struct WriteDb(pub DatabaseConnection);

/// The id of the HTTP request, recorded in the audit trail.
#[derive(Clone)]
pub struct RequestId(pub String);

/// Opens the write transaction for the caller of this request.
pub async fn writer(ctx: &Context<'_>) -> ApiResult<Writer> {
    let caller = ctx.data_opt::<Caller>().cloned().unwrap_or_default();
    let request_id = ctx.data_opt::<RequestId>().map(|r| r.0.clone());
    let db = &ctx.data_unchecked::<WriteDb>().0;
    Writer::begin(db, &caller, request_id).await
}

/// What a delete leaves: the ID and the version of the tombstone.
#[derive(SimpleObject)]
pub struct DeletedRecord {
    /// The deleted record's ID.
    pub id: ID,
    /// Its version after the delete (the change feed's tombstone carries it too).
    pub version: i32,
}

/// Sets `target` from a `MaybeUndefined` input: omitted keeps, `null` clears.
pub fn apply<T>(target: &mut Option<T>, value: MaybeUndefined<T>) {
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *target = None,
        MaybeUndefined::Value(v) => *target = Some(v),
    }
}

/// Sets a required field when the update gives it.
pub fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

/// Like [`apply`], for inputs that must be mapped (e.g. an enum to its stored name).
pub fn apply_map<T, U>(target: &mut Option<U>, value: MaybeUndefined<T>, f: impl FnOnce(T) -> U) {
    apply(target, value.map_value(f));
}

/// Resolves an optional natural key of an update (omitted, `null`, or a key to look up).
pub async fn resolve_maybe<F, Fut>(
    value: MaybeUndefined<String>,
    f: F,
) -> ApiResult<MaybeUndefined<i32>>
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ApiResult<i32>>,
{
    Ok(match value {
        MaybeUndefined::Value(key) => MaybeUndefined::Value(f(key).await?),
        MaybeUndefined::Null => MaybeUndefined::Null,
        MaybeUndefined::Undefined => MaybeUndefined::Undefined,
    })
}

/// The whole delete mutation of any record kind: decode the ID, delete through the write path,
/// commit.
pub async fn delete_record<E: Record>(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
) -> ApiResult<DeletedRecord> {
    let key = refs::node_key("id", id, E::NODE)?;
    let writer = writer(ctx).await?;
    let gone = writer.delete::<E>(key, expected_version).await?;
    writer.commit().await?;
    Ok(DeletedRecord {
        id: ids::encode(E::NODE, E::key(&gone)),
        version: expected_version + 1,
    })
}

/// A new row of a catalogue table: the given fields plus the columns every record has
/// (id and version are set by the write path; `source` says where the facts come from).
#[macro_export]
macro_rules! new_record {
    ($model:path { $($field:ident $(: $value:expr)?),* $(,)? }, $source:expr) => {{
        let now = chrono::Utc::now();
        let source: Option<String> = $source;
        // The documented marker of illustrative details also sets the stored flag.
        let sample = source
            .as_deref()
            .is_some_and(|s| s.trim_start().starts_with("Sample data:"));
        $model {
            id: 0,
            $($field $(: $value)?,)*
            created_at: now,
            updated_at: now,
            version: 1,
            source,
            source_updated_at: Some(now.date_naive()),
            sample,
            deleted_at: None,
        }
    }};
}
