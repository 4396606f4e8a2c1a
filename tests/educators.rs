//! Educator organisations, programs, district partnerships, teaching openings
//! and role contacts: the nonprofit's one-query question, scoped writes in the
//! feed, the import/export round trip, and the rule that contacts are desks.

use api::{
    auth::{Caller, Principal, Role},
    import::{self, ImportKind, ImportRequest},
};
use serde_json::{json, Value};

use crate::{
    db_test,
    helpers::{self, error_code, token, Backend},
};

const LAUSD: &str = "19647330000000";
const HEALTH: &str = "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY";

/// "Districts we partner with, and their open CTE teaching positions by sector": one query.
const NONPROFIT: &str = r#"query($n: Int, $sector: String) { educatorOrganizations(first: $n, filter: { search: "EnCorps" }) {
    nodes { name kind foundedYear countsWording programs(first: $n) { nodes { name kind meetingCadence
      partnerships(first: $n) { nodes { code firstSchoolYear lastSchoolYear startsWording funders newTeachersPerYear mentorsPerYear expectedStudentsWording
        district { name cdsCode teachingOpenings(first: $n, sector: $sector) { totalCount nodes { title sample credentialRequired applyUrl sector { code } pathway { code } school { name } } } } } } } } } } }"#;

db_test!(search_finds_encorps_and_its_sourced_facts, |app| {
    let data = app
        .data(
            r#"{ search(query: "EnCorps") { __typename ... on EducatorOrganization { code name kind foundedYear professionalsRecruited studentsReached partnerSchools countsWording source sample } ... on EducatorProgram { name } } }"#,
            json!({}),
        )
        .await;
    let hits = data["search"].as_array().expect("hits");
    let encorps = hits
        .iter()
        .find(|h| h["__typename"] == "EducatorOrganization")
        .unwrap_or_else(|| panic!("EnCorps is found: {data}"));
    assert_eq!(encorps["name"], "EnCorps");
    assert_eq!(encorps["kind"], "NONPROFIT");
    assert_eq!(encorps["foundedYear"], 2007);
    assert_eq!(encorps["sample"], false);
    assert_eq!(encorps["professionalsRecruited"], 2000);
    // The counts are cumulative lower bounds from an undated article: the wording says so.
    let wording = encorps["countsWording"].as_str().expect("wording");
    assert!(
        wording.contains("more than 2,000") && wording.contains("undated"),
        "{wording}"
    );
    assert!(encorps["source"]
        .as_str()
        .unwrap_or("")
        .contains("no URL known"));
    assert!(
        hits.iter().any(|h| h["name"] == "CTE Mentorship Alliance"),
        "the program is found by its organisation's name: {data}"
    );

    // Sample records stay out when asked.
    let data = app
        .data(
            r#"{ educatorPrograms(includeSample: false) { nodes { code } } teachingOpenings(includeSample: false) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["educatorPrograms"]["nodes"],
        json!([{ "code": "ENCORPS_CTE_MENTORSHIP" }])
    );
    assert_eq!(
        data["teachingOpenings"]["totalCount"], 0,
        "no real opening is seeded"
    );
});

db_test!(
    a_nonprofit_asks_for_partner_districts_and_openings_in_one_query,
    |app| {
        let data = app
            .data(NONPROFIT, json!({ "n": 4, "sector": HEALTH }))
            .await;
        let org = &data["educatorOrganizations"]["nodes"][0];
        assert_eq!(org["name"], "EnCorps");
        let program = &org["programs"]["nodes"][0];
        assert_eq!(program["name"], "CTE Mentorship Alliance");
        assert_eq!(program["kind"], "MENTORSHIP");
        assert_eq!(program["meetingCadence"], "monthly");
        let pilot = &program["partnerships"]["nodes"][0];
        assert_eq!(pilot["firstSchoolYear"], "2024-25");
        assert_eq!(pilot["lastSchoolYear"], "2025-26");
        assert_eq!(pilot["startsWording"], "summer 2024");
        assert_eq!(
            pilot["funders"],
            json!(["The Eli and Edythe Broad Foundation"])
        );
        assert_eq!(pilot["newTeachersPerYear"], 25);
        assert_eq!(pilot["mentorsPerYear"], 25);
        let district = &pilot["district"];
        assert_eq!(district["name"], "Los Angeles Unified");
        let openings = district["teachingOpenings"]["nodes"]
            .as_array()
            .expect("openings");
        assert_eq!(openings.len(), 1, "{data}");
        // The only opening is illustrative, says so in its title, and has no real-looking link.
        assert_eq!(openings[0]["sample"], true);
        assert!(openings[0]["title"]
            .as_str()
            .unwrap_or("")
            .contains("(sample)"));
        assert!(openings[0]["applyUrl"].is_null());
        assert_eq!(openings[0]["sector"]["code"], HEALTH);
        assert_eq!(openings[0]["pathway"]["code"], "PATIENT_CARE");
        assert_eq!(
            openings[0]["credentialRequired"],
            "CTE Designated Subjects credential"
        );

        let other = app
            .data(
                NONPROFIT,
                json!({ "n": 4, "sector": "ENGINEERING_AND_ARCHITECTURE" }),
            )
            .await;
        let district = &other["educatorOrganizations"]["nodes"][0]["programs"]["nodes"][0]
            ["partnerships"]["nodes"][0]["district"];
        assert_eq!(district["teachingOpenings"]["totalCount"], 0);

        // No N+1: the same statements for pages of 1 as for pages of 4 at every level (the cost limit
        // bounds the product of the page sizes).
        let small = app
            .count_statements(|| async {
                app.data(NONPROFIT, json!({ "n": 1, "sector": HEALTH }))
                    .await;
            })
            .await;
        let large = app
            .count_statements(|| async {
                app.data(NONPROFIT, json!({ "n": 4, "sector": HEALTH }))
                    .await;
            })
            .await;
        assert_eq!(small, large, "{small} vs {large}");

        // The district side of the same facts.
        let data = app
        .data(
            r#"query($cds: String!) { district(cdsCode: $cds) { educatorPartnerships { nodes { code program { organization { name } } } } } }"#,
            json!({ "cds": LAUSD }),
        )
        .await;
        assert_eq!(
            data["district"]["educatorPartnerships"]["nodes"][0]["program"]["organization"]["name"],
            "EnCorps"
        );
    }
);

db_test!(scoped_writes_reach_the_feed_and_refuse_others, |app| {
    let encorps = token("ENCORPS", &["editor"]);
    let lausd = token(LAUSD, &["editor"]);
    let socal = token("SOCAL_ROC", &["editor"]);

    // The organisation adds a program; its sectors are links in the feed.
    let body = app
        .query_as(
            &encorps,
            r#"mutation { createEducatorProgram(input: { code: "ENCORPS_RECRUIT", organizationCode: "ENCORPS", name: "Recruitment (test)", kind: RECRUITMENT,
                sectorCodes: ["ENGINEERING_AND_ARCHITECTURE"], registrationUrl: "https://example.org/sign-up", enrollmentOpensOn: "2027-01-04", enrollmentClosesOn: "2027-02-01" })
                { id version sectors { code } registrationUrl } }"#,
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let program = &body["data"]["createEducatorProgram"];
    assert_eq!(
        program["sectors"][0]["code"],
        "ENGINEERING_AND_ARCHITECTURE"
    );

    // Another organisation may not change it; a stale version is a conflict.
    let update = r#"mutation($id: ID!, $v: Int!) { updateEducatorProgram(id: $id, expectedVersion: $v, input: { cohortSize: 12, sectorCodes: ["ENGINEERING_AND_ARCHITECTURE", "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"] }) { version cohortSize sectors { code } } }"#;
    let body = app
        .query_as(&socal, update, json!({ "id": program["id"], "v": 1 }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .query_as(&encorps, update, json!({ "id": program["id"], "v": 1 }))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["updateEducatorProgram"]["sectors"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let body = app
        .query_as(&encorps, update, json!({ "id": program["id"], "v": 1 }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body}");

    // A district posts its own openings; a nonprofit may not post one for it.
    let opening = r#"mutation($code: String!) { createTeachingOpening(input: { code: $code, districtCdsCode: "19647330000000", pathwayCode: "PATIENT_CARE",
        title: "Test opening (sample)", credentialRequired: "CTE Designated Subjects credential", source: "Sample data: test" }) { id sample sector { code } } }"#;
    let body = app
        .query_as(&encorps, opening, json!({ "code": "T-1" }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .query_as(&lausd, opening, json!({ "code": "T-2" }))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["createTeachingOpening"]["sector"]["code"],
        HEALTH
    );
    assert_eq!(body["data"]["createTeachingOpening"]["sample"], true);
    // A pathway outside the sector given is refused on the field.
    let body = app
        .query_as(
            &lausd,
            r#"mutation { createTeachingOpening(input: { code: "T-3", districtCdsCode: "19647330000000", sectorCode: "ENGINEERING_AND_ARCHITECTURE", pathwayCode: "PATIENT_CARE", title: "Mismatch" }) { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "input.pathwayCode"
    );

    // Both sides of a partnership may record it; a third may not.
    let partnership = r#"mutation($code: String!) { createEducatorPartnership(input: { code: $code, programCode: "ENCORPS_RECRUIT", districtCdsCode: "19647330000000",
        firstSchoolYear: "2026-27", funders: ["Test Foundation"] }) { id district { name } } }"#;
    let body = app
        .query_as(&lausd, partnership, json!({ "code": "P-1" }))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let body = app
        .query_as(&socal, partnership, json!({ "code": "P-2" }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app
        .query_as(
            &encorps,
            r#"mutation { createEducatorPartnership(input: { code: "P-3", programCode: "ENCORPS_RECRUIT", districtCdsCode: "19647330000000", firstSchoolYear: "2026-28" }) { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.firstSchoolYear",
        "{body}"
    );

    // The feed names every change, the sector links included.
    let url = app.database_url.clone();
    let events = |kind: &'static str, op: &'static str| {
        let url = url.clone();
        async move {
            helpers::count(
                &url,
                &format!("SELECT COUNT(*) FROM change_event WHERE record_type = '{kind}' AND operation = '{op}' AND actor_sub IS NOT NULL AND actor_sub <> 'cte-hub seed'"),
            )
            .await
        }
    };
    assert_eq!(events("EducatorProgram", "CREATE").await, 1);
    assert_eq!(events("EducatorProgram", "UPDATE").await, 1);
    assert_eq!(events("EducatorProgramSector", "CREATE").await, 2);
    assert_eq!(events("TeachingOpening", "CREATE").await, 1);
    assert_eq!(events("EducatorPartnership", "CREATE").await, 1);
});

db_test!(contacts_are_desks_never_people, |app| {
    let socal = token("SOCAL_ROC", &["editor"]);
    let create = r#"mutation($input: CreateContactInput!) { createContact(input: $input) { id role label phone email url } }"#;

    for (input, field) in [
        (
            json!({ "programCode": "SOCAL_ROC", "role": "OFFICE", "label": "Maria Lopez", "phone": "(310) 555-0100" }),
            "input.label",
        ),
        (
            json!({ "programCode": "SOCAL_ROC", "role": "COUNSELOR_DESK", "email": "maria.lopez@example.org" }),
            "input.email",
        ),
        (
            json!({ "programCode": "SOCAL_ROC", "role": "OFFICE", "phone": "call Maria" }),
            "input.phone",
        ),
        (
            json!({ "programCode": "SOCAL_ROC", "role": "OFFICE" }),
            "input.phone",
        ),
        (
            json!({ "programCode": "SOCAL_ROC", "schoolCdsCode": "19650601938752", "role": "OFFICE", "url": "https://example.org" }),
            "input",
        ),
    ] {
        let body = app
            .query_as(&socal, create, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{input}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{input}: {body}"
        );
    }

    let body = app
        .query_as(
            &socal,
            create,
            json!({ "input": { "programCode": "SOCAL_ROC", "role": "CTE_COORDINATOR", "label": "CTE office", "email": "cte-office@example.org", "source": "Sample data: test contact" } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    // A school's contact is its district's to give.
    let torrance = token("19650600000000", &["editor"]);
    let school = json!({ "input": { "schoolCdsCode": "19650601938752", "role": "COUNSELOR_DESK", "phone": "(310) 555-0100", "source": "Sample data: test contact" } });
    let body = app.query_as(&socal, create, school.clone()).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.query_as(&torrance, create, school).await;
    assert!(body.get("errors").is_none(), "{body}");
    let data = app
        .data(
            r#"{ school(cdsCode: "19650601938752") { contacts { role phone sample } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["school"]["contacts"],
        json!([{ "role": "COUNSELOR_DESK", "phone": "(310) 555-0100", "sample": true }])
    );

    let data = app
        .data(
            r#"{ program(code: "SOCAL_ROC") { contacts { role label email } registrationUrl enrollmentOpensOn } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["program"]["contacts"],
        json!([{ "role": "CTE_COORDINATOR", "label": "CTE office", "email": "cte-office@example.org" }])
    );
});

fn admin() -> Caller {
    Caller::Authenticated(Principal {
        sub: "test-educators".into(),
        org: "cte-hub".into(),
        roles: vec![Role::Admin],
    })
}

db_test!(
    educator_records_round_trip_through_export_and_import,
    |app| {
        let encorps = token("ENCORPS", &["editor"]);
        let body = app
        .query_as(
            &encorps,
            r#"mutation { createContact(input: { educatorProgramCode: "ENCORPS_CTE_MENTORSHIP", role: RECRUITMENT, label: "Mentorship team", url: "https://encorps.org", source: "Sample data: test contact" }) { id } }"#,
            json!({}),
        )
        .await;
        assert!(body.get("errors").is_none(), "{body}");

        let source = helpers::connect(&app.database_url).await;
        let first = api::export::catalog_json(&source).await.expect("export");
        let text = serde_json::to_string_pretty(&first).expect("json");
        for kind in [
            ImportKind::EducatorOrganizations,
            ImportKind::EducatorPrograms,
            ImportKind::EducatorProgramSectors,
            ImportKind::EducatorPartnerships,
            ImportKind::TeachingOpenings,
            ImportKind::Contacts,
        ] {
            assert!(
                first[kind.name()]
                    .as_array()
                    .is_some_and(|rows| !rows.is_empty()),
                "the {} section is exported",
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
        let second = api::export::catalog_json(&target)
            .await
            .expect("export again");
        assert_eq!(
            serde_json::to_string_pretty(&second).expect("json"),
            text,
            "export → import → export changed the file"
        );

        // A contact file with a person's name is rejected on its line, and writes nothing.
        let file = "program,role,label,phone\nSOCAL_ROC,OFFICE,Front desk,(310) 555-0100\nSOCAL_ROC,OFFICE,Maria Lopez,(310) 555-0101\n";
        let report = import::run(
            &target,
            &admin(),
            None,
            ImportRequest {
                kind: ImportKind::Contacts,
                bytes: file.as_bytes(),
                format: None,
                dry_run: false,
                partial: false,
            },
            &import::Silent,
        )
        .await
        .expect("import runs");
        assert_eq!(report.rejected, 1, "{report}");
        assert!(!report.written, "{report}");
        let rejection: Value = serde_json::to_value(&report.rejections).expect("json");
        assert!(rejection.to_string().contains("person"), "{rejection}");
    }
);
