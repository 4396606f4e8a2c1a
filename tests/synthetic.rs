//! The synthetic benchmark data set: counts follow the scale, the same scale
//! gives identical rows, and it never claims to be real.

use api::seed;
use entity::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Statement,
};

use crate::helpers::{connect, empty_postgres, empty_sqlite};

const SCALE: f64 = 0.01;

async fn load(url: &str) -> DatabaseConnection {
    let db = connect(url).await;
    api::db::migrate(&db).await.unwrap();
    seed::reference(&db).await.unwrap();
    let report = seed::synthetic(&db, SCALE).await.unwrap();
    assert!(report.inserted > 800, "inserted {}", report.inserted);
    db
}

async fn synthetic_count(db: &DatabaseConnection, table: &str) -> i64 {
    let sql =
        format!("SELECT COUNT(*) AS n FROM {table} WHERE source LIKE 'Synthetic benchmark data%'");
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

async fn check(first_url: &str, second_url: &str) {
    let db = load(first_url).await;
    // Scale 0.01 of 1,000 districts, 10,000 schools, 70 ROC/Ps, 5,000 courses, 50,000 offerings, ...
    assert_eq!(synthetic_count(&db, "district").await, 10);
    assert_eq!(synthetic_count(&db, "school").await, 100);
    assert_eq!(synthetic_count(&db, "regional_program").await, 1);
    assert_eq!(synthetic_count(&db, "course").await, 50);
    assert_eq!(synthetic_count(&db, "course_offering").await, 500);
    assert_eq!(synthetic_count(&db, "college").await, 1);
    assert_eq!(synthetic_count(&db, "industry_partner").await, 30);
    assert_eq!(synthetic_count(&db, "opportunity").await, 100);
    assert!(synthetic_count(&db, "articulation").await > 0);
    // Never a real code: no CDS codes (short codes instead), no IPEDS ids.
    let districts = district::Entity::find()
        .filter(district::Column::Source.starts_with("Synthetic"))
        .all(&db)
        .await
        .unwrap();
    assert!(districts
        .iter()
        .all(|d| d.code.starts_with("SYN_D") && d.cds_code.is_none()));
    let colleges = college::Entity::find()
        .filter(college::Column::Source.starts_with("Synthetic"))
        .all(&db)
        .await
        .unwrap();
    assert!(colleges.iter().all(|c| c.ipeds_id.is_none()));
    // A second run on the same database inserts nothing.
    assert_eq!(seed::synthetic(&db, SCALE).await.unwrap().inserted, 0);
    assert!(seed::synthetic(&db, 0.0).await.is_err());

    // Another database, the same scale: identical rows.
    let other = load(second_url).await;
    // Only synthetic rows: the reference rows carry the time they were seeded.
    macro_rules! same {
        ($entity:ident) => {
            let rows = |db| {
                $entity::Entity::find()
                    .filter($entity::Column::Source.starts_with("Synthetic benchmark data"))
                    .order_by_asc($entity::Column::Id)
                    .all(db)
            };
            let (a, b) = (rows(&db).await.unwrap(), rows(&other).await.unwrap());
            assert!(!a.is_empty(), concat!("no synthetic ", stringify!($entity)));
            assert!(
                a == b,
                concat!(stringify!($entity), " rows differ between two runs")
            );
        };
    }
    same!(school);
    same!(jpa_membership);
    same!(course);
    same!(course_offering);
    same!(articulation);
    same!(opportunity);
}

#[tokio::test]
async fn synthetic_data_is_deterministic_on_sqlite() {
    check(&empty_sqlite(), &empty_sqlite()).await;
}

#[tokio::test]
async fn synthetic_data_is_deterministic_on_postgres() {
    let (Some(first), Some(second)) = (empty_postgres().await, empty_postgres().await) else {
        return;
    };
    check(&first, &second).await;
}
