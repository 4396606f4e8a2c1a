//! Eligibility: who may take what, what it costs, who can pay, and why.

use chrono::NaiveDate;
use entity::{district, jpa_membership, term};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{connect, error_code},
};

const TORRANCE: &str = "19650600000000";
const TORRANCE_HIGH: &str = "19650601938752";
const LAUSD: &str = "19647330000000";
const BELLFLOWER: &str = "19643030000000";
const INGLEWOOD: &str = "19646340000000";

const ELIGIBILITY: &str = r#"query($input: EligibilityInput!) {
  eligibility(input: $input) {
    district { name } school { name } onDate
    programs { program { code } status benefits coveredBy { joinedOn } fundingOptions { name kind } reasons
      offerings { offering { id transportationProvided course { title } term { name } } status tuitionCents materialsFeeCents totalCents transportationProvided reasons } }
  }
}"#;

fn program<'a>(data: &'a Value, code: &str) -> &'a Value {
    data["eligibility"]["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["program"]["code"] == code)
        .unwrap()
}

fn reasons(answer: &Value) -> String {
    answer["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(" | ")
}

db_test!(member_district_student_is_free_with_all_benefits, |app| {
    let data = app.data(ELIGIBILITY, json!({ "input": { "districtCdsCode": TORRANCE, "grade": 10, "programCode": "SOCAL_ROC" } })).await;
    let socal = program(&data, "SOCAL_ROC");
    assert_eq!(socal["status"], "FREE");
    assert_eq!(
        socal["benefits"],
        json!(["TUITION", "MATERIALS", "TRANSPORTATION"])
    );
    assert!(reasons(socal).contains(
        "Torrance Unified is a member of the SoCal ROC joint powers agreement since 1967"
    ));
    let offerings = socal["offerings"].as_array().unwrap();
    assert!(!offerings.is_empty());
    for o in offerings.iter().filter(|o| o["status"] != "NOT_ELIGIBLE") {
        assert_eq!(o["totalCents"], 0, "{o}");
    }
});

db_test!(non_member_pays_or_gets_funding, |app| {
    let data = app.data(ELIGIBILITY, json!({ "input": { "districtCdsCode": LAUSD, "grade": 11, "programCode": "SOCAL_ROC" } })).await;
    let socal = program(&data, "SOCAL_ROC");
    assert_eq!(socal["status"], "FUNDING_AVAILABLE");
    let names: Vec<&str> = socal["fundingOptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("South Bay Workforce")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("Rehabilitation")),
        "{names:?}"
    );
    assert!(reasons(socal).contains("Los Angeles Unified is not a member"));
    let medical = socal["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["offering"]["course"]["title"] == "Medical Assisting")
        .unwrap();
    assert!(
        medical["tuitionCents"].as_i64().unwrap() > 0,
        "a non-member pays tuition: {medical}"
    );
    assert_eq!(medical["transportationProvided"], false);
});

db_test!(calaps_grade_and_age_rules, |app| {
    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": BELLFLOWER, "grade": 10, "age": 16 } }),
        )
        .await;
    let calaps = program(&data, "CALAPS");
    assert_eq!(calaps["status"], "NOT_ELIGIBLE");
    assert!(
        reasons(calaps).contains("grade 11 or above; grade 10 is too early"),
        "{}",
        reasons(calaps)
    );

    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": BELLFLOWER, "grade": 11, "age": 15 } }),
        )
        .await;
    let calaps = program(&data, "CALAPS");
    assert_eq!(calaps["status"], "NOT_ELIGIBLE");
    assert!(reasons(calaps).contains("age 15 is too young"));

    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": BELLFLOWER, "grade": 11, "age": 16 } }),
        )
        .await;
    assert_eq!(program(&data, "CALAPS")["status"], "FREE");
    // CalAPS admits members only.
    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": LAUSD, "grade": 12, "age": 17 } }),
        )
        .await;
    assert!(reasons(program(&data, "CALAPS")).contains("member districts only"));
});

db_test!(withdrawn_district_is_judged_on_the_date_asked, |app| {
    let db = connect(&app.database_url).await;
    let inglewood = district::Entity::find()
        .filter(district::Column::CdsCode.eq(INGLEWOOD))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let membership = jpa_membership::Entity::find()
        .filter(jpa_membership::Column::DistrictId.eq(inglewood.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut active: jpa_membership::ActiveModel = membership.into();
    active.withdrawn_on = Set(Some(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()));
    active.update(&db).await.unwrap();

    let after = app.data(ELIGIBILITY, json!({ "input": { "districtCdsCode": INGLEWOOD, "grade": 11, "onDate": "2026-01-15" } })).await;
    let socal = program(&after, "SOCAL_ROC");
    assert_eq!(socal["status"], "FUNDING_AVAILABLE");
    assert!(
        reasons(socal).contains("withdrew from the SoCal ROC joint powers agreement on 2025-06-30")
    );

    let before = app.data(ELIGIBILITY, json!({ "input": { "districtCdsCode": INGLEWOOD, "grade": 11, "onDate": "2025-01-15" } })).await;
    assert_eq!(program(&before, "SOCAL_ROC")["status"], "FREE");
});

db_test!(term_without_buses_has_no_transportation, |app| {
    let db = connect(&app.database_url).await;
    for t in term::Entity::find()
        .filter(term::Column::Code.eq("2026-FALL"))
        .all(&db)
        .await
        .unwrap()
    {
        let mut active: term::ActiveModel = t.into();
        active.transportation_available = Set(false);
        active.update(&db).await.unwrap();
    }
    let data = app.data(ELIGIBILITY, json!({ "input": { "districtCdsCode": TORRANCE, "grade": 11, "programCode": "SOCAL_ROC" } })).await;
    let fall = program(&data, "SOCAL_ROC")["offerings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| {
            o["offering"]["term"]["name"] == "Fall 2026"
                && o["offering"]["transportationProvided"] == true
        })
        .cloned()
        .expect("a fall section that normally runs buses");
    assert_eq!(fall["transportationProvided"], false);
    assert!(
        reasons(&fall).contains("No bus service in Fall 2026"),
        "{}",
        reasons(&fall)
    );
    assert_eq!(
        fall["status"], "FREE",
        "tuition and materials are still covered"
    );
});

db_test!(asking_by_school_resolves_its_district, |app| {
    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "schoolCdsCode": TORRANCE_HIGH, "grade": 10 } }),
        )
        .await;
    assert_eq!(data["eligibility"]["district"]["name"], "Torrance Unified");
    assert_eq!(data["eligibility"]["school"]["name"], "Torrance High");
    assert_eq!(program(&data, "SOCAL_ROC")["status"], "FREE");
});

db_test!(unknown_and_malformed_codes, |app| {
    let unknown = app
        .query(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": "19999990000000", "grade": 10 } }),
        )
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
    for (input, field) in [
        (
            json!({ "districtCdsCode": "1965060", "grade": 10 }),
            "input.districtCdsCode",
        ),
        (
            json!({ "districtCdsCode": TORRANCE_HIGH, "grade": 10 }),
            "input.districtCdsCode",
        ),
        (
            json!({ "schoolCdsCode": TORRANCE, "grade": 10 }),
            "input.schoolCdsCode",
        ),
        (
            json!({ "districtCdsCode": TORRANCE, "schoolCdsCode": TORRANCE_HIGH, "grade": 10 }),
            "input.districtCdsCode",
        ),
        (
            json!({ "districtCdsCode": TORRANCE, "grade": 4 }),
            "input.grade",
        ),
        (json!({ "districtCdsCode": TORRANCE }), "input.grade"),
    ] {
        let body = app
            .query(ELIGIBILITY, json!({ "input": input.clone() }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{input}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{input}");
    }
});

db_test!(cost_for_matches_eligibility_and_batches, |app| {
    let query = r#"query($n: Int) { offerings(first: $n, filter: { programCode: "SOCAL_ROC" }) { nodes {
        costFor(districtCdsCode: "19647330000000", grade: 11) { status tuitionCents fundingOptions { kind } reasons }
        course { title pathway { name sector { name } } program { code } } site { name } term { name } } } }"#;
    let data = app.data(query, json!({ "n": 3 })).await;
    for node in data["offerings"]["nodes"].as_array().unwrap() {
        assert_eq!(node["costFor"]["status"], "FUNDING_AVAILABLE", "{node}");
    }
    let small = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 3 })).await;
        })
        .await;
    let large = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 40 })).await;
        })
        .await;
    // costFor chains loaders (course, term, program, memberships, funding); cache hits
    // let items drift, so a batch may split by timing, but never per row (40 rows here).
    assert!(
        large <= small + 4 && large <= 20,
        "costFor is batched: {small} vs {large} statements"
    );
});
