//! One test per threat in docs/threat-model.md: each sends what an outsider could send and
//! checks the limit that stops it (the generated corpus is in `hostile.rs`).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    db_test, db_test_with,
    helpers::{self, error_code, token, TestApp},
};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn alive(app: &TestApp) {
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("the server still answers");
    assert_eq!(health.status(), StatusCode::OK);
}

fn deep_list(levels: usize) -> String {
    format!(
        "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

db_test!(deep_values_are_refused_before_parsing, |app| {
    // 1,500 levels overflowed a worker's stack and aborted the process.
    let deep = deep_list(1_500);
    let body = app.query(&deep, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "query");
    let get = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", deep.as_str())])
        .send()
        .await
        .expect("GET");
    assert_eq!(get.status(), StatusCode::OK);
    let body: Value = get.json().await.expect("JSON");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let object = format!(
        "{{ offerings(filter: {}) {{ totalCount }} }}",
        "{a: ".repeat(2_000) + "1" + &"}".repeat(2_000)
    );
    let body = app.query(&object, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    // Deep variables stop at the JSON reader.
    let mut variable = json!("x");
    for _ in 0..200 {
        variable = json!([variable]);
    }
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(format!(
            "{{\"query\":\"query($v: [ID!]!) {{ nodes(ids: $v) {{ id }} }}\",\"variables\":{{\"v\":{variable}}}}}"
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    alive(&app).await;
});

db_test!(cyclic_and_doubling_fragments_are_refused_at_once, |app| {
    let body = app
        .query(
            "query { ...A } fragment A on Query { ...A ...A }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("A spreads A"), "{message}");

    // 30 levels of doubling would be a billion spreads walked one by one.
    let mut doubling = String::from("query { ...F0 }");
    for level in 0..30 {
        doubling.push_str(&format!(
            " fragment F{level} on Query {{ ...F{next} ...F{next} }}",
            next = level + 1
        ));
    }
    doubling.push_str(" fragment F30 on Query { __typename }");
    let body = app.query(&doubling, json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    alive(&app).await;
});

db_test!(nul_characters_are_bad_input_on_every_database, |app| {
    let body = app
        .query(
            "{ search(query: \"wel\\u0000ding\") { __typename } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "search.query");
    let body = app
        .query(
            "query($q: String!) { search(query: $q) { __typename } }",
            json!({ "q": "a\u{0}b" }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "$q");
});

db_test!(control_and_bidi_characters_are_refused_in_writes, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let create = "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id } }";
    for (title, character) in [
        ("Welding\u{7}", "U+0007"),
        ("Weld\u{202E}gnid", "U+202E"),
        ("Zero\u{200B}width", "U+200B"),
        ("Null\u{0}", "U+0000"),
    ] {
        let body = app
            .query_as(
                &editor,
                create,
                json!({ "input": { "programCode": "SOCAL_ROC", "code": "CTRL-1", "title": title, "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{title:?}: {body}");
        let field = body["errors"][0]["extensions"]["field"]
            .as_str()
            .unwrap_or("");
        assert!(field == "input.title" || field == "$input", "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains(character), "{message}");
    }
    let body = app
        .query_as(
            &editor,
            create,
            json!({ "input": { "programCode": "SOCAL_ROC", "code": "CTRL-1", "title": "Welding", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE", "source": " " } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.source");
    let stored = helpers::count(
        &app.database_url,
        "SELECT COUNT(*) FROM course WHERE code = 'CTRL-1'",
    )
    .await;
    assert_eq!(stored, 0, "nothing half-written");
});

db_test!(cost_counts_every_item_of_a_plain_list, |app| {
    let ids: Vec<String> = (0..100).map(|i| format!("\"p{i}\"")).collect();
    let query = format!(
        "{{ nodes(ids: [{}]) {{ ... on Pathway {{ courses(first: 50) {{ nodes {{ code }} }} }} }} }}",
        ids.join(",")
    );
    // 1 + 100 × (1 + 50): over the 5,000-point limit, where it was charged 52 before.
    let body = app.query(&query, json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], 5101);
    let body = app
        .query(
            "{ search(query: \"a\", first: 100) { ... on Pathway { sector { code } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["extensions"]["cost"]["requestedQueryCost"], 101,
        "{body}"
    );
});

db_test!(
    standard_introspection_queries_run_with_default_limits,
    |app| {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/introspection");
        let mut ran = 0;
        for entry in std::fs::read_dir(&folder).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("graphql") {
                continue;
            }
            let query = std::fs::read_to_string(&path).expect("fixture");
            let response = app
                .client
                .post(format!("{}/graphql", app.address))
                .header("accept", GRAPHQL_RESPONSE)
                .json(&json!({ "query": query }))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), StatusCode::OK, "{}", path.display());
            let body: Value = response.json().await.expect("JSON");
            assert!(body.get("errors").is_none(), "{}: {body}", path.display());
            ran += 1;
        }
        assert!(ran >= 8, "every fixture ran");

        // The bomb is still refused, by introspection's own limit.
        let bomb = "{ __type(name: \"Query\") { fields { type { fields { type { fields { name } } } } } } }";
        let body = app.query(bomb, json!({})).await;
        assert_eq!(error_code(&body), "QUERY_TOO_DEEP", "{body}");
    }
);

db_test_with!(
    introspection_can_be_switched_off,
    |s: &mut api::config::ServeSettings| s.limits.introspection = false,
    |app| {
        let query = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/introspection/graphql-js-16-default.graphql"),
        )
        .expect("fixture");
        let body = app.query(&query, json!({})).await;
        assert_eq!(body["data"]["__schema"], Value::Null, "{body}");
    }
);

db_test!(request_errors_carry_no_data_entry, |app| {
    for query in ["{ sectors { code ", "{ noSuchField }"] {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("accept", GRAPHQL_RESPONSE)
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.expect("JSON");
        assert!(body.get("data").is_none(), "{query}: {body}");
        assert!(body.get("errors").is_some());
    }
    // Errors made before GraphQL runs come back in the negotiated media type too.
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept", GRAPHQL_RESPONSE)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let content_type = response.headers()["content-type"].to_str().unwrap_or("");
    assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
});

async fn token_request(app: &TestApp, id: &str, secret: &str) -> (StatusCode, Value) {
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON"))
}

db_test_with!(
    token_requests_are_limited_per_client_and_answer_alike,
    |s: &mut api::config::ServeSettings| s.auth.token_requests_per_minute = 3,
    |app| {
        use api::auth::{clients, Role};
        let db = helpers::connect(&app.database_url).await;
        let (client_id, _) = clients::create(&db, "Portal", "SOCAL_ROC", &[Role::Editor])
            .await
            .expect("client");
        // An unknown id and a wrong secret get the same answer.
        let unknown = token_request(&app, "cte_nobody", "guess").await;
        let wrong = token_request(&app, &client_id, "guess").await;
        assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown, wrong);
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(token_request(&app, &client_id, "guess").await.0);
        }
        assert!(
            statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
            "{statuses:?}"
        );
        alive(&app).await;
    }
);

db_test_with!(
    revoked_clients_tokens_stop_working,
    |s: &mut api::config::ServeSettings| s.auth.revocation_check_secs = 0,
    |app| {
        use api::auth::{clients, Role};
        let db = helpers::connect(&app.database_url).await;
        let (client_id, secret) = clients::create(&db, "Portal", "SOCAL_ROC", &[Role::Editor])
            .await
            .expect("client");
        let (status, body) = token_request(&app, &client_id, &secret).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let issued = body["access_token"].as_str().expect("token").to_owned();
        let body = app
            .query_as(&issued, "{ sectors { code } }", json!({}))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        assert!(clients::revoke(&db, &client_id).await.expect("revoke"));
        let body = app
            .query_as(&issued, "{ sectors { code } }", json!({}))
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
);

db_test!(
    tokens_with_audience_lists_and_without_iat_or_nbf_are_accepted,
    |app| {
        use api::auth::tokens::{Audience, Claims, SigningIdentity};
        let signing =
            SigningIdentity::load_or_create(&helpers::signing_key_file()).expect("signing key");
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: "list-audience".into(),
            org: "SOCAL_ROC".into(),
            roles: vec!["reader".into()],
            iss: "cte-hub".into(),
            aud: Audience::Many(vec!["someone-else".into(), "cte-hub".into()]),
            exp: now + 300,
            nbf: None,
            iat: None,
        };
        let token = signing.sign(&claims).expect("signed");
        let body = app
            .query_as(&token, "{ sectors { code } }", json!({}))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        let elsewhere = Claims {
            aud: Audience::Many(vec!["someone-else".into()]),
            ..claims
        };
        let token = signing.sign(&elsewhere).expect("signed");
        let body = app
            .query_as(&token, "{ sectors { code } }", json!({}))
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
);

#[test]
fn development_hs256_needs_its_explicit_switch() {
    use api::auth::tokens::{SigningIdentity, TokenVerifier};
    let signing =
        SigningIdentity::load_or_create(&helpers::signing_key_file()).expect("signing key");
    let jwks = std::env::temp_dir().join(format!("cte-hub-jwks-{}.json", std::process::id()));
    std::fs::write(&jwks, "{\"keys\":[]}").expect("jwks file");
    let mut settings = api::config::AuthSettings {
        jwt_hs256_secret: Some("a-development-secret-of-32-bytes-or-more".into()),
        jwks_file: Some(jwks.clone()),
        ..Default::default()
    };
    let refused = TokenVerifier::from_settings(&settings, &signing).err();
    assert!(
        refused.is_some_and(|e| e.to_string().contains("--dev-allow-hs256")),
        "HS256 beside production keys needs the development switch"
    );
    settings.dev_allow_hs256 = true;
    assert!(TokenVerifier::from_settings(&settings, &signing).is_ok());
    // The server's own key always signs real tokens: even alone, the secret needs the switch.
    settings.jwks_file = None;
    settings.dev_allow_hs256 = false;
    assert!(TokenVerifier::from_settings(&settings, &signing).is_err());
    let _ = std::fs::remove_file(jwks);
}

db_test!(
    imports_refuse_huge_headers_and_unauthenticated_uploads,
    |app| {
        let url = format!("{}/import/courses", app.address);
        // The token is checked before the body is read: an oversized anonymous upload is a 401.
        let oversized = vec![b'a'; 40 * 1024 * 1024];
        let anonymous = app
            .client
            .post(&url)
            .body(oversized)
            .send()
            .await
            .expect("sent");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        let editor = token("SOCAL_ROC", &["editor"]);
        // A million columns is not a catalogue file: refused unread, with no per-column report.
        let million: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
        let unreadable = app
            .client
            .post(&url)
            .bearer_auth(&editor)
            .header("content-type", "text/csv")
            .body(million.join(",") + "\n")
            .send()
            .await
            .expect("sent");
        assert_eq!(unreadable.status(), StatusCode::BAD_REQUEST);
        assert!(unreadable.text().await.expect("body").len() < 1_000);

        let header: Vec<String> = (0..1_000).map(|i| format!("c{i}")).collect();
        let refused = app
            .client
            .post(&url)
            .bearer_auth(&editor)
            .header("content-type", "text/csv")
            .body(header.join(",") + "\n")
            .send()
            .await
            .expect("sent");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let report: Value = refused.json().await.expect("report");
        assert_eq!(
            report["rejections"].as_array().map(Vec::len),
            Some(1),
            "{report}"
        );
        assert_eq!(report["written"], false);

        // Rejections are listed up to a cap and counted after it.
        let mut file = String::from("program,code,title,level\n");
        for i in 0..1_500 {
            file.push_str(&format!("SOCAL_ROC,CAP-{i},Title,NOT_A_LEVEL\n"));
        }
        let capped = app
            .client
            .post(&url)
            .bearer_auth(&editor)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .expect("sent");
        assert_eq!(capped.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let report: Value = capped.json().await.expect("report");
        assert_eq!(report["rejected"], 1_500);
        assert_eq!(report["rejections"].as_array().map(Vec::len), Some(1_000));
        assert_eq!(report["rejectionsOmitted"], 500);
        alive(&app).await;
    }
);

db_test!(nul_in_import_cells_is_a_rejected_row, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let response = app
        .client
        .post(format!("{}/import/courses", app.address))
        .bearer_auth(&editor)
        .header("content-type", "text/csv")
        .body("program,code,title,level\nSOCAL_ROC,NUL-1,Bad\u{0}Title,INTRODUCTORY\n")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = response.json().await.expect("report");
    assert_eq!(report["rejections"][0]["line"], 2, "{report}");
});

db_test!(an_unclosed_block_string_does_not_hide_deep_values, |app| {
    // The parser reads `""""` as two empty strings: the brackets after it are values.
    let levels = 1_500;
    let query = format!(
        "{{ nodes(ids: [\"\"\"\" {}\"x\"{} ]) {{ id }} }}",
        "[".repeat(levels),
        "]".repeat(levels)
    );
    let body = app.query(&query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    alive(&app).await;
});

db_test!(variable_defaults_are_checked_like_variables, |app| {
    let body = app
        .query(
            "query($q: String = \"a\\u0000b\") { districts(filter: { search: $q }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "$q");
    let body = app
        .query(
            "query($n: Int = 100) { pathways(first: $n) { nodes { sector { pathways(first: $n) { nodes { code } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(body["extensions"]["cost"]["requestedQueryCost"], 10301);
});

db_test!(scalars_on_every_row_and_long_lists_are_bounded, |app| {
    let names = "name ".repeat(4_900);
    let body = app
        .query(
            &format!("{{ schools(first: 100) {{ nodes {{ {names} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    let ids: Vec<String> = (0..7_000).map(|i| format!("x{i}")).collect();
    let body = app
        .query(
            "query($v: [ID!]!) { nodes(ids: $v) { id } }",
            json!({ "v": ids }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "$v");
});

db_test!(far_dates_in_arguments_are_bad_input, |app| {
    let body = app
        .query(
            "{ districts(first: 2, filter: { memberOf: \"SOCAL_ROC\", onDate: \"-5000-01-01\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
});

db_test!(many_errors_are_cut_to_the_first_fifty, |app| {
    let arguments = "a: 1 ".repeat(2_000);
    let body = app
        .query(&format!("{{ sectors({arguments}) {{ code }} }}"), json!({}))
        .await;
    let errors = body["errors"].as_array().map(Vec::len).unwrap_or(0);
    assert!((1..=51).contains(&errors), "{errors} errors");
});

db_test!(a_missing_variable_is_a_request_error, |app| {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept", GRAPHQL_RESPONSE)
        .json(&json!({ "query": "query($q: String!) { sector(code: $q) { name } }" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("data").is_none(), "{body}");
});

db_test_with!(
    guessing_a_client_id_from_elsewhere_does_not_lock_its_owner_out,
    |s: &mut api::config::ServeSettings| s.auth.token_requests_per_minute = 2,
    |app| {
        use api::auth::{clients, Role};
        let db = helpers::connect(&app.database_url).await;
        let (client_id, secret) = clients::create(&db, "Portal", "SOCAL_ROC", &[Role::Editor])
            .await
            .expect("client");
        // Another address on the loopback network guesses until it is throttled.
        let elsewhere = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()
            .expect("client");
        let mut throttled = false;
        for _ in 0..4 {
            let status = elsewhere
                .post(format!("{}/oauth/token", app.address))
                .basic_auth(&client_id, Some("guess"))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .expect("sent")
                .status();
            throttled |= status == StatusCode::TOO_MANY_REQUESTS;
        }
        assert!(throttled);
        let (status, body) = token_request(&app, &client_id, &secret).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // A malformed id (a NUL) is an unknown client, answered like any other.
        let (status, _) = token_request(&app, "a\u{0}b", "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

db_test!(a_readers_upload_is_refused_before_it_is_read, |app| {
    let reader = token("SOCAL_ROC", &["reader"]);
    let response = app
        .client
        .post(format!("{}/import/courses", app.address))
        .bearer_auth(&reader)
        .body(vec![b'a'; 40 * 1024 * 1024])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
});

db_test!(json_imports_with_thousands_of_keys_are_refused, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let records: Vec<Value> = (0..6_000).map(|i| json!({ format!("k{i}"): 1 })).collect();
    let response = app
        .client
        .post(format!("{}/import/courses?dryRun=true", app.address))
        .bearer_auth(&editor)
        .header("content-type", "application/json")
        .body(Value::Array(records).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let bad_query = app
        .client
        .post(format!("{}/import/courses?dryRun=maybe", app.address))
        .bearer_auth(&editor)
        .body("program,code\n")
        .send()
        .await
        .expect("sent");
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad_query.json().await.expect("JSON error");
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
});

db_test!(forged_cursors_are_bad_input, |app| {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let data = app
        .data(
            "{ schools(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = data["schools"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("a cursor")
        .to_owned();
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(&cursor).expect("base64")).expect("utf-8");
    let (head, _) = text.rsplit_once(":[").expect("a position");
    for position in ["[\"a\\u0000b\",12]", "[9223372036854775807,2147483647]"] {
        let forged = URL_SAFE_NO_PAD.encode(format!("{head}:{position}"));
        let body = app
            .query(
                "query($after: String) { schools(first: 2, after: $after) { nodes { __typename } } }",
                json!({ "after": forged }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "after");
    }
    // The real cursor still pages on.
    let body = app
        .query(
            "query($after: String) { schools(first: 2, after: $after) { nodes { __typename } } }",
            json!({ "after": cursor }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
});

db_test!(an_operation_has_at_most_thirty_root_fields, |app| {
    let fields = "search(query: \"a\", first: 1) { __typename } ".repeat(31);
    let body = app.query(&format!("{{ {fields} }}"), json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    alive(&app).await;
});
