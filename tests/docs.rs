//! The documentation is true of the code: README.md and docs/**/*.md are checked here.
//!
//! - Every ```graphql block runs against the seeded server without errors. A block that
//!   cannot run anonymously (a mutation, a token-only field) is marked ```graphql no-run.
//! - docs/configuration.md names exactly the flags and environment variables clap knows.
//! - docs/api.md's errors table names exactly [`api::error::ALL_CODES`], and every code
//!   literal in the places that answer errors is in that list.
//! - The partner walkthrough in docs/partners.md runs as written.
//! - Every `cargo run` uses the release profile of the README's first command.
//! - The first start the README promises is clean (no key file after a failed bind, no
//!   colour codes in piped logs, a database that is missing is named with the fix).

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

use clap::CommandFactory;
use serde_json::json;

use crate::{
    db_test,
    helpers::{fresh_database, test_settings, Backend},
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_owned()
}

/// README.md and every Markdown file under docs/, as (path from the root, text).
fn markdown_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("docs directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let root = root();
    let mut paths = vec![root.join("README.md")];
    walk(&root.join("docs"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable Markdown file");
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (name, text)
        })
        .collect()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).expect("the file exists")
}

/// The fenced code blocks of a Markdown text, as (info string, body).
fn code_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    current = Some((info.trim().to_owned(), String::new()));
                }
            }
            Some((_, body)) => {
                if trimmed.starts_with("```") {
                    blocks.extend(current.take());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    blocks
}

db_test!(every_graphql_example_in_the_docs_runs, |app| {
    let mut ran = 0;
    let mut in_readme = 0;
    for (file, text) in markdown_files() {
        for (info, example) in code_blocks(&text) {
            if info != "graphql" {
                assert!(
                    !info.starts_with("graphql") || info == "graphql no-run",
                    "{file}: unknown marker ```{info} (use ```graphql or ```graphql no-run)"
                );
                continue;
            }
            let body = app.query(&example, json!({})).await;
            assert!(
                body.get("errors").is_none(),
                "{file}: example failed:\n{example}\n{body:#}"
            );
            assert!(body["data"].is_object(), "{file}: {example}");
            ran += 1;
            if file == "README.md" {
                in_readme += 1;
            }
        }
    }
    assert!(in_readme >= 3, "the README's tour has its three queries");
    assert!(ran >= 15, "the docs have their examples ({ran})");
});

/// The shell script after `<!-- partner-walkthrough -->` in docs/partners.md.
fn partner_walkthrough() -> String {
    let text = read("docs/partners.md");
    let start = text
        .find("<!-- partner-walkthrough -->")
        .expect("docs/partners.md has the partner walkthrough");
    let rest = &text[start..];
    let open = rest.find("```bash\n").expect("a bash block") + "```bash\n".len();
    let close = rest[open..].find("```").expect("end of block");
    rest[open..open + close].to_owned()
}

db_test!(the_partner_walkthrough_works_as_written, |app| {
    let script = partner_walkthrough();
    assert!(
        script.contains("cargo run --release -q -p api --"),
        "{script}"
    );
    let script = script
        .replace(
            "cargo run --release -q -p api --",
            env!("CARGO_BIN_EXE_cte-hub"),
        )
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
        .env(
            "CTE_HUB_SIGNING_KEY_FILE",
            crate::helpers::signing_key_file(),
        )
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

#[test]
fn every_cargo_run_uses_the_release_profile() {
    for (file, text) in markdown_files() {
        for (at, _) in text.match_indices("cargo run") {
            let rest = &text[at + "cargo run".len()..];
            assert!(
                rest.starts_with(" --release"),
                "{file}: `cargo run{}` is not `cargo run --release`: a second, debug build",
                rest.lines().next().unwrap_or("")
            );
        }
    }
}

/// Every `--flag` and environment variable of `cte-hub` and its subcommands, from clap.
fn clap_settings() -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(command: &clap::Command, flags: &mut BTreeSet<String>, envs: &mut BTreeSet<String>) {
        for arg in command.get_arguments() {
            if matches!(arg.get_id().as_str(), "help" | "version") {
                continue;
            }
            if let Some(long) = arg.get_long() {
                flags.insert(format!("--{long}"));
            }
            if let Some(env) = arg.get_env() {
                envs.insert(env.to_string_lossy().into_owned());
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, flags, envs);
        }
    }
    let mut flags = BTreeSet::new();
    let mut envs = BTreeSet::new();
    walk(&api::cli::Cli::command(), &mut flags, &mut envs);
    (flags, envs)
}

/// `text` without its fenced code blocks.
fn code_blocks_removed(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The backticked words of `text` that `keep` accepts (a backticked phrase counts word by word).
fn backticked(text: &str, keep: impl Fn(&str) -> bool) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|code| {
            code.split(|c: char| c.is_whitespace() || matches!(c, '=' | ',' | '/' | '|'))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|word| keep(word))
        .collect()
}

#[test]
fn the_configuration_page_lists_every_flag_and_variable_and_no_other() {
    let (flags, envs) = clap_settings();
    assert!(flags.contains("--database-url") && envs.contains("DATABASE_URL"));
    // Inline code only: fenced blocks hold cargo's own flags (`--release`).
    let page: String = code_blocks_removed(&read("docs/configuration.md"));
    let documented_flags = backticked(&page, |w| {
        w.starts_with("--")
            && w.len() > 2
            && w[2..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    // The variables clap reads; RUST_LOG and OTEL_* are read by the logging setup and are
    // documented in their own section.
    let documented_envs = backticked(&page, |w| {
        (w.starts_with("CTE_HUB_") || w.starts_with("DATABASE_"))
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    let documented_flags: BTreeSet<String> = documented_flags
        .into_iter()
        .filter(|f| f != "--help" && f != "--version")
        .collect();
    let missing: Vec<_> = flags.difference(&documented_flags).collect();
    let unknown: Vec<_> = documented_flags.difference(&flags).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "docs/configuration.md: flags missing {missing:?}, flags no command knows {unknown:?}"
    );
    let missing: Vec<_> = envs.difference(&documented_envs).collect();
    let unknown: Vec<_> = documented_envs.difference(&envs).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "docs/configuration.md: variables missing {missing:?}, variables nothing reads {unknown:?}"
    );
}

/// The codes in the first column of docs/api.md's errors table (between its markers).
fn documented_codes() -> Vec<String> {
    let page = read("docs/api.md");
    let start = page
        .find("<!-- error-codes -->")
        .expect("docs/api.md marks its errors table");
    let end = page[start..]
        .find("<!-- /error-codes -->")
        .expect("the end of the errors table")
        + start;
    page[start..end]
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|line| line.split('`').next())
        .filter(|code| code.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_errors_table_documents_every_code_the_server_answers() {
    let documented = documented_codes();
    let table: BTreeSet<String> = documented.iter().cloned().collect();
    assert_eq!(table.len(), documented.len(), "a code twice in the table");
    let all: BTreeSet<String> = api::error::ALL_CODES
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        all.len(),
        api::error::ALL_CODES.len(),
        "a code twice in ALL_CODES"
    );
    let missing: Vec<_> = all.difference(&table).collect();
    let unknown: Vec<_> = table.difference(&all).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "docs/api.md's errors table lacks {missing:?}; it names codes not in api::error::ALL_CODES: {unknown:?}"
    );
}

/// Upper-case words in string literals of the code that answers errors which are not error
/// codes: HTTP methods, SQL and Redis words, a JWK key type, a `reason`.
const NOT_CODES: &[&str] = &[
    "ASC",
    "DESC",
    "EX",
    "GET",
    "ID",
    "OKP",
    "POST",
    "SET",
    "PERSISTED_QUERY_HASH_MISMATCH",
];

/// The source files where errors get their codes: a code added anywhere here must be in
/// `ALL_CODES`. Other areas answer through `ApiError` (api/src/error.rs).
const CODE_SOURCES: &[&str] = &[
    "api/src/error.rs",
    "api/src/codes.rs",
    "api/src/startup.rs",
    "api/src/ratelimit.rs",
    "api/src/shared_store.rs",
    "api/src/http",
    "api/src/graphql",
    "api/src/auth",
    "api/src/changes",
];

/// The GraphQL enum values of schema.graphql (stored values such as `CREATE` or
/// `AFTER_SCHOOL` appear as literals next to codes).
fn schema_enum_values() -> BTreeSet<String> {
    let sdl = read("schema.graphql");
    let mut values = BTreeSet::new();
    let mut in_enum = false;
    for line in sdl.lines() {
        let line = line.trim();
        if line.starts_with("enum ") {
            in_enum = true;
        } else if line == "}" {
            in_enum = false;
        } else if in_enum
            && !line.is_empty()
            && line
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            values.insert(line.to_owned());
        }
    }
    values
}

/// Upper-case string literals (`"LIKE_THIS"`) of a Rust file, outside its unit tests.
fn upper_case_literals(source: &str) -> BTreeSet<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    code.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            s.len() >= 2
                && s.starts_with(|c: char| c.is_ascii_uppercase())
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && !s.starts_with("CTE_HUB_")
                && !s.starts_with("DATABASE_")
                && !s.starts_with("OTEL_")
        })
        .map(str::to_owned)
        .collect()
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("source directory").flatten() {
            rust_files(&entry.path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

#[test]
fn every_code_literal_in_the_source_is_in_all_codes() {
    let enums = schema_enum_values();
    let mut files = Vec::new();
    for source in CODE_SOURCES {
        rust_files(&root().join(source), &mut files);
    }
    // Anywhere else, a literal set as `"code"` directly.
    let mut everywhere = Vec::new();
    rust_files(&root().join("api/src"), &mut everywhere);
    let mut unlisted = Vec::new();
    for file in &everywhere {
        let text = std::fs::read_to_string(file).expect("source file");
        let mut literals: BTreeSet<String> = text
            .match_indices("set(\"code\", \"")
            .filter_map(|(at, m)| text[at + m.len()..].split('"').next())
            .map(str::to_owned)
            .collect();
        // Property tests (`*_props.rs`) are test code: their literals are inputs, not codes.
        let test_code = file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("_props.rs"));
        if files.contains(file) && !test_code {
            literals.extend(upper_case_literals(&text));
        }
        for literal in literals {
            if !api::error::ALL_CODES.contains(&literal.as_str())
                && !NOT_CODES.contains(&literal.as_str())
                && !enums.contains(&literal)
            {
                unlisted.push(format!("{} in {}", literal, file.display()));
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "codes not in api::error::ALL_CODES (add them there and to docs/api.md's errors table; \
         a word that is not an error code goes in NOT_CODES in tests/docs.rs): {unlisted:#?}"
    );
}

/// A new path in the run's temp dir that does not exist yet.
fn fresh_path(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(crate::helpers::unique(name));
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn a_first_start_that_cannot_bind_leaves_no_key_and_logs_without_colour() {
    let database = fresh_database(Backend::Sqlite).await.expect("SQLite");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("its address").port();
    let key = fresh_path("first-start-key.pem");

    // In process: the bind fails before any key is made.
    let mut settings = test_settings(&database);
    settings.addr = format!("127.0.0.1:{port}").parse().expect("address");
    settings.auth.signing_key_file = key.clone();
    let Err(error) = api::startup::App::build(settings).await else {
        panic!("the app started on a taken port");
    };
    assert!(
        matches!(error, api::startup::StartupError::Bind { .. }),
        "{error}"
    );
    assert!(
        !key.exists(),
        "a key file was written by a start that failed"
    );

    // The real binary, logging pretty to a pipe: no colour codes, and still no key.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .arg("serve")
        .env("DATABASE_URL", &database)
        .env("CTE_HUB_ADDR", format!("127.0.0.1:{port}"))
        .env("CTE_HUB_LOG_FORMAT", "pretty")
        .env("RUST_LOG", "info")
        .env("CTE_HUB_SIGNING_KEY_FILE", &key)
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .output()
        .await
        .expect("the binary runs");
    drop(taken);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("cannot listen on"), "{stderr}");
    assert!(
        stdout.contains("cte-hub failed"),
        "the failure is logged: {stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}') && !stderr.contains('\u{1b}'),
        "colour codes in piped output:\n{stdout:?}\n{stderr:?}"
    );
    assert!(
        !key.exists(),
        "the binary wrote a key file before it could listen"
    );
}

#[tokio::test]
async fn a_missing_postgres_database_is_named_with_the_fix() {
    let Some(existing) = crate::helpers::empty_postgres().await else {
        return;
    };
    let (base, _) = existing.rsplit_once('/').expect("a database URL");
    let name = crate::helpers::unique("cte_hub_missing").replace('-', "_");
    let missing = format!("{base}/{name}");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .args(["migrate", "status"])
        .env("DATABASE_URL", &missing)
        .output()
        .await
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    let url = url::Url::parse(&missing).expect("URL");
    let host = url.host_str().expect("host");
    let port = url.port().unwrap_or(5432);
    let user = url.username();
    let expected = format!(
        "cte-hub: database '{name}' does not exist on {host}:{port}: create it with `createdb -h {host} -p {port} -U {user} {name}` or fix DATABASE_URL"
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!stderr.contains("at line"), "driver noise: {stderr}");
}

#[tokio::test]
async fn an_unreachable_database_server_says_so() {
    // Port 1 on this machine: nothing listens there.
    let Err(error) = api::db::connect(
        "postgres://postgres:secret@127.0.0.1:1/cte",
        &api::db::StatementCounter::default(),
    )
    .await
    else {
        panic!("connected to a port nothing listens on");
    };
    let message = error.to_string();
    assert!(
        message.starts_with("nothing answers on 127.0.0.1:1 (connection refused)"),
        "{message}"
    );
    assert!(!message.contains("secret"), "{message}");
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_link_between_the_docs_leads_somewhere() {
    let root = root();
    let mut broken = Vec::new();
    for (file, text) in markdown_files() {
        let dir = root.join(&file).parent().expect("a directory").to_owned();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = &rest[..end];
            if target.contains("://") || target.starts_with('<') || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if path.is_empty() {
                root.join(&file)
            } else {
                dir.join(path)
            };
            if !resolved.exists() {
                broken.push(format!("{file}: {target}"));
                continue;
            }
            if !fragment.is_empty() && resolved.is_file() {
                let linked = std::fs::read_to_string(&resolved).expect("linked file");
                let found = code_blocks_removed(&linked)
                    .lines()
                    .filter_map(|line| line.strip_prefix('#'))
                    .map(|line| anchor(line.trim_start_matches('#')))
                    .any(|a| a == fragment);
                if !found {
                    broken.push(format!("{file}: {target} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}
