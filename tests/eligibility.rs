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
    // No source gives the day (or year) Torrance joined: the answer does not invent one.
    assert!(
        reasons(socal).contains(
            "Torrance Unified is a member of the SoCal ROC joint powers agreement; the date it joined is not known."
        ),
        "{}",
        reasons(socal)
    );
    assert!(!reasons(socal).contains("1967"), "{}", reasons(socal));
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

const LYNWOOD: &str = "19647740000000";
const PARAMOUNT: &str = "19648730000000";

/// Every section id with its `costFor` for one student, paging through the whole list.
async fn cost_for_every_section(
    app: &crate::helpers::TestApp,
    student: &Value,
    on: &str,
) -> Vec<(String, Value)> {
    let query = r#"query($after: String, $d: String, $s: String, $g: Int, $a: Boolean, $age: Int, $on: Date) {
      offerings(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id transportationProvided
        costFor(districtCdsCode: $d, schoolCdsCode: $s, grade: $g, adult: $a, age: $age, onDate: $on) {
          status benefits tuitionCents materialsFeeCents totalCents transportationProvided reasons } } } }"#;
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .data(
                query,
                json!({ "after": after, "d": student["districtCdsCode"], "s": student["schoolCdsCode"],
                        "g": student["grade"], "a": student["adult"].as_bool().unwrap_or(false),
                        "age": student["age"], "on": on }),
            )
            .await;
        let page = &data["offerings"];
        for node in page["nodes"].as_array().expect("nodes") {
            out.push((
                node["id"].as_str().expect("id").to_owned(),
                node["costFor"].clone(),
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// The ids `offerings(filter:, orderBy:)` lists, paging `size` at a time; checks
/// that paging returns each section once and agrees with `totalCount`.
async fn filtered_ids(
    app: &crate::helpers::TestApp,
    filter: Value,
    order: &str,
    size: i64,
) -> std::collections::BTreeSet<String> {
    let query = r#"query($f: OfferingFilter, $o: OfferingOrder!, $n: Int, $after: String) {
      offerings(filter: $f, orderBy: $o, first: $n, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }"#;
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .data(
                query,
                json!({ "f": filter, "o": order, "n": size, "after": after }),
            )
            .await;
        let page = &data["offerings"];
        ids.extend(
            page["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["id"].as_str().expect("id").to_owned()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            let total = page["totalCount"].as_u64().expect("totalCount") as usize;
            let set: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
            assert_eq!(set.len(), ids.len(), "{order}: each section once");
            assert_eq!(set.len(), total, "{order}: totalCount");
            return set;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// What `costFor` says must be what the filters list, for one student and date.
async fn filters_agree_with_cost_for(
    app: &crate::helpers::TestApp,
    student: Value,
    on: &str,
    order: &str,
    size: i64,
) {
    let answers = cost_for_every_section(app, &student, on).await;
    let eligible: std::collections::BTreeSet<String> = answers
        .iter()
        .filter(|(_, a)| a["status"] != "NOT_ELIGIBLE")
        .map(|(id, _)| id.clone())
        .collect();
    let free: std::collections::BTreeSet<String> = answers
        .iter()
        .filter(|(_, a)| a["status"] == "FREE")
        .map(|(id, _)| id.clone())
        .collect();
    eprintln!(
        "{student} on {on}: {} sections, {} eligible, {} free",
        answers.len(),
        eligible.len(),
        free.len()
    );
    let filter = json!({ "eligibleFor": student, "onDate": on });
    assert_eq!(
        filtered_ids(app, filter, order, size).await,
        eligible,
        "eligibleFor {student} on {on}"
    );
    let district = match &student["districtCdsCode"] {
        Value::String(d) => d.clone(),
        _ => return,
    };
    let filter = json!({ "eligibleFor": student, "freeForDistrict": district, "onDate": on });
    assert_eq!(
        filtered_ids(app, filter, order, size).await,
        free,
        "freeForDistrict + eligibleFor {student} on {on}"
    );
    // Without a student, "free" does not check grade or age: never fewer.
    let any_grade = filtered_ids(
        app,
        json!({ "freeForDistrict": district, "onDate": on }),
        order,
        size,
    )
    .await;
    assert!(
        free.is_subset(&any_grade),
        "freeForDistrict alone covers {student}"
    );
}

/// The students of the fixed tables below.
fn students() -> Vec<Value> {
    vec![
        json!({ "districtCdsCode": TORRANCE, "grade": 11, "age": 16 }),
        json!({ "schoolCdsCode": TORRANCE_HIGH, "grade": 9, "age": 14 }),
        json!({ "districtCdsCode": TORRANCE, "adult": true, "age": 30 }),
        json!({ "districtCdsCode": LAUSD, "grade": 12, "age": 17 }),
        json!({ "districtCdsCode": BELLFLOWER, "grade": 11, "age": 16 }),
        json!({ "districtCdsCode": LYNWOOD, "grade": 12 }),
        json!({ "districtCdsCode": PARAMOUNT, "grade": 11, "age": 16 }),
    ]
}

db_test!(cost_for_benefits_agree_with_the_section, |app| {
    for student in students() {
        for (id, answer) in cost_for_every_section(&app, &student, "2026-09-01").await {
            let benefits: Vec<&str> = answer["benefits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_str().unwrap())
                .collect();
            let says = |b: &str| benefits.contains(&b);
            assert_eq!(
                says("TRANSPORTATION"),
                answer["transportationProvided"] == true,
                "{student} {id}: {answer}"
            );
            if says("TUITION") {
                assert_eq!(answer["tuitionCents"], 0, "{student} {id}: {answer}");
            }
            if says("MATERIALS") {
                assert_eq!(answer["materialsFeeCents"], 0, "{student} {id}: {answer}");
            }
            if answer["status"] == "NOT_ELIGIBLE" {
                assert!(benefits.is_empty(), "{student} {id}: {answer}");
            }
            if answer["status"] == "FREE" {
                assert_eq!(answer["totalCents"], 0, "{student} {id}: {answer}");
            }
        }
    }
});

db_test!(filters_agree_with_cost_for_on_seeded_data, |app| {
    for (i, student) in students().into_iter().enumerate() {
        let order = ["LISTED", "TITLE", "START_DATE", "TUITION"][i % 4];
        filters_agree_with_cost_for(&app, student, "2026-09-01", order, 7).await;
    }
});

db_test!(two_live_memberships_one_answer, |app| {
    let db = connect(&app.database_url).await;
    let torrance = district::Entity::find()
        .filter(district::Column::CdsCode.eq(TORRANCE))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let full = jpa_membership::Entity::find()
        .filter(jpa_membership::Column::DistrictId.eq(torrance.id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    // A second live membership that covers tuition only.
    let tuition_only = jpa_membership::ActiveModel {
        program_id: Set(full.program_id),
        district_id: Set(torrance.id),
        joined_on: Set(NaiveDate::from_ymd_opt(2020, 7, 1).unwrap()),
        covers_tuition: Set(true),
        covers_materials: Set(false),
        covers_transportation: Set(false),
        created_at: Set(full.created_at),
        updated_at: Set(full.updated_at),
        version: Set(1),
        ..Default::default()
    };
    tuition_only.insert(&db).await.unwrap();
    let student = json!({ "districtCdsCode": TORRANCE, "grade": 11, "age": 16 });
    filters_agree_with_cost_for(&app, student.clone(), "2026-09-01", "LISTED", 100).await;
    // The full membership ends: only the tuition-only one is left, materials are paid.
    let mut ending: jpa_membership::ActiveModel = full.into();
    ending.withdrawn_on = Set(Some(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()));
    ending.update(&db).await.unwrap();
    filters_agree_with_cost_for(&app, student, "2026-09-01", "TITLE", 5).await;
});

db_test!(
    join_dates_known_only_approximately_are_not_stated_as_days,
    |app| {
        let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": PARAMOUNT, "grade": 11, "age": 16, "onDate": "2024-01-15" } }),
        )
        .await;
        let calaps = program(&data, "CALAPS");
        assert_eq!(calaps["status"], "NOT_ELIGIBLE");
        let said = reasons(calaps);
        assert!(said.contains("the date it joined is not known"), "{said}");
        assert!(!said.contains("2024-07-01"), "{said}");

        let data = app
        .data(
            r#"{ program(code: "CALAPS") { memberships { nodes { joinedOnPrecision district { name } } } } }"#,
            json!({}),
        )
        .await;
        for m in data["program"]["memberships"]["nodes"].as_array().unwrap() {
            assert_eq!(
                m["joinedOnPrecision"], "UNKNOWN",
                "no source gives a join date: {m}"
            );
        }
    }
);

db_test!(
    college_credit_follows_the_agreement_scope_and_dates,
    |app| {
        // CERRITOS-LYNWOOD-CCAP covers Lynwood Unified only, 2024-07-01 to 2027-06-30.
        let credit = |district: &'static str, on: &'static str| {
            let app = &app;
            async move {
                let filter = json!({ "programCode": "CALAPS", "collegeCredit": true, "onDate": on,
                                 "eligibleFor": { "districtCdsCode": district, "grade": 11, "age": 16 } });
                let data = app
                .data(
                    r#"query($f: OfferingFilter) { offerings(first: 100, filter: $f) { nodes { course { code } } } }"#,
                    json!({ "f": filter }),
                )
                .await;
                let mut codes: Vec<String> = data["offerings"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["course"]["code"].as_str().unwrap().to_owned())
                    .collect();
                codes.sort();
                codes.dedup();
                codes
            }
        };
        let lynwood = credit(LYNWOOD, "2026-09-01").await;
        assert!(
            lynwood.contains(&"CA-HS100".to_owned()) && lynwood.contains(&"CA-CS100".to_owned()),
            "{lynwood:?}"
        );
        let bellflower = credit(BELLFLOWER, "2026-09-01").await;
        assert!(
            !bellflower.contains(&"CA-HS100".to_owned())
                && !bellflower.contains(&"CA-CS100".to_owned()),
            "the Lynwood-only CCAP agreement gives a Bellflower student no credit: {bellflower:?}"
        );
        let expired = credit(LYNWOOD, "2027-09-01").await;
        assert!(
            !expired.contains(&"CA-HS100".to_owned()),
            "the agreement ended 2027-06-30: {expired:?}"
        );

        // The same rule on the pathway, with the agreement that applies.
        let data = app
        .data(
            r#"{ courses(first: 100, filter: { programCode: "CALAPS" }) { nodes { code pathway { code } } } }"#,
            json!({}),
        )
        .await;
        let pathway = data["courses"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "CA-HS100")
            .map(|c| c["pathway"]["code"].as_str().unwrap().to_owned())
            .expect("CA-HS100 has a pathway");
        let query = r#"query($p: String!, $d: String, $s: String, $on: Date) { pathway(code: $p) {
        all: collegeCredit(first: 100) { nodes { collegeCourseCode } }
        for: collegeCredit(first: 100, forDistrict: $d, forSchool: $s, onDate: $on) { totalCount nodes { collegeCourseCode agreement { code } } } } }"#;
        let codes = |v: &Value| -> Vec<String> {
            v["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["collegeCourseCode"].as_str().unwrap().to_owned())
                .collect()
        };
        let lynwood = app
            .data(
                query,
                json!({ "p": pathway, "d": LYNWOOD, "on": "2026-09-01" }),
            )
            .await;
        let ho101 = lynwood["pathway"]["for"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["collegeCourseCode"] == "HO 101")
            .cloned()
            .expect("Lynwood earns HO 101");
        assert_eq!(ho101["agreement"]["code"], "CERRITOS-LYNWOOD-CCAP");
        let bellflower = app
            .data(
                query,
                json!({ "p": pathway, "d": BELLFLOWER, "on": "2026-09-01" }),
            )
            .await;
        assert!(codes(&bellflower["pathway"]["all"]).contains(&"HO 101".to_owned()));
        assert!(!codes(&bellflower["pathway"]["for"]).contains(&"HO 101".to_owned()));
        let expired = app
            .data(
                query,
                json!({ "p": pathway, "d": LYNWOOD, "on": "2027-09-01" }),
            )
            .await;
        assert!(!codes(&expired["pathway"]["for"]).contains(&"HO 101".to_owned()));
        let both = app
            .query(
                query,
                json!({ "p": pathway, "d": LYNWOOD, "s": TORRANCE_HIGH }),
            )
            .await;
        assert_eq!(error_code(&both), "BAD_USER_INPUT");
        assert_eq!(both["errors"][0]["extensions"]["field"], "forDistrict");
    }
);

db_test!(
    course_articulations_follow_the_agreement_scope_and_dates,
    |app| {
        // CERRITOS-LYNWOOD-CCAP (Lynwood Unified only, 2024-07-01 to 2027-06-30) gives credit
        // for CA-HS100; `Course.articulations` with a student applies the one rule of
        // `catalog/colleges/credit.rs`, like `Pathway.collegeCredit`.
        const LYNWOOD_HIGH: &str = "19647741935436";
        let query = r#"query($d: String, $s: String, $on: Date) {
            courses(first: 30, filter: { programCode: "CALAPS" }) { nodes { code
                all: articulations(first: 10) { nodes { collegeCourseCode } }
                for: articulations(first: 10, forDistrict: $d, forSchool: $s, onDate: $on) {
                    totalCount nodes { collegeCourseCode agreement { code } } } } } }"#;
        let course = |data: &Value, code: &str| -> Value {
            data["courses"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["code"] == code)
                .cloned()
                .unwrap_or_else(|| panic!("{code} missing: {data}"))
        };
        let lynwood = app
            .data(query, json!({ "d": LYNWOOD, "on": "2026-09-01" }))
            .await;
        let hs100 = course(&lynwood, "CA-HS100");
        assert_eq!(hs100["for"]["totalCount"], 1, "{hs100}");
        assert_eq!(
            hs100["for"]["nodes"][0]["agreement"]["code"], "CERRITOS-LYNWOOD-CCAP",
            "the answer says which agreement applies"
        );
        // Asked by school: Lynwood High's district decides.
        let by_school = app
            .data(query, json!({ "s": LYNWOOD_HIGH, "on": "2026-09-01" }))
            .await;
        assert_eq!(course(&by_school, "CA-HS100")["for"], hs100["for"]);

        let bellflower = app
            .data(query, json!({ "d": BELLFLOWER, "on": "2026-09-01" }))
            .await;
        let hs100 = course(&bellflower, "CA-HS100");
        assert_eq!(hs100["all"]["nodes"].as_array().unwrap().len(), 1);
        assert_eq!(
            hs100["for"]["totalCount"], 0,
            "the Lynwood-only agreement gives a Bellflower student nothing: {hs100}"
        );
        // Credit without an agreement applies to every student in its academic years.
        let en100 = course(&bellflower, "CA-EN100");
        assert_eq!(en100["for"]["totalCount"], 1, "{en100}");
        assert!(en100["for"]["nodes"][0]["agreement"].is_null());

        let expired = app
            .data(query, json!({ "d": LYNWOOD, "on": "2027-09-01" }))
            .await;
        assert_eq!(
            course(&expired, "CA-HS100")["for"]["totalCount"],
            0,
            "the agreement ended 2027-06-30"
        );

        let both = app
            .query(query, json!({ "d": LYNWOOD, "s": LYNWOOD_HIGH }))
            .await;
        assert_eq!(error_code(&both), "BAD_USER_INPUT");
        assert_eq!(both["errors"][0]["extensions"]["field"], "forDistrict");

        // Scoped credit is batched: the same statements for 1 course (or pathway) as for 25.
        for query in [
            r#"query($n: Int) { courses(first: $n) { nodes {
                articulations(first: 3, forDistrict: "19647740000000", onDate: "2026-09-01") { totalCount } } } }"#,
            r#"query($n: Int) { pathways(first: $n) { nodes {
                collegeCredit(first: 3, forSchool: "19647741935436") { totalCount } } } }"#,
        ] {
            let small = app
                .count_statements(|| async {
                    app.data(query, json!({ "n": 1 })).await;
                })
                .await;
            let large = app
                .count_statements(|| async {
                    app.data(query, json!({ "n": 25 })).await;
                })
                .await;
            assert_eq!(small, large, "{small} vs {large}: {query}");
        }
    }
);

/// A small deterministic generator (SplitMix64): the same cases on every run.
struct Cases(u64);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
    fn date(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
            + chrono::Duration::days(self.below(365 * 5) as i64)
    }
}

db_test!(filters_agree_with_cost_for_on_generated_data, |app| {
    use entity::{course, course_offering, regional_program};
    let db = connect(&app.database_url).await;
    // CTE_HUB_TEST_SEED and CTE_HUB_TEST_CASES sweep other worlds by hand; the suite runs
    // the same six on every run.
    let seed = std::env::var("CTE_HUB_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00C0_FFEE);
    let cases = std::env::var("CTE_HUB_TEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let mut rng = Cases(seed);
    let districts = [TORRANCE, LAUSD, BELLFLOWER, LYNWOOD, PARAMOUNT, INGLEWOOD];
    let mut district_ids = Vec::new();
    for cds in districts {
        let d = district::Entity::find()
            .filter(district::Column::CdsCode.eq(cds))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        district_ids.push(d.id);
    }
    let programs = regional_program::Entity::find().all(&db).await.unwrap();
    // ROC/P courses only: a district's own courses have no sections and are not in these
    // answers (and leaving them out keeps the generated cases what they were).
    let courses: Vec<course::Model> = course::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.program_id.is_some())
        .collect();
    let offerings = course_offering::Entity::find().all(&db).await.unwrap();
    let template = jpa_membership::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    for case in 0..cases {
        // Policies.
        for p in &programs {
            let mut m: regional_program::ActiveModel = p.clone().into();
            m.min_grade = Set(rng.pick(&[None, Some(9), Some(10), Some(11), Some(12)]));
            m.max_grade = Set(rng.pick(&[None, Some(11), Some(12)]));
            m.min_age = Set(rng.pick(&[None, Some(15), Some(16), Some(17)]));
            m.adults_allowed = Set(rng.chance(50));
            m.non_members_allowed = Set(rng.chance(50));
            m.closed_on = Set(if rng.chance(15) {
                Some(rng.date())
            } else {
                None
            });
            m.update(&db).await.unwrap();
        }
        // Course overrides.
        for c in &courses {
            let mut m: course::ActiveModel = c.clone().into();
            m.min_grade = Set(if rng.chance(20) {
                rng.pick(&[Some(10), Some(11), Some(12)])
            } else {
                None
            });
            m.min_age = Set(if rng.chance(20) {
                rng.pick(&[Some(16), Some(18)])
            } else {
                None
            });
            m.update(&db).await.unwrap();
        }
        // Fees and transportation.
        for o in &offerings {
            let mut m: course_offering::ActiveModel = o.clone().into();
            m.tuition_cents = Set(rng.pick(&[0, 0, 25_000, o.tuition_cents]));
            m.materials_fee_cents = Set(rng.pick(&[0, 0, 5_000]));
            m.transportation_provided = Set(rng.chance(50));
            m.update(&db).await.unwrap();
        }
        // Memberships with dates, benefits and precision.
        jpa_membership::Entity::delete_many()
            .exec(&db)
            .await
            .unwrap();
        for p in &programs {
            for d in &district_ids {
                for _ in 0..rng.pick(&[0, 0, 1, 1, 2]) {
                    let joined = rng.date();
                    let withdrawn = if rng.chance(30) {
                        Some(joined + chrono::Duration::days(1 + rng.below(900) as i64))
                    } else {
                        None
                    };
                    jpa_membership::ActiveModel {
                        program_id: Set(p.id),
                        district_id: Set(*d),
                        joined_on: Set(joined),
                        joined_on_precision: Set(rng
                            .pick(&["DAY", "MONTH", "YEAR", "UNKNOWN"])
                            .to_owned()),
                        withdrawn_on: Set(withdrawn),
                        covers_tuition: Set(rng.chance(70)),
                        covers_materials: Set(rng.chance(70)),
                        covers_transportation: Set(rng.chance(70)),
                        created_at: Set(template.created_at),
                        updated_at: Set(template.updated_at),
                        version: Set(1),
                        ..Default::default()
                    }
                    .insert(&db)
                    .await
                    .unwrap();
                }
            }
        }
        // Two students per case, each on its own date.
        for _ in 0..2 {
            let district = rng.pick(&districts);
            let student = if rng.chance(20) {
                json!({ "districtCdsCode": district, "adult": true, "age": 30 })
            } else {
                let grade = 9 + rng.below(4);
                match rng.below(3) {
                    0 => json!({ "districtCdsCode": district, "grade": grade }),
                    _ => {
                        json!({ "districtCdsCode": district, "grade": grade, "age": grade + 5 + rng.below(4) })
                    }
                }
            };
            let on = rng.date().to_string();
            let order = rng.pick(&["LISTED", "TITLE", "START_DATE", "TUITION"]);
            let size = rng.pick(&[3, 10, 100]) as i64;
            eprintln!("case {case}: {student} on {on}, {order} by {size}");
            filters_agree_with_cost_for(&app, student, &on, order, size).await;
        }
    }
});

/// A database seeded before `joined_on_precision` existed: the migration marks the
/// memberships whose source says the join date is approximated as UNKNOWN.
async fn precision_migration_on(backend: crate::helpers::Backend) {
    use migration::{Migrator, MigratorTrait};
    let Some(url) = crate::helpers::fresh_database(backend).await else {
        return;
    };
    let db = connect(&url).await;
    // Down to just before the precision migration, whatever migrations came after it.
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261201_000004_membership_date_precision")
        .expect("the precision migration")
        + 1;
    Migrator::down(&db, Some(steps as u32))
        .await
        .expect("down to before the precision migration");
    Migrator::up(&db, None).await.expect("up again");
    let memberships = jpa_membership::Entity::find().all(&db).await.unwrap();
    assert!(!memberships.is_empty());
    for m in memberships {
        let approximated = m
            .source
            .as_deref()
            .is_some_and(|s| s.contains("joinedOn approximated"));
        let expected = if approximated { "UNKNOWN" } else { "DAY" };
        assert_eq!(m.joined_on_precision, expected, "{:?}", m.source);
    }
}

#[tokio::test]
async fn precision_migration_marks_approximated_join_dates_on_sqlite() {
    precision_migration_on(crate::helpers::Backend::Sqlite).await;
}

#[tokio::test]
async fn precision_migration_marks_approximated_join_dates_on_postgres() {
    precision_migration_on(crate::helpers::Backend::Postgres).await;
}

db_test!(imported_precision_words_the_reason, |app| {
    use api::{
        auth::{Caller, Principal, Role},
        import::{self, ImportKind, ImportRequest},
    };
    let admin = Caller::Authenticated(Principal {
        sub: "test-eligibility".into(),
        org: "cte-hub".into(),
        roles: vec![Role::Admin],
    });
    let db = connect(&app.database_url).await;
    let csv = format!(
        "program,district_cds,joined_on,joined_on_precision,source\n\
         SOCAL_ROC,{LAUSD},2024-03-01,YEAR,test: only the year is known\n"
    );
    let request = ImportRequest {
        kind: ImportKind::Memberships,
        bytes: csv.as_bytes(),
        format: None,
        dry_run: false,
        partial: false,
    };
    let report = import::run(&db, &admin, None, request, &import::Silent)
        .await
        .expect("import runs");
    assert_eq!(report.rejected, 0, "{report}");
    let data = app
        .data(
            ELIGIBILITY,
            json!({ "input": { "districtCdsCode": LAUSD, "grade": 11, "onDate": "2026-09-01", "programCode": "SOCAL_ROC" } }),
        )
        .await;
    let said = reasons(program(&data, "SOCAL_ROC"));
    assert!(
        said.contains(
            "Los Angeles Unified is a member of the SoCal ROC joint powers agreement since 2024."
        ),
        "{said}"
    );
    assert!(!said.contains("2024-03-01"), "{said}");

    let bad = format!(
        "program,district_cds,joined_on,joined_on_precision\nSOCAL_ROC,{LAUSD},2024-03-01,WEEK\n"
    );
    let request = ImportRequest {
        kind: ImportKind::Memberships,
        bytes: bad.as_bytes(),
        format: None,
        dry_run: true,
        partial: false,
    };
    let report = import::run(&db, &admin, None, request, &import::Silent)
        .await
        .expect("import runs");
    assert_eq!(
        report.rejected, 1,
        "an unknown precision is refused: {report}"
    );
});
