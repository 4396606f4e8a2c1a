//! Sample records: marked by `sample`, left out on request, and by default only a server
//! running with sample data (the embedded SQLite demo) shows them.

use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{
        empty_postgres, empty_sqlite, spawn_app_on, spawn_app_with, test_settings, Backend, TestApp,
    },
};

const COUNTS: &str = r#"query($include: Boolean) {
    courses(includeSample: $include) { totalCount }
    offerings(includeSample: $include) { totalCount }
    industryPartners(first: 50, includeSample: $include) { totalCount nodes { code sample } }
    opportunities(includeSample: $include) { totalCount }
    programs(includeSample: $include) { totalCount nodes { sample } }
    search(query: "welding", includeSample: $include) { __typename }
}"#;

async fn counts(app: &TestApp, include: Value) -> Value {
    app.data(COUNTS, json!({ "include": include })).await
}

fn total(data: &Value, field: &str) -> i64 {
    data[field]["totalCount"].as_i64().expect("totalCount")
}

db_test!(sample_records_are_marked_and_can_be_left_out, |app| {
    // The test servers run with sample data, so the default includes it.
    let all = counts(&app, Value::Null).await;
    assert!(total(&all, "courses") > 0);
    assert_eq!(counts(&app, json!(true)).await, all);
    let data = app
        .data(
            r#"{ courses(first: 100) { nodes { title sample agArea ucApprovedYear } }
                 agreements: colleges(first: 50) { nodes { agreements { nodes { name kind sample } } } }
                 sectors { sample } }"#,
            json!({}),
        )
        .await;
    for course in data["courses"]["nodes"].as_array().unwrap() {
        assert_eq!(course["sample"], true, "{course}");
        // An invented A-G approval never sits on a title that could pass for the real course.
        if !course["ucApprovedYear"].is_null() {
            assert!(
                course["title"].as_str().unwrap().ends_with("(sample)"),
                "{course}"
            );
        }
    }
    for college in data["agreements"]["nodes"].as_array().unwrap() {
        for agreement in college["agreements"]["nodes"].as_array().unwrap() {
            assert_eq!(agreement["sample"], true);
            assert!(
                agreement["name"].as_str().unwrap().ends_with("(sample)"),
                "{agreement}"
            );
        }
    }
    assert!(data["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["sample"] == false));

    let real = counts(&app, json!(false)).await;
    assert_eq!(total(&real, "courses"), 0);
    assert_eq!(total(&real, "offerings"), 0);
    assert_eq!(total(&real, "opportunities"), 0);
    assert_eq!(total(&real, "programs"), total(&all, "programs"));
    // Honda PACT is real (its source is a publication); the other partners are invented.
    let partners = real["industryPartners"]["nodes"].as_array().unwrap();
    assert_eq!(partners.len(), 1);
    assert_eq!(partners[0]["code"], "HONDA_PACT");
    assert_eq!(partners[0]["sample"], false);
    assert!(!all["search"].as_array().unwrap().is_empty());
    assert!(real["search"]
        .as_array()
        .unwrap()
        .iter()
        .all(|hit| hit["__typename"] != "Course"));
});

/// A PostgreSQL server is never a demo: it leaves sample records out unless asked, even when
/// its database holds some.
#[tokio::test]
async fn postgres_leaves_sample_records_out_by_default() {
    let Some(app) = spawn_app_with(Backend::Postgres, |s| s.seed_sample = None).await else {
        return;
    };
    let default = counts(&app, Value::Null).await;
    assert_eq!(total(&default, "courses"), 0);
    assert_eq!(total(&default, "offerings"), 0);
    let asked = counts(&app, json!(true)).await;
    assert!(total(&asked, "courses") > 0);
}

#[tokio::test]
async fn postgres_loads_no_sample_data_unless_asked() {
    let Some(url) = empty_postgres().await else {
        return;
    };
    let mut settings = test_settings(&url);
    settings.seed_sample = None;
    let app = spawn_app_on(Backend::Postgres, settings).await;
    let asked = counts(&app, json!(true)).await;
    assert_eq!(total(&asked, "courses"), 0);
    assert_eq!(total(&asked, "industryPartners"), 0);
    assert!(
        total(&asked, "programs") > 0,
        "the reference data is loaded"
    );
}

#[tokio::test]
async fn the_sqlite_demo_loads_and_shows_sample_data() {
    let mut settings = test_settings(&empty_sqlite());
    settings.seed_sample = None;
    let app = spawn_app_on(Backend::Sqlite, settings).await;
    let default = counts(&app, Value::Null).await;
    assert!(total(&default, "courses") > 0);
    assert_eq!(total(&counts(&app, json!(false)).await, "courses"), 0);
}
