//! Builds the application from settings: connect, migrate, seed an empty
//! database, bind. Tests call [`App::build`] with port 0 and a fresh database.

use std::{io, net::SocketAddr, sync::Arc};

use tokio::net::TcpListener;

use crate::{
    auth::tokens::{SigningIdentity, TokenVerifier},
    config::{redact, ServeSettings},
    db::{self, StatementCounter},
    graphql,
    http::{self, AppState, AuthState},
    seed,
};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot seed the database: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("auth configuration: {0}")]
    Auth(#[from] crate::auth::AuthError),
    #[error("server stopped with an error: {0}")]
    Serve(#[from] io::Error),
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
        let statements = StatementCounter::default();
        let db = db::connect(&settings.database.url, &statements).await?;
        db::migrate(&db).await?;
        if seed::is_empty(&db).await? {
            let mut inserted = seed::reference(&db).await?.inserted;
            if settings.seed_sample {
                inserted += seed::sample(&db).await?.inserted;
            }
            tracing::info!(
                inserted,
                sample = settings.seed_sample,
                "seeded an empty database"
            );
        }
        crate::catalog::search::index::ensure(&db).await?;
        let read_db = match &settings.database.read_url {
            Some(url) => {
                tracing::info!(replica = %redact(url), "queries go to the read replica");
                db::connect(url, &statements).await?
            }
            None => db.clone(),
        };
        let schema = graphql::build_schema(read_db.clone(), db.clone(), &settings.limits);
        let signing = SigningIdentity::load_or_create(&settings.auth.signing_key_file)?;
        let verifier = TokenVerifier::from_settings(&settings.auth, &signing)?;
        let auth = Arc::new(AuthState {
            verifier,
            signing,
            db: db.clone(),
        });
        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let addr = listener.local_addr()?;
        let state_db = settings.database.redacted();
        let state = AppState {
            schema,
            db: read_db,
            auth,
            settings: Arc::new(settings),
        };
        let router = http::router(state);
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
        axum::serve(self.listener, self.router)
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
