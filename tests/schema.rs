//! `schema.graphql` is the SDL the server really serves.

use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn committed_schema_matches_the_served_schema() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql at the top level");
    assert_eq!(
        api::graphql::sdl(),
        committed,
        "regenerate with: cargo run -p api -- schema > schema.graphql"
    );
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let served = app
        .client
        .get(format!("{}/schema.graphql", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        served, committed,
        "the running server serves schema.graphql"
    );
}
