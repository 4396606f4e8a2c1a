//! A process-wide snapshot of the reference tables (sectors, pathways,
//! programs, colleges, certifications): a few hundred rows that only seeding
//! changes, read by almost every query. Loads by id and code lookups of these
//! tables are answered from the snapshot, refreshed (one statement per table)
//! when older than `--reference-cache-secs`; the portal page needs four fewer
//! SQL statements. Partner-owned records are never cached: they change through
//! mutations and must be read fresh.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, ModelTrait, QueryFilter, Value,
};

/// Every live row of each reference table, by id.
pub struct ReferenceCache {
    ttl: Duration,
    tables: Mutex<HashMap<TypeId, Snapshot>>,
}

/// When a table was read, and its rows (a `HashMap<i32, Model>` behind `Any`).
type Snapshot = (Instant, Arc<dyn Any + Send + Sync>);

/// The rows of one table, by id.
pub type Rows<E> = Arc<HashMap<i32, <E as EntityTrait>::Model>>;

impl ReferenceCache {
    /// A cache whose snapshots live `ttl` (zero: every read goes to the database).
    pub fn new(ttl: Duration) -> Self {
        ReferenceCache {
            ttl,
            tables: Mutex::new(HashMap::new()),
        }
    }

    /// Whether it caches at all.
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The live rows of `E`, from the snapshot when it is fresh.
    pub async fn rows<E>(&self, db: &DatabaseConnection) -> Result<Rows<E>, DbErr>
    where
        E: EntityTrait,
        E::Model: Send + Sync + 'static,
    {
        let key = TypeId::of::<E>();
        if let Ok(tables) = self.tables.lock() {
            if let Some((loaded, rows)) = tables.get(&key) {
                if loaded.elapsed() < self.ttl {
                    if let Ok(rows) = rows.clone().downcast::<HashMap<i32, E::Model>>() {
                        return Ok(rows);
                    }
                }
            }
        }
        let loaded = Instant::now();
        let mut select = E::find();
        if let Ok(deleted_at) = <E::Column as std::str::FromStr>::from_str("deleted_at") {
            select = select.filter(deleted_at.is_null());
        }
        let id = <E::Column as std::str::FromStr>::from_str("id")
            .map_err(|_| DbErr::Custom("reference table without id".into()))?;
        let rows = Arc::new(crate::graphql::nested::keyed_by_id::<E>(
            select.all(db).await?,
            id,
        ));
        if let Ok(mut tables) = self.tables.lock() {
            tables.insert(key, (loaded, rows.clone() as Arc<dyn Any + Send + Sync>));
        }
        Ok(rows)
    }

    /// The live row of `E` whose `code` column is `code`, from the snapshot.
    pub async fn by_code<E>(
        &self,
        db: &DatabaseConnection,
        code: &str,
    ) -> crate::error::ApiResult<Option<E::Model>>
    where
        E: EntityTrait,
        E::Model: Clone + Send + Sync + 'static,
    {
        let column = <E::Column as std::str::FromStr>::from_str("code")
            .map_err(|_| crate::error::ApiError::Internal("reference table without code".into()))?;
        let rows = self.rows::<E>(db).await?;
        Ok(rows
            .values()
            .find(|row| {
                matches!(row.get(column), Value::String(Some(c)) if crate::resolve::same_code(&c, code))
            })
            .cloned())
    }
}

/// The live row of `E` with the code given, by [`crate::resolve`]'s rule: from the snapshot
/// when caching is on (no statement), else from the database (the other lookups of a code
/// call [`crate::resolve`] directly or through their area's `store.rs`).
pub async fn find_by_code<E>(
    cache: Option<&ReferenceCache>,
    db: &DatabaseConnection,
    code: &str,
) -> crate::error::ApiResult<Option<E::Model>>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    match cache.filter(|r| r.enabled()) {
        Some(r) => r.by_code::<E>(db, code).await,
        None => crate::resolve::by_code::<E>(db, code).await,
    }
}

/// The request's snapshot, when caching is on.
pub fn cached<'a>(ctx: &'a async_graphql::Context<'_>) -> Option<&'a ReferenceCache> {
    ctx.data_opt::<Arc<ReferenceCache>>()
        .map(|r| r.as_ref())
        .filter(|r| r.enabled())
}
