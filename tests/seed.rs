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
