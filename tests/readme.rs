//! Every ```graphql example in README.md runs against the seeded server without errors.

use serde_json::json;

use crate::db_test;

fn readme_examples() -> Vec<String> {
    let readme = include_str!("../README.md");
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```graphql") => current = Some(String::new()),
            (Some(block), l) if l.starts_with("```") => {
                examples.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    examples
}

db_test!(every_readme_example_runs, |app| {
    let examples = readme_examples();
    assert!(
        examples.len() >= 10,
        "README has its examples ({})",
        examples.len()
    );
    for example in examples {
        let body = app.query(&example, json!({})).await;
        assert!(
            body.get("errors").is_none(),
            "README example failed:\n{example}\n{body:#}"
        );
        assert!(body["data"].is_object(), "{example}");
    }
});
