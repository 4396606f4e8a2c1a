//! The change feed: commit order, resumable positions, tombstones, and the
//! promise that replaying it from the start rebuilds exactly the catalogue.

use std::collections::BTreeMap;

use api::{
    changes::snapshot,
    graphql::ids::{self, NodeType},
};
use entity::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
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

async fn live<E: EntityTrait>(
    db: &DatabaseConnection,
    node: NodeType,
    out: &mut BTreeMap<String, Value>,
) where
    E::Column: ColumnTrait,
{
    let deleted = api::changes::write::column::<E>("deleted_at").expect("deleted_at");
    for row in E::find()
        .filter(deleted.is_null())
        .all(db)
        .await
        .expect("rows")
    {
        let fields = snapshot::of::<E>(&row);
        let key = fields["id"].as_i64().expect("id") as i32;
        out.insert(ids::encode(node, key).0, Value::Object(fields));
    }
}

/// Every live record of the catalogue, as the feed describes records.
async fn catalogue(app: &TestApp) -> BTreeMap<String, Value> {
    let db = crate::helpers::connect(&app.database_url).await;
    let mut out = BTreeMap::new();
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
    out
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

    // Resuming from the saved position brings the copy up to date, tombstones included.
    let end = replay(&app, &mut copy, position.clone()).await;
    assert_eq!(copy, catalogue(&app).await);
    assert!(!copy.contains_key(offering.as_str().expect("id")));
    assert_eq!(copy[course.as_str().expect("id")]["hours"], 90);

    // Replaying everything from the start gives the same.
    let mut fresh = BTreeMap::new();
    replay(&app, &mut fresh, Value::Null).await;
    assert_eq!(fresh, copy);

    // In commit order: the feed since the saved position lists our 8 changes in order.
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
