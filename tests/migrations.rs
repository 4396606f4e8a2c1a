//! Migrations run up on an empty database, down, and up again, on both databases.

use migration::{Migrator, MigratorTrait};

use crate::helpers::{connect, empty_postgres, empty_sqlite};

async fn up_down_up(url: &str) {
    let db = connect(url).await;
    Migrator::up(&db, None).await.expect("up on empty");
    assert!(Migrator::get_pending_migrations(&db)
        .await
        .unwrap()
        .is_empty());
    let applied = Migrator::get_applied_migrations(&db).await.unwrap().len();
    Migrator::down(&db, None).await.expect("down");
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        0
    );
    Migrator::up(&db, None).await.expect("up again");
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        applied
    );
    api::seed::reference(&db)
        .await
        .expect("seeds after up again");
}

#[tokio::test]
async fn migrations_up_down_up_on_sqlite() {
    up_down_up(&empty_sqlite()).await;
}

#[tokio::test]
async fn migrations_up_down_up_on_postgres() {
    let Some(url) = empty_postgres().await else {
        return;
    };
    up_down_up(&url).await;
}
