//! Full-text search (SQLite FTS5 / PostgreSQL tsvector) and the `near` filter.

use serde_json::json;

use crate::{db_test, helpers::error_code};

db_test!(search_ranks_across_types_on_both_databases, |app| {
    let data = app
        .data(
            r#"{ search(query: "medical assist") { __typename ... on Course { title } ... on Pathway { name } }
                 prefix: search(query: "weld") { __typename ... on Course { title } }
                 program: search(query: "bellflower") { __typename ... on RegionalProgram { code } }
                 college: search(query: "el camino") { __typename ... on College { name } }
                 partner: search(query: "honda") { __typename ... on IndustryPartner { name } } }"#,
            json!({}),
        )
        .await;
    let hits = data["search"].as_array().unwrap();
    assert_eq!(hits[0]["__typename"], "Course");
    assert_eq!(
        hits[0]["title"], "Medical Assisting",
        "best match first: {hits:?}"
    );
    assert!(
        data["prefix"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"] == "Welding 1"),
        "prefix match"
    );
    assert!(data["program"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["code"] == "CALAPS"));

    let body = app
        .query(r#"{ search(query: "  --  ") { __typename } }"#, json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    // Search syntax of either database is not injectable.
    let data = app
        .data(
            r#"{ search(query: "nursing\" OR * NEAR(x) :* & | !") { __typename } }"#,
            json!({}),
        )
        .await;
    assert!(data["search"].is_array());
});

db_test!(offering_text_filter_uses_the_index, |app| {
    let data = app
        .data(r#"{ offerings(first: 50, filter: { search: "welding" }) { totalCount nodes { course { title } } } }"#, json!({}))
        .await;
    assert!(data["offerings"]["totalCount"].as_i64().unwrap() >= 1);
    assert!(data["offerings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["course"]["title"] == "Welding 1"));
});

db_test!(near_orders_by_distance_and_pages, |app| {
    // Bellflower High School is about 2 km from this point; Torrance is about 25 km away.
    let query = r#"query($after: String) { offerings(first: 4, after: $after, filter: { near: { lat: 33.8817, lng: -118.117, radiusKm: 10 } }) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id distanceKm site { city } } } }"#;
    let mut seen = Vec::new();
    let mut distances = Vec::new();
    let mut after: Option<String> = None;
    let total = loop {
        let data = app.data(query, json!({ "after": after })).await;
        let page = &data["offerings"];
        let total = page["totalCount"].as_i64().unwrap();
        for node in page["nodes"].as_array().unwrap() {
            seen.push(node["id"].as_str().unwrap().to_owned());
            distances.push(node["distanceKm"].as_f64().unwrap());
            assert_ne!(node["site"]["city"], "Torrance", "outside the radius");
        }
        if page["pageInfo"]["hasNextPage"] == false {
            break total;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    };
    assert!(total > 0);
    assert_eq!(seen.len() as i64, total, "each section once");
    assert!(
        distances.windows(2).all(|w| w[0] <= w[1]),
        "nearest first: {distances:?}"
    );
    assert!(distances.iter().all(|d| *d <= 10.0));

    let body = app
        .query(
            r#"{ offerings(filter: { near: { lat: 95, lng: 0, radiusKm: 5 } }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "filter.near.lat");
});
