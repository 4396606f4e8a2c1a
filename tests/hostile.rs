//! Hostile input, black box: the real `cte-hub` binary on its own database and a free port,
//! fed a generated corpus (fixed seed, fixed budget) of GraphQL documents built from
//! `schema.graphql`, deep and wide values, fragment graphs, odd strings, garbage bodies and
//! headers, random tokens, import files and raw HTTP. After every request: the process is
//! alive, the answer came within [`CLIENT_BOUND`] and is not a 5xx (nor a GraphQL
//! `INTERNAL_SERVER_ERROR`), `/healthz` answers and the resident memory stays under
//! [`RSS_BOUND_KB`]. See docs/fuzzing.md for running it longer.
//!
//! Accepted answers that are not 2xx/4xx, and why:
//! - `503` with code `TIMEOUT`: the documented answer of a GraphQL execution that runs past
//!   `request_timeout_secs` (api/src/http/graphql.rs), set to 8 s here so the server's own
//!   answer comes before the client's bound;
//! - `429` (`THROTTLED`, or the token endpoint shedding load) is a 4xx anyway;
//! - no answer at all, only for requests that are not valid HTTP or are over hyper's head
//!   limits (raw bytes, huge headers, huge URIs): closing such a connection is a fine answer.
//!
//! The `issue12_*` tests are the weaknesses known when this suite was written (issue 12), the
//! `found_*` ones weaknesses it found; they fail until the fixes land. The corpus would find them too, but stops at its first failure,
//! so `CTE_HUB_HOSTILE_SKIP` can leave their generators out while looking for more.

use std::{
    collections::HashMap,
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use reqwest::{
    header::{HeaderMap, HeaderName, HeaderValue},
    Method, StatusCode,
};
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::{fresh_database, signing_key_file, token, Backend};

/// Every request must be answered within this: a bound for "answers" (a hang detector), not a
/// speed measurement, so it is generous: a debug build on a loaded two-core machine took 10.5 s
/// to take in and refuse the largest case (a 21 MB import of 1,000,000 bad rows).
const CLIENT_BOUND: Duration = Duration::from_secs(30);
/// The server's GraphQL execution timeout in these tests, under [`CLIENT_BOUND`].
const SERVER_TIMEOUT_SECS: &str = "8";
/// Resident memory the server may use while the corpus runs.
const RSS_BOUND_KB: u64 = 512 * 1024;
/// The largest answer to one request; more is an amplification (a small request, a huge answer).
const ANSWER_BOUND_BYTES: usize = 4 << 20;
const DEFAULT_SEED: u64 = 0x00C7_E4B0_5EED;
const DEFAULT_CASES: usize = 250;

// ---- A seeded random source ------------------------------------------------------------------

/// SplitMix64: tiny, and the same sequence forever (no dependency version can change a seed's
/// corpus).
struct Rng(u64);

impl Rng {
    /// The generator of case `index` of the run seeded `seed` (cases replay on their own).
    fn for_case(seed: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }

    /// A number in `lo..hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo))
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `lo..hi` random bytes.
    fn random_bytes(&mut self, lo: usize, hi: usize) -> Vec<u8> {
        let n = self.range(lo, hi);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

// ---- The server under test -------------------------------------------------------------------

/// The real binary, started on a fresh database.
struct Server {
    child: tokio::process::Child,
    pid: u32,
    port: u16,
    base: String,
    stderr: PathBuf,
    database_url: String,
}

impl Server {
    /// Starts `cte-hub serve` on a fresh seeded database of `backend` (None when PostgreSQL is
    /// skipped), with `env` on top of the suite's settings.
    async fn start(backend: Backend, env: &[(&str, &str)]) -> Option<Server> {
        let database_url = fresh_database(backend).await?;
        Some(Server::start_on(database_url, env).await)
    }

    async fn start_on(database_url: String, env: &[(&str, &str)]) -> Server {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("its address").port()
        };
        let stderr = std::env::temp_dir().join(format!(
            "cte-hub-hostile-{}-{port}.stderr",
            std::process::id()
        ));
        let stderr_file = std::fs::File::create(&stderr).expect("stderr file");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
            .arg("serve")
            .env("DATABASE_URL", &database_url)
            .env("CTE_HUB_ADDR", format!("127.0.0.1:{port}"))
            .env("CTE_HUB_SIGNING_KEY_FILE", signing_key_file())
            .env("CTE_HUB_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .env("CTE_HUB_REQUEST_TIMEOUT_SECS", SERVER_TIMEOUT_SECS)
            // Hundreds of requests from one address in seconds: a bucket big enough that the
            // corpus reaches execution (THROTTLED answers stay accepted).
            .env("CTE_HUB_RATE_LIMIT_CAPACITY", "100000000")
            .env("CTE_HUB_RATE_LIMIT_REFILL_PER_SEC", "1000000")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::from(stderr_file))
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        let pid = child.id().expect("a running child");
        let mut server = Server {
            child,
            pid,
            port,
            base: format!("http://127.0.0.1:{port}"),
            stderr,
            database_url,
        };
        for _ in 0..480 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            if let Err(dead) = server.alive() {
                panic!("the server did not start: {dead}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("the binary did not listen on {port}");
    }

    /// `Err` with the exit status and the end of stderr when the process is gone.
    fn alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "the server process exited ({status}); end of its stderr:\n{}",
                self.stderr_tail()
            )),
            Err(e) => Err(format!("cannot check the server process: {e}")),
        }
    }

    /// [`Server::alive`]; after a failed request, given two seconds to die first, so that a
    /// crash is reported as the crash (with its stderr) rather than as a broken connection.
    async fn settled(&mut self, failed: bool) -> Result<(), String> {
        if failed {
            for _ in 0..20 {
                self.alive()?;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        self.alive()
    }

    fn stderr_tail(&self) -> String {
        let text = std::fs::read(&self.stderr).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let start = text.len().saturating_sub(2_000);
        text.get(start..).unwrap_or(&text).to_owned()
    }

    /// Resident memory (VmRSS, kB) of the server process.
    fn rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Alive, `/healthz` answers `ok` within the bound, memory under the bound.
    async fn healthy(&mut self, client: &reqwest::Client) -> Result<(), String> {
        self.alive()?;
        let answer = client
            .get(format!("{}/healthz", self.base))
            .timeout(CLIENT_BOUND)
            .send()
            .await
            .map_err(|e| format!("/healthz did not answer: {e}"));
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => {
                self.alive()?;
                return Err(e);
            }
        };
        if answer.status() != StatusCode::OK {
            return Err(format!("/healthz answered {}", answer.status()));
        }
        match self.rss_kb() {
            Some(kb) if kb > RSS_BOUND_KB => Err(format!(
                "the server uses {} MB of memory (bound {} MB)",
                kb / 1024,
                RSS_BOUND_KB / 1024
            )),
            _ => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.stderr);
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(CLIENT_BOUND)
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

// ---- Requests and the judgement of answers ---------------------------------------------------

/// One generated request.
#[derive(Clone, Debug)]
struct Case {
    /// Which generator made it (`CTE_HUB_HOSTILE_SKIP` names these).
    kind: &'static str,
    method: Method,
    /// Path and query string, already encoded.
    target: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    /// Sent as these bytes on a raw TCP connection instead.
    raw: Option<Vec<u8>>,
    /// Not valid HTTP, or over hyper's limits: closing the connection is a fine answer.
    may_close: bool,
}

impl Case {
    fn new(kind: &'static str, method: Method, target: impl Into<String>) -> Case {
        Case {
            kind,
            method,
            target: target.into(),
            headers: Vec::new(),
            body: Vec::new(),
            raw: None,
            may_close: false,
        }
    }

    fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Case {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    fn body(mut self, body: impl Into<Vec<u8>>) -> Case {
        self.body = body.into();
        self
    }

    fn json(self, value: &Value) -> Case {
        self.header("content-type", "application/json")
            .body(value.to_string())
    }

    /// The request, shortened for a failure message.
    fn describe(&self) -> String {
        fn cut(bytes: &[u8], max: usize) -> String {
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
            let more = if bytes.len() > max {
                format!("... ({} bytes in all)", bytes.len())
            } else {
                String::new()
            };
            format!("{:?}{more}", text)
        }
        if let Some(raw) = &self.raw {
            return format!("[{}] raw TCP bytes: {}", self.kind, cut(raw, 600));
        }
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", cut(v, 120)))
            .collect();
        format!(
            "[{}] {} {}\n  headers: {}\n  body: {}",
            self.kind,
            self.method,
            cut(self.target.as_bytes(), 600),
            headers.join("; "),
            cut(&self.body, 600)
        )
    }
}

/// What came back.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    /// The body was cut at [`ANSWER_BOUND_BYTES`].
    over_bound: bool,
}

async fn send(
    server: &Server,
    client: &reqwest::Client,
    case: &Case,
) -> Result<Option<Answer>, String> {
    if let Some(raw) = &case.raw {
        return send_raw(server.port, raw).await;
    }
    let mut headers = HeaderMap::new();
    for (name, value) in &case.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    let url = format!("{}{}", server.base, case.target);
    let response = client
        .request(case.method.clone(), url)
        .headers(headers)
        .body(case.body.clone())
        .send()
        .await;
    let mut response = match response {
        Ok(response) => response,
        Err(e) if e.is_timeout() => return Err(format!("no answer within {CLIENT_BOUND:?}: {e}")),
        // Over the 64 KB body limit (the import limit is far higher) the server may answer
        // 413 and close before it has read everything. An import checks its token and role
        // before reading the file (by design: an unauthenticated upload costs nothing), so a
        // large file sent with a bad token may be answered 401/403 and cut off mid-send.
        Err(_)
            if case.may_close
                || !case.target.starts_with("/import/") && case.body.len() > 64 * 1024
                || case.target.starts_with("/import/") && case.body.len() > 64 * 1024 =>
        {
            return Ok(None)
        }
        Err(e) => return Err(format!("the request failed: {e:?}")),
    };
    let status = response.status();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() > ANSWER_BOUND_BYTES {
                    return Ok(Some(Answer {
                        status,
                        body,
                        over_bound: true,
                    }));
                }
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => {
                return Err(format!("the answer did not end within {CLIENT_BOUND:?}"))
            }
            Err(e) => return Err(format!("the answer broke off: {e}")),
        }
    }
    Ok(Some(Answer {
        status,
        body,
        over_bound: false,
    }))
}

/// Writes `bytes`, closes the sending half, and reads whatever comes back.
async fn send_raw(port: u16, bytes: &[u8]) -> Result<Option<Answer>, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
        // The server may answer and close before everything is written: not an error.
        let _ = stream.write_all(bytes).await;
        let _ = stream.shutdown().await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(CLIENT_BOUND, exchange)
        .await
        .map_err(|_| format!("the raw request was not answered or closed within {CLIENT_BOUND:?}"))?
        .map_err(|e| format!("cannot connect: {e}"))?;
    let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
    let status = head
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| head.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse::<u16>().ok())
        .and_then(|code| StatusCode::from_u16(code).ok());
    Ok(status.map(|status| Answer {
        status,
        over_bound: answer.len() > ANSWER_BOUND_BYTES,
        body: answer,
    }))
}

/// The codes of a GraphQL-shaped error body.
fn error_codes(body: &[u8]) -> Vec<String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    value["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["extensions"]["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an answer is acceptable for client input (see the module docs).
fn judge(answer: &Answer) -> Result<(), String> {
    let shown = || {
        let body = &answer.body[..answer.body.len().min(400)];
        format!("{} {}", answer.status, String::from_utf8_lossy(body))
    };
    if answer.over_bound {
        return Err(format!(
            "an answer over {} bytes: {}",
            ANSWER_BOUND_BYTES,
            shown()
        ));
    }
    let codes = error_codes(&answer.body);
    if answer.status.is_server_error() {
        let documented = answer.status == StatusCode::SERVICE_UNAVAILABLE
            && codes.iter().any(|c| c == "TIMEOUT");
        if !documented {
            return Err(format!("a server error for client input: {}", shown()));
        }
    }
    if codes.iter().any(|c| c == "INTERNAL_SERVER_ERROR") {
        return Err(format!(
            "INTERNAL_SERVER_ERROR for client input: {}",
            shown()
        ));
    }
    Ok(())
}

/// Sends one case and checks the answer and the server's health afterwards.
/// Sends one case and judges the answer: what came back (for the summary) and its size.
async fn probe(
    server: &Server,
    client: &reqwest::Client,
    case: &Case,
) -> Result<(String, usize), String> {
    let started = Instant::now();
    match send(server, client, case).await {
        Ok(Some(answer)) => judge(&answer)
            .map(|()| (outcome_label(&answer), answer.body.len()))
            .map_err(|e| format!("{e} (after {:?})", started.elapsed())),
        Ok(None) => Ok(("closed".to_owned(), 0)),
        Err(e) => Err(format!("{e} (after {:?})", started.elapsed())),
    }
}

/// [`probe`], then the server's health: `Ok` is what came back and the answer's size in bytes.
async fn exercise(
    server: &mut Server,
    client: &reqwest::Client,
    case: &Case,
) -> Result<(String, usize), String> {
    let outcome = probe(server, client, case).await;
    // A dead process explains a failed request best.
    server.settled(outcome.is_err()).await?;
    let seen = outcome?;
    server.healthy(client).await?;
    Ok(seen)
}

/// `status` plus `data` when the answer carries data, else its first error code: what the
/// corpus reached, for the summary line.
fn outcome_label(answer: &Answer) -> String {
    let value = serde_json::from_slice::<Value>(&answer.body).unwrap_or(Value::Null);
    let what = if value.get("data").is_some_and(|d| !d.is_null()) {
        "data".to_owned()
    } else {
        error_codes(&answer.body)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    format!("{} {what}", answer.status.as_u16())
}

// ---- The schema, read at test time -----------------------------------------------------------

/// A GraphQL type reference, simplified: its named type, list nesting and outer `!`.
#[derive(Clone, Debug)]
struct TypeRef {
    name: String,
    lists: usize,
    required: bool,
    /// As written in SDL (for variable declarations).
    text: String,
}

impl TypeRef {
    fn from(ty: &Type) -> TypeRef {
        let mut lists = 0;
        let mut inner = ty;
        while let BaseType::List(item) = &inner.base {
            lists += 1;
            inner = item;
        }
        let name = match &inner.base {
            BaseType::Named(name) => name.to_string(),
            BaseType::List(_) => String::new(),
        };
        TypeRef {
            name,
            lists,
            required: !ty.nullable,
            text: ty.to_string(),
        }
    }
}

#[derive(Clone, Debug)]
struct InputDef {
    name: String,
    ty: TypeRef,
}

#[derive(Clone, Debug)]
struct FieldDef {
    name: String,
    args: Vec<InputDef>,
    ty: TypeRef,
}

#[derive(Clone, Debug)]
enum Kind {
    Object(Vec<FieldDef>),
    Union(Vec<String>),
    Enum(Vec<String>),
    Input(Vec<InputDef>),
    Scalar,
}

/// The types of `schema.graphql`.
struct Model {
    types: HashMap<String, Kind>,
}

impl Model {
    fn load() -> Model {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
        let sdl = std::fs::read_to_string(path).expect("schema.graphql");
        let document = async_graphql::parser::parse_schema(&sdl).expect("schema.graphql parses");
        let input = |v: &async_graphql::parser::Positioned<
            async_graphql::parser::types::InputValueDefinition,
        >| InputDef {
            name: v.node.name.node.to_string(),
            ty: TypeRef::from(&v.node.ty.node),
        };
        let field = |f: &async_graphql::parser::Positioned<
            async_graphql::parser::types::FieldDefinition,
        >| FieldDef {
            name: f.node.name.node.to_string(),
            args: f.node.arguments.iter().map(input).collect(),
            ty: TypeRef::from(&f.node.ty.node),
        };
        let mut types = HashMap::new();
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let kind = match &ty.node.kind {
                TypeKind::Object(o) => Kind::Object(o.fields.iter().map(field).collect()),
                TypeKind::Interface(i) => Kind::Object(i.fields.iter().map(field).collect()),
                TypeKind::Union(u) => {
                    Kind::Union(u.members.iter().map(|m| m.node.to_string()).collect())
                }
                TypeKind::Enum(e) => Kind::Enum(
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                ),
                TypeKind::InputObject(i) => Kind::Input(i.fields.iter().map(input).collect()),
                TypeKind::Scalar => Kind::Scalar,
            };
            types.insert(ty.node.name.node.to_string(), kind);
        }
        assert!(
            types.contains_key("Query"),
            "schema.graphql has a Query type"
        );
        Model { types }
    }

    fn fields(&self, type_name: &str) -> &[FieldDef] {
        match self.types.get(type_name) {
            Some(Kind::Object(fields)) => fields,
            _ => &[],
        }
    }

    fn is_composite(&self, type_name: &str) -> bool {
        matches!(
            self.types.get(type_name),
            Some(Kind::Object(_)) | Some(Kind::Union(_))
        )
    }
}

/// The column names of each import kind, from the tables in docs/import.md.
fn import_columns() -> HashMap<String, Vec<String>> {
    let doc = include_str!("../docs/import.md");
    let mut columns: HashMap<String, Vec<String>> = HashMap::new();
    let mut current = None;
    for line in doc.lines() {
        if let Some(kind) = line.strip_prefix("### `").and_then(|r| r.strip_suffix('`')) {
            current = Some(kind.to_owned());
        } else if let (Some(kind), Some(rest)) = (&current, line.strip_prefix("| `")) {
            if let Some((name, _)) = rest.split_once('`') {
                columns
                    .entry(kind.clone())
                    .or_default()
                    .push(name.to_owned());
            }
        }
    }
    columns
}

// ---- Hostile pieces --------------------------------------------------------------------------

/// Whether `CTE_HUB_HOSTILE_SKIP` names `what` (a generator, or `nul`: no NUL in any text).
fn skipped(what: &str) -> bool {
    std::env::var("CTE_HUB_HOSTILE_SKIP")
        .unwrap_or_default()
        .split(',')
        .any(|s| s.trim() == what)
}

/// Text for a string argument, a variable or a cell: ordinary, hostile or huge.
fn hostile_text(rng: &mut Rng) -> String {
    let text = any_text(rng);
    if skipped("nul") {
        text.replace('\u{0}', "")
    } else {
        text
    }
}

fn any_text(rng: &mut Rng) -> String {
    const PLAIN: &[&str] = &[
        "SOCAL_ROC",
        "PATIENT_CARE",
        "HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY",
        "2026-FALL",
        "19647330000000",
        "cte-hub",
        "nurse",
        "",
        " ",
        "2026-08-17",
        "UHJhdGh3YXk6MQ",
        "Pathway:1",
        "0",
    ];
    const ODD: &[&str] = &[
        "\u{0}",
        "a\u{0}b",
        "\u{1}\u{2}\u{7}\u{8}\u{1b}[31m",
        "\t\r\n",
        "\u{7f}",
        "\u{202e}evil\u{202c}",
        "\u{2066}x\u{2069}",
        "\u{200b}",
        "\u{200d}\u{200c}",
        "\u{feff}SOCAL_ROC",
        "\u{fffd}",
        "e\u{301}\u{301}\u{301}",
        "🦀👩‍👩‍👧",
        "مرحبا",
        "'; DROP TABLE pathway; --",
        "%",
        "_",
        "\\",
        "\"",
        "a\" OR \"b",
        "*",
        "a*",
        "NEAR(a b)",
        "((",
        "-a",
        "AND",
        "\u{0}*",
        "{{}}",
        "${x}",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "9999-99-99",
        "-0",
        "1e400",
        "NaN",
    ];
    match rng.below(10) {
        0..=3 => (*rng.pick(PLAIN)).to_owned(),
        4..=7 => (*rng.pick(ODD)).to_owned(),
        8 => {
            let mut s = String::new();
            for _ in 0..rng.range(1, 6) {
                s.push_str(rng.pick::<&str>(ODD));
                s.push_str(rng.pick::<&str>(PLAIN));
            }
            s
        }
        _ => {
            let unit = rng.pick(ODD).to_string() + "x";
            unit.repeat(rng.range(100, 3_000))
        }
    }
}

/// A GraphQL string literal of `text`, escaped as a client would (NUL and controls as `\uXXXX`).
fn graphql_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string literal that is itself odd: raw controls, lone surrogate escapes, block strings.
fn odd_literal(rng: &mut Rng) -> String {
    const ODD: &[&str] = &[
        "\"\\ud800\"",
        "\"\\udfff\\ud800\"",
        "\"\\u{1F600}\"",
        "\"\\uZZZZ\"",
        "\"\\x00\"",
        "\"raw\u{0}nul\"",
        "\"raw\u{7}bell\"",
        "\"unterminated",
        "\"\"\"block \\\"\"\" string\"\"\"",
        "\"\"\"\u{0}\"\"\"",
        "\"\\\"",
    ];
    let literal = *rng.pick(ODD);
    if skipped("nul") {
        literal.replace('\u{0}', "").replace("\\x00", "")
    } else {
        literal.to_owned()
    }
}

/// `[[[... "x" ...]]]` or `{a: {a: ...}}` `depth` levels deep, written without recursion.
fn deep_value(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{a:", "}") } else { ("[", "]") };
    let mut out = String::with_capacity(depth * 4 + 8);
    for _ in 0..depth {
        out.push_str(open);
    }
    out.push_str("\"x\"");
    for _ in 0..depth {
        out.push_str(close);
    }
    out
}

/// The same as JSON (serde_json's own recursion limit refuses it past 128 levels).
fn deep_json(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
    let mut out = String::with_capacity(depth * 6 + 8);
    for _ in 0..depth {
        out.push_str(open);
    }
    out.push_str("\"x\"");
    for _ in 0..depth {
        out.push_str(close);
    }
    out
}

/// A JSON value for a variable or a JSON import cell.
fn hostile_json(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 8 } else { 11 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(*rng.pick(&[
            0i64,
            1,
            -1,
            20,
            100,
            101,
            i32::MAX as i64,
            i32::MIN as i64,
            i64::MAX,
            i64::MIN
        ])),
        3 => json!(*rng.pick(&[0.5f64, -0.0, 1e308, f64::MIN_POSITIVE, 2.5e-300])),
        4 => json!(u64::MAX),
        5..=7 => json!(hostile_text(rng)),
        8 => Value::Array(
            (0..rng.below(4))
                .map(|_| hostile_json(rng, depth + 1))
                .collect(),
        ),
        9 => {
            let mut map = serde_json::Map::new();
            for _ in 0..rng.below(4) {
                map.insert(hostile_text(rng), hostile_json(rng, depth + 1));
            }
            Value::Object(map)
        }
        _ => serde_json::from_str(&deep_json(rng.range(2, 120), rng.chance(50)))
            .unwrap_or(Value::Null),
    }
}

/// A JWT-shaped token: three base64url parts of random JSON and bytes, some with the real kid.
fn jwt_shaped(rng: &mut Rng) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    let alg = *rng.pick(&["none", "EdDSA", "HS256", "RS256", "", "ES256"]);
    let kid = *rng.pick(&["dev-hs256", "", "cte-hub-0000000000000000", "../../key"]);
    let header = json!({ "alg": alg, "kid": kid, "typ": "JWT" });
    // One instant for the whole run, so that a seed gives the same corpus whenever it is
    // described (the signature is random: these tokens never verify, whatever their times).
    static NOW: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let now = *NOW.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    });
    let claims = json!({
        "sub": hostile_text(rng), "org": hostile_text(rng), "roles": ["admin"],
        "iss": "cte-hub", "aud": "cte-hub", "exp": now + 600, "nbf": now, "iat": now,
    });
    let signature = rng.random_bytes(0, 80);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// Tokens the suite holds: real ones (admin, editor of a program, reader) and bad ones.
struct Tokens {
    admin: String,
    editor: String,
    reader: String,
}

impl Tokens {
    fn mint() -> Tokens {
        Tokens {
            admin: token("cte-hub", &["admin"]),
            editor: token("SOCAL_ROC", &["editor"]),
            reader: token("hostile", &["reader"]),
        }
    }

    /// An `Authorization` value, or none.
    fn authorization(&self, rng: &mut Rng) -> Option<Vec<u8>> {
        match rng.below(12) {
            0..=3 => None,
            4 => Some(format!("Bearer {}", self.admin).into_bytes()),
            5 => Some(format!("Bearer {}", self.editor).into_bytes()),
            6 => Some(format!("Bearer {}", self.reader).into_bytes()),
            7 => Some(format!("Bearer {}", jwt_shaped(rng)).into_bytes()),
            8 => {
                // A real token with one character changed.
                let mut t = self.admin.clone().into_bytes();
                let i = rng.below(t.len());
                t[i] = if t[i] == b'A' { b'B' } else { b'A' };
                Some([b"Bearer ".as_slice(), &t].concat())
            }
            9 => Some(
                (*rng.pick(&[
                    "Bearer",
                    "Bearer ",
                    "bearer x",
                    "Basic Zm9vOmJhcg==",
                    "Bearer a.b.c",
                    "Bearer ....",
                    "Bearer \u{0}",
                    "Token abc",
                ]))
                .as_bytes()
                .to_vec(),
            ),
            10 => {
                let mut v = b"Bearer ".to_vec();
                v.extend(rng.random_bytes(1, 200).into_iter().map(|b| b | 0x80));
                Some(v)
            }
            _ => Some(format!("Bearer {}", "A".repeat(rng.range(1_000, 60_000))).into_bytes()),
        }
    }
}

// ---- GraphQL documents from the schema -------------------------------------------------------

/// Builds one document; variables it declares are collected with their JSON values.
struct DocumentWriter<'a> {
    model: &'a Model,
    rng: &'a mut Rng,
    variables: Vec<(String, String, Value)>,
    max_depth: usize,
}

impl DocumentWriter<'_> {
    fn value(&mut self, ty: &TypeRef, depth: usize) -> String {
        if self.rng.chance(6) {
            // A variable of the declared type with any JSON value.
            let name = format!("v{}", self.variables.len());
            let value = if self.rng.chance(70) {
                self.json_for(ty, 0)
            } else {
                hostile_json(self.rng, 0)
            };
            self.variables.push((name.clone(), ty.text.clone(), value));
            return format!("${name}");
        }
        if self.rng.chance(2) {
            // Something of the wrong shape.
            return match self.rng.below(6) {
                0 => "null".into(),
                1 => deep_value(self.rng.range(2, 60), self.rng.chance(50)),
                2 => "{}".into(),
                3 => "[]".into(),
                4 => odd_literal(self.rng),
                _ => "$undeclared".into(),
            };
        }
        if ty.lists > depth {
            let items: Vec<String> = (0..self.rng.below(4))
                .map(|_| self.value(ty, depth + 1))
                .collect();
            return format!("[{}]", items.join(", "));
        }
        self.named_value(&ty.name, depth)
    }

    fn named_value(&mut self, name: &str, depth: usize) -> String {
        match name {
            "Int" => (*self.rng.pick(&[
                "0",
                "1",
                "-1",
                "3",
                "20",
                "100",
                "101",
                "2147483647",
                "-2147483648",
                "2147483648",
                "9007199254740993",
                "100000000000000000000000000",
            ]))
            .to_owned(),
            "Float" => (*self.rng.pick(&[
                "0.0",
                "-1.5",
                "1e308",
                "1e309",
                "-0.0",
                "3",
                "1.7976931348623157e308",
            ]))
            .to_owned(),
            "Boolean" => (*self.rng.pick(&["true", "false"])).to_owned(),
            _ => match self.model.types.get(name) {
                Some(Kind::Enum(values)) if self.rng.chance(95) => self.rng.pick(values).clone(),
                Some(Kind::Enum(_)) => "NOT_A_VALUE".into(),
                Some(Kind::Input(fields)) if depth < 4 => {
                    let fields = fields.clone();
                    let mut parts = Vec::new();
                    for field in &fields {
                        if field.ty.required && self.rng.chance(90) || self.rng.chance(40) {
                            let value = self.value(&field.ty, 0);
                            parts.push(format!("{}: {value}", field.name));
                        }
                    }
                    if self.rng.chance(5) {
                        parts.push("unknownField: 1".into());
                    }
                    format!("{{{}}}", parts.join(", "))
                }
                Some(Kind::Input(_)) => "{}".into(),
                _ => graphql_string(&hostile_text(self.rng)),
            },
        }
    }

    /// A JSON value that fits `ty` (mostly).
    fn json_for(&mut self, ty: &TypeRef, depth: usize) -> Value {
        if ty.lists > depth {
            return Value::Array(
                (0..self.rng.below(3))
                    .map(|_| self.json_for(ty, depth + 1))
                    .collect(),
            );
        }
        match ty.name.as_str() {
            "Int" => json!(*self
                .rng
                .pick(&[0i64, 1, -1, 20, 100, 101, 2_147_483_648, i64::MAX])),
            "Float" => json!(*self.rng.pick(&[0.0f64, -1.5, 1e308])),
            "Boolean" => json!(self.rng.chance(50)),
            name => match self.model.types.get(name) {
                Some(Kind::Enum(values)) => json!(self.rng.pick(values)),
                Some(Kind::Input(fields)) if depth < 4 => {
                    let fields = fields.clone();
                    let mut map = serde_json::Map::new();
                    for field in &fields {
                        if field.ty.required || self.rng.chance(40) {
                            map.insert(field.name.clone(), self.json_for(&field.ty, 0));
                        }
                    }
                    Value::Object(map)
                }
                _ => json!(hostile_text(self.rng)),
            },
        }
    }

    fn selection_set(&mut self, type_name: &str, depth: usize) -> String {
        let members = match self.model.types.get(type_name) {
            Some(Kind::Union(members)) => Some(members.clone()),
            _ => None,
        };
        if let Some(members) = members {
            let mut parts = vec!["__typename".to_owned()];
            for _ in 0..self.rng.range(1, 3) {
                let member = self.rng.pick(&members).clone();
                let inner = self.selection_set(&member, depth + 1);
                parts.push(format!("... on {member} {inner}"));
            }
            return format!("{{ {} }}", parts.join(" "));
        }
        let fields: Vec<FieldDef> = self.model.fields(type_name).to_vec();
        if fields.is_empty() {
            return "{ __typename }".into();
        }
        let mut parts = Vec::new();
        for i in 0..self.rng.range(1, 5) {
            let field = self.rng.pick(&fields).clone();
            let composite = self.model.is_composite(&field.ty.name);
            if composite && depth >= self.max_depth {
                parts.push("__typename".to_owned());
                continue;
            }
            let mut text = String::new();
            if self.rng.chance(10) {
                text.push_str(&format!("a{depth}_{i}: "));
            }
            text.push_str(&field.name);
            let mut args = Vec::new();
            for arg in &field.args {
                if arg.ty.required && self.rng.chance(92) || self.rng.chance(35) {
                    let value = self.value(&arg.ty, 0);
                    args.push(format!("{}: {value}", arg.name));
                }
            }
            if self.rng.chance(1) {
                args.push("notAnArgument: 1".into());
            }
            if !args.is_empty() {
                text.push_str(&format!("({})", args.join(", ")));
            }
            if self.rng.chance(4) {
                text.push_str(self.rng.pick::<&str>(&[
                    " @include(if: true)",
                    " @skip(if: false)",
                    " @deprecated",
                    " @include(if: \"yes\")",
                ]));
            }
            if composite {
                text.push(' ');
                text.push_str(&self.selection_set(&field.ty.name, depth + 1));
            }
            parts.push(text);
        }
        format!("{{ {} }}", parts.join(" "))
    }

    /// A whole document: one or two operations (query or mutation), maybe a fragment.
    fn document(&mut self, mutation: bool) -> (String, Option<String>) {
        let root = if mutation { "Mutation" } else { "Query" };
        let keyword = if mutation { "mutation" } else { "query" };
        let body = self.selection_set(root, 0);
        let (body, fragment) = if self.rng.chance(10) {
            (
                "{ ...Part }".to_owned(),
                format!("fragment Part on {root} {body}"),
            )
        } else {
            (body, String::new())
        };
        let name = if self.rng.chance(50) { "Hostile" } else { "" };
        let declarations: Vec<String> = self
            .variables
            .iter()
            .map(|(name, ty, _)| format!("${name}: {ty}"))
            .collect();
        let declarations = if declarations.is_empty() {
            String::new()
        } else {
            format!("({})", declarations.join(", "))
        };
        let mut document = format!("{keyword} {name}{declarations} {body}\n{fragment}");
        let mut operation_name = (!name.is_empty() && self.rng.chance(50)).then(|| name.to_owned());
        if self.rng.chance(5) {
            document.push_str("\nquery Other { sectors { code } }");
            operation_name =
                Some((*self.rng.pick(&["Hostile", "Other", "Missing", ""])).to_owned());
        }
        if self.rng.chance(3) {
            // Cut it short: a parse error somewhere.
            let mut cut = self.rng.below(document.len().max(1));
            while !document.is_char_boundary(cut) {
                cut -= 1;
            }
            document.truncate(cut);
        }
        (document, operation_name)
    }
}

// ---- The corpus ------------------------------------------------------------------------------

/// Every generator, by the name `CTE_HUB_HOSTILE_SKIP` uses.
const KINDS: &[(&str, usize)] = &[
    ("graphql-post", 26),
    ("graphql-get", 12),
    ("mutation", 8),
    ("deep-values", 4),
    ("wide-values", 4),
    ("fragment-graphs", 4),
    ("bodies", 10),
    ("headers", 8),
    ("imports", 10),
    ("catalog-writes", 8),
    ("oauth", 4),
    ("endpoints", 5),
    ("raw-http", 5),
];

struct Corpus {
    model: Model,
    columns: HashMap<String, Vec<String>>,
    tokens: Tokens,
    skip: Vec<String>,
    /// The server's catalogue as `cte-hub export json` writes it: real rows to spoil.
    export: Option<Value>,
}

/// `cte-hub export json` of a database (None when it cannot be had).
async fn export(database_url: &str) -> Option<Value> {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .args(["export", "json", "--database-url", database_url])
        .output()
        .await
        .ok()?;
    serde_json::from_slice(&output.stdout).ok()
}

impl Corpus {
    fn new(export: Option<Value>) -> Corpus {
        let skip = std::env::var("CTE_HUB_HOSTILE_SKIP")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        Corpus {
            model: Model::load(),
            columns: import_columns(),
            tokens: Tokens::mint(),
            skip,
            export,
        }
    }

    /// Real catalogue rows with a few cells spoiled, imported whole or one kind at a time, as
    /// JSON or CSV: the write path with hostile values in otherwise valid files.
    fn catalog_case(&self, rng: &mut Rng) -> Case {
        let Some(export) = &self.export else {
            return self.import_case(rng);
        };
        let mut document = export.clone();
        let sections: Vec<String> = document
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(_, v)| v.as_array().is_some_and(|a| !a.is_empty()))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        if sections.is_empty() {
            return self.import_case(rng);
        }
        for _ in 0..rng.range(1, 4) {
            let section = rng.pick(&sections).clone();
            if let Some(rows) = document[&section].as_array_mut() {
                let i = rng.below(rows.len());
                if let Some(row) = rows[i].as_object_mut() {
                    let keys: Vec<String> = row.keys().cloned().collect();
                    if !keys.is_empty() {
                        let key = rng.pick(&keys).clone();
                        row[&key] = if rng.chance(80) {
                            json!(hostile_text(rng))
                        } else {
                            hostile_json(rng, 0)
                        };
                    }
                }
            }
        }
        let (target, body, content_type) = match rng.below(3) {
            0 => (
                "/import/catalog".to_owned(),
                document.to_string(),
                "application/json",
            ),
            1 => {
                let section = rng.pick(&sections).clone();
                (
                    format!("/import/{section}?format=json"),
                    document[&section].to_string(),
                    "application/json",
                )
            }
            _ => {
                let section = rng.pick(&sections).clone();
                (
                    format!("/import/{section}?format=csv"),
                    json_to_csv(&document[&section]),
                    "text/csv",
                )
            }
        };
        let separator = if target.contains('?') { '&' } else { '?' };
        let target = format!(
            "{target}{separator}dryRun={}&partial={}",
            rng.chance(50),
            rng.chance(30)
        );
        let token = if rng.chance(80) {
            &self.tokens.admin
        } else {
            &self.tokens.editor
        };
        Case::new("catalog-writes", Method::POST, target)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(body)
    }

    fn kind(&self, rng: &mut Rng) -> &'static str {
        let kinds: Vec<(&str, usize)> = KINDS
            .iter()
            .copied()
            .filter(|(name, _)| !self.skip.iter().any(|s| s == name))
            .collect();
        let total: usize = kinds.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total);
        for (name, weight) in &kinds {
            if roll < *weight {
                return name;
            }
            roll -= weight;
        }
        "graphql-post"
    }

    fn case(&self, rng: &mut Rng) -> Case {
        match self.kind(rng) {
            "graphql-post" => self.graphql(rng, false, false),
            "graphql-get" => self.graphql(rng, true, false),
            "mutation" => self.graphql(rng, false, true),
            "deep-values" => deep_values_case(rng),
            "wide-values" => wide_case(rng),
            "fragment-graphs" => fragment_graph_case(rng),
            "bodies" => self.body_case(rng),
            "headers" => self.header_case(rng),
            "imports" => self.import_case(rng),
            "catalog-writes" => self.catalog_case(rng),
            "oauth" => oauth_case(rng),
            "endpoints" => endpoint_case(rng),
            _ => raw_case(rng),
        }
    }

    fn graphql(&self, rng: &mut Rng, get: bool, mutation: bool) -> Case {
        let max_depth = rng.range(1, 14);
        let mut writer = DocumentWriter {
            model: &self.model,
            rng: &mut *rng,
            variables: Vec::new(),
            max_depth,
        };
        let (document, operation_name) = writer.document(mutation);
        let variables: serde_json::Map<String, Value> = writer
            .variables
            .drain(..)
            .map(|(name, _, value)| (name, value))
            .collect();
        let mut case = if get {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("query", &document);
            if !variables.is_empty() || rng.chance(10) {
                query.append_pair("variables", &Value::Object(variables).to_string());
            }
            if let Some(name) = &operation_name {
                query.append_pair("operationName", name);
            }
            let mut case = Case::new(
                if mutation { "mutation" } else { "graphql-get" },
                Method::GET,
                format!("/graphql?{}", query.finish()),
            );
            // Over hyper's head limits hyper may close the connection.
            case.may_close = case.target.len() > 60_000;
            case
        } else {
            let mut body = json!({ "query": document, "variables": variables });
            if let Some(name) = operation_name {
                body["operationName"] = json!(name);
            }
            Case::new(
                if mutation { "mutation" } else { "graphql-post" },
                Method::POST,
                "/graphql",
            )
            .json(&body)
        };
        let auth = if mutation && rng.chance(60) {
            let token = if rng.chance(70) {
                &self.tokens.admin
            } else {
                &self.tokens.editor
            };
            Some(format!("Bearer {token}").into_bytes())
        } else if rng.chance(25) {
            // Mostly anonymous: a bad token is refused before anything runs.
            self.tokens.authorization(rng)
        } else {
            None
        };
        if let Some(auth) = auth {
            case = case.header("authorization", auth);
        }
        if rng.chance(30) {
            case = case.header("accept", "application/graphql-response+json");
        }
        case
    }

    fn body_case(&self, rng: &mut Rng) -> Case {
        let good = json!({ "query": "{ sectors { code } }" }).to_string();
        let content_type: &[u8] = rng.pick::<&[u8]>(&[
            b"application/json".as_slice(),
            b"application/json; charset=utf-16",
            b"APPLICATION/JSON ; x=y",
            b"text/plain",
            b"application/graphql",
            b"multipart/form-data; boundary=x",
            b"application/x-www-form-urlencoded",
            b"",
            b"application/json\xff",
        ]);
        let body: Vec<u8> = match rng.below(16) {
            0 => good.as_bytes()[..rng.below(good.len())].to_vec(),
            1 => b"[{\"query\":\"{ sectors { code } }\"},{\"query\":\"{ sectors { name } }\"}]".to_vec(),
            2 => b"{\"query\": 5}".to_vec(),
            3 => b"{\"query\": \"{ sectors { code } }\", \"variables\": \"x\"}".to_vec(),
            4 => b"{\"query\": \"{ sectors { code } }\", \"variables\": [1,2]}".to_vec(),
            5 => b"{\"query\": null}".to_vec(),
            6 => b"{}".to_vec(),
            7 => b"null".to_vec(),
            8 => {
                let mut b = b"{\"query\": \"{ sectors { code } }\", \"x\": \"".to_vec();
                b.extend(rng.random_bytes(1, 300).into_iter().map(|b| b | 0x80));
                b.extend(b"\"}");
                b
            }
            9 => rng.random_bytes(0, 2_000),
            10 => deep_json(rng.range(100, 20_000), rng.chance(50)).into_bytes(),
            11 => {
                // A 1 MB string: over the 64 KB body limit.
                let unit = *rng.pick(&["a", "\u{0}", "\u{202e}", "é", "🦀", "\\\""]);
                let big = unit.repeat((1 << 20) / unit.len());
                json!({ "query": "query($x: String) { search(query: $x) { __typename } }", "variables": { "x": big } }).to_string().into_bytes()
            }
            12 => json!({ "query": "{ sectors { code } }", "extensions": { "persistedQuery": hostile_json(rng, 0) } }).to_string().into_bytes(),
            13 => json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hostile_text(rng) } } }).to_string().into_bytes(),
            14 => format!("{{\"query\": \"{{ sectors {{ code }} }}\", \"variables\": {}}}", deep_json(rng.range(50, 3_000), true)).into_bytes(),
            _ => b"\xef\xbb\xbf{\"query\": \"{ sectors { code } }\"}".to_vec(),
        };
        let mut case = Case::new("bodies", Method::POST, "/graphql")
            .header("content-type", content_type)
            .body(body);
        // Over the body limit the server may answer 413 and close before reading it all.
        case.may_close = case.body.len() > 64 * 1024;
        case
    }

    fn header_case(&self, rng: &mut Rng) -> Case {
        let mut case = Case::new("headers", Method::POST, "/graphql")
            .json(&json!({ "query": "{ sectors { code } }" }));
        for _ in 0..rng.range(1, 4) {
            case = match rng.below(9) {
                0 => match self.tokens.authorization(rng) {
                    Some(auth) => case.header("authorization", auth),
                    None => case,
                },
                1 => {
                    case.may_close = true;
                    case.header("x-huge", "x".repeat(rng.range(10_000, 200_000)))
                }
                2 => {
                    case.may_close = true;
                    let mut c = case;
                    for i in 0..rng.range(50, 300) {
                        c = c.header(&format!("x-many-{i}"), "v");
                    }
                    c
                }
                3 => case.header(
                    "accept",
                    rng.pick(&[
                        b"application/graphql-response+json".as_slice(),
                        b"*/*",
                        b"text/html",
                        b"\xff\xfe",
                    ])
                    .to_vec(),
                ),
                4 => case.header("x-request-id", hostile_text(rng).into_bytes()),
                5 => case.header(
                    "if-none-match",
                    rng.pick(&[b"*".as_slice(), b"\"x\", W/\"y\"", b",,,,", b"\"\xff\""])
                        .to_vec(),
                ),
                6 => case.header(
                    "accept-encoding",
                    rng.pick(&[
                        b"gzip".as_slice(),
                        b"br;q=2, gzip;q=-1",
                        b"identity;q=0",
                        b"\xff",
                    ])
                    .to_vec(),
                ),
                7 => case.header("content-encoding", "gzip"),
                _ => case.header(
                    "origin",
                    rng.pick(&[b"https://evil.example".as_slice(), b"null", b"\xff"])
                        .to_vec(),
                ),
            };
        }
        case
    }

    fn import_case(&self, rng: &mut Rng) -> Case {
        let kinds: Vec<String> = self.columns.keys().cloned().collect();
        let kind = match rng.below(12) {
            0 => (*rng.pick(&[
                "nope",
                "Terms",
                "..%2F..",
                "terms%00",
                "catalog",
                "pubschls",
                "%E2%80%AE",
            ]))
            .to_owned(),
            _ if kinds.is_empty() => "terms".to_owned(),
            _ => rng.pick(&kinds).clone(),
        };
        let columns = self
            .columns
            .get(&kind)
            .cloned()
            .unwrap_or_else(|| vec!["code".into(), "name".into()]);
        let format = *rng.pick(&["", "csv", "json", "tsv", "xml", "CSV"]);
        let body: Vec<u8> = match rng.below(10) {
            0 => rng.random_bytes(0, 3_000),
            1 => Vec::new(),
            2 => api::import::fixture::pubschls(rng.range(1, 5)).into_bytes(),
            3 | 4 => json_import(rng, &columns).into_bytes(),
            5 => {
                let mut bytes = csv_import(rng, &columns).into_bytes();
                for _ in 0..rng.range(1, 8) {
                    let i = rng.below(bytes.len());
                    if let Some(b) = bytes.get_mut(i) {
                        *b = rng.next() as u8;
                    }
                }
                bytes
            }
            _ => csv_import(rng, &columns).into_bytes(),
        };
        let mut target = format!("/import/{kind}?dryRun={}", rng.chance(70));
        if rng.chance(30) {
            target.push_str("&partial=true");
        }
        if !format.is_empty() {
            target.push_str(&format!("&format={format}"));
        }
        let mut case = Case::new("imports", Method::POST, target).body(body);
        if rng.chance(50) {
            case = case.header(
                "content-type",
                *rng.pick(&[
                    "text/csv",
                    "application/json",
                    "text/tab-separated-values",
                    "application/octet-stream",
                ]),
            );
        }
        let auth = match rng.below(10) {
            0..=4 => Some(format!("Bearer {}", self.tokens.admin).into_bytes()),
            5 => Some(format!("Bearer {}", self.tokens.editor).into_bytes()),
            6 => Some(format!("Bearer {}", self.tokens.reader).into_bytes()),
            _ => self.tokens.authorization(rng),
        };
        if let Some(auth) = auth {
            case = case.header("authorization", auth);
        }
        case
    }
}

/// A JSON array of flat objects as CSV (the union of their keys as the header).
fn json_to_csv(rows: &Value) -> String {
    let rows = rows.as_array().cloned().unwrap_or_default();
    let mut header: Vec<String> = Vec::new();
    for row in &rows {
        for key in row
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if !header.contains(&key) {
                header.push(key);
            }
        }
    }
    let quote = |text: String| {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    };
    let mut out = header.join(",");
    out.push('\n');
    for row in &rows {
        let cells: Vec<String> = header
            .iter()
            .map(|key| match &row[key] {
                Value::Null => String::new(),
                Value::String(text) => quote(text.clone()),
                Value::Array(items) => quote(
                    items
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_owned)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(";"),
                ),
                other => quote(other.to_string()),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(rng: &mut Rng) -> String {
    let text = hostile_text(rng);
    if rng.chance(80) && text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv_import(rng: &mut Rng, columns: &[String]) -> String {
    let mut header: Vec<String> = columns.iter().filter(|_| rng.chance(85)).cloned().collect();
    if rng.chance(15) {
        for i in 0..rng.range(1, 2_000) {
            header.push(format!("unknown_{i}"));
        }
    }
    if rng.chance(10) {
        header.push(hostile_text(rng));
    }
    let mut out = String::new();
    if rng.chance(10) {
        out.push('\u{feff}');
    }
    out.push_str(&header.join(","));
    out.push('\n');
    for _ in 0..rng.below(12) {
        let width = if rng.chance(90) {
            header.len()
        } else {
            rng.below(header.len() + 3)
        };
        let cells: Vec<String> = (0..width).map(|_| csv_cell(rng)).collect();
        out.push_str(&cells.join(","));
        out.push_str(if rng.chance(20) { "\r\n" } else { "\n" });
    }
    out
}

fn json_import(rng: &mut Rng, columns: &[String]) -> String {
    let rows: Vec<Value> = (0..rng.below(10))
        .map(|_| {
            let mut map = serde_json::Map::new();
            for column in columns {
                if rng.chance(80) {
                    map.insert(column.clone(), hostile_json(rng, 1));
                }
            }
            Value::Object(map)
        })
        .collect();
    match rng.below(4) {
        0 => json!({ "rows": rows }).to_string(),
        1 => json!({ "format": "cte-hub-catalog", "terms": rows }).to_string(),
        _ => Value::Array(rows).to_string(),
    }
}

fn deep_values_case(rng: &mut Rng) -> Case {
    let depth = rng.range(10, 5_000);
    let value = deep_value(depth, rng.chance(50));
    let field = *rng.pick(&[
        "nodes(ids: ",
        "pathways(first: ",
        "search(query: ",
        "sectors(x: ",
    ]);
    let document = format!("{{ {field}{value}) {{ __typename }} }}");
    if rng.chance(50) {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &document)
            .finish();
        Case::new("deep-values", Method::GET, format!("/graphql?{query}"))
    } else {
        Case::new("deep-values", Method::POST, "/graphql").json(&json!({ "query": document }))
    }
}

/// Wide instead of deep: thousands of ids, repeated fields, aliases or fragments, POST (over the
/// body limit when big) or GET (up to a few hundred KB of URI).
fn wide_case(rng: &mut Rng) -> Case {
    use base64::{engine::general_purpose::STANDARD, Engine};
    let n = rng.pick::<usize>(&[100, 500, 2_000, 8_000, 20_000]) + rng.below(100);
    let document = match rng.below(5) {
        0 | 1 => {
            let ids: Vec<String> = (0..n)
                .map(|i| {
                    let ty = rng.pick::<&str>(&[
                        "Pathway",
                        "Course",
                        "Term",
                        "RegionalProgram",
                        "District",
                        "School",
                        "Nope",
                    ]);
                    format!("\"{}\"", STANDARD.encode(format!("{ty}:{}", i % 50)))
                })
                .collect();
            format!("{{ nodes(ids: [{}]) {{ id }} }}", ids.join(","))
        }
        2 => format!("{{ sectors {{ {} }} }}", "code ".repeat(n)),
        3 => {
            let aliases: Vec<String> = (0..n.min(3_000))
                .map(|i| format!("a{i}: sectors {{ code }}"))
                .collect();
            format!("{{ {} }}", aliases.join(" "))
        }
        _ => {
            let count = n.min(2_000);
            let spreads: Vec<String> = (0..count).map(|i| format!("...F{i}")).collect();
            let mut document = format!("query {{ {} }}\n", spreads.join(" "));
            for i in 0..count {
                document.push_str(&format!(
                    "fragment F{i} on Query {{ sectors {{ code }} }}\n"
                ));
            }
            document
        }
    };
    let mut case = if rng.chance(50) {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &document)
            .finish();
        Case::new("wide-values", Method::GET, format!("/graphql?{query}"))
    } else {
        Case::new("wide-values", Method::POST, "/graphql").json(&json!({ "query": document }))
    };
    case.may_close = case.target.len() > 60_000;
    case
}

fn fragment_graph_case(rng: &mut Rng) -> Case {
    let count = rng.range(1, 24);
    let mut document = "query { ...F0 }\n".to_owned();
    for i in 0..count {
        let mut spreads = Vec::new();
        for _ in 0..rng.range(1, 4) {
            // Mostly the next fragment (chains that double), sometimes any (cycles).
            let target = if rng.chance(75) {
                i + 1
            } else {
                rng.below(count + 1)
            };
            spreads.push(format!("...F{target}"));
        }
        document.push_str(&format!(
            "fragment F{i} on Query {{ {} }}\n",
            spreads.join(" ")
        ));
    }
    document.push_str(&format!(
        "fragment F{count} on Query {{ sectors {{ code }} }}\n"
    ));
    Case::new("fragment-graphs", Method::POST, "/graphql").json(&json!({ "query": document }))
}

fn oauth_case(rng: &mut Rng) -> Case {
    let id = hostile_text(rng);
    let secret = hostile_text(rng);
    let body: String = match rng.below(5) {
        0 => url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &id)
            .append_pair("client_secret", &secret)
            .append_pair("scope", &hostile_text(rng))
            .finish(),
        1 => "grant_type=password&username=a&password=b".into(),
        2 => "%%%&&&==".into(),
        3 => "grant_type=client_credentials".into(),
        _ => hostile_text(rng),
    };
    let mut case = Case::new("oauth", Method::POST, "/oauth/token")
        .body(body)
        .header(
            "content-type",
            *rng.pick(&[
                "application/x-www-form-urlencoded",
                "application/json",
                "text/plain",
                "",
            ]),
        );
    if rng.chance(40) {
        use base64::{engine::general_purpose::STANDARD, Engine};
        let value = match rng.below(3) {
            0 => format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
            1 => format!("Basic {}", hostile_text(rng)),
            _ => "Basic ".to_owned(),
        };
        case = case.header("authorization", value.into_bytes());
    }
    case
}

fn endpoint_case(rng: &mut Rng) -> Case {
    let (method, target) = match rng.below(12) {
        0 => (Method::GET, "/schema.graphql".to_owned()),
        1 => (Method::GET, "/.well-known/jwks.json".to_owned()),
        2 => (Method::GET, "/metrics".to_owned()),
        3 => (Method::GET, "/readyz".to_owned()),
        4 => (Method::GET, "/graphiql".to_owned()),
        5 => (Method::OPTIONS, "/graphql".to_owned()),
        6 => (Method::PUT, "/graphql".to_owned()),
        7 => (Method::DELETE, "/import/terms".to_owned()),
        8 => (
            Method::GET,
            format!("/{}", "a/".repeat(rng.range(1, 2_000))),
        ),
        9 => (
            Method::GET,
            "/graphql?query=%ff%fe&variables=%7B".to_owned(),
        ),
        10 => (
            Method::GET,
            format!(
                "/graphql?query=%7Bsectors%7Bcode%7D%7D&extensions={}",
                url::form_urlencoded::byte_serialize(hostile_json(rng, 0).to_string().as_bytes())
                    .collect::<String>()
            ),
        ),
        _ => (
            Method::from_bytes(b"BREW").unwrap_or(Method::GET),
            "/graphql".to_owned(),
        ),
    };
    let mut case = Case::new("endpoints", method, target);
    case.may_close = case.target.len() > 60_000;
    if rng.chance(30) {
        case = case
            .header("origin", "https://elsewhere.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, x-evil");
    }
    case
}

fn raw_case(rng: &mut Rng) -> Case {
    let good = "GET /graphql?query=%7Bsectors%7Bcode%7D%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    let bytes: Vec<u8> = match rng.below(12) {
        0 => good.as_bytes().to_vec(),
        1 => b"GET /graphql?query=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec(),
        2 => b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n".to_vec(),
        3 => b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n".to_vec(),
        4 => b"GET /\n\n".to_vec(),
        5 => b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        6 => b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec(),
        7 => b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n{}{}{".to_vec(),
        8 => b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":".to_vec(),
        9 => b"POST /import/terms HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n".to_vec(),
        10 => [good.as_bytes(), good.as_bytes(), good.as_bytes()].concat(),
        _ => rng.random_bytes(1, 4_000),
    };
    let mut case = Case::new("raw-http", Method::GET, "");
    case.raw = Some(bytes);
    case.may_close = true;
    case
}

/// Runs the corpus against a server on `backend`.
async fn run_corpus(backend: Backend) {
    let seed = std::env::var("CTE_HUB_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let cases = std::env::var("CTE_HUB_HOSTILE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let only: Option<usize> = std::env::var("CTE_HUB_HOSTILE_ONLY")
        .ok()
        .and_then(|s| s.parse().ok());
    let concurrency: usize = std::env::var("CTE_HUB_HOSTILE_CONCURRENCY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let Some(mut server) = Server::start(backend, &[]).await else {
        return;
    };
    let corpus = Corpus::new(export(&server.database_url).await);
    assert!(
        corpus.export.is_some(),
        "cte-hub export json gives the catalogue"
    );
    let client = client();
    server
        .healthy(&client)
        .await
        .expect("healthy before the corpus");
    let started = Instant::now();
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    // The slowest batch (one request by default): how far from the bound the corpus runs.
    let mut slowest = (Duration::ZERO, 0, "");
    let indices: Vec<usize> = (0..cases)
        .filter(|i| only.is_none_or(|o| o == *i))
        .collect();
    // Batches of `concurrency` requests at once (1 by default: the order, and so any failure,
    // is then exactly reproducible); health is checked after each batch.
    for batch in indices.chunks(concurrency.max(1)) {
        let batch: Vec<(usize, Case)> = batch
            .iter()
            .map(|&index| (index, corpus.case(&mut Rng::for_case(seed, index))))
            .collect();
        let sent = Instant::now();
        let outcomes =
            futures::future::join_all(batch.iter().map(|(_, case)| probe(&server, &client, case)))
                .await;
        if sent.elapsed() > slowest.0 {
            slowest = (sent.elapsed(), batch[0].0, batch[0].1.kind);
        }
        for ((index, case), outcome) in batch.iter().zip(outcomes) {
            let outcome = match server.settled(outcome.is_err()).await {
                Ok(()) => outcome,
                Err(dead) => Err(dead),
            };
            let checked = match outcome {
                Ok(seen) => server.healthy(&client).await.map(|()| seen),
                Err(e) => Err(e),
            };
            match checked {
                Ok((seen, _)) => *counts.entry(format!("{} → {seen}", case.kind)).or_default() += 1,
                Err(failure) => panic!(
                    "hostile corpus on {backend:?}: case {index} of seed {seed} failed: {failure}\n\
                     request: {}\n\
                     replay: CTE_HUB_HOSTILE_SEED={seed} CTE_HUB_HOSTILE_ONLY={index} \
                     (or CTE_HUB_HOSTILE_SKIP={} to look past it)",
                    case.describe(),
                    case.kind,
                ),
            }
        }
    }
    server
        .healthy(&client)
        .await
        .expect("healthy after the corpus");
    eprintln!(
        "hostile corpus on {backend:?}: {cases} cases of seed {seed} in {:?}, RSS at the end {} kB, \
         slowest {:?} (case {}, {})",
        started.elapsed(),
        server.rss_kb().unwrap_or(0),
        slowest.0,
        slowest.1,
        slowest.2,
    );
    for (what, count) in counts {
        eprintln!("  {count:5}  {what}");
    }
}

#[tokio::test]
async fn corpus_sqlite() {
    run_corpus(Backend::Sqlite).await;
}

#[tokio::test]
async fn corpus_postgres() {
    run_corpus(Backend::Postgres).await;
}

#[test]
fn the_corpus_is_the_same_for_a_seed() {
    let corpus = Corpus::new(None);
    let describe = |seed| {
        (0..50)
            .map(|i| corpus.case(&mut Rng::for_case(seed, i)).describe())
            .collect::<Vec<_>>()
    };
    assert_eq!(describe(7), describe(7));
    assert_ne!(describe(7), describe(8));
    assert!(
        corpus.model.fields("Query").len() > 10 && corpus.columns.contains_key("terms"),
        "the schema and docs/import.md were read"
    );
}

// ---- Issue 12: the weaknesses known when this suite was written -----------------------------

/// Sends `case` to a server and asserts everything [`exercise`] does; the answer's size.
async fn expect_survives(server: &mut Server, case: Case) -> usize {
    let client = client();
    match exercise(server, &client, &case).await {
        Ok((_, size)) => size,
        Err(failure) => panic!("{failure}\nrequest: {}", case.describe()),
    }
}

/// Issue 12 (1): a list argument 1,500 levels deep (~3 KB) overflowed a tokio worker's stack
/// and aborted the process; objects too, POST and GET, deeper still.
#[tokio::test]
async fn issue12_1_deeply_nested_arguments_do_not_kill_the_server() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    for (depth, object) in [
        (1_500, false),
        (1_500, true),
        (5_000, false),
        (20_000, true),
    ] {
        let document = format!("{{ nodes(ids: {}) {{ id }} }}", deep_value(depth, object));
        let post =
            Case::new("deep-values", Method::POST, "/graphql").json(&json!({ "query": document }));
        expect_survives(&mut server, post).await;
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("query", &document)
            .finish();
        let mut get = Case::new("deep-values", Method::GET, format!("/graphql?{query}"));
        get.may_close = get.target.len() > 60_000;
        expect_survives(&mut server, get).await;
    }
}

/// Issue 12 (2): `...A` with `fragment A { ...A ...A }` re-walked fragment spreads forever.
#[tokio::test]
async fn issue12_2_a_fragment_spreading_itself_is_answered() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    let case = Case::new("fragment-graphs", Method::POST, "/graphql")
        .json(&json!({ "query": "query { ...A } fragment A on Query { ...A ...A }" }));
    expect_survives(&mut server, case).await;
}

/// Issue 12 (2): a chain of fragments each spreading the next twice (20 levels, 838 bytes) took
/// exponential time; 40 levels would never end.
#[tokio::test]
async fn issue12_2_a_doubling_fragment_chain_is_answered() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    for levels in [20, 40] {
        let mut document = "query { ...F0 }\n".to_owned();
        for level in 0..levels {
            document.push_str(&format!(
                "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n",
                next = level + 1
            ));
        }
        document.push_str(&format!(
            "fragment F{levels} on Query {{ sectors {{ code }} }}\n"
        ));
        let case = Case::new("fragment-graphs", Method::POST, "/graphql")
            .json(&json!({ "query": document }));
        expect_survives(&mut server, case).await;
    }
}

/// Issue 12 (3): every `POST /oauth/token` for a real client ran Argon2 on an async worker,
/// unauthenticated and without a limit. Many wrong secrets at once must be shed (429 or 503,
/// with `Retry-After`) rather than all hashed, and `/healthz` must answer meanwhile. (Today
/// some of them may instead get a bare 503: the database pool timing out while the workers
/// hash.)
#[tokio::test]
async fn issue12_3_the_token_endpoint_sheds_a_flood_of_wrong_secrets() {
    let database_url = fresh_database(Backend::Sqlite).await.expect("SQLite");
    let client_id = {
        let db = crate::helpers::connect(&database_url).await;
        let (id, _secret) =
            api::auth::clients::create(&db, "hostile", "cte-hub", &[api::auth::Role::Reader])
                .await
                .expect("client registered");
        db.close().await.ok();
        id
    };
    let mut server = Server::start_on(database_url, &[]).await;
    let client = client();
    let flood: Vec<_> = (0..64)
        .map(|i| {
            let request = client
                .post(format!("{}/oauth/token", server.base))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!(
                    "grant_type=client_credentials&client_id={client_id}&client_secret=wrong-{i}"
                ))
                .send();
            tokio::spawn(request)
        })
        .collect();
    // While the flood is in, the server still answers.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = server.healthy(&client).await;
    // (status, whether it says when to retry)
    let mut answers = Vec::new();
    for request in flood {
        match request.await.expect("task") {
            Ok(answer) => answers.push((
                answer.status(),
                answer.headers().contains_key("retry-after"),
            )),
            Err(e) => panic!("a token request was not answered: {e}"),
        }
    }
    health.expect("/healthz answers during a flood of token requests");
    // A shed request is 429 or 503 *with* `Retry-After`; a bare 503 (`temporarily_unavailable`)
    // is the database pool giving up while the workers hash, not a limit.
    let shed = |(status, retry): &(StatusCode, bool)| {
        *retry
            && (*status == StatusCode::TOO_MANY_REQUESTS
                || *status == StatusCode::SERVICE_UNAVAILABLE)
    };
    assert!(
        answers
            .iter()
            .all(|a| a.0 == StatusCode::UNAUTHORIZED || shed(a)),
        "every answer is 401 (wrong secret) or a shed request: {answers:?}"
    );
    assert!(
        answers.iter().any(shed),
        "64 wrong secrets at once were all checked (none shed with 429/503 and Retry-After): {answers:?}"
    );
    server.healthy(&client).await.expect("healthy after");
}

/// Issue 12 (4): a header of 1,000,000 unknown columns answered 200 with an 86 MB report.
#[tokio::test]
async fn issue12_4_an_import_of_a_million_unknown_columns_answers_briefly() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    let columns = 1_000_000;
    let mut header = String::from("program,code,name,starts_on,ends_on,kind");
    for i in 0..columns {
        header.push_str(&format!(",c{i}"));
    }
    header.push('\n');
    // The header alone, and with one good row as wide as the header.
    let row = format!(
        "SOCAL_ROC,H-1,Hostile,2027-01-01,2027-05-01,SEMESTER{}\n",
        ",".repeat(columns)
    );
    for file in [header.clone(), header + &row] {
        let case = Case::new("imports", Method::POST, "/import/terms?dryRun=true")
            .header(
                "authorization",
                format!("Bearer {}", token("cte-hub", &["admin"])),
            )
            .header("content-type", "text/csv")
            .body(file);
        let size = expect_survives(&mut server, case).await;
        assert!(size < 1 << 20, "a {size}-byte answer to one import");
    }
}

/// Issue 12 (4): the whole import body was read before the token was checked, so anyone could
/// make the server take in 32 MB per request. Without a token the answer is 401 before the body.
#[tokio::test]
async fn issue12_4_an_import_without_a_token_is_refused_before_its_body() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    let head = format!(
        "POST /import/terms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: {}\r\n\r\ncode,name\n",
        30 << 20
    );
    let exchange = async {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).await?;
        stream.write_all(head.as_bytes()).await?;
        // The body never comes; the answer must not wait for it.
        let mut answer = vec![0u8; 512];
        let n = stream.read(&mut answer).await?;
        answer.truncate(n);
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(CLIENT_BOUND, exchange)
        .await
        .unwrap_or_else(|_| panic!("no answer within {CLIENT_BOUND:?}: the server waits for the 30 MB body of an unauthenticated import"))
        .expect("connects");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    server.healthy(&client()).await.expect("healthy after");
}

/// Issue 12 (5): NUL in a string argument or variable is a client error on every database
/// (PostgreSQL answered INTERNAL_SERVER_ERROR).
async fn nul_in_string_arguments(backend: Backend) {
    let Some(mut server) = Server::start(backend, &[]).await else {
        return;
    };
    let admin = token("cte-hub", &["admin"]);
    let documents = [
        ("{ districts(filter: { memberOf: \"a\\u0000b\" }, first: 1) { totalCount } }", json!({}), None),
        ("{ pathway(code: \"A\\u0000B\") { code } }", json!({}), None),
        ("{ program(code: \"\\u0000\") { code } }", json!({}), None),
        ("{ district(cdsCode: \"1964733\\u00000000000\") { name } }", json!({}), None),
        ("{ search(query: \"nurse\\u0000\") { __typename } }", json!({}), None),
        ("query($c: String!) { sector(code: $c) { code } }", json!({ "c": "HEALTH\u{0}" }), None),
        (
            "mutation { createTerm(input: { programCode: \"SOCAL_ROC\", code: \"NUL-1\", name: \"Fall\\u0000Term\", startsOn: \"2027-01-01\", endsOn: \"2027-05-01\", kind: SEMESTER }) { id } }",
            json!({}),
            Some(&admin),
        ),
    ];
    for (document, variables, auth) in documents {
        let mut case = Case::new("graphql-post", Method::POST, "/graphql")
            .json(&json!({ "query": document, "variables": variables }));
        if let Some(token) = auth {
            case = case.header("authorization", format!("Bearer {token}"));
        }
        expect_survives(&mut server, case).await;
    }
}

#[tokio::test]
async fn issue12_5_nul_in_string_arguments_is_a_client_error_sqlite() {
    nul_in_string_arguments(Backend::Sqlite).await;
}

#[tokio::test]
async fn issue12_5_nul_in_string_arguments_is_a_client_error_postgres() {
    nul_in_string_arguments(Backend::Postgres).await;
}

/// Issue 12 (5): NUL in an import cell is a rejected row, not INTERNAL_SERVER_ERROR.
async fn nul_in_import_cells(backend: Backend) {
    let Some(mut server) = Server::start(backend, &[]).await else {
        return;
    };
    let admin = token("cte-hub", &["admin"]);
    for dry_run in [true, false] {
        let case = Case::new("imports", Method::POST, format!("/import/terms?dryRun={dry_run}"))
            .header("authorization", format!("Bearer {admin}"))
            .header("content-type", "text/csv")
            .body("program,code,name,starts_on,ends_on,kind\nSOCAL_ROC,NUL-2,Spring\u{0}Term,2027-01-01,2027-05-01,SEMESTER\n");
        expect_survives(&mut server, case).await;
    }
}

#[tokio::test]
async fn issue12_5_nul_in_import_cells_is_a_client_error_sqlite() {
    nul_in_import_cells(Backend::Sqlite).await;
}

#[tokio::test]
async fn issue12_5_nul_in_import_cells_is_a_client_error_postgres() {
    nul_in_import_cells(Backend::Postgres).await;
}

/// Issue 12 (5): names with control or bidirectional-override characters are refused (a name
/// shown to students must read as it is stored), by the API and by imports.
async fn control_and_bidi_characters_in_names(backend: Backend) {
    let Some(mut server) = Server::start(backend, &[]).await else {
        return;
    };
    let admin = token("cte-hub", &["admin"]);
    let client = client();
    for (i, name) in [
        "Fall\u{202e}2027",
        "Fall\u{7}Bell",
        "Fall\u{1b}[31m",
        "\u{2066}Fall\u{2069}",
    ]
    .into_iter()
    .enumerate()
    {
        let body: Value = client
            .post(format!("{}/graphql", server.base))
            .bearer_auth(&admin)
            .json(&json!({
                "query": "mutation($input: CreateTermInput!) { createTerm(input: $input) { id name } }",
                "variables": { "input": {
                    "programCode": "SOCAL_ROC", "code": format!("BIDI-{i}"), "name": name,
                    "startsOn": "2027-01-01", "endsOn": "2027-05-01", "kind": "SEMESTER",
                } },
            }))
            .send()
            .await
            .expect("answered")
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "createTerm accepted the name {name:?}: {body}"
        );

        let answer = client
            .post(format!("{}/import/terms", server.base))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(format!(
                "program,code,name,starts_on,ends_on,kind\nSOCAL_ROC,BIDI-IMPORT-{i},{name},2027-01-01,2027-05-01,SEMESTER\n"
            ))
            .send()
            .await
            .expect("answered");
        let status = answer.status();
        let report: Value = answer.json().await.expect("JSON");
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "an import accepted the name {name:?}: {report}"
        );
    }
    server.healthy(&client).await.expect("healthy after");
}

#[tokio::test]
async fn issue12_5_control_and_bidi_characters_in_names_are_refused_sqlite() {
    control_and_bidi_characters_in_names(Backend::Sqlite).await;
}

#[tokio::test]
async fn issue12_5_control_and_bidi_characters_in_names_are_refused_postgres() {
    control_and_bidi_characters_in_names(Backend::Postgres).await;
}

/// Found by this suite (not in issue 12): a file within the import limit whose every row is
/// wrong gets a report with one rejection per bad cell, so the answer and the memory behind it
/// grow with the file: 1,000,000 bad rows (a 21 MB CSV) answered 422 with a 369 MB report, the
/// server peaking at 1.2 GB of RSS (debug build, 22 s). It must get a short answer.
#[tokio::test]
async fn found_an_import_of_a_million_bad_rows_answers_briefly() {
    let mut server = Server::start(Backend::Sqlite, &[]).await.expect("SQLite");
    let mut file = String::from("program,code,name,starts_on,ends_on,kind\n");
    for i in 0..1_000_000 {
        file.push_str(&format!("NOPE,c{i},n,x,y,z\n"));
    }
    let case = Case::new("imports", Method::POST, "/import/terms?dryRun=true")
        .header(
            "authorization",
            format!("Bearer {}", token("cte-hub", &["admin"])),
        )
        .header("content-type", "text/csv")
        .body(file);
    let size = expect_survives(&mut server, case).await;
    assert!(size < 1 << 20, "a {size}-byte answer to one import");
}
