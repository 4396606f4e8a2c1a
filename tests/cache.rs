//! The exact response cache: reads that do not depend on the caller answered again without SQL
//! until the data changes. With a lagging read replica: `cache_replica.rs`.

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

/// POSTs with an optional bearer token; the body and the `X-Cache` header.
async fn read_as(
    app: &TestApp,
    bearer: Option<&str>,
    query: &str,
    variables: Value,
) -> (String, Option<String>) {
    let mut request = app.client.post(format!("{}/graphql", app.address));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    let response = request
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

const AUDIT: &str = "{ auditLog(first: 3) { edges { cursor } } }";

db_test_with!(
    answers_that_depend_on_the_token_are_never_cached,
    cache_on,
    |app| {
        let admin = token("SOCAL_ROC", &["admin"]);
        for _ in 0..2 {
            let (body, cache) = read_as(&app, Some(&admin), AUDIT, json!({})).await;
            assert!(!body.contains("\"errors\""), "{body}");
            assert_eq!(cache, None, "auditLog depends on the caller: {body}");
        }
        // Nor are they served to another caller: anonymous and a reader are refused.
        let (body, cache) = read_as(&app, None, AUDIT, json!({})).await;
        assert_ne!(cache.as_deref(), Some("hit"));
        assert!(body.contains("\"errors\""), "{body}");
        let reader = token("SOCAL_ROC", &["reader"]);
        let (body, cache) = read_as(&app, Some(&reader), AUDIT, json!({})).await;
        assert_eq!(cache, None);
        assert!(body.contains("\"errors\""), "{body}");
        // A shared document that also names a caller-specific field is not shared either,
        // however it hides it (alias, fragment).
        let hidden = "query { sectors { code } log: auditLog(first: 1) { ...E } } fragment E on AuditEntryConnection { edges { cursor } }";
        for _ in 0..2 {
            let (_, cache) = read_as(&app, Some(&admin), hidden, json!({})).await;
            assert_eq!(cache, None);
        }
        // Mutations are never cached, whoever sends them.
        let editor = token("SOCAL_ROC", &["editor"]);
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&editor)
            .json(&json!({ "query": "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }", "variables": { "input": { "programCode": "SOCAL_ROC", "code": "NOT-CACHED-1", "title": "Not cached", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } } }))
            .send()
            .await
            .expect("sent");
        assert!(response.headers().get("x-cache").is_none());
    }
);

db_test_with!(
    token_reads_that_touch_no_caller_field_are_shared,
    cache_on,
    |app| {
        let reader = token("SOCAL_ROC", &["reader"]);
        let variables = json!({ "sector": "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY" });
        let (anonymous, cache) = read_as(&app, None, PORTAL, variables.clone()).await;
        assert_eq!(cache.as_deref(), Some("miss"));
        wait_until_cached(&app, PORTAL, &variables).await;
        // A caller with a token gets the same bytes from the cache, without SQL (once the list
        // of revoked clients is read: every `--revocation-check-secs`).
        read_as(&app, Some(&reader), "{ sectors { code } }", json!({})).await;
        let mut with_token = (String::new(), None);
        let statements = app
            .count_statements(|| async {
                with_token = read_as(&app, Some(&reader), PORTAL, variables.clone()).await;
            })
            .await;
        assert_eq!(with_token.1.as_deref(), Some("hit"));
        assert_eq!(with_token.0, anonymous, "the same answer for every caller");
        assert_eq!(statements, 0, "a hit with a token sends no SQL");
        // An answer made with a token is kept too, and served to anyone else.
        let editor = token("SOCAL_ROC", &["editor"]);
        let other = json!({ "sector": "ENERGY_ENVIRONMENT_AND_UTILITIES" });
        let (made, cache) = read_as(&app, Some(&editor), PORTAL, other.clone()).await;
        assert_eq!(cache.as_deref(), Some("miss"));
        let (served, cache) = read_as(&app, None, PORTAL, other).await;
        assert_eq!(cache.as_deref(), Some("hit"));
        assert_eq!(served, made);
    }
);

/// Every resolver that reads the caller names a field of `CALLER_SPECIFIC_FIELDS` (mutations
/// are never shared, so they need no entry): a new one that is missing would let the response
/// cache serve an answer made with one token to another caller.
#[test]
fn every_resolver_that_reads_the_caller_is_listed() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut unlisted = Vec::new();
    let mut found = 0;
    for path in all {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(&path).expect("source");
        // Mutations, and the edge (`http/`), where the caller is found and passed on.
        if name == "mutation.rs" || path.components().any(|c| c.as_os_str() == "http") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            // `ctx.data_opt::<Caller>()`, `ctx.data::<auth::Caller>()`, ...; not in comments.
            if !line.contains("Caller>()") || line.trim_start().starts_with("//") {
                continue;
            }
            found += 1;
            // The resolver it is in: the nearest `fn` above.
            let resolver = lines[..at].iter().rev().find_map(|l| {
                let rest = l
                    .trim_start()
                    .trim_start_matches("pub ")
                    .trim_start_matches("async ");
                let rest = rest.strip_prefix("fn ")?;
                Some(rest.split(['(', '<']).next()?.to_owned())
            });
            let field = resolver.map(|r| {
                let mut camel = String::new();
                let mut upper = false;
                for c in r.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        camel.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        camel.push(c);
                    }
                }
                camel
            });
            match field {
                Some(field)
                    if api::graphql::shared::CALLER_SPECIFIC_FIELDS.contains(&field.as_str()) => {}
                other => unlisted.push(format!("{}:{} ({other:?})", path.display(), at + 1)),
            }
        }
    }
    assert!(
        found > 0,
        "the scan finds the resolvers that read the caller"
    );
    assert!(
        unlisted.is_empty(),
        "resolvers that read the caller but are not in CALLER_SPECIFIC_FIELDS:\n  {}",
        unlisted.join("\n  ")
    );
}

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

db_test_with!(
    warm_gets_and_their_revalidations_send_no_sql,
    cache_on,
    |app| {
        use reqwest::header;
        let url = format!("{}/graphql", app.address);
        let query = [("query", "{ sectors { code name } }")];
        let get = |if_none_match: Option<String>| {
            let mut request = app.client.get(&url).query(&query);
            if let Some(tag) = if_none_match {
                request = request.header(header::IF_NONE_MATCH, tag);
            }
            async move { request.send().await.expect("sent") }
        };
        let first = get(None).await;
        let etag = first.headers()[header::ETAG]
            .to_str()
            .expect("ascii")
            .to_owned();
        let body = first.text().await.expect("body");
        // Until the answer is kept (on PostgreSQL once the instance listens for writes).
        for _ in 0..100 {
            let again = get(None).await;
            if again.headers().get("x-cache").and_then(|v| v.to_str().ok()) == Some("hit") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let mut warm = None;
        let mut revalidated = None;
        let statements = app
            .count_statements(|| async {
                warm = Some(get(None).await);
                revalidated = Some(get(Some(etag.clone())).await);
            })
            .await;
        let (Some(warm), Some(revalidated)) = (warm, revalidated) else {
            panic!("both requests answered");
        };
        assert_eq!(statements, 0, "a warm GET and its revalidation send no SQL");
        assert_eq!(warm.headers()["x-cache"], "hit");
        assert_eq!(
            warm.headers()[header::ETAG].to_str().expect("ascii"),
            etag,
            "the tag the answer was made with"
        );
        assert_eq!(warm.headers()[header::CACHE_CONTROL], "public, max-age=60");
        assert_eq!(warm.text().await.expect("body"), body);
        assert_eq!(revalidated.status(), reqwest::StatusCode::NOT_MODIFIED);
    }
);
