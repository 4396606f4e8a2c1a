//! The catalogue's data version, known without asking the database: what the response cache
//! ([`crate::http::response_cache`]) keys its answers by.
//!
//! Every commit of the write path ([`super::Writer`]) bumps this process's counter, so a write
//! is visible to this instance's next read at once. On PostgreSQL the commit also sends
//! `NOTIFY cte_hub_data` inside its transaction (delivered only if it commits), and every
//! instance LISTENs: a notification bumps the version there too. While the listening connection
//! is down the version is unknown (`None`) and nothing is served from cache, so a missed
//! notification can never leave a stale answer in use; the listener reconnects by itself and
//! bumps the version when it is back. SQLite is one process's file: its own counter is enough.

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
}

/// How long the listener waits before connecting again after a failure.
const RECONNECT_EVERY: Duration = Duration::from_millis(500);

impl DataVersion {
    /// The version tracker of an instance on `db`. On PostgreSQL it listens before it returns
    /// (so the first reads can be cached), or, when it cannot yet, keeps trying in the
    /// background with the version unknown. On SQLite the process's own counter is trusted.
    pub async fn start(db: &DatabaseConnection) -> Arc<Self> {
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        let version = Arc::new(DataVersion {
            notified: AtomicU64::new(0),
            trusted: AtomicBool::new(!postgres),
        });
        if postgres {
            let pool = db.get_postgres_connection_pool().clone();
            let first = match connect(&pool).await {
                Ok(listener) => {
                    version.trusted.store(true, Ordering::SeqCst);
                    Some(listener)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for catalogue changes yet; the response cache is off until it can");
                    None
                }
            };
            tokio::spawn(listen(pool, first, Arc::downgrade(&version)));
        }
        version
    }

    /// The current version, or `None` while writes might go unheard.
    pub fn current(&self) -> Option<(u64, u64)> {
        self.trusted.load(Ordering::SeqCst).then(|| {
            (
                LOCAL_WRITES.load(Ordering::SeqCst),
                self.notified.load(Ordering::SeqCst),
            )
        })
    }

    fn bump(&self) {
        self.notified.fetch_add(1, Ordering::SeqCst);
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
                    tracker.bump();
                    tracker.trusted.store(true, Ordering::SeqCst);
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
                Some(tracker) => tracker.bump(),
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
