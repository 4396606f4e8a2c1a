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

/// A database that cannot be opened, said in one sentence with what to do about it: the
/// driver's own text ("... at line 948", "error returned from database: ...") names
/// PostgreSQL's source lines, not the user's mistake. The URL's password is never in it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConnectError {
    message: String,
}

impl ConnectError {
    /// Explains why `url` could not be opened.
    pub fn new(url: &str, err: &DbErr) -> Self {
        ConnectError {
            message: explain(url, err),
        }
    }

    /// The PostgreSQL server of `url` cannot be reached at all.
    fn unreachable(url: &str, io: &std::io::Error) -> Self {
        let sqlx = sea_orm::sqlx::Error::Io(std::io::Error::new(io.kind(), io.to_string()));
        Self::new(
            url,
            &DbErr::Conn(sea_orm::RuntimeErr::SqlxError(Arc::new(sqlx))),
        )
    }
}

/// `host:port` of a PostgreSQL URL.
fn postgres_address(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return None;
    }
    Some(format!(
        "{}:{}",
        parsed.host_str()?,
        parsed.port().unwrap_or(5432)
    ))
}

/// The fix hint shared by every message: the setting that holds the URL.
const FIX_URL: &str = "fix DATABASE_URL (or --database-url)";

fn explain(url: &str, err: &DbErr) -> String {
    use sea_orm::{sqlx::Error as Sqlx, RuntimeErr};
    let shown = crate::config::redact(url);
    let Some((scheme, _)) = url.split_once("://") else {
        return format!(
            "'{shown}' is not a database URL: use sqlite://FILE?mode=rwc or postgres://USER@HOST:PORT/DATABASE"
        );
    };
    let is_postgres = matches!(scheme, "postgres" | "postgresql");
    if !is_postgres && scheme != "sqlite" {
        return format!(
            "'{scheme}://' databases are not supported: use sqlite://FILE?mode=rwc or postgres://USER@HOST:PORT/DATABASE, and {FIX_URL}"
        );
    }
    let parsed = url::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".into());
    let port = parsed.as_ref().and_then(|u| u.port()).unwrap_or(5432);
    let user = parsed
        .as_ref()
        .map(|u| u.username().to_owned())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres".into());
    let database = parsed
        .as_ref()
        .map(|u| u.path().trim_start_matches('/').to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| user.clone());
    let sqlx = match err {
        DbErr::Conn(RuntimeErr::SqlxError(e)) => Some(e.as_ref()),
        _ => None,
    };
    match sqlx {
        Some(Sqlx::Database(db)) if is_postgres => match db.code().as_deref() {
            // invalid_catalog_name
            Some("3D000") => format!(
                "database '{database}' does not exist on {host}:{port}: create it with `createdb -h {host} -p {port} -U {user} {database}` or {FIX_URL}"
            ),
            // invalid_password, invalid_authorization_specification
            Some("28P01") | Some("28000") => format!(
                "PostgreSQL on {host}:{port} refused user '{user}' ({}): check the user and password, or {FIX_URL}",
                db.message()
            ),
            _ => format!(
                "PostgreSQL on {host}:{port} refused the connection to '{database}': {}",
                db.message()
            ),
        },
        Some(Sqlx::Database(db)) => format!(
            "cannot open the SQLite database {shown}: {}: check that its directory exists and is writable (add ?mode=rwc to create the file), or {FIX_URL}",
            db.message()
        ),
        Some(Sqlx::Io(io)) if is_postgres => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => format!(
                "nothing answers on {host}:{port} (connection refused): start PostgreSQL there, or {FIX_URL}"
            ),
            _ => format!("cannot reach PostgreSQL on {host}:{port} ({io}): check the host and the network, or {FIX_URL}"),
        },
        Some(Sqlx::Configuration(e)) => {
            format!("'{shown}' is not a usable database URL ({e}): {FIX_URL}")
        }
        Some(Sqlx::PoolTimedOut) if is_postgres => format!(
            "PostgreSQL on {host}:{port} did not answer within 5 s: check that it runs and is reachable, or {FIX_URL}"
        ),
        Some(Sqlx::Tls(e)) => format!("TLS to {host}:{port} failed ({e}): check sslmode in the URL, or {FIX_URL}"),
        Some(e) => format!("cannot open {shown}: {e}"),
        None => format!("cannot open {shown}: {err}"),
    }
}

/// Opens a pool on `url` (a `sqlite://` or `postgres://` URL) and counts its statements.
pub async fn connect(
    url: &str,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, ConnectError> {
    connect_with(url, counter, &PoolSettings::default()).await
}

/// Like [`connect`], with the server's pool settings: a short acquire timeout so a
/// dead database answers `SERVICE_UNAVAILABLE` fast, and connections tested before
/// use and closed when idle so a restarted database is reached again by itself.
pub async fn connect_with(
    url: &str,
    counter: &StatementCounter,
    pool: &PoolSettings,
) -> Result<DatabaseConnection, ConnectError> {
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
    let mut db = match Database::connect(options).await {
        Ok(db) => db,
        // The pool reports a refused connection as a timeout: ask the socket why.
        Err(e) => match (&e, postgres_address(url)) {
            (DbErr::Conn(sea_orm::RuntimeErr::SqlxError(inner)), Some(address))
                if matches!(inner.as_ref(), sea_orm::sqlx::Error::PoolTimedOut) =>
            {
                let probe = tokio::time::timeout(
                    Duration::from_secs(2),
                    tokio::net::TcpStream::connect(&address),
                )
                .await;
                return Err(match probe {
                    Ok(Err(io)) => ConnectError::unreachable(url, &io),
                    _ => ConnectError::new(url, &e),
                });
            }
            _ => return Err(ConnectError::new(url, &e)),
        },
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn message(url: &str) -> String {
        let err = DbErr::Conn(sea_orm::RuntimeErr::Internal("no supporting driver".into()));
        ConnectError::new(url, &err).to_string()
    }

    #[test]
    fn a_bad_url_says_which_urls_work() {
        assert_eq!(
            message("cte-hub.db"),
            "'cte-hub.db' is not a database URL: use sqlite://FILE?mode=rwc or postgres://USER@HOST:PORT/DATABASE"
        );
        assert!(message("mysql://root:pw@db/cte")
            .starts_with("'mysql://' databases are not supported: use sqlite://FILE?mode=rwc"));
    }

    #[test]
    fn a_password_never_shows() {
        let text = message("postgres://cte:secret@db.internal:5432/cte");
        assert!(!text.contains("secret"), "{text}");
    }
}
