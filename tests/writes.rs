//! Writes: scoped by organisation and role, versioned (no lost updates),
//! validated at the edge, all-or-nothing with their audit entry.

use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{error_code, token, TestApp},
};

const CREATE_COURSE: &str = "mutation($input: CreateCourseInput!) { createCourse(input: $input) { id code title version } }";
const UPDATE_COURSE: &str = "mutation($id: ID!, $v: Int!, $input: UpdateCourseInput!) { updateCourse(id: $id, expectedVersion: $v, input: $input) { id title version } }";

fn new_course(program: &str, code: &str) -> Value {
    json!({ "input": { "programCode": program, "code": code, "title": "Intro to Welding", "level": "INTRODUCTORY", "pathwayCode": "PATIENT_CARE" } })
}

/// Counts rows of a table straight from the database.
async fn count(app: &TestApp, sql: &str) -> i64 {
    crate::helpers::count(&app.database_url, sql).await
}

async fn course_of(app: &TestApp, code: &str) -> Value {
    let data = app
        .data(
            "{ courses(filter: { programCode: \"SOCAL_ROC\" }, first: 100) { nodes { id code version title } } }",
            json!({}),
        )
        .await;
    data["courses"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["code"] == code).cloned())
        .unwrap_or_else(|| panic!("course {code} not found: {data}"))
}

db_test!(editors_change_their_own_records_only, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let created = app
        .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-100"))
        .await;
    assert_eq!(created["createCourse"]["version"], 1);

    let courses_before = count(&app, "SELECT COUNT(*) FROM course").await;
    let events_before = count(&app, "SELECT COUNT(*) FROM change_event").await;

    // Another program's catalogue: FORBIDDEN, nothing written.
    let body = app
        .query_as(&editor, CREATE_COURSE, new_course("CALAPS", "WLD-100"))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // Moving nothing, but touching a CalAPS course: FORBIDDEN.
    let calaps = app
        .data(
            "{ courses(filter: { programCode: \"CALAPS\" }, first: 1) { nodes { id version } } }",
            json!({}),
        )
        .await["courses"]["nodes"][0]
        .clone();
    let body = app
        .query_as(
            &editor,
            UPDATE_COURSE,
            json!({ "id": calaps["id"], "v": calaps["version"], "input": { "title": "Hijacked" } }),
        )
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    // A reader changes nothing; no token at all is UNAUTHENTICATED.
    let reader = token("SOCAL_ROC", &["reader"]);
    let body = app
        .query_as(&reader, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-101"))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .query(CREATE_COURSE, new_course("SOCAL_ROC", "WLD-102"))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");

    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM course").await,
        courses_before
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM change_event").await,
        events_before
    );

    // An admin may change anything.
    let admin = token("CTE_HUB", &["admin"]);
    let data = app
        .data_as(&admin, UPDATE_COURSE, json!({ "id": calaps["id"], "v": calaps["version"], "input": { "title": "Fixed by an admin" } }))
        .await;
    assert_eq!(data["updateCourse"]["title"], "Fixed by an admin");
});

db_test!(bad_input_names_the_field_and_writes_nothing, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let events_before = count(&app, "SELECT COUNT(*) FROM change_event").await;
    let cases = [
        (json!({ "minGrade": 6 }), "input.minGrade"),
        (json!({ "hours": -5 }), "input.hours"),
        (json!({ "code": "not a code" }), "input.code"),
        (json!({ "title": "   " }), "input.title"),
        (
            json!({ "pathwayCode": "NO_SUCH_PATHWAY" }),
            "input.pathwayCode",
        ),
    ];
    for (extra, field) in cases {
        let mut variables = new_course("SOCAL_ROC", "WLD-200");
        for (k, v) in extra.as_object().expect("object") {
            variables["input"][k] = v.clone();
        }
        let body = app.query_as(&editor, CREATE_COURSE, variables).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{field}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app
        .query_as(
            &editor,
            "mutation { createTerm(input: { programCode: \"SOCAL_ROC\", code: \"X\", name: \"X\", startsOn: \"2027-06-01\", endsOn: \"2027-05-01\", kind: SUMMER }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.endsOn",
        "{body}"
    );
    let body = app
        .query_as(
            &token("NEW_EMPLOYER", &["editor"]),
            "mutation { createIndustryPartner(input: { code: \"NEW_EMPLOYER\", name: \"New\", contactEmail: \"nope\", website: \"ftp://x\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM change_event").await,
        events_before
    );
});

db_test!(
    stale_versions_conflict_and_concurrent_updates_lose_nothing,
    |app| {
        let editor = token("SOCAL_ROC", &["editor"]);
        let course = app
            .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-300"))
            .await["createCourse"]
            .clone();
        let id = course["id"].clone();

        // Two editors read version 1 and write at the same time: exactly one wins.
        let first = app.query_as(
            &editor,
            UPDATE_COURSE,
            json!({ "id": id, "v": 1, "input": { "title": "Title A" } }),
        );
        let second = app.query_as(
            &editor,
            UPDATE_COURSE,
            json!({ "id": id, "v": 1, "input": { "title": "Title B" } }),
        );
        let (a, b) = tokio::join!(first, second);
        let winners: Vec<&Value> = [&a, &b]
            .into_iter()
            .filter(|r| r.get("errors").is_none())
            .collect();
        let losers: Vec<&Value> = [&a, &b]
            .into_iter()
            .filter(|r| r.get("errors").is_some())
            .collect();
        assert_eq!((winners.len(), losers.len()), (1, 1), "{a} {b}");
        assert_eq!(error_code(losers[0]), "CONFLICT", "{}", losers[0]);
        let won_title = winners[0]["data"]["updateCourse"]["title"].clone();
        assert_eq!(winners[0]["data"]["updateCourse"]["version"], 2);

        // What is stored is the winner's change, at version 2.
        let stored = course_of(&app, "WLD-300").await;
        assert_eq!(
            (stored["title"].clone(), stored["version"].clone()),
            (won_title, json!(2))
        );

        // Retrying with the old version is still a conflict; with the new one it works.
        let body = app
            .query_as(
                &editor,
                UPDATE_COURSE,
                json!({ "id": id, "v": 1, "input": { "title": "Late" } }),
            )
            .await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");
        let data = app
            .data_as(
                &editor,
                UPDATE_COURSE,
                json!({ "id": id, "v": 2, "input": { "title": "Merged" } }),
            )
            .await;
        assert_eq!(data["updateCourse"]["version"], 3);

        // Exactly one audit entry per successful write.
        let audited = count(&app, "SELECT COUNT(*) FROM change_event WHERE record_type = 'Course' AND operation = 'UPDATE' AND actor_sub = 'test-SOCAL_ROC'").await;
        assert_eq!(audited, 2);
    }
);

db_test!(a_failed_write_leaves_no_row_and_no_audit_entry, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    app.data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-400"))
        .await;
    let events_before = count(&app, "SELECT COUNT(*) FROM change_event").await;
    let courses_before = count(&app, "SELECT COUNT(*) FROM course").await;
    // The same code again fails in the database (unique key) after the lock was taken.
    let body = app
        .query_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-400"))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    // Renaming another course onto a taken code fails after the row update was sent.
    let other = app
        .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-401"))
        .await["createCourse"]
        .clone();
    let events_mid = count(&app, "SELECT COUNT(*) FROM change_event").await;
    let body = app
        .query_as(
            &editor,
            UPDATE_COURSE,
            json!({ "id": other["id"], "v": 1, "input": { "code": "WLD-400" } }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM course").await,
        courses_before + 1
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM change_event").await,
        events_mid
    );
    assert_eq!(events_mid, events_before + 1);
    assert_eq!(course_of(&app, "WLD-401").await["version"], 1);
});

db_test!(
    deletes_are_soft_refused_while_referenced_and_audited,
    |app| {
        let editor = token("SOCAL_ROC", &["editor"]);
        // HS-100 has offerings: refused.
        let used = course_of(&app, "HS-100").await;
        let body = app
        .query_as(&editor, "mutation($id: ID!, $v: Int!) { deleteCourse(id: $id, expectedVersion: $v) { id version } }", json!({ "id": used["id"], "v": used["version"] }))
        .await;
        assert_eq!(error_code(&body), "CONFLICT", "{body}");

        let created = app
            .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-500"))
            .await["createCourse"]
            .clone();
        let data = app
            .data_as(
                &editor,
                "mutation($id: ID!) { deleteCourse(id: $id, expectedVersion: 1) { id version } }",
                json!({ "id": created["id"] }),
            )
            .await;
        assert_eq!(data["deleteCourse"]["version"], 2);
        // Gone from reads, kept in the table for the audit trail.
        let node = app
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": created["id"] }),
            )
            .await;
        assert!(node["node"].is_null(), "{node}");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM course WHERE code = 'WLD-500' AND deleted_at IS NOT NULL"
            )
            .await,
            1
        );

        // The audit log shows who did what; only admins may read it.
        let admin = token("CTE_HUB", &["admin"]);
        let audit = app
        .data_as(&admin, "query($id: ID!) { auditLog(filter: { recordId: $id }) { nodes { operation actorSub actorOrg version changes { field before after } } } }", json!({ "id": created["id"] }))
        .await;
        let entries = audit["auditLog"]["nodes"]
            .as_array()
            .expect("entries")
            .clone();
        assert_eq!(entries.len(), 2, "{audit}");
        assert_eq!(entries[0]["operation"], "DELETE");
        assert_eq!(entries[1]["operation"], "CREATE");
        assert_eq!(entries[0]["actorSub"], "test-SOCAL_ROC");
        assert_eq!(entries[0]["actorOrg"], "SOCAL_ROC");
        assert!(entries[1]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["field"] == "title" && c["after"] == "Intro to Welding"));
        let body = app
            .query_as(&editor, "{ auditLog { nodes { operation } } }", json!({}))
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
        let body = app
            .query("{ auditLog { nodes { operation } } }", json!({}))
            .await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
);

db_test!(
    update_audit_records_before_and_after_of_changed_fields,
    |app| {
        let editor = token("SOCAL_ROC", &["editor"]);
        let created = app
            .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-600"))
            .await["createCourse"]
            .clone();
        app.data_as(&editor, UPDATE_COURSE, json!({ "id": created["id"], "v": 1, "input": { "title": "Advanced Welding", "hours": 180 } }))
        .await;
        let admin = token("CTE_HUB", &["admin"]);
        let audit = app
        .data_as(&admin, "query($id: ID!) { auditLog(filter: { recordId: $id }, first: 1) { nodes { operation changes { field before after } } } }", json!({ "id": created["id"] }))
        .await;
        let mut changes = audit["auditLog"]["nodes"][0]["changes"]
            .as_array()
            .expect("changes")
            .clone();
        changes.sort_by_key(|c| c["field"].as_str().unwrap_or("").to_owned());
        assert_eq!(
            Value::Array(changes),
            json!([
                { "field": "hours", "before": null, "after": 180 },
                { "field": "title", "before": "Intro to Welding", "after": "Advanced Welding" },
            ])
        );
    }
);

db_test!(an_update_that_changes_nothing_keeps_the_version, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let created = app
        .data_as(&editor, CREATE_COURSE, new_course("SOCAL_ROC", "WLD-700"))
        .await["createCourse"]
        .clone();
    let events = count(&app, "SELECT COUNT(*) FROM change_event").await;
    let data = app
        .data_as(
            &editor,
            UPDATE_COURSE,
            json!({ "id": created["id"], "v": 1, "input": { "title": "Intro to Welding" } }),
        )
        .await;
    assert_eq!(data["updateCourse"]["version"], 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM change_event").await,
        events
    );
});
