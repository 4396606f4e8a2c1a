//! The one write path. Every mutation (and import) opens a [`Writer`], which
//! takes the change lock (so writers run one at a time and change positions
//! follow commit order), checks the caller against the record's owners before
//! and after the change, refuses stale versions, writes, refreshes the search
//! index and appends a `change_event` row, all in one transaction: a failure
//! anywhere leaves no row and no audit entry behind.

use chrono::Utc;
use entity::change_event;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IdenStatic, IntoActiveModel,
    Iterable, ModelTrait, QueryFilter, SqlErr, TransactionTrait, Value,
};
use serde_json::{Map, Value as Json};

use super::{links::Link, snapshot, Record};
use crate::{
    auth::{
        scope::{check_owners, require_principal},
        Caller, Principal, Role,
    },
    error::{ApiError, ApiResult},
};

/// The operations the change feed and the audit log name.
pub const CREATE: &str = "CREATE";
pub const UPDATE: &str = "UPDATE";
pub const DELETE: &str = "DELETE";

/// An open write transaction on behalf of one principal.
pub struct Writer {
    txn: DatabaseTransaction,
    principal: Principal,
    request_id: Option<String>,
}

impl Writer {
    /// Opens the transaction for an authenticated caller (`UNAUTHENTICATED` otherwise) and takes
    /// the change lock before reading anything, so concurrent writers see each other's commits.
    pub async fn begin(
        db: &DatabaseConnection,
        caller: &Caller,
        request_id: Option<String>,
    ) -> ApiResult<Self> {
        let principal = require_principal(caller)?.clone();
        let txn = db.begin().await?;
        txn.execute_unprepared("UPDATE change_lock SET writes = writes + 1 WHERE id = 1")
            .await?;
        Ok(Writer {
            txn,
            principal,
            request_id,
        })
    }

    /// The transaction, for lookups that must see this writer's own changes.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Who is writing.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Makes every change of this writer visible at once, and tells every instance's response
    /// cache ([`super::version`]): PostgreSQL delivers the `NOTIFY` only if the commit succeeds.
    pub async fn commit(self) -> ApiResult<()> {
        super::version::announce(&self.txn).await?;
        self.txn.commit().await?;
        super::version::note_local_write();
        Ok(())
    }

    /// Drops every change of this writer (dry runs, rejected imports).
    pub async fn rollback(self) -> ApiResult<()> {
        Ok(self.txn.rollback().await?)
    }

    /// Inserts a new record (its `id`, version and timestamps are set here).
    pub async fn create<E: Record>(&self, model: E::Model) -> ApiResult<E::Model> {
        super::validate::record::<E>(&model)?;
        self.check::<E>(&model).await?;
        let now = Utc::now();
        let mut active = model.into_active_model().reset_all();
        active.not_set(column::<E>("id")?);
        active.set(column::<E>("version")?, Value::Int(Some(1)));
        active.set(column::<E>("created_at")?, now.into());
        active.set(column::<E>("updated_at")?, now.into());
        let saved = active
            .insert(&self.txn)
            .await
            .map_err(|e| conflict_or_db::<E>(e))?;
        self.after_write::<E>(&saved, CREATE, None, Some(snapshot::of::<E>(&saved)))
            .await?;
        Ok(saved)
    }

    /// Inserts many new records in a few multi-row statements, with one feed entry each: the
    /// import path, where one statement per row would make a 20,000-row file slow. Each model is
    /// validated and checked against the caller's scope first, as [`Writer::create`] does.
    pub async fn create_many<E: Record>(&self, models: Vec<E::Model>) -> ApiResult<Vec<E::Model>> {
        for model in &models {
            super::validate::record::<E>(model)?;
            self.check::<E>(model).await?;
        }
        self.insert_checked::<E>(models).await
    }

    /// [`Writer::create_many`] for rows the caller has already validated and checked one by one
    /// (the import planner, which turns refusals into per-line rejections): the owner lookups
    /// are not repeated.
    pub(crate) async fn insert_checked<E: Record>(
        &self,
        models: Vec<E::Model>,
    ) -> ApiResult<Vec<E::Model>> {
        let columns = E::Column::iter().count().max(1);
        // SQLite allows 32,766 bound values per statement; stay well under it.
        let chunk = (20_000 / columns).clamp(1, 1_000);
        let now = Utc::now();
        let mut saved = Vec::with_capacity(models.len());
        let mut models = models.into_iter().peekable();
        while models.peek().is_some() {
            let mut batch = Vec::with_capacity(chunk);
            for model in models.by_ref().take(chunk) {
                let mut active = model.into_active_model().reset_all();
                active.not_set(column::<E>("id")?);
                active.set(column::<E>("version")?, Value::Int(Some(1)));
                active.set(column::<E>("created_at")?, now.into());
                active.set(column::<E>("updated_at")?, now.into());
                batch.push(active);
            }
            let inserted = E::insert_many(batch)
                .exec_with_returning(&self.txn)
                .await
                .map_err(|e| conflict_or_db::<E>(e))?;
            saved.extend(inserted);
        }
        let mut events = Vec::with_capacity(saved.len());
        for model in &saved {
            if let Some(kind) = E::SEARCH_KIND {
                crate::catalog::search::index::refresh(&self.txn, kind, E::key(model)).await?;
            }
            events.push(self.event::<E>(model, CREATE, None, Some(snapshot::of::<E>(model)))?);
        }
        for batch in events.chunks(500) {
            change_event::Entity::insert_many(batch.to_vec())
                .exec_without_returning(&self.txn)
                .await?;
        }
        Ok(saved)
    }

    /// Changes a live record whose version is `expected_version` (`CONFLICT` otherwise).
    /// `patch` edits a copy of the stored record; only the fields it changes are written.
    pub async fn update<E: Record>(
        &self,
        id: i32,
        expected_version: i32,
        patch: impl FnOnce(&mut E::Model) -> ApiResult<()>,
    ) -> ApiResult<E::Model> {
        let before = self.live::<E>(id, expected_version).await?;
        self.check::<E>(&before).await?;
        let mut after = before.clone();
        patch(&mut after)?;
        if E::Column::iter().all(|c| before.get(c) == after.get(c)) {
            // Nothing to change: no new version, no audit entry, no feed entry.
            return Ok(before);
        }
        super::validate::record::<E>(&after)?;
        self.check::<E>(&after).await?;
        let mut active = before.clone().into_active_model();
        for column in E::Column::iter() {
            let value = after.get(column);
            if before.get(column) != value {
                active.set(column, value);
            }
        }
        active.set(
            column::<E>("version")?,
            Value::Int(Some(expected_version + 1)),
        );
        active.set(column::<E>("updated_at")?, Utc::now().into());
        let updated = E::update_many()
            .set(active)
            .filter(column::<E>("id")?.eq(id))
            .filter(column::<E>("version")?.eq(expected_version))
            .exec(&self.txn)
            .await
            .map_err(|e| conflict_or_db::<E>(e))?;
        if updated.rows_affected == 0 {
            return Err(stale::<E>(expected_version));
        }
        let saved = self.reload::<E>(id).await?;
        let before_fields = snapshot::of::<E>(&before);
        let after_fields = snapshot::of::<E>(&saved);
        let changed = snapshot::changed_before(&before_fields, &after_fields);
        self.after_write::<E>(&saved, UPDATE, Some(changed), Some(after_fields))
            .await?;
        Ok(saved)
    }

    /// Deletes a live record whose version is `expected_version`: softly (it stays for the audit
    /// trail and the feed's tombstone), and only when no live record points at it.
    pub async fn delete<E: Record>(&self, id: i32, expected_version: i32) -> ApiResult<E::Model> {
        let before = self.live::<E>(id, expected_version).await?;
        self.check::<E>(&before).await?;
        for (table, fk) in E::DEPENDENTS {
            let row = self
                .txn
                .query_one_raw(crate::db::statement(
                    self.txn.get_database_backend(),
                    &format!(
                        "SELECT COUNT(*) AS n FROM {table} WHERE {fk} = ? AND deleted_at IS NULL"
                    ),
                    vec![id.into()],
                ))
                .await?;
            let n: i64 = row.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
            if n > 0 {
                return Err(ApiError::Conflict(format!(
                    "this {} is still used by {n} live {} record(s); delete or move them first",
                    E::LABEL,
                    table.replace('_', " ")
                )));
            }
        }
        let now = Utc::now();
        let updated = E::update_many()
            .col_expr(column::<E>("deleted_at")?, Expr::value(now))
            .col_expr(column::<E>("updated_at")?, Expr::value(now))
            .col_expr(column::<E>("version")?, Expr::value(expected_version + 1))
            .filter(column::<E>("id")?.eq(id))
            .filter(column::<E>("version")?.eq(expected_version))
            .exec(&self.txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(stale::<E>(expected_version));
        }
        let mut tombstone = before.clone();
        tombstone.set(
            column::<E>("version")?,
            Value::Int(Some(expected_version + 1)),
        );
        self.after_write::<E>(&tombstone, DELETE, Some(snapshot::of::<E>(&before)), None)
            .await?;
        Ok(tombstone)
    }

    /// Adds a link row (its `id` is set here), with a `CREATE` event in the feed.
    pub async fn link<L: Link>(&self, model: L::Model) -> ApiResult<L::Model> {
        self.check_link::<L>(&model).await?;
        let mut active = model.into_active_model().reset_all();
        active.not_set(column::<L>("id")?);
        let saved = active
            .insert(&self.txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    ApiError::Conflict(format!("this {} is already there", L::LABEL))
                }
                Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::Conflict(format!(
                    "this {} refers to a record that does not exist",
                    L::LABEL
                )),
                _ => ApiError::Database(e),
            })?;
        let fields = snapshot::of::<L>(&saved);
        self.raw_event(
            L::RECORD_TYPE,
            L::key(&saved),
            1,
            CREATE,
            None,
            Some(fields),
        )
        .insert(&self.txn)
        .await?;
        Ok(saved)
    }

    /// Removes a link row, with a `DELETE` event (its last fields in the audit log).
    pub async fn unlink<L: Link>(&self, model: L::Model) -> ApiResult<()> {
        self.check_link::<L>(&model).await?;
        let key = L::key(&model);
        let deleted = L::delete_many()
            .filter(column::<L>("id")?.eq(key))
            .exec(&self.txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(ApiError::NotFound(format!("no {} has this id", L::LABEL)));
        }
        let fields = snapshot::of::<L>(&model);
        self.raw_event(L::RECORD_TYPE, key, 1, DELETE, Some(fields), None)
            .insert(&self.txn)
            .await?;
        Ok(())
    }

    /// The authorization rule for a link, on the owners of its first record.
    pub async fn check_link<L: Link>(&self, model: &L::Model) -> ApiResult<()> {
        if self.principal.has(Role::Admin) {
            return Ok(());
        }
        let owners = L::owners(&self.txn, model).await?;
        check_owners(&self.principal, L::LABEL, &owners)
    }

    /// The live record `id` at `expected_version`.
    async fn live<E: Record>(&self, id: i32, expected_version: i32) -> ApiResult<E::Model> {
        let found = E::find()
            .filter(column::<E>("id")?.eq(id))
            .filter(column::<E>("deleted_at")?.is_null())
            .one(&self.txn)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no live {} has this id", E::LABEL)))?;
        let version = match found.get(column::<E>("version")?) {
            Value::Int(Some(v)) => v,
            _ => return Err(ApiError::Internal(format!("{} without version", E::LABEL))),
        };
        if version != expected_version {
            return Err(stale::<E>(expected_version));
        }
        Ok(found)
    }

    async fn reload<E: Record>(&self, id: i32) -> ApiResult<E::Model> {
        E::find()
            .filter(column::<E>("id")?.eq(id))
            .one(&self.txn)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("{} {id} vanished mid-write", E::LABEL)))
    }

    /// The authorization rule, on the owners of `model` (imports ask before writing, to
    /// report out-of-scope rows instead of failing on the first).
    pub async fn check<E: Record>(&self, model: &E::Model) -> ApiResult<()> {
        if self.principal.has(Role::Admin) {
            // Admins may change anything: skip the owner lookups (one per row in an import).
            return Ok(());
        }
        let owners = E::owners(&self.txn, model).await?;
        check_owners(&self.principal, E::LABEL, &owners)
    }

    async fn after_write<E: Record>(
        &self,
        model: &E::Model,
        operation: &str,
        before: Option<Map<String, Json>>,
        after: Option<Map<String, Json>>,
    ) -> ApiResult<()> {
        if let Some(kind) = E::SEARCH_KIND {
            crate::catalog::search::index::refresh(&self.txn, kind, E::key(model)).await?;
        }
        self.event::<E>(model, operation, before, after)?
            .insert(&self.txn)
            .await?;
        Ok(())
    }

    /// The audit and feed entry of one change by this writer.
    fn event<E: Record>(
        &self,
        model: &E::Model,
        operation: &str,
        before: Option<Map<String, Json>>,
        after: Option<Map<String, Json>>,
    ) -> ApiResult<change_event::ActiveModel> {
        let version = match model.get(column::<E>("version")?) {
            Value::Int(Some(v)) => v,
            _ => 0,
        };
        Ok(self.raw_event(
            E::NODE.name(),
            E::key(model),
            version,
            operation,
            before,
            after,
        ))
    }

    fn raw_event(
        &self,
        record_type: &str,
        key: i32,
        version: i32,
        operation: &str,
        before: Option<Map<String, Json>>,
        after: Option<Map<String, Json>>,
    ) -> change_event::ActiveModel {
        change_event::ActiveModel {
            occurred_at: Set(Utc::now()),
            record_type: Set(record_type.to_owned()),
            record_key: Set(key),
            operation: Set(operation.to_owned()),
            record_version: Set(version),
            actor_sub: Set(Some(self.principal.sub.clone())),
            actor_org: Set(Some(self.principal.org.clone())),
            request_id: Set(self.request_id.clone()),
            before_state: Set(before.map(|m| Json::Object(m).to_string())),
            after_state: Set(after.map(|m| Json::Object(m).to_string())),
            ..Default::default()
        }
    }
}

/// The column of `E` called `name` (every catalogue table has id, version, timestamps, deleted_at).
pub fn column<E: EntityTrait>(name: &str) -> ApiResult<E::Column> {
    E::Column::iter()
        .find(|c| c.as_str() == name)
        .ok_or_else(|| ApiError::Internal(format!("table has no column {name}")))
}

fn stale<E: Record>(expected: i32) -> ApiError {
    ApiError::Conflict(format!(
        "this {} changed since version {expected}: read it again and reapply your change",
        E::LABEL
    ))
}

fn conflict_or_db<E: Record>(err: DbErr) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::Conflict(format!(
            "another {} already has this code (deleted records keep theirs)",
            E::LABEL
        )),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => ApiError::Conflict(format!(
            "this {} refers to a record that does not exist",
            E::LABEL
        )),
        _ => ApiError::Database(err),
    }
}
