//! The response cache with a read replica that lags: a real streaming replica of the test
//! PostgreSQL (`.ci/replica`: `pg_basebackup -R` on 127.0.0.1:5433, `CTE_HUB_TEST_REPLICA_URL`),
//! whose replay the test pauses. An answer read from the replica is cached only under a data
//! version the replica had reached, so a lagging replica never plants an old answer under the
//! version that announced a newer one. PostgreSQL only (SQLite has no replicas).

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::{self, spawn_app_on, test_settings, token, Backend, TestApp};

/// POSTs anonymously; the answer's `data` (as text) and the `X-Cache` header. Only `data` is
/// compared: an answer not kept is serialised whole, a kept one around its stored `data`, so
/// their `extensions` keys may come in another order.
async fn read(app: &TestApp, query: &str) -> (String, Option<String>) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("sent");
    let cache = response
        .headers()
        .get("x-cache")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = response.json().await.expect("JSON body");
    assert!(body.get("errors").is_none(), "{body}");
    (body["data"].to_string(), cache)
}

/// Resumes replay when the test ends, however it ends: a paused replica would hold up every
/// later run. Synchronous (`psql`), since `Drop` cannot wait for a future.
struct ResumeOnDrop(String);

impl Drop for ResumeOnDrop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("psql")
            .args([&self.0, "-qAtc", "SELECT pg_wal_replay_resume()"])
            .output();
    }
}

/// Serialises the tests that use the replica: pausing replay pauses it for every database, so
/// another replica test running meanwhile would wait on a replica that cannot move.
static REPLICA: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A wait for replay: true while the deadline has not passed. Generous, since the whole suite
/// shares the replica and replaying other tests' `CREATE DATABASE` on a loaded two-core machine
/// can take many seconds; the loops end as soon as what they wait for happens.
fn patience() -> impl FnMut() -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    move || std::time::Instant::now() < deadline
}

async fn on_replica(url: &str, sql: &str) -> Option<sea_orm::QueryResult> {
    let db = helpers::connect(url).await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("replica statement");
    db.close().await.ok();
    row
}

async fn replica_has_course(url: &str, code: &str) -> bool {
    on_replica(
        url,
        &format!("SELECT COUNT(*) AS n FROM course WHERE code = '{code}'"),
    )
    .await
    .and_then(|row| row.try_get::<i64>("", "n").ok())
    .unwrap_or(0)
        > 0
}

#[tokio::test]
async fn a_lagging_replica_never_plants_stale_answers_under_a_newer_version() {
    let _one_at_a_time = REPLICA.lock().await;
    let Some(primary) = helpers::fresh_database(Backend::Postgres).await else {
        return;
    };
    let Some(replica) = helpers::replica_of(&primary).await else {
        return;
    };
    let _resume = ResumeOnDrop(replica.clone());
    // An earlier run that died paused may have left replay paused.
    on_replica(&replica, "SELECT pg_wal_replay_resume()::text").await;
    let mut settings = test_settings(&primary);
    settings.database.read_url = Some(replica.clone());
    settings.response_cache_bytes = 8 * 1024 * 1024;
    settings.rate_limit.rate_limit_capacity = 0;
    let app = spawn_app_on(Backend::Postgres, settings).await;
    let query = r#"{ courses(filter: { programCode: "SOCAL_ROC", search: "Replica Lag" }, first: 5) { nodes { code title } } }"#;

    // Caught up: answers from the replica are cached.
    let mut before = None;
    let mut waiting = patience();
    while waiting() {
        let (body, cache) = read(&app, query).await;
        if cache.as_deref() == Some("hit") {
            before = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let before = before.expect("a caught-up replica's answers are cached");
    assert!(!before.contains("REPLICA-1"), "{before}");

    // Replay paused: the replica lags every write from now on.
    on_replica(&replica, "SELECT pg_wal_replay_pause()::text").await;
    let mut waiting = patience();
    while waiting() {
        let state = on_replica(&replica, "SELECT pg_get_wal_replay_pause_state() AS s")
            .await
            .and_then(|row| row.try_get::<String>("", "s").ok());
        if state.as_deref() == Some("paused") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let editor = token("SOCAL_ROC", &["editor"]);
    let created: Value = app
        .data_as(
            &editor,
            "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }",
            json!({ "input": { "programCode": "SOCAL_ROC", "code": "REPLICA-1", "title": "Replica Lag", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } }),
        )
        .await;
    assert!(created["createCourse"]["id"].is_string(), "{created}");
    assert!(
        !replica_has_course(&replica, "REPLICA-1").await,
        "replay is paused: the replica has not seen the write"
    );

    // Once the instance heard of the write its key names the new version: the old answer is
    // no longer served from the cache (until then it may be, as it is still the replica's).
    let mut heard = false;
    let mut waiting = patience();
    while waiting() {
        let (body, cache) = read(&app, query).await;
        assert_eq!(body, before, "answers stay what the replica has");
        if cache.as_deref() == Some("miss") {
            heard = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(heard, "the instance hears of the write");
    // While the replica lags, what it answers is never kept under the new version.
    for _ in 0..5 {
        let (body, cache) = read(&app, query).await;
        assert_eq!(
            cache.as_deref(),
            Some("miss"),
            "a lagging replica's answer is not cached under the new version"
        );
        assert_eq!(body, before, "answers stay what the replica has");
    }
    let metrics = app.metrics().await;
    assert!(
        helpers::metric(
            &metrics,
            "cte_hub_response_cache_total",
            &[("result", "hit")]
        ) >= 1.0,
        "{metrics}"
    );

    // Replay resumed: once the replica has the write, the next read is fresh and cached.
    on_replica(&replica, "SELECT pg_wal_replay_resume()::text").await;
    let mut caught_up = false;
    let mut waiting = patience();
    while waiting() {
        if replica_has_course(&replica, "REPLICA-1").await {
            caught_up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(caught_up, "the replica replays the write once resumed");
    let (fresh, cache) = read(&app, query).await;
    assert_eq!(cache.as_deref(), Some("miss"));
    assert!(fresh.contains("REPLICA-1"), "{fresh}");
    // Kept once the replica has replayed past the primary's position when the write was heard
    // (other databases' writes can lie between the two): moments later.
    let mut cached = false;
    let mut waiting = patience();
    while waiting() {
        let (again, cache) = read(&app, query).await;
        assert_eq!(again, fresh, "never the old answer again");
        if cache.as_deref() == Some("hit") {
            cached = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(cached, "a caught-up answer is cached");
}

/// A token-bearing read of a document with no caller-specific field is cached with a replica
/// too, and a document that names one is not.
#[tokio::test]
async fn token_reads_are_shared_through_a_replica_only_when_the_document_is() {
    let _one_at_a_time = REPLICA.lock().await;
    let Some(primary) = helpers::fresh_database(Backend::Postgres).await else {
        return;
    };
    let Some(replica) = helpers::replica_of(&primary).await else {
        return;
    };
    let mut settings = test_settings(&primary);
    settings.database.read_url = Some(replica);
    settings.response_cache_bytes = 8 * 1024 * 1024;
    settings.rate_limit.rate_limit_capacity = 0;
    let app = spawn_app_on(Backend::Postgres, settings).await;
    let reader = token("SOCAL_ROC", &["reader"]);
    let post = |auth: Option<String>, query: &'static str| {
        let app = &app;
        async move {
            let mut request = app.client.post(format!("{}/graphql", app.address));
            if let Some(auth) = auth {
                request = request.bearer_auth(auth);
            }
            let response = request
                .json(&json!({ "query": query }))
                .send()
                .await
                .expect("sent");
            let cache = response
                .headers()
                .get("x-cache")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (response.text().await.expect("body"), cache)
        }
    };
    let mut hit = false;
    let mut waiting = patience();
    while waiting() {
        if post(Some(reader.clone()), "{ sectors { code } }")
            .await
            .1
            .as_deref()
            == Some("hit")
        {
            hit = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(hit, "a token-bearing read of a shared document is cached");
    let (_, cache) = post(None, "{ sectors { code } }").await;
    assert_eq!(cache.as_deref(), Some("hit"), "and served to anyone");
    let admin = token("SOCAL_ROC", &["admin"]);
    for _ in 0..2 {
        let (_, cache) = post(
            Some(admin.clone()),
            "{ auditLog(first: 1) { edges { cursor } } }",
        )
        .await;
        assert_eq!(cache, None, "auditLog depends on the caller");
    }
}
