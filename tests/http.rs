//! The GraphQL-over-HTTP contract: methods, content types, status codes.

use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use crate::{db_test, helpers::error_code};

db_test!(get_runs_queries_and_refuses_mutations, |app| {
    let url = format!("{}/graphql", app.address);
    let response = app
        .client
        .get(&url)
        .query(&[("query", "{ sectors { code } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["sectors"].as_array().unwrap().len(), 15);

    let response = app
        .client
        .get(&url)
        .query(&[("query", "mutation { anything }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "POST");
});

db_test!(post_takes_json_only_and_one_operation, |app| {
    let url = format!("{}/graphql", app.address);
    let form = app
        .client
        .post(&url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("query=%7B+sectors+%7B+code+%7D+%7D")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for content_type in ["text/plain", "multipart/form-data; boundary=x"] {
        let response = app
            .client
            .post(&url)
            .header(header::CONTENT_TYPE, content_type)
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    let batch = app
        .client
        .post(&url)
        .json(&json!([{ "query": "{ sectors { code } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), StatusCode::BAD_REQUEST);
    let body: Value = batch.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_REQUEST");
});

db_test!(
    invalid_documents_are_400_for_graphql_response_clients,
    |app| {
        let url = format!("{}/graphql", app.address);
        for (query, code) in [
            ("{ sectors { code ", "GRAPHQL_PARSE_FAILED"),
            ("{ sectors { noSuchField } }", "GRAPHQL_VALIDATION_FAILED"),
        ] {
            let strict = app
                .client
                .post(&url)
                .header(header::ACCEPT, "application/graphql-response+json")
                .json(&json!({ "query": query }))
                .send()
                .await
                .unwrap();
            assert_eq!(strict.status(), StatusCode::BAD_REQUEST, "{query}");
            assert!(strict.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/graphql-response+json"));
            let body: Value = strict.json().await.unwrap();
            assert_eq!(error_code(&body), code);

            let legacy = app
                .client
                .post(&url)
                .json(&json!({ "query": query }))
                .send()
                .await
                .unwrap();
            assert_eq!(
                legacy.status(),
                StatusCode::OK,
                "application/json clients get 200 with errors"
            );
            let body: Value = legacy.json().await.unwrap();
            assert_eq!(error_code(&body), code);
        }
    }
);

db_test!(health_readiness_and_graphiql, |app| {
    for (path, expected) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.text().await.unwrap(), expected);
    }
    let page = app
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("graphiql"), "GraphiQL page served at /");
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .header("x-request-id", "abc-123")
        .query(&[("query", "{ sectors { code } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-request-id"],
        "abc-123",
        "request id propagated"
    );
});

db_test!(get_honours_operation_name, |app| {
    let document = "query Codes { sectors { code } } query Names { sectors { name } }";
    let response = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", document), ("operationName", "Names")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["sectors"][0]["name"].is_string(), "{body}");
    assert!(body["data"]["sectors"][0].get("code").is_none());
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("operation=\"Names\""),
        "counted by operation name: {metrics}"
    );
});
