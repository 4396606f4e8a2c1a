//! The change feed: commit order, resumable positions, tombstones, and the
//! promise that replaying it from the start rebuilds exactly the catalogue,
//! link tables included, timestamps at the stored precision; cursors bound to
//! the list that made them.

use std::collections::BTreeMap;

use api::{
    auth::{Caller, Principal, Role},
    changes::snapshot,
    ids,
    ids::NodeType,
    import,
    import::{ImportKind, ImportRequest},
};
use chrono::{DateTime, Utc};
use entity::*;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IdenStatic, Iterable, ModelTrait, QueryFilter,
    Value as SeaValue,
};
use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{error_code, token, TestApp},
};

const FEED: &str = "query($since: String) { changes(since: $since, first: 100) { edges { cursor node { operation recordType recordId version record } } pageInfo { hasNextPage endCursor } } }";

/// Replays the whole feed (from `since`) onto `copy`; returns the last position.
async fn replay(app: &TestApp, copy: &mut BTreeMap<String, Value>, mut since: Value) -> Value {
    loop {
        let page = app.data(FEED, json!({ "since": since })).await;
        let changes = &page["changes"];
        for edge in changes["edges"].as_array().expect("edges") {
            let node = &edge["node"];
            let id = node["recordId"].as_str().expect("id").to_owned();
            match node["operation"].as_str() {
                Some("DELETE") => {
                    copy.remove(&id);
                }
                _ => {
                    copy.insert(id, node["record"].clone());
                }
            }
        }
        if !changes["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap_or(false)
        {
            return if changes["pageInfo"]["endCursor"].is_null() {
                since
            } else {
                changes["pageInfo"]["endCursor"].clone()
            };
        }
        since = changes["pageInfo"]["endCursor"].clone();
    }
}

/// Every live record of a table as the feed describes records, and each stored timestamp
/// (record, field, instant) read straight from the database.
#[derive(Default)]
struct Catalogue {
    records: BTreeMap<String, Value>,
    stamps: Vec<(String, String, DateTime<Utc>)>,
}

async fn rows<E: EntityTrait>(
    db: &DatabaseConnection,
    id: impl Fn(i32) -> String,
    out: &mut Catalogue,
) {
    let mut select = E::find();
    if let Ok(deleted) = api::changes::write::column::<E>("deleted_at") {
        select = select.filter(deleted.is_null());
    }
    for row in select.all(db).await.expect("rows") {
        let fields = snapshot::of::<E>(&row);
        let key = id(fields["id"].as_i64().expect("id") as i32);
        for column in E::Column::iter() {
            if let SeaValue::ChronoDateTimeUtc(Some(at)) = row.get(column) {
                out.stamps
                    .push((key.clone(), snapshot::camel_case(column.as_str()), at));
            }
        }
        out.records.insert(key, Value::Object(fields));
    }
}

async fn live<E: EntityTrait>(db: &DatabaseConnection, node: NodeType, out: &mut Catalogue) {
    rows::<E>(db, |key| ids::encode(node, key).0, out).await;
}

async fn links<E: api::changes::links::Link>(db: &DatabaseConnection, out: &mut Catalogue) {
    rows::<E>(db, |key| format!("{}:{key}", E::RECORD_TYPE), out).await;
}

/// Every live record of the catalogue and every link row, as the feed describes them.
async fn catalogue(app: &TestApp) -> BTreeMap<String, Value> {
    let mut all = full_catalogue(app).await;
    // Dates and timestamps are in the documented format, never quoted SQL literals.
    for (record, field, at) in std::mem::take(&mut all.stamps) {
        let given = all.records[&record][&field].as_str().unwrap_or_default();
        let parsed = DateTime::parse_from_rfc3339(given)
            .unwrap_or_else(|e| panic!("{record}.{field} = {given:?} is not RFC 3339: {e}"));
        assert_eq!(parsed, at, "{record}.{field} keeps the stored precision");
        assert!(
            given.ends_with('Z'),
            "{record}.{field} = {given:?} is in UTC"
        );
    }
    all.records
}

async fn full_catalogue(app: &TestApp) -> Catalogue {
    let db = crate::helpers::connect(&app.database_url).await;
    let mut out = Catalogue::default();
    live::<industry_sector::Entity>(&db, NodeType::IndustrySector, &mut out).await;
    live::<pathway::Entity>(&db, NodeType::Pathway, &mut out).await;
    live::<certification::Entity>(&db, NodeType::Certification, &mut out).await;
    live::<district::Entity>(&db, NodeType::District, &mut out).await;
    live::<school::Entity>(&db, NodeType::School, &mut out).await;
    live::<regional_program::Entity>(&db, NodeType::RegionalProgram, &mut out).await;
    live::<program_site::Entity>(&db, NodeType::ProgramSite, &mut out).await;
    live::<jpa_membership::Entity>(&db, NodeType::JpaMembership, &mut out).await;
    live::<funding_option::Entity>(&db, NodeType::FundingOption, &mut out).await;
    live::<college::Entity>(&db, NodeType::College, &mut out).await;
    live::<industry_partner::Entity>(&db, NodeType::IndustryPartner, &mut out).await;
    live::<course::Entity>(&db, NodeType::Course, &mut out).await;
    live::<term::Entity>(&db, NodeType::Term, &mut out).await;
    live::<course_offering::Entity>(&db, NodeType::CourseOffering, &mut out).await;
    live::<dual_enrollment_agreement::Entity>(&db, NodeType::DualEnrollmentAgreement, &mut out)
        .await;
    live::<articulation::Entity>(&db, NodeType::Articulation, &mut out).await;
    live::<industry_partnership::Entity>(&db, NodeType::IndustryPartnership, &mut out).await;
    live::<opportunity::Entity>(&db, NodeType::Opportunity, &mut out).await;
    live::<school_pathway::Entity>(&db, NodeType::SchoolPathway, &mut out).await;
    live::<district_fact::Entity>(&db, NodeType::DistrictFact, &mut out).await;
    live::<educator_organization::Entity>(&db, NodeType::EducatorOrganization, &mut out).await;
    live::<educator_program::Entity>(&db, NodeType::EducatorProgram, &mut out).await;
    live::<educator_partnership::Entity>(&db, NodeType::EducatorPartnership, &mut out).await;
    live::<teaching_opening::Entity>(&db, NodeType::TeachingOpening, &mut out).await;
    live::<contact::Entity>(&db, NodeType::Contact, &mut out).await;
    links::<course_certification::Entity>(&db, &mut out).await;
    links::<course_prerequisite::Entity>(&db, &mut out).await;
    links::<industry_partner_sector::Entity>(&db, &mut out).await;
    links::<school_pathway_course::Entity>(&db, &mut out).await;
    links::<educator_program_sector::Entity>(&db, &mut out).await;
    out
}

fn editor_of(org: &str) -> Caller {
    Caller::Authenticated(Principal {
        sub: "test-feed".into(),
        org: org.into(),
        roles: vec![Role::Editor],
    })
}

db_test!(replaying_the_feed_gives_exactly_the_catalogue, |app| {
    let editor = token("SOCAL_ROC", &["editor"]);
    let partner = token("NEW_EMPLOYER", &["editor"]);

    // A partner's copy, taken from the feed before anything changes.
    let mut copy = BTreeMap::new();
    let position = replay(&app, &mut copy, Value::Null).await;
    assert_eq!(
        copy,
        catalogue(&app).await,
        "the seeded catalogue is in the feed"
    );
    for kind in api::changes::links::RECORD_TYPES {
        assert!(
            copy.keys().any(|k| k.starts_with(&format!("{kind}:"))),
            "the seeded {kind} links are in the feed"
        );
    }

    // Creates, updates and deletes of several kinds.
    let course = app
        .data_as(&editor, "mutation { createCourse(input: { programCode: \"SOCAL_ROC\", code: \"FEED-1\", title: \"Feed\", level: CAPSTONE }) { id } }", json!({}))
        .await["createCourse"]["id"]
        .clone();
    app.data_as(&editor, "mutation($id: ID!) { updateCourse(id: $id, expectedVersion: 1, input: { hours: 90, description: \"Ninety hours\" }) { id } }", json!({ "id": course }))
        .await;
    let term = app
        .data_as(&editor, "mutation { createTerm(input: { programCode: \"SOCAL_ROC\", code: \"FEED-T\", name: \"Feed term\", startsOn: \"2027-01-04\", endsOn: \"2027-05-28\", kind: SEMESTER }) { id } }", json!({}))
        .await["createTerm"]["id"]
        .clone();
    let offering = app
        .data_as(&editor, "mutation($c: ID!) { createCourseOffering(input: { courseId: $c, termCode: \"FEED-T\", section: \"01\", schedule: SATURDAY, modality: IN_PERSON, status: OPEN, meetingDays: [\"SAT\"], startTime: \"08:00\", endTime: \"12:00\", capacity: 24, seatsAvailable: 24, tuitionCents: 120000 }) { id } }", json!({ "c": course }))
        .await["createCourseOffering"]["id"]
        .clone();
    app.data_as(&partner, "mutation { createIndustryPartner(input: { code: \"NEW_EMPLOYER\", name: \"New Employer\", website: \"https://example.org\" }) { id } }", json!({}))
        .await;
    app.data_as(&partner, "mutation { createOpportunity(input: { code: \"NEW-INT-1\", partnerCode: \"NEW_EMPLOYER\", kind: INTERNSHIP, title: \"Summer intern\", paid: true, hourlyWageCents: 1800, minGrade: 11 }) { id } }", json!({}))
        .await;
    app.data_as(
        &editor,
        "mutation($id: ID!) { deleteCourseOffering(id: $id, expectedVersion: 1) { id } }",
        json!({ "id": offering }),
    )
    .await;
    app.data_as(
        &editor,
        "mutation($id: ID!) { deleteTerm(id: $id, expectedVersion: 1) { id } }",
        json!({ "id": term }),
    )
    .await;

    // A link added by an import (the write path) is in the feed too.
    let db = crate::helpers::connect(&app.database_url).await;
    let file = "program,course_code,certification\nSOCAL_ROC,FEED-1,CNA\n";
    let report = import::run(
        &db,
        &editor_of("SOCAL_ROC"),
        None,
        ImportRequest {
            kind: ImportKind::CourseCertifications,
            bytes: file.as_bytes(),
            format: None,
            dry_run: false,
            partial: false,
        },
        &import::Silent,
    )
    .await
    .expect("import runs");
    assert_eq!((report.created, report.rejected), (1, 0), "{report}");

    // A link removed through the write path leaves a DELETE (a tombstone) in the feed.
    let seeded = course_certification::Entity::find()
        .all(&db)
        .await
        .expect("links")
        .into_iter()
        .min_by_key(|m| m.id)
        .expect("a seeded course certification");
    let admin = Caller::Authenticated(Principal {
        sub: "test-feed".into(),
        org: "cte-hub".into(),
        roles: vec![Role::Admin],
    });
    let writer = api::changes::Writer::begin(&db, &admin, None)
        .await
        .expect("writer");
    writer
        .unlink::<course_certification::Entity>(seeded.clone())
        .await
        .expect("unlink");
    writer.commit().await.expect("commit");

    // Resuming from the saved position brings the copy up to date, tombstones included.
    let end = replay(&app, &mut copy, position.clone()).await;
    assert_eq!(copy, catalogue(&app).await);
    assert!(!copy.contains_key(offering.as_str().expect("id")));
    assert_eq!(copy[course.as_str().expect("id")]["hours"], 90);
    assert!(!copy.contains_key(&format!("CourseCertification:{}", seeded.id)));

    // Replaying everything from the start gives the same.
    let mut fresh = BTreeMap::new();
    replay(&app, &mut fresh, Value::Null).await;
    assert_eq!(fresh, copy);

    // In commit order: the feed since the saved position lists our 10 changes in order.
    let page = app.data(FEED, json!({ "since": position })).await;
    let ops: Vec<(String, String)> = page["changes"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (
                e["node"]["recordType"].as_str().unwrap_or("").to_owned(),
                e["node"]["operation"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("Course", "CREATE"),
        ("Course", "UPDATE"),
        ("Term", "CREATE"),
        ("CourseOffering", "CREATE"),
        ("IndustryPartner", "CREATE"),
        ("Opportunity", "CREATE"),
        ("CourseOffering", "DELETE"),
        ("Term", "DELETE"),
        ("CourseCertification", "CREATE"),
        ("CourseCertification", "DELETE"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(ops, expected);

    // Nothing new after the end; a bad position is BAD_USER_INPUT on `since`.
    let after_end = app.data(FEED, json!({ "since": end })).await;
    assert_eq!(after_end["changes"]["edges"], json!([]));
    let body = app.query(FEED, json!({ "since": "not-a-position" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "since", "{body}");
});

const OFFERINGS: &str = "query($filter: OfferingFilter, $order: OfferingOrder!, $after: String) { offerings(filter: $filter, orderBy: $order, first: 1, after: $after) { edges { node { id } } pageInfo { endCursor } } }";

db_test!(cursors_are_refused_by_other_lists, |app| {
    let page = |filter: Value, order: &str, after: Value| {
        let app = &app;
        let order = order.to_owned();
        async move {
            app.query(
                OFFERINGS,
                json!({ "filter": filter, "order": order, "after": after }),
            )
            .await
        }
    };
    let refused = |body: &Value, field: &str| {
        assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    };
    let calaps = json!({ "programCode": "CALAPS" });
    let first = page(calaps.clone(), "LISTED", Value::Null).await;
    let cursor = first["data"]["offerings"]["pageInfo"]["endCursor"].clone();
    assert!(cursor.is_string(), "{first}");

    // The same list goes on from it.
    let next = page(calaps.clone(), "LISTED", cursor.clone()).await;
    assert!(next.get("errors").is_none(), "{next}");
    assert_ne!(
        next["data"]["offerings"]["edges"][0],
        first["data"]["offerings"]["edges"][0]
    );

    // Another filter, another ordering, another list: refused, naming the argument.
    refused(
        &page(
            json!({ "programCode": "SOCAL_ROC" }),
            "LISTED",
            cursor.clone(),
        )
        .await,
        "after",
    );
    refused(
        &page(calaps.clone(), "TUITION", cursor.clone()).await,
        "after",
    );
    let tuition = page(calaps.clone(), "TUITION", Value::Null).await;
    let tuition_cursor = tuition["data"]["offerings"]["pageInfo"]["endCursor"].clone();
    refused(&page(calaps, "LISTED", tuition_cursor).await, "after");
    let feed = app
        .query(
            "query($c: String) { changes(since: $c, first: 1) { edges { cursor } } }",
            json!({ "c": cursor }),
        )
        .await;
    refused(&feed, "since");
    let districts = app
        .query(
            "query($c: String) { districts(first: 1, after: $c) { edges { cursor } } }",
            json!({ "c": cursor }),
        )
        .await;
    refused(&districts, "after");
    let backward = app
        .query(
            "query($c: String) { districts(last: 1, before: $c) { edges { cursor } } }",
            json!({ "c": cursor }),
        )
        .await;
    refused(&backward, "before");
});

/// A database seeded or written by a version whose feed had no link-table events: the server
/// adds one CREATE event per link row at startup, and a second start adds nothing.
mod link_events_are_backfilled_at_startup {
    use crate::helpers::{count, fresh_database, spawn_app_on, test_settings, Backend};

    const LINK_TYPES: &str =
        "('CourseCertification', 'CoursePrerequisite', 'IndustryPartnerSector')";

    async fn events(url: &str) -> i64 {
        count(
            url,
            &format!("SELECT COUNT(*) FROM change_event WHERE record_type IN {LINK_TYPES}"),
        )
        .await
    }

    async fn rows(url: &str) -> i64 {
        count(url, "SELECT COUNT(*) FROM course_certification").await
            + count(url, "SELECT COUNT(*) FROM course_prerequisite").await
            + count(url, "SELECT COUNT(*) FROM industry_partner_sector").await
    }

    async fn check(backend: Backend) {
        let Some(url) = fresh_database(backend).await else {
            return;
        };
        let links = rows(&url).await;
        assert!(links > 0, "the seed has link rows");
        // As an older version left it: link rows, no events for them.
        {
            use sea_orm::ConnectionTrait;
            let db = crate::helpers::connect(&url).await;
            db.execute_unprepared(&format!(
                "DELETE FROM change_event WHERE record_type IN {LINK_TYPES}"
            ))
            .await
            .expect("delete link events");
        }
        assert_eq!(events(&url).await, 0);
        let app = spawn_app_on(backend, test_settings(&url)).await;
        assert_eq!(events(&url).await, links, "one event per link row");
        let distinct = count(
            &url,
            &format!(
                "SELECT COUNT(*) FROM (SELECT DISTINCT record_type, record_key FROM change_event \
                 WHERE record_type IN {LINK_TYPES}) t"
            ),
        )
        .await;
        assert_eq!(distinct, links);
        // The feed gives them like any CREATE.
        let data = app
            .data(
                "{ changes(first: 100) { totalCount } }",
                serde_json::json!({}),
            )
            .await;
        assert!(data["changes"]["totalCount"].as_i64().unwrap() >= links);
        drop(app);
        let _again = spawn_app_on(backend, test_settings(&url)).await;
        assert_eq!(events(&url).await, links, "idempotent: nothing added twice");
    }

    #[tokio::test]
    async fn sqlite() {
        check(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        check(Backend::Postgres).await;
    }
}
