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

/// The shell script after `<!-- partner-walkthrough -->` in README.md.
fn partner_walkthrough() -> String {
    let readme = include_str!("../README.md");
    let start = readme
        .find("<!-- partner-walkthrough -->")
        .expect("README has the partner walkthrough");
    let rest = &readme[start..];
    let open = rest.find("```bash\n").expect("a bash block") + "```bash\n".len();
    let close = rest[open..].find("```").expect("end of block");
    rest[open..open + close].to_owned()
}

db_test!(the_partner_walkthrough_works_as_written, |app| {
    let script = partner_walkthrough()
        .replace("cargo run -q -p api --", env!("CARGO_BIN_EXE_cte-hub"))
        .replace("http://127.0.0.1:8080", &app.address);
    let dir = std::env::temp_dir().join(format!(
        "cte-hub-walkthrough-{}-{:?}",
        std::process::id(),
        app.backend
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let output = tokio::process::Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(&script)
        .current_dir(&dir)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .await
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "walkthrough failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("\"createTerm\":{\"id\""), "{stdout}");
    assert!(stdout.contains("\"operation\":\"CREATE\""), "{stdout}");
    assert!(
        stdout.contains("\"created\":1") && stdout.contains("\"written\":true"),
        "the import step reports its term: {stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
});
