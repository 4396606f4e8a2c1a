//! The catalogue's data version, known without asking the database: what the response cache
//! (`http/response_cache.rs`, at the edge) keys its answers by.
//!
//! Every commit of the write path ([`super::Writer`]) bumps this process's counter, so a write
//! is visible to this instance's next read at once. On PostgreSQL the commit also sends
//! `NOTIFY cte_hub_data` inside its transaction (delivered only if it commits), and every
//! instance LISTENs: a notification bumps the version there too. While the listening connection
//! is down the version is unknown (`None`) and nothing is served from cache, so a missed
//! notification can never leave a stale answer in use; the listener reconnects by itself and
//! bumps the version when it is back. On SQLite the version also carries the size and
//! modification time of the database file and its `-wal` file, so a write by another process
//! (`cte-hub import` or `seed` beside a running server) is seen too, at the cost of two `stat`
//! calls per cacheable request.
//!
//! With a read replica (`--read-database-url`) answers are read from a server that may lag the
//! writes this instance has heard of. The tracker then also keeps the primary's WAL position
//! after the last notification ([`DataVersion::replica_current`]): every write announced up to
//! the current version committed at or before it. An answer read from the replica is cached
//! under that version only if the replica had replayed at least that far before the answer's
//! first statement ([`replay_position`]); replay only moves forward, so every statement of the
//! answer then saw every announced write. See docs/decisions/009-response-cache-replicas-and-tokens.md.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// The PostgreSQL channel writes are announced on.
pub const CHANNEL: &str = "cte_hub_data";

/// Commits of the write path in this process (every database of it: bumping too often only
/// costs cache misses).
static LOCAL_WRITES: AtomicU64 = AtomicU64::new(0);

/// Announces a write to every instance listening on PostgreSQL (delivered only when the
/// transaction commits); nothing on SQLite, where instances watch the database file instead.
pub async fn announce<C: sea_orm::ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("NOTIFY {CHANNEL}")).await?;
    }
    Ok(())
}

/// Called after every commit of the write path.
pub fn note_local_write() {
    LOCAL_WRITES.fetch_add(1, Ordering::SeqCst);
}

/// What one instance knows of the data version.
pub struct DataVersion {
    /// Notifications received (and reconnections, which may have missed some).
    notified: AtomicU64,
    /// Whether every write since the last bump is known to have been heard.
    trusted: AtomicBool,
    /// SQLite: the database file, whose (and whose `-wal`'s) size and modification time change
    /// with every commit, by this process or another one (`cte-hub import`, `cte-hub seed`).
    sqlite_file: Option<std::path::PathBuf>,
    /// With a read replica: the primary's WAL position (bytes) that covers every write announced
    /// up to `notified`; [`UNKNOWN`] while it is being read.
    required_position: AtomicU64,
}

/// A WAL position no replica reaches: nothing read from the replica is cached meanwhile.
const UNKNOWN: u64 = u64::MAX;

/// Size and modification time of a file, as one number (0 when it cannot be read).
fn file_stamp(path: &std::path::Path) -> u64 {
    std::fs::metadata(path)
        .ok()
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as u64);
            modified ^ m.len().rotate_left(40)
        })
        .unwrap_or(0)
}

/// The file of a `sqlite://path?...` URL (`None` for in-memory databases).
fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// How long the listener waits before connecting again after a failure.
const RECONNECT_EVERY: Duration = Duration::from_millis(500);

impl DataVersion {
    /// The version tracker of an instance on `db`. On PostgreSQL it listens before it returns
    /// (so the first reads can be cached), or, when it cannot yet, keeps trying in the
    /// background with the version unknown. On SQLite the process's own counter is trusted.
    /// With `replica`, it also tracks the primary's WAL position for [`Self::replica_current`].
    pub async fn start(db: &DatabaseConnection, url: &str, replica: bool) -> Arc<Self> {
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        let sqlite_file = (!postgres).then(|| sqlite_path(url)).flatten();
        let version = Arc::new(DataVersion {
            notified: AtomicU64::new(0),
            trusted: AtomicBool::new(!postgres),
            sqlite_file,
            required_position: AtomicU64::new(UNKNOWN),
        });
        if postgres {
            let pool = db.get_postgres_connection_pool().clone();
            let replica = replica.then(|| pool.clone());
            let first = match connect(&pool).await {
                Ok(listener) => {
                    version.trusted.store(true, Ordering::SeqCst);
                    // Listening already: a write after this read is announced.
                    version.require_primary_position(replica.as_ref()).await;
                    Some(listener)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for catalogue changes yet; the response cache is off until it can");
                    None
                }
            };
            tokio::spawn(listen(pool, replica, first, Arc::downgrade(&version)));
        }
        version
    }

    /// The current version, or `None` while writes might go unheard.
    pub fn current(&self) -> Option<(u64, u64)> {
        self.trusted.load(Ordering::SeqCst).then(|| {
            let file = self.sqlite_file.as_deref().map_or(0, |path| {
                let mut wal = path.as_os_str().to_owned();
                wal.push("-wal");
                file_stamp(path) ^ file_stamp(std::path::Path::new(&wal)).rotate_left(17)
            });
            (
                LOCAL_WRITES.load(Ordering::SeqCst),
                self.notified.load(Ordering::SeqCst) ^ file,
            )
        })
    }

    /// With a read replica: the version announced writes reached, and the primary's WAL
    /// position every one of them committed by (`None` while writes might go unheard or the
    /// position is being read). Writes of this process count once their notification arrives
    /// (moments later): reads from a replica do not promise to see the caller's own writes.
    pub fn replica_current(&self) -> Option<(u64, u64)> {
        if !self.trusted.load(Ordering::SeqCst) {
            return None;
        }
        // The version first: a position read after it covers at least that version's writes.
        let notified = self.notified.load(Ordering::SeqCst);
        let required = self.required_position.load(Ordering::SeqCst);
        (required != UNKNOWN).then_some((notified, required))
    }

    fn bump(&self) {
        self.notified.fetch_add(1, Ordering::SeqCst);
    }

    /// A new version after a write was heard (or might have been missed): with a replica its
    /// position is unknown until the primary's is read (after the write committed, since the
    /// notification came after its commit).
    async fn bump_and_require(&self, replica: Option<&sea_orm::sqlx::PgPool>) {
        if replica.is_some() {
            self.required_position.store(UNKNOWN, Ordering::SeqCst);
        }
        self.bump();
        self.require_primary_position(replica).await;
    }

    /// Reads the primary's WAL position as the one the current version needs; left unknown
    /// (nothing from the replica cached) when it cannot be read.
    async fn require_primary_position(&self, replica: Option<&sea_orm::sqlx::PgPool>) {
        let Some(pool) = replica else {
            return;
        };
        match sea_orm::sqlx::query_scalar::<_, i64>(
            "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint",
        )
        .fetch_one(pool)
        .await
        {
            // Only ever raised: a slower read for an older notification must not lower it.
            Ok(position) => {
                let position = u64::try_from(position).unwrap_or(UNKNOWN);
                let _ = self.required_position.fetch_update(
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                    |old| {
                        Some(if old == UNKNOWN {
                            position
                        } else {
                            old.max(position)
                        })
                    },
                );
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the primary's WAL position; answers read from the replica are not cached until the next write is heard");
            }
        }
    }
}

async fn connect(
    pool: &sea_orm::sqlx::PgPool,
) -> Result<sea_orm::sqlx::postgres::PgListener, sea_orm::sqlx::Error> {
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Listens for writes until the tracker is dropped; reconnects when the connection is lost.
async fn listen(
    pool: sea_orm::sqlx::PgPool,
    replica: Option<sea_orm::sqlx::PgPool>,
    mut listener: Option<sea_orm::sqlx::postgres::PgListener>,
    version: std::sync::Weak<DataVersion>,
) {
    loop {
        let mut current = match listener.take() {
            Some(current) => current,
            None => match connect(&pool).await {
                Ok(current) => {
                    let Some(tracker) = version.upgrade() else {
                        return;
                    };
                    // Writes made while nobody listened are unknown: start a new version.
                    if replica.is_some() {
                        tracker.required_position.store(UNKNOWN, Ordering::SeqCst);
                    }
                    tracker.bump();
                    tracker.trusted.store(true, Ordering::SeqCst);
                    tracker.require_primary_position(replica.as_ref()).await;
                    current
                }
                Err(e) => {
                    if version.strong_count() == 0 {
                        return;
                    }
                    tracing::debug!(error = %e, "still cannot listen for catalogue changes");
                    tokio::time::sleep(RECONNECT_EVERY).await;
                    continue;
                }
            },
        };
        // Until the connection is lost (`Ok(None)` or an error): then nothing is trusted until
        // a new one listens.
        while let Ok(Some(_)) = current.try_recv().await {
            match version.upgrade() {
                Some(tracker) => tracker.bump_and_require(replica.as_ref()).await,
                None => return,
            }
        }
        match version.upgrade() {
            Some(tracker) => {
                tracker.trusted.store(false, Ordering::SeqCst);
                tracing::warn!(
                    "lost the connection that listens for catalogue changes; reconnecting"
                );
            }
            None => return,
        }
    }
}

/// The catalogue's last change-feed position (0 before any change): the data version an HTTP
/// revalidation (`ETag`) names. Read from the database, one small statement, so it holds for
/// every instance and every writer, unlike [`DataVersion`].
pub async fn last_change<C: sea_orm::ConnectionTrait>(db: &C) -> Result<i64, sea_orm::DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(id), 0) AS version FROM change_event",
        ))
        .await?;
    let Some(row) = row else {
        return Ok(0);
    };
    row.try_get::<i64>("", "version")
        .or_else(|_| row.try_get::<i32>("", "version").map(i64::from))
}

/// How far a read replica has replayed the primary's WAL (bytes), read before an answer's first
/// statement: every later statement on it sees at least that much. `None` when the server is
/// not a standby in recovery (its position cannot be compared with the primary's).
pub async fn replay_position<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> Result<Option<u64>, sea_orm::DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS position",
        ))
        .await?;
    Ok(row
        .and_then(|row| row.try_get::<Option<i64>>("", "position").ok())
        .flatten()
        .and_then(|position| u64::try_from(position).ok()))
}
