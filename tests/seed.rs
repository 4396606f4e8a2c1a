//! Seeding is idempotent: a second run inserts nothing.

use api::seed;

use crate::helpers::{connect, empty_postgres, empty_sqlite};

async fn seed_twice(url: &str) {
    let db = connect(url).await;
    api::db::migrate(&db).await.unwrap();
    assert!(seed::is_empty(&db).await.unwrap());
    let first =
        seed::reference(&db).await.unwrap().inserted + seed::sample(&db).await.unwrap().inserted;
    assert!(first > 100, "reference + sample inserted {first}");
    let second =
        seed::reference(&db).await.unwrap().inserted + seed::sample(&db).await.unwrap().inserted;
    assert_eq!(second, 0, "seeding twice changes nothing");
    assert!(!seed::is_empty(&db).await.unwrap());
    sample_file_is_an_export(&db).await;
    a_deleted_sample_record_stays_deleted(&db).await;
}

/// Seeding the sample again after a client deleted one of its records restores the rest and
/// leaves that one deleted, instead of failing on it.
async fn a_deleted_sample_record_stays_deleted(db: &sea_orm::DatabaseConnection) {
    use sea_orm::ConnectionTrait;
    let file: serde_json::Value = serde_json::from_str(include_str!("../data/sample_catalog.json"))
        .expect("the sample catalogue is JSON");
    let code = file["opportunities"][0]["code"]
        .as_str()
        .expect("a sample opportunity");
    let deleted =
        format!("UPDATE opportunity SET deleted_at = CURRENT_TIMESTAMP WHERE code = '{code}'");
    db.execute_unprepared(&deleted).await.expect("deleted");
    let again = seed::sample(db)
        .await
        .expect("seeding again skips the deleted record");
    assert_eq!(again.inserted, 0);
    let still = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM opportunity WHERE code = '{code}' AND deleted_at IS NULL"),
        ))
        .await
        .expect("counted")
        .expect("a row");
    assert_eq!(
        still.try_get::<i64>("", "n").expect("n"),
        0,
        "{code} stays deleted"
    );
}

/// The sample catalogue is a catalogue export, loaded through the import: every row of the file
/// comes out of an export of the seeded database exactly as written, so the file cannot drift
/// from the record kinds' definitions.
async fn sample_file_is_an_export(db: &sea_orm::DatabaseConnection) {
    let file: serde_json::Value = serde_json::from_str(include_str!("../data/sample_catalog.json"))
        .expect("the sample catalogue is JSON");
    let export = api::export::catalog_json(db).await.expect("export");
    assert_eq!(file["format"], export["format"]);
    let mut rows = 0;
    for (kind, section) in file.as_object().expect("an object") {
        let Some(section) = section.as_array() else {
            continue;
        };
        let exported = export[kind.as_str()]
            .as_array()
            .expect("an exported section");
        for row in section {
            assert!(
                exported.contains(row),
                "{kind}: this row of data/sample_catalog.json does not come out of the export: {row}"
            );
            rows += 1;
        }
    }
    assert!(rows > 100, "{rows} sample rows");
}

#[tokio::test]
async fn seeding_twice_changes_nothing_on_sqlite() {
    seed_twice(&empty_sqlite()).await;
}

#[tokio::test]
async fn seeding_twice_changes_nothing_on_postgres() {
    let Some(url) = empty_postgres().await else {
        return;
    };
    seed_twice(&url).await;
}

/// Every catalogue table whose rows carry `source` (link tables do not).
const RECORD_TABLES: &[&str] = &[
    "industry_sector",
    "pathway",
    "certification",
    "funding_program",
    "work_based_learning_type",
    "district",
    "school",
    "regional_program",
    "program_site",
    "jpa_membership",
    "funding_option",
    "college",
    "industry_partner",
    "course",
    "term",
    "course_offering",
    "dual_enrollment_agreement",
    "articulation",
    "industry_partnership",
    "opportunity",
    "educator_organization",
    "educator_program",
    "educator_partnership",
    "teaching_opening",
    "contact",
];

/// A source a user cannot open: a path into our repository or a bare file name.
fn is_repository_path(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.contains("shared/data") || lower.contains("data/") && !lower.contains("://") {
        return true;
    }
    // A file name such as `programs.md` that is not the tail of a URL.
    source
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '(' | ')' | ','))
        .filter(|word| !word.contains("://"))
        .any(|word| {
            let word = word.trim_end_matches(['.', ':']);
            [".csv", ".md", ".json", ".txt"]
                .iter()
                .any(|ext| word.len() > ext.len() && word.ends_with(ext))
        })
}

#[test]
fn repository_paths_are_recognised() {
    assert!(is_repository_path("shared/data/programs.md"));
    assert!(is_repository_path("see programs.md; https://example.org"));
    assert!(is_repository_path("data/organisations.json"));
    assert!(!is_repository_path(
        "https://www.cde.ca.gov/ds/si/ds/fspubschls.asp"
    ));
    assert!(!is_repository_path(
        "GitHub repository xta/California_School_Dashboard_Rank (last commit 2019-02-10)"
    ));
}

/// Every seeded record names a public source, and every real one says when it was read.
async fn seeded_sources_are_public(url: &str) {
    use sea_orm::ConnectionTrait;
    let db = connect(url).await;
    api::db::migrate(&db).await.unwrap();
    seed::reference(&db).await.unwrap();
    seed::sample(&db).await.unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for table in RECORD_TABLES {
        let sql = format!(
            "SELECT id, source, CASE WHEN source_updated_at IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN sample THEN 1 ELSE 0 END FROM {table}"
        );
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .expect("read sources");
        for row in rows {
            checked += 1;
            let id: i32 = row.try_get_by_index(0).expect("id");
            let source: Option<String> = row.try_get_by_index(1).expect("source");
            let dated: i32 = row.try_get_by_index(2).expect("dated");
            let sample: i32 = row.try_get_by_index(3).expect("sample");
            let Some(source) = source else {
                problems.push(format!("{table} {id}: no source"));
                continue;
            };
            if is_repository_path(&source) {
                problems.push(format!(
                    "{table} {id}: source is a repository path: {source}"
                ));
            }
            if sample == 0 && dated == 0 {
                problems.push(format!("{table} {id}: real record without sourceUpdatedAt"));
            }
            if sample == 1 && !source.starts_with("Sample data:") {
                problems.push(format!(
                    "{table} {id}: sample record whose source does not say so"
                ));
            }
        }
    }
    assert!(checked > 200, "checked {checked} records");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn seeded_sources_are_public_on_sqlite() {
    seeded_sources_are_public(&empty_sqlite()).await;
}

#[tokio::test]
async fn seeded_sources_are_public_on_postgres() {
    let Some(url) = empty_postgres().await else {
        return;
    };
    seeded_sources_are_public(&url).await;
}
