//! The exact response cache: anonymous reads answered again without SQL until the data changes.

use serde_json::{json, Value};

use crate::{
    db_test_with,
    helpers::{self, spawn_app_on, test_settings, token, Backend, TestApp},
};

const PORTAL: &str = "query($sector: String) { pathways(filter: { sectorCode: $sector }, first: 10) { nodes { code name sector { name } } } }";

fn cache_on(settings: &mut api::config::ServeSettings) {
    settings.response_cache_bytes = 8 * 1024 * 1024;
    // No per-request budget in the answers, so two answers can be compared byte for byte.
    settings.rate_limit.rate_limit_capacity = 0;
}

/// POSTs anonymously; the body and the `X-Cache` header.
async fn read(app: &TestApp, query: &str, variables: Value) -> (String, Option<String>) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }))
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

/// Reads until the answer comes from the cache. On PostgreSQL answers are cached once the
/// instance listens for writes (its data version is known); under load that can take a moment
/// after start.
async fn wait_until_cached(app: &TestApp, query: &str, variables: &Value) {
    for _ in 0..100 {
        if read(app, query, variables.clone()).await.1.as_deref() == Some("hit") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the read was never answered from the cache");
}

db_test_with!(hits_are_byte_identical_and_send_no_sql, cache_on, |app| {
    let variables = json!({ "sector": "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY" });
    let (first, cache) = read(&app, PORTAL, variables.clone()).await;
    assert_eq!(cache.as_deref(), Some("miss"), "{first}");
    assert!(!first.contains("\"errors\""), "{first}");
    wait_until_cached(&app, PORTAL, &variables).await;
    let mut second = (String::new(), None);
    let statements = app
        .count_statements(|| async {
            second = read(&app, PORTAL, variables.clone()).await;
        })
        .await;
    assert_eq!(second.1.as_deref(), Some("hit"));
    assert_eq!(second.0, first, "a cached answer is byte-identical");
    assert_eq!(statements, 0, "a hit sends no SQL");
    // Other variables are another answer.
    let (_, cache) = read(
        &app,
        PORTAL,
        json!({ "sector": "ENERGY_ENVIRONMENT_AND_UTILITIES" }),
    )
    .await;
    assert_eq!(cache.as_deref(), Some("miss"));
    let metrics = app.metrics().await;
    assert!(
        helpers::metric(
            &metrics,
            "cte_hub_response_cache_total",
            &[("result", "hit")]
        ) >= 1.0,
        "{metrics}"
    );
    assert!(helpers::metric(&metrics, "cte_hub_response_cache_bytes", &[]) > 0.0);
});

db_test_with!(a_write_makes_the_next_read_fresh, cache_on, |app| {
    let query = r#"{ courses(filter: { programCode: "SOCAL_ROC", search: "Cache Fresh" }, first: 5) { nodes { code title } } }"#;
    let (before, _) = read(&app, query, json!({})).await;
    wait_until_cached(&app, query, &json!({})).await;
    let editor = token("SOCAL_ROC", &["editor"]);
    let created = app
        .data_as(
            &editor,
            "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }",
            json!({ "input": { "programCode": "SOCAL_ROC", "code": "CACHE-1", "title": "Cache Fresh", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } }),
        )
        .await;
    assert!(created["createCourse"]["id"].is_string(), "{created}");
    let (after, cache) = read(&app, query, json!({})).await;
    assert_eq!(cache.as_deref(), Some("miss"));
    assert_ne!(after, before);
    assert!(after.contains("CACHE-1"), "{after}");
});

db_test_with!(
    answers_made_with_a_token_are_never_cached,
    cache_on,
    |app| {
        let reader = token("SOCAL_ROC", &["reader"]);
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&reader)
            .json(&json!({ "query": "{ sectors { code } }" }))
            .send()
            .await
            .expect("sent");
        assert!(response.headers().get("x-cache").is_none());
        // The anonymous caller after it is not served the token's answer.
        let (_, cache) = read(&app, "{ sectors { code } }", json!({})).await;
        assert_eq!(cache.as_deref(), Some("miss"));
    }
);

db_test_with!(
    the_cache_can_be_turned_off,
    |s: &mut api::config::ServeSettings| s.response_cache_bytes = 0,
    |app| {
        for _ in 0..2 {
            let (_, cache) = read(&app, "{ sectors { code } }", json!({})).await;
            assert_eq!(cache, None);
        }
    }
);

/// On PostgreSQL every instance hears every write: a write through one instance makes the
/// other's next read fresh.
#[tokio::test]
async fn a_write_through_one_instance_is_seen_by_another() {
    let Some(url) = helpers::fresh_database(Backend::Postgres).await else {
        return;
    };
    let mut settings = test_settings(&url);
    cache_on(&mut settings);
    let a = spawn_app_on(Backend::Postgres, settings.clone()).await;
    let b = spawn_app_on(Backend::Postgres, settings).await;
    let query = r#"{ courses(filter: { programCode: "SOCAL_ROC", search: "Across Instances" }, first: 5) { nodes { code } } }"#;
    // B listens once its version is known: its reads are cached from then on.
    let mut cached = false;
    for _ in 0..100 {
        read(&b, query, json!({})).await;
        if read(&b, query, json!({})).await.1.as_deref() == Some("hit") {
            cached = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(cached, "instance B caches once it listens");
    let editor = token("SOCAL_ROC", &["editor"]);
    a.data_as(
        &editor,
        "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }",
        json!({ "input": { "programCode": "SOCAL_ROC", "code": "ACROSS-1", "title": "Across Instances", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } }),
    )
    .await;
    // The notification arrives within moments; B never serves the old answer after it.
    let mut seen = false;
    for _ in 0..100 {
        if read(&b, query, json!({})).await.0.contains("ACROSS-1") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(seen, "instance B sees instance A's write");
}

db_test_with!(
    a_persisted_query_is_registered_even_when_its_answer_is_cached,
    cache_on,
    |app| {
        use sha2::{Digest, Sha256};
        let query = "{ sectors { code } }";
        let hash: String = Sha256::digest(query.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        read(&app, query, json!({})).await;
        let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let response = app
            .post(json!({ "query": query, "extensions": extensions }))
            .await;
        assert_eq!(response.headers()["x-cache"], "hit");
        let body: Value = app
            .post(json!({ "extensions": extensions }))
            .await
            .json()
            .await
            .expect("JSON");
        assert!(
            body.get("errors").is_none(),
            "the hash alone now runs: {body}"
        );
    }
);

db_test_with!(
    a_write_by_another_process_makes_the_next_read_fresh,
    cache_on,
    |app| {
        use sea_orm::ConnectionTrait;
        let query = "{ sectors { code name } }";
        read(&app, query, json!({})).await;
        assert_eq!(read(&app, query, json!({})).await.1.as_deref(), Some("hit"));
        // Another connection (as `cte-hub import` or `seed` would be) changes a row, and on
        // PostgreSQL announces it as every writer does.
        let db = helpers::connect(&app.database_url).await;
        db.execute_unprepared(
            "UPDATE industry_sector SET name = name || ' (renamed)' WHERE code = 'TRANSPORTATION'",
        )
        .await
        .expect("update");
        api::changes::version::announce(&db)
            .await
            .expect("announce");
        let mut fresh = false;
        for _ in 0..100 {
            let (body, _) = read(&app, query, json!({})).await;
            if body.contains("(renamed)") {
                fresh = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(fresh, "the other process's write is seen");
    }
);
