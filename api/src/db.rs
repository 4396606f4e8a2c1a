//! Database connections and the few places where SQLite and PostgreSQL differ.
//!
//! Everything else in the code base is written once and runs on both.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};

use crate::config::PoolSettings;
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DbErr, Statement, Value,
};

/// Counts SQL statements sent by a connection: for `/metrics` and for tests that
/// prove a request's statement count does not grow with its page size.
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements executed so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens a pool on `url` (a `sqlite://` or `postgres://` URL) and counts its statements.
pub async fn connect(url: &str, counter: &StatementCounter) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, counter, &PoolSettings::default()).await
}

/// Like [`connect`], with the server's pool settings: a short acquire timeout so a
/// dead database answers `SERVICE_UNAVAILABLE` fast, and connections tested before
/// use and closed when idle so a restarted database is reached again by itself.
pub async fn connect_with(
    url: &str,
    counter: &StatementCounter,
    pool: &PoolSettings,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    let is_sqlite = url.starts_with("sqlite:");
    options
        .max_connections(if is_sqlite { 4 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(pool.acquire_timeout_secs.max(1)))
        .idle_timeout(Duration::from_secs(pool.idle_timeout_secs.max(1)))
        .test_before_acquire(true)
        .sqlx_logging(false);
    // sqlx turns SQLite foreign keys on and sets a busy timeout on every pooled connection.
    let mut db = Database::connect(options).await?;
    let counter = counter.0.clone();
    db.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::Relaxed);
        tracing::trace!(target: "cte_hub::sql", sql = %info.statement.sql, elapsed_us = info.elapsed.as_micros() as u64, failed = info.failed);
    });
    Ok(db)
}

/// Connections of a pool, read when `/metrics` is scraped.
#[derive(Clone, Copy, Debug, Default)]
pub struct PoolStats {
    /// Open connections lent to a query right now.
    pub in_use: u32,
    /// Open connections waiting in the pool.
    pub idle: u32,
}

/// The pool's open and idle connections (zero for a backend without a sqlx pool).
pub fn pool_stats(db: &DatabaseConnection) -> PoolStats {
    let (size, idle) = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => (0, 0),
    };
    PoolStats {
        in_use: size.saturating_sub(idle),
        idle,
    }
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Builds a raw statement written with `?` placeholders for the connection's backend.
///
/// PostgreSQL numbers its placeholders (`$1`); the SQL given here never contains
/// a literal `?`, so a plain rewrite is safe.
pub fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// A custom SQL expression written with `?` placeholders, for use inside
/// sea-query conditions on either database (sea-query's PostgreSQL builder
/// takes `$` there, in order when unnumbered).
pub fn custom_expr(
    backend: DatabaseBackend,
    sql: impl Into<String>,
    values: Vec<Value>,
) -> sea_orm::sea_query::SimpleExpr {
    let sql: String = sql.into();
    let sql = match backend {
        DatabaseBackend::Postgres => sql.replace('?', "$"),
        _ => sql,
    };
    sea_orm::sea_query::Expr::cust_with_values(sql, values)
}
