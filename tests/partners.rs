//! Colleges and college credit; industry partners and opportunities.

use serde_json::json;

use crate::{
    db_test,
    helpers::{error_code, token},
};

db_test!(colleges_and_college_credit_both_ways, |app| {
    let data = app
        .data(
            r#"{ ec: colleges(first: 1, filter: { search: "El Camino" }) { nodes { name kind articulations(first: 20) { totalCount nodes { collegeCourseCode units course { title program { code } } agreement { code } college { name } } }
                 agreements { nodes { code kind district { name } program { code } } } } }
                 colleges(first: 100, filter: { kind: [COMMUNITY_COLLEGE] }) { totalCount nodes { name kind } }
                 csu: colleges(filter: { kind: [CSU] }) { nodes { name } }
                 pathway(code: "PATIENT_CARE") { collegeCredit { nodes { collegeCourseCode college { name } course { title } } } } }"#,
            json!({}),
        )
        .await;
    // IPEDS ids have no public source yet (sources.md H), so El Camino is found by name.
    let college = &data["ec"]["nodes"][0];
    assert_eq!(college["name"], "El Camino College");
    assert!(college["articulations"]["totalCount"].as_i64().unwrap() >= 1);
    assert!(data["colleges"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] == "COMMUNITY_COLLEGE"));
    assert!(data["csu"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"].as_str().unwrap().contains("Chico")));

    let body = app
        .query(r#"{ college(ipedsId: "11398") { name } }"#, json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "ipedsId");
    let data = app
        .data(r#"{ college(ipedsId: "999999") { name } }"#, json!({}))
        .await;
    assert!(data["college"].is_null());
});

db_test!(partners_filtered_by_sector_pathway_and_kind, |app| {
    let query = r#"query($filter: IndustryPartnerFilter) { industryPartners(first: 50, filter: $filter) { totalCount
        nodes { id name sectors { code } partnerships { nodes { kinds pathway { code sector { code } } } } opportunities(first: 5) { totalCount } } } }"#;
    let all = app.data(query, json!({})).await;
    assert!(all["industryPartners"]["totalCount"].as_i64().unwrap() >= 5);

    // "Which industry partners offer job shadows in Information and Communication Technologies?"
    let ict = "INFORMATION_AND_COMMUNICATION_TECHNOLOGIES";
    let data = app
        .data(
            query,
            json!({ "filter": { "sectorCode": ict, "kind": "JOB_SHADOW" } }),
        )
        .await;
    let partners = data["industryPartners"]["nodes"].as_array().unwrap();
    for p in partners {
        assert!(
            p["sectors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["code"] == ict),
            "{p}"
        );
        assert!(p["partnerships"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|ps| ps["kinds"]
                .as_array()
                .unwrap()
                .contains(&json!("JOB_SHADOW"))));
    }
    let data = app
        .data(
            query,
            json!({ "filter": { "pathwayCode": "SYSTEMS_DIAGNOSTICS_SERVICE_AND_REPAIR" } }),
        )
        .await;
    assert!(data["industryPartners"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"].as_str().unwrap().contains("Honda")));

    let id = all["industryPartners"]["nodes"][0]["id"].clone();
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on IndustryPartner { name } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        node["node"]["name"],
        all["industryPartners"]["nodes"][0]["name"]
    );
});

db_test!(opportunities_filtered_by_grade_paid_and_date, |app| {
    let query = r#"query($filter: OpportunityFilter) { opportunities(first: 100, filter: $filter) { totalCount
        nodes { title kind paid minGrade applyBy partner { name } pathway { code } } } }"#;
    let all = app.data(query, json!({})).await["opportunities"]["totalCount"]
        .as_i64()
        .unwrap();
    assert!(all >= 5);
    let grade9 = app.data(query, json!({ "filter": { "grade": 9 } })).await;
    assert!(grade9["opportunities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["minGrade"].is_null() || o["minGrade"].as_i64().unwrap() <= 9));
    let paid = app
        .data(
            query,
            json!({ "filter": { "paid": true, "kind": "INTERNSHIP" } }),
        )
        .await;
    assert!(paid["opportunities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["paid"] == true && o["kind"] == "INTERNSHIP"));
    let open = app
        .data(query, json!({ "filter": { "openOn": "2027-06-01" } }))
        .await;
    assert!(open["opportunities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["applyBy"].is_null() || o["applyBy"].as_str().unwrap() >= "2027-06-01"));

    let body = app.query(query, json!({ "filter": { "grade": 14 } })).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "filter.grade");
    let body = app
        .query(query, json!({ "filter": { "partnerId": "UGF0aHdheTox" } }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "filter.partnerId",
        "a Pathway id is not a partner id"
    );
});

db_test!(college_and_partner_statement_counts_do_not_grow, |app| {
    let query = r#"query($n: Int) {
        colleges(first: $n) { nodes { name articulations(first: 10) { totalCount nodes { college { name } agreement { code } course { title } } } } }
        industryPartners(first: $n) { nodes { name sectors { code } partnerships { nodes { kinds pathway { name } } } opportunities(first: 3) { totalCount nodes { title } } } } }"#;
    let small = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 2 })).await;
        })
        .await;
    let large = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 40 })).await;
        })
        .await;
    // Only 7 colleges and 11 partners exist, so a small page may skip empty relations;
    // what matters is that every row costs one statement per relation, not one per row.
    assert!(small <= large && large <= 14, "{small} vs {large}");
});

db_test!(partner_phone_and_coordinates_are_readable, |app| {
    let partner = token("PHONE_EMPLOYER", &["editor"]);
    let created = app
        .data_as(
            &partner,
            r#"mutation { createIndustryPartner(input: { code: "PHONE_EMPLOYER", name: "Phone Employer (sample)",
                contactPhone: "310-555-0100", city: "Torrance", lat: 33.83, lng: -118.34, source: "Sample data: test partner" })
                { id contactPhone lat lng sample } }"#,
            json!({}),
        )
        .await;
    let created = &created["createIndustryPartner"];
    assert_eq!(created["contactPhone"], "310-555-0100");
    // The documented "Sample data:" marker also sets the stored flag.
    assert_eq!(created["sample"], true);
    assert_eq!(created["lat"], 33.83);
    assert_eq!(created["lng"], -118.34);
    let read = app
        .data(
            r#"query($id: ID!) { node(id: $id) { ... on IndustryPartner { contactPhone lat lng } } }"#,
            json!({ "id": created["id"] }),
        )
        .await;
    assert_eq!(read["node"]["contactPhone"], "310-555-0100");
    assert_eq!(read["node"]["lat"], 33.83);
    assert_eq!(read["node"]["lng"], -118.34);
});

db_test!(funding_programs_with_their_sources, |app| {
    let data = app
        .data(
            r#"{ fundingPrograms(first: 10) { totalCount nodes { id code name kind url source sourceUpdatedAt sample } }
                 perkins: fundingProgram(code: "PERKINS_V") { name kind }
                 none: fundingProgram(code: "NOPE") { name } }"#,
            json!({}),
        )
        .await;
    let nodes = data["fundingPrograms"]["nodes"].as_array().unwrap();
    let codes: Vec<&str> = nodes.iter().map(|n| n["code"].as_str().unwrap()).collect();
    for code in ["CTEIG", "K12_SWP", "PERKINS_V", "CPA"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    for node in nodes {
        assert!(!node["source"].as_str().unwrap().is_empty());
        assert!(node["sourceUpdatedAt"].is_string(), "{node}");
        assert_eq!(node["sample"], false);
    }
    assert_eq!(data["perkins"]["kind"], "FEDERAL_GRANT");
    assert!(data["none"].is_null());
    let node = app
        .data(
            r#"query($id: ID!) { node(id: $id) { ... on FundingProgram { code } } }"#,
            json!({ "id": nodes[0]["id"] }),
        )
        .await;
    assert_eq!(node["node"]["code"], nodes[0]["code"]);
});
