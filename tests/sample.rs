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

/// Every nested list of records, each with `includeSample: $s` (and a real parent to hang from:
/// programs, districts, colleges, pathways, sectors and Honda PACT are real; the catalogue
/// under them is sample).
const DEEP: &[&str] = &[
    r#"query($s: Boolean) { programs(first: 2, includeSample: $s) { nodes { sample
        sites(first: 5, includeSample: $s) { nodes { sample } }
        memberDistricts(first: 6, onDate: "2026-11-23", includeSample: $s) { nodes { sample
            schools(first: 2, includeSample: $s) { nodes { sample } }
            memberships(first: 3, includeSample: $s) { nodes { sample } }
            programs(first: 2, onDate: "2026-11-23", includeSample: $s) { nodes { sample } } } }
        memberships(first: 10, includeSample: $s) { nodes { sample } }
        fundingOptions(first: 5, includeSample: $s) { nodes { sample } }
        terms(first: 10, includeSample: $s) { nodes { sample } }
        courses(first: 30, includeSample: $s) { nodes { sample
            certifications(includeSample: $s) { sample }
            prerequisites(includeSample: $s) { sample }
            articulations(first: 3, includeSample: $s) { nodes { sample } }
            offerings(first: 3, includeSample: $s) { nodes { sample } } } } } } }"#,
    r#"query($s: Boolean) { colleges(first: 10, includeSample: $s) { nodes { sample
        agreements(first: 10, includeSample: $s) { nodes { sample } }
        articulations(first: 10, includeSample: $s) { nodes { sample } } } } }"#,
    r#"query($s: Boolean) { sectors { sample pathways(first: 10, includeSample: $s) { nodes { sample
        courses(first: 10, includeSample: $s) { nodes { sample } }
        certifications(includeSample: $s) { sample }
        industryPartners(first: 5, includeSample: $s) { nodes { sample } }
        industryPartnerships(first: 5, includeSample: $s) { nodes { sample } }
        collegeCredit(first: 5, includeSample: $s) { nodes { sample } }
        lynwood: collegeCredit(first: 5, forDistrict: "19647740000000", onDate: "2026-09-01", includeSample: $s) { nodes { sample } } } } } }"#,
    r#"query($s: Boolean) { industryPartners(first: 20, includeSample: $s) { nodes { sample
        partnerships(first: 5, includeSample: $s) { nodes { sample } }
        opportunities(first: 5, includeSample: $s) { nodes { sample } } } }
        eligibility(input: { districtCdsCode: "19650600000000", grade: 11, programCode: "SOCAL_ROC", onDate: "2026-11-23" }, includeSample: $s) {
            programs { offerings { offering { sample } } } } }"#,
    // Sample parents asked for explicitly, their lists left to `$s`: the nested filters hold on
    // their own, not only because the parent list left the sample parents out.
    r#"query($s: Boolean) { courses(first: 30, includeSample: true) { nodes {
        certifications(includeSample: $s) { sample }
        prerequisites(includeSample: $s) { sample }
        articulations(first: 5, includeSample: $s) { nodes { sample } }
        lynwood: articulations(first: 5, forDistrict: "19647740000000", onDate: "2026-09-01", includeSample: $s) { nodes { sample } }
        offerings(first: 5, includeSample: $s) { nodes { sample } } } }
      industryPartners(first: 20, includeSample: true) { nodes {
        partnerships(first: 5, includeSample: $s) { nodes { sample } }
        opportunities(first: 5, includeSample: $s) { nodes { sample } } } } }"#,
];

/// JSON paths of every object marked `sample: true` under `value`.
fn sample_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.get("sample") == Some(&Value::Bool(true)) {
                out.push(path.to_owned());
            }
            for (key, child) in map {
                sample_paths(child, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                sample_paths(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The `sample: true` objects the deep documents return with `$s = include` (the parents of
/// the last document, asked with `includeSample: true`, do not select `sample`).
async fn deep_samples(app: &TestApp, include: Value) -> Vec<String> {
    let mut found = Vec::new();
    for (n, doc) in DEEP.iter().enumerate() {
        let body = app.query(doc, json!({ "s": include })).await;
        assert!(body["errors"].is_null(), "document {n}: {body}");
        let mut paths = Vec::new();
        sample_paths(&body["data"], &format!("doc{n}"), &mut paths);
        found.extend(paths);
    }
    found
}

db_test!(nested_lists_leave_sample_records_out_on_request, |app| {
    let shown = deep_samples(&app, json!(true)).await;
    for list in [
        "terms",
        "courses",
        "offerings",
        "agreements",
        "articulations",
        "lynwood",
        "industryPartnerships",
        "partnerships",
        "opportunities",
    ] {
        assert!(
            shown.iter().any(|p| p.contains(&format!(".{list}"))),
            "with includeSample: true, {list} shows sample records (or this test proves nothing)"
        );
    }
    let hidden = deep_samples(&app, json!(false)).await;
    assert!(
        hidden.is_empty(),
        "sample records in nested lists: {hidden:#?}"
    );
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
    // Nested lists take the same default.
    let nested = deep_samples(&app, Value::Null).await;
    assert!(nested.is_empty(), "sample records by default: {nested:#?}");
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
