//! Pathways districts and schools run themselves: the sourced seed, `School.pathways`,
//! `District.pathways` and facts, "which schools near me offer Patient Care?", the
//! `pathways` filters, district writes through the feed, import and export, and the
//! eligibility answer that lists them beside the ROC/P sections.

use api::import::{self, ImportKind, ImportRequest};
use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{self, count, error_code, token, Backend},
};

const LAUSD: &str = "19647330000000";
const BELLFLOWER: &str = "19643030000000";
const BELLFLOWER_HIGH: &str = "19643031930775";
const MAYFAIR_HIGH: &str = "19643031935618";
const TORRANCE: &str = "19650600000000";

fn nodes(v: &Value) -> &Vec<Value> {
    v["nodes"].as_array().expect("nodes")
}

db_test!(
    district_facts_and_school_pathways_come_with_their_sources,
    |app| {
        let data = app
        .data(
            r#"query($lausd: String!, $bellflower: String!, $mayfair: String!) {
                 lausd: district(cdsCode: $lausd) { facts { code kind count outOf statement source sourceUpdatedAt sample district { name } } pathways { totalCount } }
                 bellflower: district(cdsCode: $bellflower) { pathways(first: 100) { totalCount nodes { code school { name } } } }
                 school(cdsCode: $mayfair) { pathways(first: 20) { totalCount nodes { id localName pathwayInferred pathway { code } school { cdsCode } district { cdsCode } source sample
                   courses { title level program { code } district { cdsCode } school { name } } feederCourses { title } } } } }"#,
            json!({ "lausd": LAUSD, "bellflower": BELLFLOWER, "mayfair": MAYFAIR_HIGH }),
        )
        .await;
        // LAUSD's counts are district facts with their source, never spread over schools.
        let facts = data["lausd"]["facts"].as_array().expect("facts");
        let pathways = facts
            .iter()
            .find(|f| f["kind"] == "PATHWAYS")
            .expect("pathway count");
        assert_eq!(pathways["count"], 58);
        assert!(pathways["statement"]
            .as_str()
            .unwrap()
            .contains("128 schools"));
        assert!(pathways["source"]
            .as_str()
            .unwrap()
            .contains("18 July 2024"));
        assert_eq!(pathways["sourceUpdatedAt"], "2024-07-18");
        assert_eq!(pathways["sample"], false);
        assert!(facts
            .iter()
            .any(|f| f["kind"] == "SCHOOLS" && f["count"] == 128));
        assert_eq!(
            data["lausd"]["pathways"]["totalCount"], 0,
            "no LAUSD pathway is invented"
        );

        // Bellflower High's and Mayfair High's programmes as the tour article names them.
        let bellflower = &data["bellflower"]["pathways"];
        assert_eq!(bellflower["totalCount"], 12);
        assert!(nodes(bellflower)
            .iter()
            .any(|p| p["code"] == "BELLFLOWER_HIGH_AVIATION"
                && p["school"]["name"] == "Bellflower High"));
        let mayfair = nodes(&data["school"]["pathways"]);
        assert_eq!(data["school"]["pathways"]["totalCount"], 5);
        let health = mayfair
            .iter()
            .find(|p| p["localName"] == "Health occupations")
            .expect("health occupations");
        assert_eq!(health["pathway"]["code"], "PATIENT_CARE");
        assert_eq!(
            health["pathwayInferred"], true,
            "the article does not name the state pathway"
        );
        assert!(health["source"]
            .as_str()
            .unwrap()
            .starts_with("Mayfair High programme"));
        assert_eq!(health["sample"], false);
        // Its course sequence is illustrative, by level, owned by the district, not a ROC/P.
        let levels: Vec<&str> = health["courses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["INTRODUCTORY", "CONCENTRATOR", "CAPSTONE"]);
        for course in health["courses"].as_array().unwrap() {
            assert!(course["title"].as_str().unwrap().contains("(sample)"));
            assert!(course["program"].is_null());
            assert_eq!(course["district"]["cdsCode"], BELLFLOWER);
            assert_eq!(course["school"]["name"], "Mayfair High");
        }
        assert_eq!(health["feederCourses"].as_array().unwrap().len(), 1);
        // Labels the source gives without a state pathway stay unlinked.
        assert!(mayfair
            .iter()
            .any(|p| p["localName"] == "Accounting/business"
                && p["pathway"].is_null()
                && p["pathwayInferred"] == false));

        let node = app
            .data(
                "query($id: ID!) { node(id: $id) { ... on SchoolPathway { code } } }",
                json!({ "id": health["id"] }),
            )
            .await;
        assert_eq!(node["node"]["code"], "MAYFAIR_HIGH_HEALTH_OCCUPATIONS");
    }
);

db_test!(which_schools_near_me_offer_patient_care, |app| {
    let query = r#"query($near: NearInput, $district: String) { pathway(code: "PATIENT_CARE") {
        offeredAt(near: $near, district: $district, first: 5) { totalCount nodes { localName distanceKm school { name lat lng } district { name } } } } }"#;
    // Near Bellflower: Mayfair High's health programme, with its distance.
    let near = json!({ "lat": 33.88, "lng": -118.12, "radiusKm": 10 });
    let data = app.data(query, json!({ "near": near })).await;
    let offered = &data["pathway"]["offeredAt"];
    assert_eq!(offered["totalCount"], 1);
    let first = &nodes(offered)[0];
    assert_eq!(first["school"]["name"], "Mayfair High");
    let km = first["distanceKm"].as_f64().unwrap();
    assert!(km > 0.0 && km < 10.0, "{km}");

    // Far away, in another district, or with no place: what the filters say.
    let far = json!({ "lat": 37.77, "lng": -122.42, "radiusKm": 25 });
    let data = app.data(query, json!({ "near": far })).await;
    assert_eq!(data["pathway"]["offeredAt"]["totalCount"], 0);
    let data = app.data(query, json!({ "district": TORRANCE })).await;
    assert_eq!(data["pathway"]["offeredAt"]["totalCount"], 0);
    let data = app.data(query, json!({ "district": BELLFLOWER })).await;
    assert_eq!(data["pathway"]["offeredAt"]["totalCount"], 1);
    assert!(nodes(&data["pathway"]["offeredAt"])[0]["distanceKm"].is_null());

    // Bad input names the field.
    let body = app
        .query(
            query,
            json!({ "near": { "lat": 33.88, "lng": -118.12, "radiusKm": 500 } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "near.radiusKm");
    let body = app.query(query, json!({ "district": "123" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "district");
});

db_test!(pathways_filtered_by_who_runs_them, |app| {
    let query = r#"query($filter: PathwayFilter) { pathways(first: 100, filter: $filter) { totalCount nodes { code } } }"#;
    let codes = |data: &Value| -> Vec<String> {
        nodes(&data["pathways"])
            .iter()
            .map(|p| p["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let data = app
        .data(
            query,
            json!({ "filter": { "offeredAtSchool": MAYFAIR_HIGH } }),
        )
        .await;
    let mayfair = codes(&data);
    assert!(mayfair.contains(&"PATIENT_CARE".to_owned()), "{mayfair:?}");
    assert!(!mayfair.contains(&"FOOD_SERVICE_AND_HOSPITALITY".to_owned()));
    let data = app
        .data(
            query,
            json!({ "filter": { "offeredInDistrict": BELLFLOWER } }),
        )
        .await;
    assert!(codes(&data).contains(&"FOOD_SERVICE_AND_HOSPITALITY".to_owned()));
    let data = app
        .data(
            query,
            json!({ "filter": { "offeredInDistrict": BELLFLOWER, "sectorCode": "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY" } }),
        )
        .await;
    assert_eq!(codes(&data), ["PATIENT_CARE"]);
    let data = app
        .data(query, json!({ "filter": { "offeredInDistrict": LAUSD } }))
        .await;
    assert_eq!(data["pathways"]["totalCount"], 0);
    // Coachella Valley High's academies (health, hospitality, and the later ones).
    let data = app
        .data(query, json!({ "filter": { "academy": true } }))
        .await;
    let academies = codes(&data);
    assert!(
        academies.contains(&"PATIENT_CARE".to_owned()),
        "{academies:?}"
    );
    assert!(
        academies.contains(&"HOSPITALITY_TOURISM_AND_RECREATION".to_owned()),
        "{academies:?}"
    );
    assert!(
        !academies.contains(&"EDUCATION".to_owned()),
        "{academies:?}"
    );
    let body = app
        .query(
            query,
            json!({ "filter": { "offeredAtSchool": BELLFLOWER } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "filter.offeredAtSchool"
    );
});

db_test!(
    a_district_writes_its_own_pathways_through_the_feed_and_files,
    |app| {
        let editor = token(BELLFLOWER, &["editor"]);
        let other = token(TORRANCE, &["editor"]);

        // A district course (no ROC/P) and an academy that runs after school too.
        let course = app
        .data_as(
            &editor,
            "mutation($d: String!, $s: String!) { createCourse(input: { districtCdsCode: $d, schoolCdsCode: $s, code: \"BH-MED-1\", title: \"Medical Careers (sample)\", level: INTRODUCTORY, pathwayCode: \"PATIENT_CARE\", source: \"Sample data: a test course\" }) { id program { code } district { cdsCode } school { name } } }",
            json!({ "d": BELLFLOWER, "s": BELLFLOWER_HIGH }),
        )
        .await["createCourse"]
        .clone();
        assert!(course["program"].is_null());
        assert_eq!(course["school"]["name"], "Bellflower High");
        let body = app
        .query_as(
            &editor,
            "mutation($d: String!) { createCourse(input: { programCode: \"CALAPS\", districtCdsCode: $d, code: \"X\", title: \"Two owners\", level: INTRODUCTORY }) { id } }",
            json!({ "d": BELLFLOWER }),
        )
        .await;
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            "input.programCode"
        );

        let create = r#"mutation($d: String!, $s: String) { createSchoolPathway(input: {
        code: "BH-MED-ACADEMY", districtCdsCode: $d, schoolCdsCode: $s, pathwayCode: "PATIENT_CARE",
        localName: "Medical academy (sample)", earns: [CERTIFICATE_OF_COMPLETION, INDUSTRY_CERTIFICATION],
        schedules: [SCHOOL_DAY, EXTENDED_DAY], ctso: "HOSA", gradeLow: 10, gradeHigh: 12,
        academy: true, academyFundingCode: "CPA", source: "Sample data: a test academy" }) {
          id version earns schedules academy academyFunding { code } gradeLow gradeHigh sample } }"#;
        let body = app
            .query_as(
                &other,
                create,
                json!({ "d": BELLFLOWER, "s": BELLFLOWER_HIGH }),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
        let body = app
            .query_as(
                &editor,
                create,
                json!({ "d": BELLFLOWER, "s": "19650601938752" }),
            )
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["field"], "input.schoolCdsCode",
            "{body}"
        );
        let academy = app
            .data_as(
                &editor,
                create,
                json!({ "d": BELLFLOWER, "s": BELLFLOWER_HIGH }),
            )
            .await["createSchoolPathway"]
            .clone();
        assert_eq!(
            academy["earns"],
            json!(["CERTIFICATE_OF_COMPLETION", "INDUSTRY_CERTIFICATION"])
        );
        assert_eq!(academy["schedules"], json!(["SCHOOL_DAY", "EXTENDED_DAY"]));
        assert_eq!(academy["academyFunding"]["code"], "CPA");
        assert_eq!(academy["sample"], true);
        app.data_as(
        &editor,
        "mutation($p: ID!, $c: ID!) { addSchoolPathwayCourse(schoolPathwayId: $p, courseId: $c) { courses { title } } }",
        json!({ "p": academy["id"], "c": course["id"] }),
    )
    .await;

        // Updates name the version they read.
        let update = "mutation($id: ID!, $v: Int!) { updateSchoolPathway(id: $id, expectedVersion: $v, input: { schedules: [SCHOOL_DAY, SATURDAY], gradeLow: 11 }) { version schedules gradeLow } }";
        let updated = app
            .data_as(&editor, update, json!({ "id": academy["id"], "v": 1 }))
            .await;
        assert_eq!(updated["updateSchoolPathway"]["version"], 2);
        let body = app
            .query_as(&editor, update, json!({ "id": academy["id"], "v": 1 }))
            .await;
        assert_eq!(error_code(&body), "CONFLICT");
        let body = app
        .query_as(
            &editor,
            "mutation($id: ID!) { updateSchoolPathway(id: $id, expectedVersion: 2, input: { gradeLow: 12, gradeHigh: 10 }) { id } }",
            json!({ "id": academy["id"] }),
        )
        .await;
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.gradeHigh");

        // A district fact needs its source; its own district's editors write it.
        let body = app
        .query_as(
            &editor,
            "mutation($d: String!) { createDistrictFact(input: { code: \"BUSD-X\", districtCdsCode: $d, kind: SECTORS, count: 16, outOf: 15, statement: \"16 of 15\", source: \"https://example.org\" }) { id } }",
            json!({ "d": BELLFLOWER }),
        )
        .await;
        assert_eq!(body["errors"][0]["extensions"]["field"], "input.outOf");
        let fact = app
        .data_as(
            &editor,
            "mutation($d: String!) { createDistrictFact(input: { code: \"BUSD-SECTORS\", districtCdsCode: $d, kind: SECTORS, count: 9, outOf: 15, statement: \"9 of 15 sectors (sample)\", source: \"Sample data: a test fact\" }) { id kind count outOf } }",
            json!({ "d": BELLFLOWER }),
        )
        .await["createDistrictFact"]
        .clone();
        assert_eq!(fact["outOf"], 15);

        // The academy filter and the search index see it; the feed has the records and the link.
        let data = app
        .data(
            "{ pathways(filter: { academy: true, offeredInDistrict: \"19643030000000\" }, includeSample: true) { nodes { code } } search(query: \"medical academy\", includeSample: true) { __typename ... on SchoolPathway { code } } }",
            json!({}),
        )
        .await;
        assert_eq!(nodes(&data["pathways"])[0]["code"], "PATIENT_CARE");
        assert!(data["search"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "BH-MED-ACADEMY"));
        let events = count(
        &app.database_url,
        "SELECT COUNT(*) FROM change_event WHERE record_type IN ('SchoolPathway', 'SchoolPathwayCourse', 'DistrictFact') AND actor_org = '19643030000000'",
    )
    .await;
        assert_eq!(
            events, 4,
            "create and update of the academy, its course link, the fact"
        );

        // Export → import into a database with only the reference data → export: the same file.
        let source = helpers::connect(&app.database_url).await;
        let first = api::export::catalog_json(&source).await.expect("export");
        for kind in [
            ImportKind::DistrictCourses,
            ImportKind::SchoolPathways,
            ImportKind::SchoolPathwayCourses,
            ImportKind::DistrictFacts,
        ] {
            assert!(
                !first[kind.name()].as_array().expect("section").is_empty(),
                "{} are exported",
                kind.name()
            );
        }
        let text = serde_json::to_string_pretty(&first).expect("json");
        let empty = match app.backend {
            Backend::Sqlite => helpers::empty_sqlite(),
            Backend::Postgres => helpers::empty_postgres().await.expect("postgres"),
        };
        let target = helpers::connect(&empty).await;
        api::db::migrate(&target).await.expect("migrate");
        api::seed::reference(&target).await.expect("reference data");
        let admin = api::auth::Caller::Authenticated(api::auth::Principal {
            sub: "test-admin".into(),
            org: "CTE_HUB".into(),
            roles: vec![api::auth::Role::Admin],
        });
        let request = ImportRequest {
            kind: ImportKind::Catalog,
            bytes: text.as_bytes(),
            format: None,
            dry_run: false,
            partial: false,
        };
        let report = import::run(&target, &admin, None, request, &import::Silent)
            .await
            .expect("import");
        assert_eq!(report.rejected, 0, "{report}");
        let second = api::export::catalog_json(&target)
            .await
            .expect("export again");
        assert_eq!(
            serde_json::to_string_pretty(&second).expect("json"),
            text,
            "export → import → export changed the file"
        );

        // CTDL: the real programmes as learning programs; sample ones (the academy) left out.
        let ctdl = api::export::ctdl::catalog(&target).await.expect("ctdl");
        let graph = ctdl["@graph"].as_array().expect("graph");
        assert!(graph.iter().any(|n| n["@type"] == "ceterms:LearningProgram"
            && n["@id"] == "urn:cte-hub:school-pathway:MAYFAIR_HIGH_HEALTH_OCCUPATIONS"
            && n["ceterms:availableAt"][0]["ceterms:name"]["en-US"] == "Mayfair High"));
        assert!(!graph
            .iter()
            .any(|n| n["@id"] == "urn:cte-hub:school-pathway:BH-MED-ACADEMY"));

        // Deleting leaves a tombstone and takes it out of the lists.
        app.data_as(
            &editor,
            "mutation($id: ID!) { deleteSchoolPathway(id: $id, expectedVersion: 2) { version } }",
            json!({ "id": academy["id"] }),
        )
        .await;
        let data = app
            .data(
                "{ pathways(filter: { academy: true, offeredInDistrict: \"19643030000000\" }, includeSample: true) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(data["pathways"]["totalCount"], 0);
    }
);

db_test!(
    a_district_course_needs_exactly_one_owner_in_the_database,
    |app| {
        use sea_orm::ConnectionTrait;
        let db = helpers::connect(&app.database_url).await;
        let insert = |owners: &str| {
            format!(
                "INSERT INTO course ({owners}, code, title, level, honors, version, sample) \
             SELECT {values}, 'CHECK-1', 'Check', 'INTRODUCTORY', false, 1, false",
                values = match owners {
                    "program_id, district_id" => {
                        "(SELECT MIN(id) FROM regional_program), (SELECT MIN(id) FROM district)"
                    }
                    _ => "(SELECT MIN(id) FROM regional_program)",
                }
            )
        };
        assert!(
            db.execute_unprepared(&insert("program_id, district_id"))
                .await
                .is_err(),
            "a course with a ROC/P and a district owner is refused"
        );
        assert!(
        db.execute_unprepared(
            "INSERT INTO course (code, title, level, honors, version, sample) VALUES ('CHECK-2', 'Check', 'INTRODUCTORY', false, 1, false)"
        )
        .await
        .is_err(),
        "a course with no owner is refused"
    );
        db.execute_unprepared(&insert("program_id"))
            .await
            .expect("a ROC/P course as before");
    }
);

db_test!(eligibility_lists_the_districts_own_pathways, |app| {
    let query = r#"query($input: EligibilityInput!) { eligibility(input: $input) {
        programs { program { code } status }
        districtPathways { status atOwnSchool reasons schoolPathway { localName school { name } } } } }"#;
    let data = app
        .data(
            query,
            json!({ "input": { "schoolCdsCode": MAYFAIR_HIGH, "grade": 11 } }),
        )
        .await;
    let answer = &data["eligibility"];
    assert!(
        !answer["programs"].as_array().unwrap().is_empty(),
        "ROC/P answers stay"
    );
    let pathways = answer["districtPathways"].as_array().unwrap();
    assert_eq!(pathways.len(), 12);
    // The student's own school first, every one free for the district's own students.
    assert!(pathways[..5].iter().all(
        |p| p["atOwnSchool"] == true && p["schoolPathway"]["school"]["name"] == "Mayfair High"
    ));
    assert!(pathways[5..].iter().all(|p| p["atOwnSchool"] == false));
    assert!(pathways.iter().all(|p| p["status"] == "FREE"));
    assert!(pathways[0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("Your school, Mayfair High"));

    // Asked by district, and for a district with no pathways of its own.
    let data = app
        .data(
            query,
            json!({ "input": { "districtCdsCode": BELLFLOWER, "grade": 9 } }),
        )
        .await;
    assert!(data["eligibility"]["districtPathways"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["atOwnSchool"] == false));
    let data = app
        .data(
            query,
            json!({ "input": { "districtCdsCode": TORRANCE, "grade": 11 } }),
        )
        .await;
    assert_eq!(data["eligibility"]["districtPathways"], json!([]));
});

db_test!(nested_school_pathway_lists_take_include_sample, |app| {
    // Mayfair High's health occupations programme is real; its course sequence is sample.
    let data = app
        .data(
            r#"query($mayfair: String!) { school(cdsCode: $mayfair) {
                 all: pathways { totalCount }
                 real: pathways(includeSample: false) { totalCount nodes { localName
                   courses { title } realCourses: courses(includeSample: false) { title }
                   feederCourses { title } realFeeder: feederCourses(includeSample: false) { title }
                   pathway { offeredAt(includeSample: false) { nodes { localName } } } } } } }"#,
            json!({ "mayfair": MAYFAIR_HIGH }),
        )
        .await;
    let school = &data["school"];
    assert_eq!(school["real"]["totalCount"], school["all"]["totalCount"]);
    let health = nodes(&school["real"])
        .iter()
        .find(|p| p["localName"] == "Health occupations")
        .expect("health occupations");
    assert_eq!(health["courses"].as_array().unwrap().len(), 3);
    assert_eq!(health["realCourses"].as_array().unwrap().len(), 0);
    assert_eq!(health["feederCourses"].as_array().unwrap().len(), 1);
    assert_eq!(health["realFeeder"].as_array().unwrap().len(), 0);
    assert!(nodes(&health["pathway"]["offeredAt"])
        .iter()
        .any(|p| p["localName"] == "Health occupations"));
});

db_test!(
    districts_and_schools_without_a_cds_code_go_by_their_code,
    |app| {
        // No source gives Hart's, Coachella Valley's or Oroville's CDS codes: they are never
        // invented, the records carry a short code, and every `…CdsCode` argument takes it.
        let data = app
        .data(
            r#"{ hart: district(cdsCode: "HART_UHSD") { code cdsCode name county facts { kind count outOf statement source } }
                 coachella: district(cdsCode: "COACHELLA_VALLEY_USD") { facts { kind count } pathways(first: 20) { totalCount } }
                 cvhs: school(cdsCode: "COACHELLA_VALLEY_HIGH") { code cdsCode district { code }
                   pathways(first: 20) { totalCount nodes { code localName academy gradeLow gradeHigh pathwayInferred academyFunding { code } pathway { code } source } } }
                 lausd: district(cdsCode: "19647330000000") { code cdsCode } }"#,
            json!({}),
        )
        .await;
        let hart = &data["hart"];
        assert_eq!(hart["code"], "HART_UHSD");
        assert!(hart["cdsCode"].is_null(), "{hart}");
        assert!(hart["county"].is_null(), "no source names Hart's county");
        let sectors = &hart["facts"][0];
        assert_eq!(sectors["kind"], "SECTORS");
        assert_eq!(
            (sectors["count"].as_i64(), sectors["outOf"].as_i64()),
            (Some(13), Some(15))
        );
        assert!(sectors["statement"]
            .as_str()
            .unwrap()
            .contains("Extended Day"));
        assert!(sectors["source"]
            .as_str()
            .unwrap()
            .contains("Career Technical Education & Career Pathways"));
        let kinds: Vec<(&str, i64)> = data["coachella"]["facts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["kind"].as_str().unwrap(), f["count"].as_i64().unwrap()))
            .collect();
        assert!(
            kinds.contains(&("PATHWAYS", 20)) && kinds.contains(&("FEEDER_PROGRAMS", 20)),
            "{kinds:?}"
        );
        // The district's 20 pathways are a count; only the one school's academies are records.
        assert_eq!(data["coachella"]["pathways"]["totalCount"], 8);
        let cvhs = &data["cvhs"];
        assert!(cvhs["cdsCode"].is_null());
        assert_eq!(cvhs["district"]["code"], "COACHELLA_VALLEY_USD");
        let health = nodes(&cvhs["pathways"])
            .iter()
            .find(|p| p["code"] == "COACHELLA_VALLEY_HIGH_HEALTH")
            .expect("the health academy");
        assert_eq!(health["academy"], true);
        assert_eq!(health["academyFunding"]["code"], "CPA");
        assert_eq!(
            (health["gradeLow"].as_i64(), health["gradeHigh"].as_i64()),
            (Some(10), Some(12))
        );
        assert_eq!(health["pathway"]["code"], "PATIENT_CARE");
        assert_eq!(health["pathwayInferred"], true);
        assert!(nodes(&cvhs["pathways"])
            .iter()
            .any(|p| p["localName"] == "Agriculture" && p["pathway"].is_null()));
        // A district with a CDS code keeps it as its code: every existing reference still works.
        assert_eq!(data["lausd"]["code"], "19647330000000");
        assert_eq!(data["lausd"]["cdsCode"], "19647330000000");

        // Filters and `offeredAt` take the short code like a CDS code.
        let data = app
        .data(
            r#"{ pathways(first: 50, filter: { offeredInDistrict: "OROVILLE_UHSD" }) { nodes { code } }
                 pathway(code: "SYSTEMS_DIAGNOSTICS_SERVICE_AND_REPAIR") { offeredAt(district: "OROVILLE_UHSD", first: 5) { nodes { localName school { name } } } } }"#,
            json!({}),
        )
        .await;
        let codes: Vec<&str> = nodes(&data["pathways"])
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["EDUCATION", "SYSTEMS_DIAGNOSTICS_SERVICE_AND_REPAIR"]
        );
        let offered = nodes(&data["pathway"]["offeredAt"]);
        assert_eq!(offered[0]["school"]["name"], "Oroville High School");
        assert!(offered[0]["localName"]
            .as_str()
            .unwrap()
            .contains("Honda PACT"));

        // A district editor of a short-coded district writes as any other.
        let editor = token("OROVILLE_UHSD", &["editor"]);
        let created = app
        .data_as(
            &editor,
            r#"mutation { createSchoolPathway(input: { code: "OROVILLE_HIGH_WELDING", districtCdsCode: "OROVILLE_UHSD", schoolCdsCode: "OROVILLE_HIGH", localName: "Welding (sample)", source: "Sample data: an illustrative pathway" }) { code district { code } school { code } } }"#,
            json!({}),
        )
        .await;
        assert_eq!(
            created["createSchoolPathway"]["school"]["code"],
            "OROVILLE_HIGH"
        );

        // Keys that are neither are refused, naming the field; unknown ones are not found.
        for (raw, field) in [
            ("hart", "cdsCode"),
            ("HART-UHSD", "cdsCode"),
            ("19647330000001", "cdsCode"),
        ] {
            let body = app
                .query(
                    "query($c: String!) { district(cdsCode: $c) { name } }",
                    json!({ "c": raw }),
                )
                .await;
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{raw}: {body}");
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "{raw}: {body}"
            );
        }
        // A Coachella Valley High student's eligibility lists the school's academies, free.
        let data = app
        .data(
            r#"{ eligibility(input: { schoolCdsCode: "COACHELLA_VALLEY_HIGH", grade: 11 }) { districtPathways { status atOwnSchool schoolPathway { code } } } }"#,
            json!({}),
        )
        .await;
        let own = data["eligibility"]["districtPathways"].as_array().unwrap();
        assert_eq!(own.len(), 8, "{own:?}");
        assert!(
            own.iter()
                .all(|p| p["atOwnSchool"] == true && p["status"] == "FREE"),
            "{own:?}"
        );

        // A teaching opening at a short-coded school; CTDL shows it as a job (it is not sample).
        let opening = app
        .data_as(
            &editor,
            r#"mutation { createTeachingOpening(input: { code: "OROVILLE-AUTO-1", districtCdsCode: "OROVILLE_UHSD", schoolCdsCode: "OROVILLE_HIGH", sectorCode: "TRANSPORTATION", title: "Automotive technology teacher", credentialRequired: "CTE Designated Subjects credential", source: "Test: an opening entered by the district" }) { school { code } sample } }"#,
            json!({}),
        )
        .await;
        assert_eq!(
            opening["createTeachingOpening"]["school"]["code"],
            "OROVILLE_HIGH"
        );

        // CTDL: the new programmes of study, the educator organisation and its program, the job.
        let db = helpers::connect(&app.database_url).await;
        let ctdl = api::export::ctdl::catalog(&db).await.expect("ctdl");
        let graph = ctdl["@graph"].as_array().expect("graph");
        let node = |id: &str| graph.iter().find(|n| n["@id"] == id).cloned();
        let automotive =
            node("urn:cte-hub:school-pathway:OROVILLE_HIGH_AUTOMOTIVE").expect("automotive");
        assert_eq!(
            automotive["ceterms:availableAt"][0]["ceterms:name"]["en-US"],
            "Oroville High School"
        );
        let encorps = node("urn:cte-hub:educator-organization:ENCORPS").expect("EnCorps");
        assert_eq!(encorps["@type"], "ceterms:CredentialOrganization");
        let mentorship =
            node("urn:cte-hub:educator-program:ENCORPS_CTE_MENTORSHIP").expect("mentorship");
        assert_eq!(mentorship["@type"], "ceterms:LearningProgram");
        assert_eq!(
            mentorship["ceterms:offeredBy"][0]["@id"],
            "urn:cte-hub:educator-organization:ENCORPS"
        );
        let job = node("urn:cte-hub:teaching-opening:OROVILLE-AUTO-1").expect("job");
        assert_eq!(job["@type"], "ceterms:Job");
        assert_eq!(
            job["ceterms:offeredBy"][0]["ceterms:name"]["en-US"],
            "Oroville Union High School District"
        );
        assert_eq!(
            job["ceterms:requires"][0]["ceterms:description"]["en-US"],
            "CTE Designated Subjects credential"
        );

        let data = app
            .data(
                r#"{ district(cdsCode: "NO_SUCH_DISTRICT") { name } }"#,
                json!({}),
            )
            .await;
        assert!(data["district"].is_null());
        let body = app
        .query(
            r#"query { eligibility(input: { districtCdsCode: "NO_SUCH_DISTRICT", grade: 11 }) { programs { status } } }"#,
            json!({}),
        )
        .await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("no district has code 'NO_SUCH_DISTRICT'"),
            "{body}"
        );
    }
);

db_test!(a_cde_file_gives_a_waiting_district_its_cds_code, |app| {
    // When the CDE schools file brings Oroville Union's row (the CDS codes here are test
    // values), the short-coded records take their CDS codes instead of getting twins; their
    // pathways stay with them.
    let file = "CDSCode\tStatusType\tCounty\tDistrict\tSchool\tLastUpdate\n\
                04999990000000\tActive\tButte\tOroville Union High\tNo Data\t2026-11-20\n\
                04999990499999\tActive\tButte\tOroville Union High\tOroville High\t2026-11-20\n";
    let response = app
        .client
        .post(format!("{}/import/pubschls", app.address))
        .bearer_auth(token("cte-hub", &["admin"]))
        .body(file)
        .send()
        .await
        .expect("sent");
    let report: Value = response.json().await.expect("report");
    assert_eq!(report["updated"], 2, "{report}");
    assert_eq!(report["created"], 0, "{report}");
    let data = app
        .data(
            r#"{ district(cdsCode: "04999990000000") { code cdsCode name county pathways { totalCount } }
                 old: district(cdsCode: "OROVILLE_UHSD") { name }
                 school(cdsCode: "04999990499999") { code name pathways { nodes { code } } }
                 districts(filter: { search: "Oroville" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["district"]["code"], "04999990000000", "{data}");
    assert_eq!(data["district"]["county"], "Butte");
    assert_eq!(data["district"]["pathways"]["totalCount"], 2);
    assert!(
        data["old"].is_null(),
        "the short code gave way to the CDS code"
    );
    assert_eq!(data["school"]["name"], "Oroville High");
    assert_eq!(
        data["school"]["pathways"]["nodes"][0]["code"],
        "OROVILLE_HIGH_AUTOMOTIVE"
    );
    assert_eq!(data["districts"]["totalCount"], 1, "no twin");
    // Seeding again finds the adopted records by name: no short-coded twin comes back.
    let db = helpers::connect(&app.database_url).await;
    api::seed::reference(&db).await.expect("seeding again");
    let data = app
        .data(
            r#"{ districts(filter: { search: "Oroville" }) { totalCount } schools(filter: { search: "Oroville" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["districts"]["totalCount"], 1, "{data}");
    assert_eq!(data["schools"]["totalCount"], 1, "{data}");
});
