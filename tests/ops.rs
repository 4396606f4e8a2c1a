//! Operations: metrics, rate limits, persisted queries, document limits,
//! security headers, CORS, compression, introspection and suggestions.

use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use crate::{
    db_test, db_test_with,
    helpers::{error_code, metric, redis_url, spawn_app_with, unique, Backend},
};

fn sha256_hex(text: &str) -> String {
    api::http::persisted::sha256_hex(text)
}

db_test!(metrics_count_requests_errors_pool_and_sql, |app| {
    for _ in 0..2 {
        app.data("query Sectors { sectors { code } }", json!({}))
            .await;
    }
    let body = app
        .query("query Bad { pathway(code: \"\") { name } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let text = app.metrics().await;
    let requests = "cte_hub_graphql_requests_total";
    assert_eq!(
        metric(
            &text,
            requests,
            &[("operation", "Sectors"), ("outcome", "ok")]
        ),
        2.0,
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            requests,
            &[("operation", "Bad"), ("outcome", "error")]
        ),
        1.0
    );
    assert_eq!(
        metric(
            &text,
            "cte_hub_graphql_errors_total",
            &[("code", "BAD_USER_INPUT")]
        ),
        1.0
    );
    assert_eq!(
        metric(
            &text,
            "cte_hub_graphql_request_duration_seconds_count",
            &[("outcome", "ok")]
        ),
        2.0,
        "a latency histogram: {text}"
    );
    assert!(text.contains("cte_hub_graphql_request_duration_seconds_bucket"));
    assert!(metric(&text, "cte_hub_sql_statements_total", &[]) > 0.0);
    assert!(
        text.contains("cte_hub_db_connections{state=\"idle\"}"),
        "{text}"
    );
    assert!(text.contains("cte_hub_db_connections{state=\"in_use\"}"));
    assert!(text.contains("cte_hub_rate_limited_total 0"));
});

/// A bucket of 100 points that refills 1 point a second: a 60-point query fits
/// once, and the second needs 20 s more than any test takes to get there.
fn small_bucket(settings: &mut api::config::ServeSettings) {
    settings.rate_limit.rate_limit_capacity = 100;
    settings.rate_limit.rate_limit_refill_per_sec = 1;
}

const SIXTY_POINTS: &str = "{ pathways(first: 59) { nodes { code } } }";

db_test_with!(
    rate_limit_charges_cost_and_answers_429,
    small_bucket,
    |app| {
        // A query with no objects still costs 1 point.
        let body = app.query("{ __typename }", json!({})).await;
        let throttle = &body["extensions"]["cost"]["throttleStatus"];
        assert_eq!(throttle["maximumAvailable"], 100, "{body}");
        assert_eq!(throttle["currentlyAvailable"], 99);
        assert_eq!(throttle["restoreRate"], 1);

        let body = app.query(SIXTY_POINTS, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let cost = &body["extensions"]["cost"];
        assert_eq!(cost["requestedQueryCost"], 60);
        assert!(cost["actualQueryCost"].as_u64().unwrap() > 0);
        assert!(
            cost["throttleStatus"]["currentlyAvailable"]
                .as_u64()
                .unwrap()
                < 60
        );

        let mut response = None;
        let statements = app
            .count_statements(|| async {
                response = Some(app.post(json!({ "query": SIXTY_POINTS })).await);
            })
            .await;
        let response = response.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry_after: u64 = response.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry_after >= 1);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "THROTTLED", "{body}");
        assert_eq!(
            body["errors"][0]["extensions"]["retryAfter"].as_u64(),
            Some(retry_after)
        );
        assert_eq!(statements, 0, "a throttled query runs no SQL");
        let text = app.metrics().await;
        assert_eq!(metric(&text, "cte_hub_rate_limited_total", &[]), 1.0);
        assert_eq!(
            metric(
                &text,
                "cte_hub_graphql_errors_total",
                &[("code", "THROTTLED")]
            ),
            1.0
        );
    }
);

#[tokio::test]
async fn redis_shares_buckets_and_persisted_queries_between_instances() {
    let Some(url) = redis_url().await else {
        return;
    };
    let prefix = unique("cte-hub-test");
    let configure = |settings: &mut api::config::ServeSettings| {
        small_bucket(settings);
        settings.rate_limit.rate_limit_redis_url = Some(url.clone());
        settings.rate_limit.redis_key_prefix = prefix.clone();
    };
    let a = spawn_app_with(Backend::Sqlite, configure).await.unwrap();
    let b = spawn_app_with(Backend::Sqlite, configure).await.unwrap();

    let body = a.query(SIXTY_POINTS, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["extensions"]["cost"]["throttleStatus"]["maximumAvailable"],
        100
    );
    let response = b.post(json!({ "query": SIXTY_POINTS })).await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the second instance sees the first one's charge"
    );

    // A query registered on one instance runs by hash on the other.
    let query = "query Shared { sectors { code } }";
    let hash = sha256_hex(query);
    let pq = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let body: Value = b
        .post(json!({ "extensions": pq }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND");
    // Instance a has 40 points left; `sectors` costs 1.
    let body: Value = a
        .post(json!({ "query": query, "extensions": pq }))
        .await
        .json()
        .await
        .unwrap();
    assert!(body.get("errors").is_none(), "{body}");
    let response = b.post(json!({ "extensions": pq })).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["data"]["sectors"].as_array().unwrap().len(),
        15,
        "{body}"
    );
}

#[tokio::test]
async fn an_unreachable_redis_fails_open() {
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        small_bucket(settings);
        // Nothing listens on port 1.
        settings.rate_limit.rate_limit_redis_url = Some("redis://127.0.0.1:1".into());
    })
    .await
    .unwrap();
    for _ in 0..3 {
        let body = app.query(SIXTY_POINTS, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        assert!(body["extensions"]["cost"]["throttleStatus"].is_null());
    }
}

db_test!(automatic_persisted_queries, |app| {
    let query = "query Codes { sectors { code } }";
    let hash = sha256_hex(query);
    let pq = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });

    let mut response = None;
    let statements = app
        .count_statements(|| async {
            response = Some(app.post(json!({ "extensions": pq })).await);
        })
        .await;
    let response = response.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "APQ clients expect 200");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND", "{body}");
    assert_eq!(statements, 0);
    let strict = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(header::ACCEPT, "application/graphql-response+json")
        .json(&json!({ "extensions": pq }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        strict.status(),
        StatusCode::OK,
        "whatever the Accept header"
    );

    let body: Value = app
        .post(json!({ "query": query, "extensions": pq }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["data"]["sectors"].as_array().unwrap().len(),
        15,
        "{body}"
    );

    let body: Value = app
        .post(json!({ "extensions": pq }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["data"]["sectors"].as_array().unwrap().len(),
        15,
        "{body}"
    );

    // A short, cacheable GET by hash.
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("extensions", pq.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CACHE_CONTROL],
        "public, max-age=60"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["sectors"].as_array().unwrap().len(), 15);

    // A hash that is not the query's is refused.
    let wrong =
        json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex("{ other }") } });
    let response = app
        .post(json!({ "query": query, "extensions": wrong }))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["reason"],
        "PERSISTED_QUERY_HASH_MISMATCH"
    );
    let bad = app
        .post(json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "xyz" } } }))
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
});

#[tokio::test]
async fn trusted_documents_only_run_listed_documents() {
    let trusted = "query Trusted { sectors { code } }";
    let hash = sha256_hex(trusted);
    let path = std::env::temp_dir().join(format!("{}.json", unique("trusted")));
    std::fs::write(&path, json!({ hash.clone(): trusted }).to_string()).unwrap();
    let app = spawn_app_with(Backend::Sqlite, |settings| {
        settings.persisted_queries.trusted_documents = Some(path.clone());
    })
    .await
    .unwrap();
    let pq = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let body: Value = app
        .post(json!({ "extensions": pq }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["data"]["sectors"].as_array().unwrap().len(),
        15,
        "{body}"
    );
    let body = app.query(trusted, json!({})).await;
    assert!(
        body.get("errors").is_none(),
        "the listed text runs too: {body}"
    );

    let mut response = None;
    let statements = app
        .count_statements(|| async {
            response = Some(app.post(json!({ "query": "{ sectors { name } }" })).await);
        })
        .await;
    let body: Value = response.unwrap().json().await.unwrap();
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_TRUSTED", "{body}");
    assert_eq!(statements, 0);
    let other = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex("{ x }") } });
    let body: Value = app
        .post(json!({ "extensions": other }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND");
    let _ = std::fs::remove_file(path);
}

db_test!(alias_directive_and_body_limits_refuse_before_sql, |app| {
    let aliases: String = (0..31)
        .map(|i| format!("a{i}: sectors {{ code }} "))
        .collect();
    let mut body = Value::Null;
    let statements = app
        .count_statements(|| async {
            body = app.query(&format!("{{ {aliases} }}"), json!({})).await;
        })
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_MANY_ALIASES", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["maximum"], 30);
    assert_eq!(statements, 0);

    let directives: String = (0..51).map(|_| "code @include(if: true) ").collect();
    let statements = app
        .count_statements(|| async {
            body = app
                .query(&format!("{{ sectors {{ {directives} }} }}"), json!({}))
                .await;
        })
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_MANY_DIRECTIVES", "{body}");
    assert_eq!(statements, 0);

    let huge = format!("{{ sectors {{ code }} }} #{}", "x".repeat(70 * 1024));
    let statements = app
        .count_statements(|| async {
            let response = app.post(json!({ "query": huge })).await;
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
            body = response.json().await.unwrap();
        })
        .await;
    assert_eq!(error_code(&body), "REQUEST_TOO_LARGE", "{body}");
    assert_eq!(statements, 0);
});

db_test!(security_headers_and_compression, |app| {
    let response = app.post(json!({ "query": "{ sectors { code } }" })).await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    let page = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self';") && !csp.contains("unsafe"),
        "{csp}"
    );
    assert!(csp.contains("connect-src 'self'"), "{csp}");

    for encoding in ["gzip", "br"] {
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", "{ sectors { code name } }")])
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
    }
    let plain = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ sectors { code name } }")])
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
});

db_test_with!(
    cors_allows_listed_origins_only_without_credentials,
    |settings: &mut api::config::ServeSettings| {
        settings.cors_origins = vec!["https://portal.example.org".into()];
    },
    |app| {
        let url = format!("{}/graphql", app.address);
        let allowed = app
            .client
            .request(reqwest::Method::OPTIONS, &url)
            .header(header::ORIGIN, "https://portal.example.org")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .send()
            .await
            .unwrap();
        assert_eq!(
            allowed.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "https://portal.example.org"
        );
        assert!(allowed
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none());
        let other = app
            .client
            .get(&url)
            .query(&[("query", "{ sectors { code } }")])
            .header(header::ORIGIN, "https://evil.example.com")
            .send()
            .await
            .unwrap();
        assert!(other
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none());
    }
);

db_test!(any_origin_by_default_never_with_credentials, |app| {
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ sectors { code } }")])
        .header(header::ORIGIN, "https://anyone.example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS)
        .is_none());
});

db_test_with!(
    introspection_and_suggestions_can_be_turned_off,
    |settings: &mut api::config::ServeSettings| {
        settings.limits.introspection = false;
        settings.limits.suggestions = false;
    },
    |app| {
        let body = app
            .query("{ __schema { queryType { name } } }", json!({}))
            .await;
        assert!(
            body["data"]["__schema"].is_null(),
            "introspection refused: {body}"
        );
        let body = app.query("{ sectorz { code } }", json!({})).await;
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(!message.contains("Did you mean"), "{message}");
    }
);

db_test!(
    suggestions_on_by_default_and_only_cost_in_extensions,
    |app| {
        let body = app.query("{ sectorz { code } }", json!({})).await;
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("Did you mean"), "{message}");
        let body = app
            .query("{ __schema { queryType { name } } }", json!({}))
            .await;
        assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
        let keys: Vec<&String> = body["extensions"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["cost"], "no tracing or other extension data leaks");
    }
);

db_test_with!(
    tokens_are_rate_limited_by_their_sub_not_their_ip,
    small_bucket,
    |app| {
        // One IP, two clients: the first drains its own bucket only.
        let first = crate::helpers::token("SOCAL_ROC", &["reader"]);
        let second = crate::helpers::token("CALAPS", &["reader"]);
        let body = app.query_as(&first, SIXTY_POINTS, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let body = app.query_as(&first, SIXTY_POINTS, json!({})).await;
        assert_eq!(error_code(&body), "THROTTLED", "{body}");
        let body = app.query_as(&second, SIXTY_POINTS, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let body = app.query(SIXTY_POINTS, json!({})).await;
        assert!(
            body.get("errors").is_none(),
            "anonymous callers have their own bucket: {body}"
        );
    }
);
