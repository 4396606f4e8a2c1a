//! Query limits (cost, depth) and HTTP caching of anonymous GETs.

use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use crate::{db_test, helpers::error_code};

db_test!(costly_queries_are_refused_before_any_sql, |app| {
    // 1 + 100 × (nodes 1 + sector 1 + (1 + 100 × nodes 1)) = 10,301 points > 5,000.
    let costly =
        "{ pathways(first: 100) { nodes { sector { pathways(first: 100) { nodes { name } } } } } }";
    let mut body = Value::Null;
    let statements = app
        .count_statements(|| async {
            body = app.query(costly, json!({})).await;
        })
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["cost"], 10301);
    assert_eq!(statements, 0, "refused before any SQL");

    // 1 + 40 × (1 + 1 + (1 + 40 × 1)) = 1,721 points: allowed, and the cost is reported.
    let fine =
        "{ pathways(first: 40) { nodes { sector { pathways(first: 40) { nodes { name } } } } } }";
    let body = app.query(fine, json!({})).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], 1721);
    assert_eq!(body["extensions"]["cost"]["maximumAvailable"], 5000);

    // Variables count too.
    let body = app
        .query("query($n: Int) { pathways(first: $n) { nodes { sector { pathways(first: $n) { nodes { name } } } } } }", json!({ "n": 100 }))
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX");
});

db_test!(deep_queries_are_refused, |app| {
    let deep = "{ pathways(first: 1) { nodes { sector { pathways(first: 1) { nodes { sector { pathways(first: 1) { nodes { sector { pathways(first: 1) { nodes { sector { name } } } } } } } } } } } } }";
    let body = app.query(deep, json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_DEEP", "{body}");
});

db_test!(anonymous_gets_are_cacheable_with_etags, |app| {
    let url = format!("{}/graphql", app.address);
    let query = [("query", "{ sectors { code } }")];
    let first = app.client.get(&url).query(&query).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CACHE_CONTROL], "public, max-age=60");
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");

    let again = app
        .client
        .get(&url)
        .query(&query)
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[header::ETAG].to_str().unwrap(), etag);

    let changed = app
        .client
        .get(&url)
        .query(&[("query", "{ sectors { name } }")])
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        changed.status(),
        StatusCode::OK,
        "another query has another ETag"
    );

    let post = app
        .client
        .post(&url)
        .json(&json!({ "query": "{ sectors { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(post.headers()[header::CACHE_CONTROL], "no-store");
    let failed = app
        .client
        .get(&url)
        .query(&[("query", "{ pathway(code: \"\") { name } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        failed.headers()[header::CACHE_CONTROL],
        "no-store",
        "errors are not cached"
    );

    // A revalidation is answered before the query runs: one small statement (the data version).
    let statements = app
        .count_statements(|| async {
            let revalidated = app
                .client
                .get(&url)
                .query(&query)
                .header(header::IF_NONE_MATCH, &etag)
                .send()
                .await
                .unwrap();
            assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
        })
        .await;
    assert_eq!(statements, 1, "a 304 does not execute the query");

    // Every body of the same query is the same bytes (no per-request budget in it)...
    let body_of = |response: reqwest::Response| async move { response.text().await.unwrap() };
    let a = body_of(app.client.get(&url).query(&query).send().await.unwrap()).await;
    let b = body_of(app.client.get(&url).query(&query).send().await.unwrap()).await;
    assert_eq!(a, b, "a strong ETag needs identical bodies");

    // ... and any write changes the ETag.
    let admin = crate::helpers::token("cte-hub", &["admin"]);
    app.data_as(
        &admin,
        "mutation($input: CreateIndustryPartnerInput!) { createIndustryPartner(input: $input) { id } }",
        json!({ "input": { "code": "ETAG_TEST_PARTNER", "name": "ETag Test Partner" } }),
    )
    .await;
    let after_write = app
        .client
        .get(&url)
        .query(&query)
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after_write.status(),
        StatusCode::OK,
        "the data version moved"
    );
    assert_ne!(after_write.headers()[header::ETAG].to_str().unwrap(), etag);
});
