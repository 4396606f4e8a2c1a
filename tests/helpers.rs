//! Test harness: `spawn_app(backend)` starts the real server on port 0 against
//! its own database, cloned from a template that is migrated and seeded once
//! per test run (a file copy for SQLite, `CREATE DATABASE ... TEMPLATE` for
//! PostgreSQL), so tests are isolated and run in parallel.
//!
//! PostgreSQL: `CTE_HUB_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`). When it is unreachable the
//! PostgreSQL half of each test is skipped with a loud message, except with
//! `CI=true`, where it fails.

#![allow(dead_code)]

use std::{
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
};

use api::{
    config::{
        AuthSettings, DatabaseSettings, PersistedQuerySettings, PoolSettings, QueryLimits,
        RateLimitSettings, ServeSettings,
    },
    db::{self, StatementCounter},
    seed,
    startup::App,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body once on SQLite and once on PostgreSQL, as two tests.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            #[tokio::test]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await
                else {
                    return;
                };
                $body
            }
        }
    };
}

/// Like `db_test!`, with settings changed by `configure` (a `fn(&mut ServeSettings)`).
#[macro_export]
macro_rules! db_test_with {
    ($name:ident, $configure:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $app =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Sqlite, $configure)
                        .await
                        .expect("SQLite is always available");
                $body
            }

            #[tokio::test]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Postgres, $configure)
                        .await
                else {
                    return;
                };
                $body
            }
        }
    };
}

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub statements: StatementCounter,
    pub backend: Backend,
    pub database_url: String,
}

impl TestApp {
    /// POSTs a GraphQL document and returns the JSON body.
    pub async fn query(&self, document: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": document, "variables": variables }))
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON body")
    }

    /// POSTs a GraphQL document with `Authorization: Bearer <token>`; returns the JSON body.
    pub async fn query_as(&self, token: &str, document: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(token)
            .json(&json!({ "query": document, "variables": variables }))
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON body")
    }

    /// Like `query_as`, but panics unless the response has no errors; returns `data`.
    pub async fn data_as(&self, token: &str, document: &str, variables: Value) -> Value {
        let body = self.query_as(token, document, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Like `query`, but panics unless the response has no errors; returns `data`.
    pub async fn data(&self, document: &str, variables: Value) -> Value {
        let body = self.query(document, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// The server's `/metrics` text.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .expect("metrics request sent")
            .text()
            .await
            .expect("metrics text")
    }

    /// POSTs a GraphQL request body as is and returns the whole response.
    pub async fn post(&self, body: Value) -> reqwest::Response {
        self.client
            .post(format!("{}/graphql", self.address))
            .json(&body)
            .send()
            .await
            .expect("request sent")
    }

    /// The SQL statements a closure's requests sent.
    pub async fn count_statements<F, Fut>(&self, f: F) -> u64
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let before = self.statements.get();
        f().await;
        self.statements.get() - before
    }
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    format!(
        "cte_hub_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn test_dir() -> PathBuf {
    static CLEANED: std::sync::Once = std::sync::Once::new();
    CLEANED.call_once(|| {
        // Remove the SQLite files of earlier runs whose process is gone.
        for entry in std::fs::read_dir(std::env::temp_dir())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("cte-hub-tests-") {
                if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
    });
    let dir = std::env::temp_dir().join(format!("cte-hub-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

async fn migrate_and_seed(url: &str) {
    let db = db::connect(url, &StatementCounter::default())
        .await
        .expect("connect template");
    db::migrate(&db).await.expect("migrate template");
    seed::reference(&db).await.expect("seed reference");
    seed::sample(&db).await.expect("seed sample");
    db.close().await.expect("close template");
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();

async fn sqlite_database() -> String {
    let template = SQLITE_TEMPLATE
        .get_or_init(|| async {
            let path = test_dir().join("template.db");
            let _ = std::fs::remove_file(&path);
            migrate_and_seed(&sqlite_url(&path)).await;
            path
        })
        .await;
    let path = test_dir().join(format!("{}.db", unique_name()));
    std::fs::copy(template, &path).expect("copy template");
    sqlite_url(&path)
}

/// A new, empty SQLite database (for migration tests).
pub fn empty_sqlite() -> String {
    sqlite_url(&test_dir().join(format!("{}.db", unique_name())))
}

fn postgres_admin_url() -> String {
    std::env::var("CTE_HUB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn postgres_url(database: &str) -> String {
    let admin = postgres_admin_url();
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base.to_owned())
        .unwrap_or(admin);
    format!("{base}/{database}")
}

async fn postgres_admin() -> Option<DatabaseConnection> {
    match Database::connect(postgres_admin_url()).await {
        Ok(db) => Some(db),
        Err(e) => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!(
                    "PostgreSQL is unreachable at {} and CI=true: {e}",
                    postgres_admin_url()
                );
            }
            eprintln!(
                "\n**** SKIPPED: PostgreSQL half of this test: {} unreachable ({e}). \
                 Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ****\n",
                postgres_admin_url()
            );
            None
        }
    }
}

/// Drops databases left by earlier test runs whose process is gone.
async fn drop_stale_databases(admin: &DatabaseConnection) {
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'cte_hub_test_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name
            .trim_start_matches("cte_hub_test_")
            .split('_')
            .next()
            .unwrap_or("");
        let alive = pid == std::process::id().to_string()
            || std::path::Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
}

static POSTGRES_TEMPLATE: OnceCell<Option<String>> = OnceCell::const_new();

async fn postgres_database() -> Option<String> {
    let template = POSTGRES_TEMPLATE
        .get_or_init(|| async {
            let admin = postgres_admin().await?;
            drop_stale_databases(&admin).await;
            let name = format!("cte_hub_test_{}_template", std::process::id());
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .await
                .expect("drop template");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create template");
            admin.close().await.ok();
            migrate_and_seed(&postgres_url(&name)).await;
            Some(name)
        })
        .await
        .clone()?;
    let admin = postgres_admin().await?;
    let name = unique_name();
    let mut attempt = 0;
    loop {
        match admin
            .execute_unprepared(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await
        {
            Ok(_) => break,
            // Two clones starting at once can briefly see each other on the template.
            Err(_) if attempt < 20 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50 * attempt as u64)).await;
            }
            Err(e) => panic!("cannot clone the template database: {e}"),
        }
    }
    admin.close().await.ok();
    Some(postgres_url(&name))
}

/// A new, empty PostgreSQL database (for migration tests); None when skipped.
pub async fn empty_postgres() -> Option<String> {
    let admin = postgres_admin().await?;
    let name = unique_name();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create database");
    admin.close().await.ok();
    Some(postgres_url(&name))
}

/// A fresh, seeded database of `backend`; None when PostgreSQL is skipped.
pub async fn fresh_database(backend: Backend) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(sqlite_database().await),
        Backend::Postgres => postgres_database().await,
    }
}

/// Settings of a test server on `database_url`, port 0.
pub fn test_settings(database_url: &str) -> ServeSettings {
    ServeSettings {
        addr: "127.0.0.1:0".parse().expect("address"),
        database: DatabaseSettings {
            url: database_url.to_owned(),
            read_url: None,
        },
        graphiql: true,
        seed_sample: Some(true),
        limits: QueryLimits::default(),
        // A wide batching window: a debug build on a shared machine is slow, and the
        // statement-count tests check batching, not scheduler timing.
        loader_delay_ms: 25,
        cache_max_age_secs: 60,
        body_limit_bytes: 64 * 1024,
        import_body_limit_bytes: 32 * 1024 * 1024,
        // Statement-count tests count every read; the cache has its own tests.
        reference_cache_secs: 0,
        // Off for the same reason; `cache::` turns it on.
        response_cache_bytes: 0,
        request_timeout_secs: 30,
        cors_origins: Vec::new(),
        auth: AuthSettings {
            signing_key_file: signing_key_file(),
            ..AuthSettings::default()
        },
        pool: PoolSettings::default(),
        rate_limit: RateLimitSettings::default(),
        persisted_queries: PersistedQuerySettings::default(),
    }
}

/// The signing key every test server of this run shares (created once, in the run's temp dir).
pub fn signing_key_file() -> PathBuf {
    static KEY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let path = test_dir().join("signing-key.pem");
        let _ = std::fs::remove_file(&path);
        api::auth::tokens::SigningIdentity::load_or_create(&path).expect("test signing key");
        path
    })
    .clone()
}

/// The value of the series `name` whose labels include all of `labels` in
/// Prometheus text; 0 when there is none.
pub fn metric(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (series_name, series_labels) = match series.split_once('{') {
                Some((n, l)) => (n, l),
                None => (series, ""),
            };
            let all = labels
                .iter()
                .all(|(k, v)| series_labels.contains(&format!("{k}=\"{v}\"")));
            (series_name == name && all).then(|| value.parse().ok())?
        })
        .unwrap_or(0.0)
}

/// Whether Redis answers on `CTE_HUB_TEST_REDIS_URL` (default
/// `redis://127.0.0.1:6379`); prints a loud skip message when not (panics with `CI=true`).
pub async fn redis_url() -> Option<String> {
    let url =
        std::env::var("CTE_HUB_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let host = url
        .trim_start_matches("redis://")
        .split('/')
        .next()
        .unwrap_or("127.0.0.1:6379")
        .rsplit('@')
        .next()
        .unwrap_or("127.0.0.1:6379")
        .to_owned();
    match tokio::net::TcpStream::connect(&host).await {
        Ok(_) => Some(url),
        Err(e) => {
            if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
                panic!("Redis is unreachable at {url} and CI=true: {e}");
            }
            eprintln!("\n**** SKIPPED: Redis test: {url} unreachable ({e}) ****\n");
            None
        }
    }
}

/// A name no other test (or earlier run) uses, for Redis key prefixes and files.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", unique_name())
}

/// Like `spawn_app`, with settings changed by `configure`.
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut ServeSettings),
) -> Option<TestApp> {
    let database_url = fresh_database(backend).await?;
    let mut settings = test_settings(&database_url);
    configure(&mut settings);
    Some(spawn_app_on(backend, settings).await)
}

/// Starts the real server on its own database; None when PostgreSQL is skipped.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let database_url = fresh_database(backend).await?;
    Some(spawn_app_on(backend, test_settings(&database_url)).await)
}

/// Starts the real server with the given settings.
pub async fn spawn_app_on(backend: Backend, settings: ServeSettings) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        let _no_export = api::telemetry::init(
            api::config::LogFormat::Pretty,
            api::telemetry::LogStream::Stdout,
        );
    }
    let database_url = settings.database.url.clone();
    let app = App::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let statements = app.statements();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        statements,
        backend,
        database_url,
    }
}

/// Opens a direct connection to a test database, for assertions on stored rows.
pub async fn connect(url: &str) -> DatabaseConnection {
    db::connect(url, &StatementCounter::default())
        .await
        .expect("connect")
}

/// A token signed with the test servers' own key, for `org` with `roles` ("admin", "editor", ...).
pub fn token(org: &str, roles: &[&str]) -> String {
    use api::auth::{tokens::SigningIdentity, Principal, Role};
    let signing = SigningIdentity::load_or_create(&signing_key_file()).expect("signing key");
    let principal = Principal {
        sub: format!("test-{org}"),
        org: org.to_owned(),
        roles: roles.iter().filter_map(|r| Role::parse(r)).collect(),
    };
    signing
        .issue(&AuthSettings::default(), &principal, 600)
        .expect("token")
}

/// One number from the database (`SELECT COUNT(*) ...`), for assertions on stored rows.
pub async fn count(url: &str, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = connect(url).await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("count value")
}

/// The read replica of the test PostgreSQL: `CTE_HUB_TEST_REPLICA_URL` (default
/// `postgres://postgres@127.0.0.1:5433/test`, the streaming replica `.ci/replica` makes with
/// `pg_basebackup -R`). Returns the replica's URL of the database `primary_url` names, once the
/// replica has it and it is a standby in recovery. When there is none the test is skipped with a
/// loud message, except with `CI=true`, where it fails.
pub async fn replica_of(primary_url: &str) -> Option<String> {
    let admin = std::env::var("CTE_HUB_TEST_REPLICA_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5433/test".into());
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base.to_owned())
        .unwrap_or_else(|| admin.clone());
    let name = primary_url.rsplit('/').next().unwrap_or_default();
    let url = format!("{base}/{name}");
    let missing = |why: String| {
        if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
            panic!("the read replica {admin} is unusable and CI=true: {why}");
        }
        eprintln!(
            "\n**** SKIPPED: replica test: {admin} unusable ({why}). Start it with: .ci/replica ****\n"
        );
        None
    };
    let standby = match Database::connect(&admin).await {
        Ok(db) => {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SELECT pg_is_in_recovery() AS standby",
                ))
                .await;
            db.close().await.ok();
            row.ok()
                .flatten()
                .and_then(|row| row.try_get::<bool>("", "standby").ok())
                .unwrap_or(false)
        }
        Err(e) => return missing(e.to_string()),
    };
    if !standby {
        return missing("not a standby in recovery".into());
    }
    // The new database reaches the replica when its creation is replayed.
    for _ in 0..600 {
        if let Ok(db) = Database::connect(&url).await {
            let seeded = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    "SELECT COUNT(*) AS n FROM industry_sector",
                ))
                .await
                .ok()
                .flatten()
                .and_then(|row| row.try_get::<i64>("", "n").ok())
                .unwrap_or(0);
            db.close().await.ok();
            if seeded > 0 {
                return Some(url);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    missing(format!("{name} did not reach the replica within 60 s"))
}
