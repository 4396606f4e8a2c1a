//! Builds the application from settings: connect, migrate, seed an empty
//! database, bind. Tests call [`App::build`] with port 0 and a fresh database.

use std::{io, net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;

use crate::{
    auth::tokens::{SigningIdentity, TokenVerifier},
    config::{redact, ServeSettings},
    db::{self, StatementCounter},
    graphql,
    http::{
        self,
        metrics::Metrics,
        persisted::{PersistedQueries, TrustedDocumentsError},
        AppState, AuthState,
    },
    ratelimit::RateLimiter,
    seed,
    shared_store::{SharedStore, SharedStoreError},
};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Connect(#[from] db::ConnectError),
    #[error("read replica (DATABASE_READ_URL): {0}")]
    ReadReplica(db::ConnectError),
    #[error("cannot prepare the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot seed the database: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("auth configuration: {0}")]
    Auth(#[from] crate::auth::AuthError),
    #[error("server stopped with an error: {0}")]
    Serve(#[from] io::Error),
    #[error("trusted documents: {0}")]
    TrustedDocuments(#[from] TrustedDocumentsError),
    #[error("bad Redis URL: {0}")]
    Redis(#[from] SharedStoreError),
}

/// A built, bound server, ready to run.
pub struct App {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    statements: StatementCounter,
}

impl App {
    /// Connects, migrates, seeds an empty database and binds the listener.
    pub async fn build(settings: ServeSettings) -> Result<Self, StartupError> {
        Self::build_with_routes(settings, axum::Router::new()).await
    }

    /// Like [`App::build`], with `extra` routes behind the same middleware (for tests).
    #[doc(hidden)]
    pub async fn build_with_routes(
        settings: ServeSettings,
        extra: axum::Router<AppState>,
    ) -> Result<Self, StartupError> {
        let statements = StatementCounter::default();
        let db = db::connect_with(&settings.database.url, &statements, &settings.pool).await?;
        db::migrate(&db).await?;
        if seed::is_empty(&db).await? {
            let mut inserted = seed::reference(&db).await?.inserted;
            if settings.sample_data() {
                inserted += seed::sample(&db).await?.inserted;
            }
            tracing::info!(
                inserted,
                sample = settings.sample_data(),
                "seeded an empty database"
            );
        }
        let backfilled = crate::changes::backfill::missing_links(&db).await?;
        if backfilled > 0 {
            tracing::info!(
                events = backfilled,
                "added change events for link rows that had none"
            );
        }
        crate::catalog::search::index::ensure(&db).await?;
        let read_db = match &settings.database.read_url {
            Some(url) => {
                tracing::info!(replica = %redact(url), "queries go to the read replica");
                db::connect_with(url, &statements, &settings.pool)
                    .await
                    .map_err(StartupError::ReadReplica)?
            }
            None => db.clone(),
        };
        let store = match &settings.rate_limit.rate_limit_redis_url {
            Some(url) => {
                tracing::info!(redis = %redact(url), "rate-limit buckets and persisted queries are shared in Redis");
                Some(SharedStore::new(
                    url,
                    &settings.rate_limit.redis_key_prefix,
                )?)
            }
            None => None,
        };
        let persisted = match (&settings.persisted_queries.trusted_documents, &store) {
            (Some(path), _) => {
                let trusted = PersistedQueries::trusted(path)?;
                tracing::info!(file = %path.display(), "only trusted documents run");
                trusted
            }
            (None, Some(store)) => PersistedQueries::Redis(store.clone()),
            (None, None) => PersistedQueries::memory(settings.persisted_queries.apq_cache_size),
        };
        let limiter = Arc::new(RateLimiter::new(&settings.rate_limit, store));
        let schema = crate::schema::build_schema(
            read_db.clone(),
            db.clone(),
            &settings.limits,
            settings.sample_data(),
        );
        let cost = Arc::new(graphql::cost::QueryCost {
            max: settings.limits.max_complexity,
            max_depth: settings.limits.max_depth,
            max_aliases: settings.limits.max_aliases,
            max_directives: settings.limits.max_directives,
            limiter,
        });
        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let addr = listener.local_addr()?;
        // After the bind: a first start that cannot listen leaves no new key file behind.
        let signing = SigningIdentity::load_or_create(&settings.auth.signing_key_file)?;
        crate::paging::set_cursor_secret(signing.derived_secret());
        let verifier = TokenVerifier::from_settings(&settings.auth, &signing)?;
        let auth = Arc::new(AuthState {
            verifier,
            signing,
            db: db.clone(),
            // Argon2 checks at once: one per core, so guesses cannot take every core.
            secrets: crate::auth::clients::SecretChecks::new(
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            ),
            revocations: crate::auth::clients::Revocations::new(std::time::Duration::from_secs(
                settings.auth.revocation_check_secs,
            )),
            token_requests: crate::http::oauth_limits(settings.auth.token_requests_per_minute),
        });
        let state_db = settings.database.redacted();
        let settings_cache_bytes = settings.response_cache_bytes;
        let settings_database_url = settings.database.url.clone();
        let reads_from_replica = settings.database.read_url.is_some();
        let reference = Arc::new(crate::graphql::reference::ReferenceCache::new(
            std::time::Duration::from_secs(settings.reference_cache_secs),
        ));
        let state = AppState {
            schema,
            cost,
            db: read_db,
            write_db: db.clone(),
            auth,
            settings: Arc::new(settings),
            metrics: Arc::new(Metrics::new()),
            statements: statements.clone(),
            persisted: Arc::new(persisted),
            reference,
            data_version: crate::changes::version::DataVersion::start(
                &db,
                &settings_database_url,
                reads_from_replica,
            )
            .await,
            response_cache: Arc::new(http::response_cache::ResponseCache::new(
                settings_cache_bytes,
            )),
        };
        let router = http::router_with(state, extra);
        tracing::info!(database = %state_db, "CTE Hub ready: GraphiQL at http://{addr}/ , API at http://{addr}/graphql");
        Ok(App {
            listener,
            router,
            addr,
            statements,
        })
    }

    /// The bound port (useful when built with port 0).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Counts the SQL statements this app has sent.
    pub fn statements(&self) -> StatementCounter {
        self.statements.clone()
    }

    /// Serves until Ctrl-C or SIGTERM, letting in-flight requests finish.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        // The peer address keys anonymous clients' rate-limit buckets.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        tracing::info!("CTE Hub stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
