//! Imports and exports: the CDE schools file at California size, CSV and JSON
//! catalogues all-or-nothing with line/column/reason rejections, dry runs,
//! scope, the HTTP endpoint, and the export → import → export round trip.

use std::time::Instant;

use api::{
    auth::{Caller, Principal, Role},
    import::{self, ImportKind, ImportReport, ImportRequest},
};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{self, count, token, Backend, TestApp},
};

fn admin() -> Caller {
    Caller::Authenticated(Principal {
        sub: "test-import".into(),
        org: "cte-hub".into(),
        roles: vec![Role::Admin],
    })
}

/// Runs one import against the app's database.
async fn submit(
    app: &TestApp,
    caller: &Caller,
    request: ImportRequest<'_>,
) -> Result<ImportReport, import::ImportError> {
    let db = helpers::connect(&app.database_url).await;
    import::run(&db, caller, None, request, &import::Silent).await
}

/// An import of `text` as `kind` (format from the kind) that must run.
async fn run(
    app: &TestApp,
    caller: &Caller,
    kind: ImportKind,
    text: &[u8],
    dry_run: bool,
    partial: bool,
) -> ImportReport {
    submit(app, caller, request(kind, text, None, dry_run, partial))
        .await
        .expect("import runs")
}

fn request(
    kind: ImportKind,
    bytes: &[u8],
    format: Option<import::Format>,
    dry_run: bool,
    partial: bool,
) -> ImportRequest<'_> {
    ImportRequest {
        kind,
        bytes,
        format,
        dry_run,
        partial,
    }
}

db_test!(
    pubschls_at_california_size_imports_then_reimports_unchanged,
    |app| {
        let file = import::fixture::pubschls(20_000);
        let events_before = count(&app.database_url, "SELECT COUNT(*) FROM change_event").await;
        let started = Instant::now();
        let report = run(
            &app,
            &admin(),
            ImportKind::Pubschls,
            file.as_bytes(),
            false,
            false,
        )
        .await;
        // Reported, never asserted: timing belongs to the benchmark (docs/benchmarks.md).
        eprintln!(
            "pubschls 20,000 rows on {:?}: {:?}",
            app.backend,
            started.elapsed()
        );
        assert_eq!(report.rows_read, 20_000, "{report}");
        assert_eq!(report.rejected, 0, "{report}");
        assert!(report.written);
        // The real districts and schools of the reference seed are updated, the rest created.
        assert_eq!(report.created + report.updated, 20_000, "{report}");
        assert!(report.updated >= 5, "{report}");
        let events = count(&app.database_url, "SELECT COUNT(*) FROM change_event").await;
        assert_eq!(
            events - events_before,
            20_000,
            "every change is in the feed"
        );
        let closed = count(
            &app.database_url,
            "SELECT COUNT(*) FROM school WHERE status = 'CLOSED'",
        )
        .await;
        assert!(closed > 1_000, "closed schools are kept with their status");
        let placed = count(
        &app.database_url,
        "SELECT COUNT(*) FROM school WHERE lat IS NOT NULL AND source LIKE 'CDE public schools%'",
    )
    .await;
        assert!(placed > 15_000, "coordinates filled: {placed}");

        let data = app
        .data(
            r#"{ school(cdsCode: "19645351932763") { name city gradeLow gradeHigh district { name } } }"#,
            json!({}),
        )
        .await;
        assert_eq!(data["school"]["name"], "El Segundo High", "{data}");
        assert_eq!(data["school"]["district"]["name"], "El Segundo Unified");
        assert_eq!(data["school"]["gradeLow"], 9);

        let again = run(
            &app,
            &admin(),
            ImportKind::Pubschls,
            file.as_bytes(),
            false,
            false,
        )
        .await;
        assert_eq!(again.unchanged, 20_000, "{again}");
        assert_eq!(again.created + again.updated, 0);
        assert!(!again.written);
        assert!(
            again.summary.contains("nothing to change"),
            "{}",
            again.summary
        );
    }
);

db_test!(a_windows_1252_file_and_no_data_fields_are_read, |app| {
    let mut text = import::fixture::HEADER.join("\t").into_bytes();
    let mut row = vec![""; import::fixture::HEADER.len()];
    row[0] = "19645351999999";
    row[3] = "Active";
    row[4] = "Los Angeles";
    row[5] = "El Segundo Unified";
    row[6] = "ESCUELA";
    row[9] = "No Data";
    row[37] = "No Data";
    row[38] = "No Data";
    text.extend_from_slice(b"\n");
    text.extend_from_slice(row.join("\t").as_bytes());
    // The school's name in Windows-1252: "Escuela Cañada" (0xF1 is ñ).
    let at = text
        .windows(7)
        .position(|w| w == b"ESCUELA")
        .expect("placeholder");
    text.splice(at..at + 7, b"Escuela Ca\xf1ada".iter().copied());
    let bytes = text;
    let report = run(&app, &admin(), ImportKind::Pubschls, &bytes, false, false).await;
    assert_eq!(report.created, 1, "{report}");
    let data = app
        .data(
            r#"{ school(cdsCode: "19645351999999") { name city lat } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["school"]["name"], "Escuela Cañada", "{data}");
    assert_eq!(data["school"]["city"], Value::Null, "No Data is empty");
    assert_eq!(data["school"]["lat"], Value::Null);
});

const COURSES: &str = "program,code,title,level,pathway,hours\n\
SOCAL_ROC,IMP-100,Welding Basics,INTRODUCTORY,Welding and Materials Joining,180\n\
SOCAL_ROC,IMP-200,Advanced Welding,ADVANCED,welding & materials joining,180\n\
SOCAL_ROC,IMP-300,Software Lab,CONCENTRATOR,Software & Systems Development,120\n";

db_test!(one_bad_row_writes_nothing_and_says_where, |app| {
    let before = count(&app.database_url, "SELECT COUNT(*) FROM course").await;
    let events = count(&app.database_url, "SELECT COUNT(*) FROM change_event").await;
    let report = run(
        &app,
        &admin(),
        ImportKind::Courses,
        COURSES.as_bytes(),
        false,
        false,
    )
    .await;
    assert_eq!(report.rejected, 1, "{report}");
    assert!(!report.written);
    let rejection = &report.rejections[0];
    assert_eq!(rejection.line, 3, "{report}");
    assert_eq!(rejection.column.as_deref(), Some("level"));
    assert!(
        rejection.reason.contains("'ADVANCED' is not one of"),
        "{report}"
    );
    assert_eq!(
        count(&app.database_url, "SELECT COUNT(*) FROM course").await,
        before
    );
    assert_eq!(
        count(&app.database_url, "SELECT COUNT(*) FROM change_event").await,
        events,
        "no audit entry either"
    );

    // --partial writes the valid rows and lists the rest.
    let partial = run(
        &app,
        &admin(),
        ImportKind::Courses,
        COURSES.as_bytes(),
        false,
        true,
    )
    .await;
    assert!(partial.written, "{partial}");
    assert_eq!((partial.created, partial.rejected), (2, 1), "{partial}");
    assert_eq!(
        count(&app.database_url, "SELECT COUNT(*) FROM course").await,
        before + 2
    );
});

db_test!(
    names_match_aliases_and_unknown_names_list_the_closest,
    |app| {
        let file = "program,code,title,level,pathway\n\
SOCAL_ROC,IMP-400,Game Art,INTRODUCTORY,GAMES & SIMULATION\n\
SOCAL_ROC,IMP-401,Code Lab,INTRODUCTORY,Softwre and Systms Developmnt\n";
        let report = run(
            &app,
            &admin(),
            ImportKind::Courses,
            file.as_bytes(),
            true,
            false,
        )
        .await;
        assert_eq!(report.rejected, 1, "{report}");
        let rejection = &report.rejections[0];
        assert_eq!(
            (rejection.line, rejection.column.as_deref()),
            (3, Some("pathway"))
        );
        assert!(
            rejection
                .reason
                .contains("closest: Software and Systems Development"),
            "{report}"
        );

        // A typo in the header is refused rather than ignored.
        let typo = "program,code,title,levle\nSOCAL_ROC,X-1,T,INTRODUCTORY\n";
        let report = run(
            &app,
            &admin(),
            ImportKind::Courses,
            typo.as_bytes(),
            false,
            false,
        )
        .await;
        assert!(
            report.rejections.iter().any(|r| r.line == 1
                && r.column.as_deref() == Some("levle")
                && r.reason.contains("level")),
            "{report}"
        );
    }
);

db_test!(a_dry_run_reports_everything_and_writes_nothing, |app| {
    let file = "program,code,title,level\nSOCAL_ROC,IMP-500,Dry Run Course,INTRODUCTORY\n";
    let before = count(&app.database_url, "SELECT COUNT(*) FROM course").await;
    let report = run(
        &app,
        &admin(),
        ImportKind::Courses,
        file.as_bytes(),
        true,
        false,
    )
    .await;
    assert_eq!(report.created, 1, "{report}");
    assert!(!report.written);
    assert!(report.summary.starts_with("dry run"), "{}", report.summary);
    assert_eq!(
        count(&app.database_url, "SELECT COUNT(*) FROM course").await,
        before
    );
});

db_test!(json_catalogue_files_use_the_same_layout, |app| {
    let file = json!([
        { "program": "SOCAL_ROC", "code": "IMP-600", "title": "JSON Course", "level": "capstone", "honors": true, "hours": 60 }
    ])
    .to_string();
    let json_file = request(
        ImportKind::Courses,
        file.as_bytes(),
        Some(import::Format::Json),
        false,
        false,
    );
    let report = submit(&app, &admin(), json_file)
        .await
        .expect("import runs");
    assert_eq!(report.created, 1, "{report}");
    let data = app
        .data(r#"{ courses(filter: { programCode: "SOCAL_ROC", search: "JSON Course" }, first: 5) { nodes { code level honors hours } } }"#, json!({}))
        .await;
    assert_eq!(data["courses"]["nodes"][0]["level"], "CAPSTONE", "{data}");
    assert_eq!(data["courses"]["nodes"][0]["honors"], true);
});

db_test!(http_imports_are_scoped_like_mutations, |app| {
    let url = format!("{}/import/courses", app.address);
    let file = "program,code,title,level\nCALAPS,IMP-700,Not Mine,INTRODUCTORY\n";

    let anonymous = app.client.post(&url).body(file).send().await.expect("sent");
    assert_eq!(anonymous.status(), 401);

    let editor = token("SOCAL_ROC", &["editor"]);
    let refused = app
        .client
        .post(&url)
        .bearer_auth(&editor)
        .header("content-type", "text/csv")
        .body(file)
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 422);
    let report: Value = refused.json().await.expect("report");
    assert_eq!(report["written"], false, "{report}");
    assert!(
        report["rejections"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("may not change")),
        "{report}"
    );

    let mine = "program,code,title,level\nSOCAL_ROC,IMP-700,Mine,INTRODUCTORY\n";
    let ok = app
        .client
        .post(&url)
        .bearer_auth(&editor)
        .body(mine)
        .send()
        .await
        .expect("sent");
    assert_eq!(ok.status(), 200);
    let report: Value = ok.json().await.expect("report");
    assert_eq!(report["created"], 1, "{report}");

    // Audited with the importer's identity, like a mutation.
    let audited = count(
        &app.database_url,
        "SELECT COUNT(*) FROM change_event WHERE actor_sub = 'test-SOCAL_ROC' AND record_type = 'Course'",
    )
    .await;
    assert_eq!(audited, 1);

    let unknown = app
        .client
        .post(format!("{}/import/spaceships", app.address))
        .bearer_auth(&editor)
        .body(mine)
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), 404);
    let broken = app
        .client
        .post(&url)
        .bearer_auth(&editor)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(broken.status(), 400);
});

db_test!(export_import_export_gives_the_same_file, |app| {
    // A district that left and rejoined: two memberships of one district in one program.
    let editor = token("SOCAL_ROC", &["editor"]);
    for (joined, withdrawn) in [("2001-07-01", Some("2005-06-30")), ("2010-07-01", None)] {
        let body = app
            .query_as(
                &editor,
                "mutation($j: Date!, $w: Date) { createJpaMembership(input: { programCode: \"SOCAL_ROC\", districtCdsCode: \"19647330000000\", joinedOn: $j, withdrawnOn: $w }) { id } }",
                json!({ "j": joined, "w": withdrawn }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    let source = helpers::connect(&app.database_url).await;
    let first = api::export::catalog_json(&source).await.expect("export");
    let text = serde_json::to_string_pretty(&first).expect("json");
    let rejoined = first["memberships"]
        .as_array()
        .expect("memberships")
        .iter()
        .filter(|m| m["district_cds"] == "19647330000000" && m["program"] == "SOCAL_ROC")
        .count();
    assert!(rejoined >= 2, "both memberships are exported");
    for kind in [
        ImportKind::CourseCertifications,
        ImportKind::CoursePrerequisites,
        ImportKind::PartnerSectors,
    ] {
        assert!(
            !first[kind.name()].as_array().expect("section").is_empty(),
            "the {} links are exported",
            kind.name()
        );
    }

    let empty = match app.backend {
        Backend::Sqlite => helpers::empty_sqlite(),
        Backend::Postgres => helpers::empty_postgres().await.expect("postgres"),
    };
    let target = helpers::connect(&empty).await;
    api::db::migrate(&target).await.expect("migrate");
    api::seed::reference(&target).await.expect("reference data");
    let request = ImportRequest {
        kind: ImportKind::Catalog,
        bytes: text.as_bytes(),
        format: None,
        dry_run: false,
        partial: false,
    };
    let report = import::run(&target, &admin(), None, request, &import::Silent)
        .await
        .expect("import");
    assert_eq!(report.rejected, 0, "{report}");
    assert!(report.created > 100, "{report}");
    let second = api::export::catalog_json(&target)
        .await
        .expect("export again");
    assert_eq!(
        serde_json::to_string_pretty(&second).expect("json"),
        text,
        "export → import → export changed the file"
    );

    let ctdl = api::export::ctdl::catalog(&target).await.expect("ctdl");
    assert_eq!(ctdl["@context"], api::export::ctdl::CONTEXT);
    let graph = ctdl["@graph"].as_array().expect("graph");
    assert!(graph.iter().any(|n| n["@type"] == "ceterms:Pathway"));
    // Every seeded course is sample data: none may reach a registry file as a real course.
    assert!(
        !graph.iter().any(|n| n["@type"] == "ceterms:Course"),
        "sample courses left out of CTDL"
    );
});

#[test]
fn templates_list_each_kind_s_columns() {
    let template = import::catalog::template(ImportKind::Offerings);
    assert!(
        template.starts_with("program,course_code,term_code,section,"),
        "{template}"
    );
    assert_eq!(template.lines().count(), 1);
}

#[test]
fn docs_list_every_column_of_every_kind() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/import.md"))
        .expect("docs/import.md");
    for kind in ImportKind::CATALOG_ORDER {
        let section = format!("### `{}`", kind.name());
        let start = docs
            .find(&section)
            .unwrap_or_else(|| panic!("{section} missing"));
        let body = &docs[start..];
        let body = &body[..body[4..].find("\n#").map_or(body.len(), |i| i + 4)];
        for column in import::catalog::layout(kind) {
            assert!(
                body.contains(&format!("`{}`", column.name)),
                "docs/import.md: {section} lacks {}",
                column.name
            );
        }
    }
}

#[test]
fn the_command_line_prints_templates_and_fixtures() {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
            .args(args)
            .output()
            .expect("cte-hub runs");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    assert!(run(&["import", "--template", "courses"]).starts_with("program,code,title,level,"));
    let fixture = run(&["fixture", "pubschls", "--rows", "5"]);
    assert_eq!(fixture.lines().count(), 6);
    assert!(fixture.starts_with("CDSCode\tNCESDist"));
}

db_test!(rows_leave_out_what_they_do_not_change, |app| {
    // A JSON object without a key leaves that value alone; null clears it.
    let first = json!([
        { "program": "SOCAL_ROC", "code": "IMP-800", "title": "Kept", "level": "INTRODUCTORY", "description": "Stays", "hours": 90 }
    ]);
    let second = json!([
        { "program": "SOCAL_ROC", "code": "IMP-800", "title": "Kept", "level": "INTRODUCTORY", "description": "Stays", "hours": 90 },
        { "program": "SOCAL_ROC", "code": "IMP-801", "title": "Other", "level": "INTRODUCTORY" }
    ]);
    let import_json = |value: Value| {
        let app = &app;
        async move {
            let text = value.to_string();
            let json_file = request(
                ImportKind::Courses,
                text.as_bytes(),
                Some(import::Format::Json),
                false,
                false,
            );
            submit(app, &admin(), json_file).await.expect("import runs")
        }
    };
    import_json(first).await;
    let report = import_json(second).await;
    assert_eq!((report.created, report.unchanged), (1, 1), "{report}");
    let kept = count(
        &app.database_url,
        "SELECT COUNT(*) FROM course WHERE code = 'IMP-800' AND description = 'Stays' AND hours = 90",
    )
    .await;
    assert_eq!(kept, 1);

    // A CSV line with a stray comma is refused whole, not stored under the wrong columns.
    let shifted = "program,code,title,level\nSOCAL_ROC,IMP-802,Welding, Advanced,INTRODUCTORY\n";
    let refused = submit(
        &app,
        &admin(),
        request(ImportKind::Courses, shifted.as_bytes(), None, false, false),
    )
    .await;
    assert!(
        matches!(&refused, Err(import::ImportError::Unreadable(m)) if m.contains("line 2 has 5 fields")),
        "{:?}",
        refused.err()
    );
});

db_test!(deleted_keys_and_reader_tokens_are_refused, |app| {
    let file = "program,code,title,level\nSOCAL_ROC,IMP-900,Short-lived,INTRODUCTORY\n";
    run(
        &app,
        &admin(),
        ImportKind::Courses,
        file.as_bytes(),
        false,
        false,
    )
    .await;
    let db = helpers::connect(&app.database_url).await;
    db.execute_unprepared(
        "UPDATE course SET deleted_at = CURRENT_TIMESTAMP WHERE code = 'IMP-900'",
    )
    .await
    .expect("soft delete");
    let again = run(
        &app,
        &admin(),
        ImportKind::Courses,
        file.as_bytes(),
        false,
        false,
    )
    .await;
    assert_eq!(again.rejected, 1, "{again}");
    assert_eq!(again.rejections[0].line, 2);
    assert!(
        again.rejections[0].reason.contains("deleted course"),
        "{again}"
    );

    let reader = Caller::Authenticated(Principal {
        sub: "test-reader".into(),
        org: "SOCAL_ROC".into(),
        roles: vec![Role::Reader],
    });
    let refused = submit(
        &app,
        &reader,
        request(ImportKind::Courses, file.as_bytes(), None, true, false),
    )
    .await;
    assert!(
        matches!(&refused, Err(import::ImportError::Api(e)) if e.code() == "FORBIDDEN"),
        "{:?}",
        refused.err()
    );
});

#[tokio::test]
async fn the_import_command_reports_and_exits_non_zero_on_rejections() {
    let database = helpers::fresh_database(Backend::Sqlite)
        .await
        .expect("SQLite is always available");
    let dir = std::env::temp_dir().join(format!("cte-hub-import-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("courses.csv");
    std::fs::write(&file, COURSES).expect("file");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .args(["import", "courses"])
        .arg(&file)
        .args(["--json", "--database-url", &database])
        .output()
        .expect("cte-hub runs");
    assert!(!output.status.success(), "a rejected row fails the command");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["rejected"], 1, "{report}");
    assert_eq!(report["rejections"][0]["column"], "level");
    assert_eq!(report["written"], false);

    let export = std::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .args(["export", "json", "--database-url", &database])
        .output()
        .expect("cte-hub runs");
    assert!(export.status.success());
    let document: Value = serde_json::from_slice(&export.stdout).expect("JSON on stdout only");
    assert_eq!(document["format"], api::export::FORMAT);
    let _ = std::fs::remove_dir_all(&dir);
}
