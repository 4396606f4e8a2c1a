//! `schema.graphql` is the SDL the server really serves, and every part of it is described.

use serde_json::Value;

use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn committed_schema_matches_the_served_schema() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql at the top level");
    assert_eq!(
        api::schema::sdl(),
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

/// Types that come with GraphQL itself, described by the spec rather than by us.
const BUILT_IN_SCALARS: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

const DESCRIPTIONS: &str = r#"{
  __schema {
    types {
      name
      description
      fields(includeDeprecated: true) { name description args { name description } }
      inputFields { name description }
      enumValues(includeDeprecated: true) { name description }
    }
  }
}"#;

/// Whether a description says something (absent, blank or "TODO" does not).
fn says_something(element: &Value) -> bool {
    element["description"]
        .as_str()
        .is_some_and(|d| !d.trim().is_empty() && !d.contains("TODO"))
}

/// Every element of the served schema without a description, as `Type`, `Type.field`,
/// `Type.field(arg)`, `Enum.VALUE` or `Input.field`.
fn undescribed(types: &[Value]) -> Vec<String> {
    let mut missing = Vec::new();
    let list = |value: &Value| value.as_array().cloned().unwrap_or_default();
    for ty in types {
        let name = ty["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || BUILT_IN_SCALARS.contains(&name) {
            continue;
        }
        if !says_something(ty) {
            missing.push(name.to_owned());
        }
        for field in list(&ty["fields"]) {
            let field_name = format!("{name}.{}", field["name"].as_str().unwrap_or_default());
            if !says_something(&field) {
                missing.push(field_name.clone());
            }
            for arg in list(&field["args"]) {
                if !says_something(&arg) {
                    missing.push(format!(
                        "{field_name}({})",
                        arg["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        for item in list(&ty["inputFields"])
            .into_iter()
            .chain(list(&ty["enumValues"]))
        {
            if !says_something(&item) {
                missing.push(format!(
                    "{name}.{}",
                    item["name"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    missing
}

/// App developers read these descriptions in their IDE: every type, field, argument, enum value
/// and input field must say what it means. A pure walk of the schema: no database.
#[tokio::test]
async fn every_schema_element_has_a_description() {
    let schema = api::schema::schema_without_data();
    let response = schema.execute(DESCRIPTIONS).await;
    assert!(
        response.errors.is_empty(),
        "introspection failed: {:?}",
        response.errors
    );
    let data = response
        .data
        .into_json()
        .expect("introspection result as JSON");
    let types = data["__schema"]["types"]
        .as_array()
        .expect("__schema.types");
    assert!(
        types.len() > 50,
        "introspection listed only {} types",
        types.len()
    );
    let missing = undescribed(types);
    assert!(
        missing.is_empty(),
        "{} schema elements have no description (add a `///` doc comment, or \
         `#[graphql(desc = \"...\")]` on an argument):\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn undescribed_names_every_kind_of_element() {
    let types = serde_json::json!([
        { "name": "__Type", "description": null, "fields": [] },
        { "name": "String", "description": null },
        {
            "name": "Course",
            "description": "A course.",
            "fields": [
                { "name": "title", "description": "Title.", "args": [] },
                { "name": "offerings", "description": " ", "args": [
                    { "name": "first", "description": null },
                    { "name": "after", "description": "Cursor." }
                ] }
            ]
        },
        { "name": "Level", "description": "TODO", "enumValues": [
            { "name": "INTRODUCTORY", "description": null }
        ] },
        { "name": "CourseInput", "description": "A new course.", "inputFields": [
            { "name": "code", "description": "" }
        ] }
    ]);
    assert_eq!(
        undescribed(types.as_array().expect("array")),
        [
            "Course.offerings",
            "Course.offerings(first)",
            "Level",
            "Level.INTRODUCTORY",
            "CourseInput.code"
        ]
    );
}
