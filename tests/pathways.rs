//! Sectors, pathways, paging and global IDs.

use serde_json::{json, Value};

use crate::{db_test, helpers::error_code};

const PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  pathways(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"#;

fn codes(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect()
}

db_test!(sectors_hold_all_58_pathways, |app| {
    let data = app
        .data(
            "{ sectors { code name pathways(first: 100) { totalCount } } }",
            json!({}),
        )
        .await;
    let sectors = data["sectors"].as_array().unwrap();
    assert_eq!(sectors.len(), 15);
    let total: i64 = sectors
        .iter()
        .map(|s| s["pathways"]["totalCount"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 58);
    let health = data["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY");
    assert_eq!(
        health.unwrap()["name"],
        "Health Science and Medical Technology"
    );
});

db_test!(
    paging_forward_and_backward_yields_each_pathway_once,
    |app| {
        let all = app.data(PAGE, json!({ "first": 100 })).await;
        let expected = codes(&all["pathways"]);
        assert_eq!(expected.len(), 58);
        assert_eq!(all["pathways"]["totalCount"], 58);

        let mut forward = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = app.data(PAGE, json!({ "first": 7, "after": after })).await;
            let page = &data["pathways"];
            forward.extend(codes(page));
            assert_eq!(page["pageInfo"]["hasPreviousPage"], after.is_some());
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(forward, expected, "forward pages in the same stable order");

        let mut backward = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let data = app.data(PAGE, json!({ "last": 7, "before": before })).await;
            let page = &data["pathways"];
            let mut chunk = codes(page);
            chunk.extend(backward);
            backward = chunk;
            if page["pageInfo"]["hasPreviousPage"] == false {
                break;
            }
            before = page["pageInfo"]["startCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(backward, expected, "backward pages cover the same list");
    }
);

db_test!(bad_page_arguments_are_bad_user_input, |app| {
    for (variables, field) in [
        (json!({ "first": 101 }), "first"),
        (json!({ "first": -1 }), "first"),
        (json!({ "last": 500 }), "last"),
        (json!({ "first": 5, "after": "garbage" }), "after"),
        (json!({ "last": 5, "before": "YzE6bm90IGpzb24" }), "before"),
    ] {
        let body = app.query(PAGE, variables.clone()).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{variables}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
});

db_test!(pathway_by_code_and_node_round_trip, |app| {
    let data = app
        .data(
            r#"{ pathway(code: "PATIENT_CARE") { id code name aliases sector { code } source } }"#,
            json!({}),
        )
        .await;
    let pathway = &data["pathway"];
    assert_eq!(pathway["name"], "Patient Care");
    assert_eq!(
        pathway["sector"]["code"],
        "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"
    );
    let id = pathway["id"].as_str().unwrap();

    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { id ... on Pathway { code } } nodes(ids: [$id]) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data["node"]["code"], "PATIENT_CARE");
    assert_eq!(data["nodes"][0]["id"], id);

    let data = app
        .data(
            r#"{ pathway(code: "NO_SUCH_PATHWAY") { code } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["pathway"], Value::Null);

    // Well-formed but unknown: null. Malformed: BAD_USER_INPUT naming the field.
    let data = app
        .data(r#"{ node(id: "UGF0aHdheTo5OTk5OTk") { id } }"#, json!({}))
        .await;
    assert_eq!(data["node"], Value::Null);
    let body = app
        .query(r#"{ node(id: "not an id") { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "id");
});

db_test!(pathway_filters_by_sector_and_alias, |app| {
    let query = "query($filter: PathwayFilter) { pathways(filter: $filter, first: 100) { totalCount nodes { code } } }";
    let data = app
        .data(
            query,
            json!({ "filter": { "sectorCode": "TRANSPORTATION" } }),
        )
        .await;
    assert_eq!(data["pathways"]["totalCount"], 3);
    let data = app
        .data(
            query,
            json!({ "filter": { "search": "media and design arts" } }),
        )
        .await;
    assert_eq!(
        data["pathways"]["nodes"][0]["code"], "DESIGN_VISUAL_AND_MEDIA_ARTS",
        "found by alias"
    );
    let data = app
        .data(query, json!({ "filter": { "sectorCode": "NOT_A_SECTOR" } }))
        .await;
    assert_eq!(data["pathways"]["totalCount"], 0);
});

db_test!(nested_pathway_pages_continue_per_sector, |app| {
    let data = app
        .data(r#"{ sector(code: "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY") { pathways(first: 4) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } } }"#, json!({}))
        .await;
    let page = &data["sector"]["pathways"];
    assert_eq!(page["totalCount"], 6);
    assert_eq!(page["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let after = page["pageInfo"]["endCursor"].as_str().unwrap();
    let data = app
        .data(
            r#"query($after: String) { sector(code: "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY") { pathways(first: 4, after: $after) { nodes { code } pageInfo { hasNextPage } } } }"#,
            json!({ "after": after }),
        )
        .await;
    assert_eq!(
        data["sector"]["pathways"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(data["sector"]["pathways"]["pageInfo"]["hasNextPage"], false);
});

db_test!(statement_count_does_not_grow_with_page_size, |app| {
    // pathway -> sector -> the sector's pathways (paged per sector in SQL) -> counts.
    let query =
        "query($n: Int) { pathways(first: $n) { totalCount nodes { code sector { code name \
                 pathways(first: 3) { totalCount nodes { code } } } } } }";
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
    assert_eq!(small, large, "statements for first: 5 vs first: 100");
    assert_eq!(
        large, 5,
        "page, count, sectors, nested pages, nested counts"
    );

    // Several root fields sharing loaders may split a batch by timing, but never per row.
    let query = "query($n: Int) { sectors { code pathways(first: $n) { totalCount nodes { code sector { code } } } } \
                 pathways(first: $n) { nodes { code sector { name pathways(first: $n) { totalCount } } } } }";
    let large = app
        .count_statements(|| async {
            app.data(query, json!({ "n": 100 })).await;
        })
        .await;
    assert!(
        large <= 10,
        "one statement per level and loader, got {large}"
    );
});

db_test!(
    school_pathway_statement_counts_do_not_grow_with_page_size,
    |app| {
        // Pathways -> where districts run them (near a place) -> school, district, courses; and
        // districts -> their pathways and facts; schools -> their pathways.
        // One root field per document: root fields sharing loaders may split a batch by timing.
        // 40 rows already reach the seeded school pathways, so both sizes load every level.
        for query in [
        "query($n: Int) { pathway(code: \"PATIENT_CARE\") { offeredAt(first: $n, near: { lat: 33.88, lng: -118.12, radiusKm: 50 }) { totalCount nodes { localName distanceKm school { name } district { name } courses { title } feederCourses { title } } } } }",
        "query($n: Int) { pathways(first: $n) { nodes { code offeredAt(first: 3) { totalCount nodes { localName pathway { code } school { name } courses { title } } } } } }",
        "query($n: Int) { districts(first: $n) { nodes { name facts { count } pathways(first: 3) { totalCount nodes { localName school { name } } } } } }",
        "query($n: Int) { schools(first: $n) { nodes { name pathways(first: 3) { totalCount nodes { localName district { name } } } } } }",
    ] {
        let small = app
            .count_statements(|| async {
                app.data(query, json!({ "n": 40 })).await;
            })
            .await;
        let large = app
            .count_statements(|| async {
                app.data(query, json!({ "n": 100 })).await;
            })
            .await;
        assert_eq!(small, large, "statements for first: 40 vs first: 100: {query}");
        assert!(large <= 15, "one statement per level and loader, got {large}: {query}");
    }
    }
);

db_test!(every_node_type_resolves_by_id, |app| {
    let data = app
        .data(
            r#"{ sectors { id } pathways(first: 1) { nodes { id } }
                 programs(first: 5) { nodes { id sites { nodes { id } } memberships { nodes { id } } fundingOptions { nodes { id } } terms(first: 1) { nodes { id } } } }
                 districts(first: 1) { nodes { id } } schools(first: 1) { nodes { id } }
                 courses(first: 50) { nodes { id certifications { id } } } offerings(first: 1) { nodes { id } }
                 colleges(first: 10) { nodes { id agreements(first: 1) { nodes { id } } articulations(first: 1) { nodes { id } } } }
                 industryPartners(first: 5) { nodes { id partnerships { nodes { id } } } } opportunities(first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("id") {
                    out.push(id.clone());
                }
                map.values().for_each(|v| collect(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    collect(&data, &mut ids);
    ids.sort();
    ids.dedup();
    let mut typenames = std::collections::BTreeSet::new();
    for chunk in ids.chunks(100) {
        let body = app
            .data(
                "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
                json!({ "ids": chunk }),
            )
            .await;
        for (asked, node) in chunk.iter().zip(body["nodes"].as_array().unwrap()) {
            assert_eq!(
                node["id"].as_str(),
                Some(asked.as_str()),
                "node({asked}) resolves"
            );
            typenames.insert(node["__typename"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(typenames.len(), 18, "every node type: {typenames:?}");
});
