//! The offerings list, its filters, and the catalogue relations around it.

use serde_json::{json, Value};

use crate::{db_test, helpers::error_code};

const OFFERINGS: &str = r#"query($filter: OfferingFilter, $first: Int) {
  offerings(filter: $filter, first: $first) { totalCount nodes { id schedule status seatsAvailable
    course { title agArea pathway { code sector { code } } program { code } } term { code } } } }"#;

async fn list(app: &crate::helpers::TestApp, filter: Value) -> Vec<Value> {
    let data = app
        .data(OFFERINGS, json!({ "filter": filter, "first": 100 }))
        .await;
    data["offerings"]["nodes"].as_array().unwrap().clone()
}

db_test!(filters_combine_with_and_and_lists_with_or, |app| {
    let all = list(&app, json!({})).await;
    assert!(all.len() > 20, "sample catalogue has offerings");

    let health = list(
        &app,
        json!({ "sectorCode": "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY" }),
    )
    .await;
    assert!(!health.is_empty());
    assert!(health.iter().all(
        |o| o["course"]["pathway"]["sector"]["code"] == "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"
    ));

    let evenings = list(&app, json!({ "schedule": ["AFTER_SCHOOL", "SATURDAY"] })).await;
    assert!(evenings
        .iter()
        .all(|o| o["schedule"] == "AFTER_SCHOOL" || o["schedule"] == "SATURDAY"));
    assert!(
        evenings.iter().any(|o| o["schedule"] == "SATURDAY")
            && evenings.iter().any(|o| o["schedule"] == "AFTER_SCHOOL")
    );

    let both = list(&app, json!({ "schedule": ["AFTER_SCHOOL", "SATURDAY"], "programCode": "SOCAL_ROC", "term": "2026-FALL" })).await;
    assert!(
        both.iter()
            .all(|o| o["course"]["program"]["code"] == "SOCAL_ROC"
                && o["term"]["code"] == "2026-FALL")
    );

    let open = list(&app, json!({ "hasOpenSeats": true })).await;
    assert!(!open.is_empty());
    assert!(open
        .iter()
        .all(|o| o["status"] == "OPEN" && o["seatsAvailable"].as_i64().unwrap() > 0));

    let ag = list(&app, json!({ "agArea": ["D", "F", "G"] })).await;
    assert!(!ag.is_empty());
    assert!(ag
        .iter()
        .all(|o| ["D", "F", "G"].contains(&o["course"]["agArea"].as_str().unwrap())));

    let none = list(&app, json!({ "pathwayCode": "NO_SUCH_PATHWAY" })).await;
    assert!(none.is_empty());
});

db_test!(
    portal_question_free_after_school_with_college_credit,
    |app| {
        // "Which ROC/P courses can a grade-10 student at Torrance High take free this term,
        //  after school or on Saturday, that earn college credit?"
        let free = list(
        &app,
        json!({ "freeForDistrict": "19650600000000", "schedule": ["AFTER_SCHOOL", "SATURDAY"], "collegeCredit": true,
                "eligibleFor": { "schoolCdsCode": "19650601938752", "grade": 10 } }),
    )
    .await;
        assert!(!free.is_empty());
        assert!(free
            .iter()
            .all(|o| o["course"]["program"]["code"] == "SOCAL_ROC"));
        // LAUSD is not a member anywhere: nothing is free for it.
        assert!(list(&app, json!({ "freeForDistrict": "19647330000000" }))
            .await
            .is_empty());
        // CalAPS takes grade 11+: a grade-10 Bellflower student sees no CalAPS sections.
        let grade10 = list(
            &app,
            json!({ "eligibleFor": { "districtCdsCode": "19643030000000", "grade": 10 } }),
        )
        .await;
        assert!(grade10
            .iter()
            .all(|o| o["course"]["program"]["code"] != "CALAPS"));
        let grade11 = list(&app, json!({ "eligibleFor": { "districtCdsCode": "19643030000000", "grade": 11, "age": 16 } })).await;
        assert!(grade11
            .iter()
            .any(|o| o["course"]["program"]["code"] == "CALAPS"));
    }
);

db_test!(bad_filter_values_name_the_field, |app| {
    let body = app
        .query(OFFERINGS, json!({ "filter": { "freeForDistrict": "123" } }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "filter.freeForDistrict"
    );
    let body = app.query(OFFERINGS, json!({ "filter": { "eligibleFor": { "districtCdsCode": "19650600000000", "grade": 13 } } })).await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "filter.eligibleFor.grade"
    );
    let body = app.query(OFFERINGS, json!({ "first": 101 })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
});

db_test!(patient_care_pathway_by_level_with_certifications, |app| {
    let data = app
        .data(
            r#"{ pathway(code: "PATIENT_CARE") {
                intro: courses(level: INTRODUCTORY) { nodes { title level } }
                certifications { code name }
                collegeCredit { nodes { collegeCourseCode college { name } } }
                industryPartnerships(first: 10) { nodes { kinds partner { name } } }
                interns: industryPartners(kind: INTERNSHIP) { nodes { name } }
                all: courses(first: 50) { totalCount nodes { level title certifications { code } prerequisites { title } offerings(first: 5) { totalCount } } } } }"#,
            json!({}),
        )
        .await;
    let pathway = &data["pathway"];
    assert!(pathway["intro"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["level"] == "INTRODUCTORY"));
    assert!(pathway["all"]["totalCount"].as_i64().unwrap() >= 2);
    assert!(
        !pathway["certifications"].as_array().unwrap().is_empty(),
        "{pathway}"
    );
});

db_test!(programs_districts_and_schools_both_ways, |app| {
    let data = app
        .data(
            r#"{ program(code: "SOCAL_ROC") { name policy { minGrade adultsAllowed nonMembersAllowed } catalogSchools
                   memberDistricts { nodes { cdsCode name } } sites { nodes { name kind } } fundingOptions { nodes { kind } } terms { totalCount }
                   courses(first: 3) { totalCount nodes { title } } }
                 district(cdsCode: "19650600000000") { name programs { nodes { code } } memberships { nodes { joinedOn program { code } } }
                   schools(first: 10) { totalCount nodes { cdsCode name district { name } } } }
                 school(cdsCode: "19650601938752") { name district { cdsCode } }
                 districts(filter: { memberOf: "CALAPS" }) { totalCount nodes { name } }
                 programs(filter: { memberDistrictCdsCode: "19643030000000" }) { nodes { code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["program"]["memberDistricts"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        data["district"]["programs"]["nodes"][0]["code"],
        "SOCAL_ROC"
    );
    assert_eq!(data["school"]["district"]["cdsCode"], "19650600000000");
    assert_eq!(
        data["districts"]["totalCount"], 3,
        "Bellflower, Lynwood, Paramount"
    );
    assert_eq!(data["programs"]["nodes"][0]["code"], "CALAPS");
    // Nodes of the new types resolve.
    let id = app
        .data(r#"{ program(code: "SOCAL_ROC") { id } }"#, json!({}))
        .await["program"]["id"]
        .clone();
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on RegionalProgram { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(node["node"]["code"], "SOCAL_ROC");
    let body = app
        .query(
            r#"{ district(cdsCode: "19650601938752") { name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "a school's code is not a district's"
    );
});

db_test!(deep_offering_query_statements_do_not_grow, |app| {
    // offerings -> course -> pathway -> sector, program -> member districts,
    // articulations -> college: one statement per level, whatever the page size.
    let query = r#"query($n: Int) { offerings(first: $n) { totalCount nodes { schedule
        course { title pathway { name sector { name } } program { code memberDistricts { nodes { name } } }
                 certifications { code } articulations(first: 5) { nodes { units college { name } } } }
        site { name } term { name } } } }"#;
    let small = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 5 })).await;
        })
        .await;
    let large = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 100 })).await;
        })
        .await;
    assert_eq!(small, large, "{small} vs {large}");
});

db_test!(
    student_filters_run_the_same_statements_whatever_the_page_size,
    |app| {
        // eligibleFor / freeForDistrict / collegeCredit are decided by the rules in memory:
        // a fixed number of statements, not one per row.
        let query = r#"query($n: Int) { offerings(first: $n, orderBy: TITLE, filter: {
        freeForDistrict: "19650600000000", collegeCredit: true,
        eligibleFor: { schoolCdsCode: "19650601938752", grade: 11, age: 16 } }) {
        totalCount nodes { id course { title } } } }"#;
        let small = app
            .count_statements(|| async {
                app.data(query, json!({ "n": 1 })).await;
            })
            .await;
        let large = app
            .count_statements(|| async {
                app.data(query, json!({ "n": 100 })).await;
            })
            .await;
        assert_eq!(small, large, "{small} vs {large}");
    }
);

db_test!(offerings_orderings_are_total_and_page_by_keyset, |app| {
    let query = r#"query($order: OfferingOrder!, $after: String) { offerings(first: 7, after: $after, orderBy: $order) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id tuitionCents course { title } term { startsOn } } } }"#;
    for (order, key) in [
        ("TITLE", "title"),
        ("START_DATE", "startsOn"),
        ("TUITION", "tuitionCents"),
    ] {
        let mut seen: Vec<Value> = Vec::new();
        let mut after: Option<String> = None;
        let total = loop {
            let data = app
                .data(query, json!({ "order": order, "after": after }))
                .await;
            let page = &data["offerings"];
            seen.extend(page["nodes"].as_array().unwrap().iter().cloned());
            if page["pageInfo"]["hasNextPage"] == false {
                break page["totalCount"].as_i64().unwrap();
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        };
        assert_eq!(seen.len() as i64, total, "{order}: every section once");
        let mut ids: Vec<&str> = seen.iter().map(|n| n["id"].as_str().unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len() as i64, total, "{order}: no duplicates");
        let keys: Vec<String> = seen
            .iter()
            .map(|n| match key {
                "title" => n["course"]["title"].as_str().unwrap().to_owned(),
                "startsOn" => n["term"]["startsOn"].as_str().unwrap().to_owned(),
                _ => format!("{:012}", n["tuitionCents"].as_i64().unwrap()),
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "{order} is sorted: {keys:?}"
        );
    }
});

/// The portal page of the benchmark (`.ci/bench.d/hub/portal.graphql`).
const PORTAL: &str = include_str!("../.ci/bench.d/hub/portal.graphql");

/// The portal page's variables: one of the sector x term pairs the benchmark rotates through.
fn portal_variables() -> Value {
    json!({ "sector": "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY", "term": "2026-FALL" })
}

crate::db_test_with!(
    reference_tables_come_from_the_snapshot,
    |s: &mut api::config::ServeSettings| s.reference_cache_secs = 60,
    |app| {
        // The same database served without the snapshot, for the reference answer.
        let uncached = crate::helpers::spawn_app_on(
            app.backend,
            crate::helpers::test_settings(&app.database_url),
        )
        .await;
        let expected = uncached.data(PORTAL, portal_variables()).await;
        assert!(
            expected["offerings"]["edges"]
                .as_array()
                .is_some_and(|e| !e.is_empty()),
            "the sample catalogue answers the portal page: {expected}"
        );
        let fresh = uncached
            .count_statements(|| async {
                uncached.data(PORTAL, portal_variables()).await;
            })
            .await;

        // First request fills the snapshot; the next ones read no reference table.
        assert_eq!(app.data(PORTAL, portal_variables()).await, expected);
        let mut answer = Value::Null;
        let cached = app
            .count_statements(|| async {
                answer = app.data(PORTAL, portal_variables()).await;
            })
            .await;
        eprintln!("portal page statements: {fresh} without the snapshot, {cached} with it");
        assert_eq!(answer, expected, "the snapshot gives the same answer");
        assert!(
            cached + 4 <= fresh,
            "sector code, pathways, programs, sectors and colleges come from the snapshot: {cached} vs {fresh} statements"
        );
    }
);
