//! Faults: the database going away and coming back, SIGTERM draining, panics.

use std::{net::SocketAddr, process::Stdio, sync::Arc, time::Duration};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

use crate::helpers::{error_code, fresh_database, spawn_app_on, test_settings, Backend};

/// What the proxy does with connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Forward,
    /// Drop open connections; accept new ones and close them at once.
    Cut,
    /// Drop open connections; accept new ones and never answer (a hung network).
    BlackHole,
}

/// A TCP proxy the test controls, between the server and PostgreSQL.
pub struct FaultProxy {
    pub addr: SocketAddr,
    mode: Arc<watch::Sender<Mode>>,
}

impl FaultProxy {
    /// Forwards connections on a new local port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let (mode, _) = watch::channel(Mode::Forward);
        let mode = Arc::new(mode);
        let state = mode.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mut mode_rx = state.subscribe();
                match *state.borrow() {
                    Mode::Cut => {
                        drop(client);
                        continue;
                    }
                    Mode::BlackHole => {
                        // Hold the socket silently until the proxy forwards again.
                        tokio::spawn(async move {
                            let _ = mode_rx.wait_for(|m| *m == Mode::Forward).await;
                            drop(client);
                        });
                        continue;
                    }
                    Mode::Forward => {}
                }
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = mode_rx.wait_for(|m| *m != Mode::Forward) => {}
                    }
                });
            }
        });
        FaultProxy { addr, mode }
    }

    /// Drops all connections and refuses new ones.
    pub fn cut(&self) {
        self.mode.send_replace(Mode::Cut);
    }

    /// Drops all connections and lets new ones hang.
    pub fn black_hole(&self) {
        self.mode.send_replace(Mode::BlackHole);
    }

    /// Forwards new connections again.
    pub fn restore(&self) {
        self.mode.send_replace(Mode::Forward);
    }
}

/// Replaces `host:port` of a `postgres://user@host:port/db` URL.
fn through(url: &str, addr: SocketAddr) -> String {
    let (scheme_user, rest) = url.split_once('@').expect("URL has a user");
    let (_, db) = rest.split_once('/').expect("URL has a database");
    format!("{scheme_user}@{addr}/{db}")
}

fn upstream(url: &str) -> SocketAddr {
    let rest = url.split_once('@').expect("URL has a user").1;
    let host = rest.split_once('/').expect("URL has a database").0;
    host.parse().unwrap_or_else(|_| {
        std::net::ToSocketAddrs::to_socket_addrs(host)
            .expect("resolvable host")
            .next()
            .expect("an address")
    })
}

#[tokio::test]
async fn database_down_answers_service_unavailable_fast_and_recovers() {
    let Some(url) = fresh_database(Backend::Postgres).await else {
        return;
    };
    let proxy = FaultProxy::start(upstream(&url)).await;
    let mut settings = test_settings(&through(&url, proxy.addr));
    settings.pool.acquire_timeout_secs = 1;
    let app = spawn_app_on(Backend::Postgres, settings).await;
    // The client waits far longer than the server may take.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let query = json!({ "query": "{ sectors { code } }" });
    let ok = client
        .post(format!("{}/graphql", app.address))
        .json(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);

    proxy.cut();
    let started = std::time::Instant::now();
    let ready = client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    for _ in 0..2 {
        let response = client
            .post(format!("{}/graphql", app.address))
            .json(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "SERVICE_UNAVAILABLE", "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(!message.contains("SELECT"), "no SQL reaches the client");
    }
    // "Fast": well inside the client's 60 s, not a benchmark.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "answered in {:?}",
        started.elapsed()
    );
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("code=\"SERVICE_UNAVAILABLE\""),
        "{metrics}"
    );

    proxy.restore();
    // Recovers by itself: no restart; poll while the pool reconnects.
    let mut recovered = false;
    for _ in 0..60 {
        let response = client
            .post(format!("{}/graphql", app.address))
            .json(&query)
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::OK {
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["data"]["sectors"].as_array().unwrap().len(), 15);
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(recovered, "the server recovers when the database is back");
    let ready = client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_hung_database_answers_timeout_not_a_bare_408() {
    let Some(url) = fresh_database(Backend::Postgres).await else {
        return;
    };
    let proxy = FaultProxy::start(upstream(&url)).await;
    let mut settings = test_settings(&through(&url, proxy.addr));
    // The execution timeout fires before the pool gives up.
    settings.request_timeout_secs = 1;
    settings.pool.acquire_timeout_secs = 30;
    let app = spawn_app_on(Backend::Postgres, settings).await;
    proxy.black_hole();
    let response = app.post(json!({ "query": "{ sectors { code } }" })).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "TIMEOUT", "{body}");
    proxy.restore();
}

/// Starts the real binary on a temp SQLite file and a free port; returns the child and its port.
async fn spawn_binary(database: &str) -> (tokio::process::Child, u16) {
    spawn_binary_with(database, &[]).await
}

/// Like [`spawn_binary`], with more environment variables.
async fn spawn_binary_with(database: &str, env: &[(&str, &str)]) -> (tokio::process::Child, u16) {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_cte-hub"))
        .arg("serve")
        .env("DATABASE_URL", database)
        .env("CTE_HUB_ADDR", format!("127.0.0.1:{port}"))
        .env("CTE_HUB_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env(
            "CTE_HUB_SIGNING_KEY_FILE",
            crate::helpers::signing_key_file(),
        )
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    for _ in 0..240 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return (child, port);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the binary did not listen on {port}");
}

#[tokio::test]
async fn sigterm_drains_in_flight_requests_then_exits_zero() {
    let database = fresh_database(Backend::Sqlite).await.unwrap();
    let (mut child, port) = spawn_binary(&database).await;
    let mut stdout = child.stdout.take().expect("piped stdout");
    let logs = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text).await;
        text
    });

    // A request whose JSON log line is checked at the end.
    let logged = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .header("x-request-id", "log-line-1")
        .json(&json!({ "query": "query LoggedOne { sectors { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(logged.status(), StatusCode::OK);

    // An honest slow request: the body arrives in two parts, with SIGTERM in between.
    let body = json!({ "query": "{ sectors { code } }" }).to_string();
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;

    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());

    // New connections are refused once the server stops accepting.
    let mut refused = false;
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "new connections are refused after SIGTERM");

    // The in-flight request still completes.
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY"),
        "{answer}"
    );

    let exit = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("the process exits after draining")
        .unwrap();
    assert!(exit.success(), "exit status {exit}");

    // One JSON line per request, with its request id, operation, client, duration and outcome.
    let logs = logs.await.unwrap();
    let line = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|line| line["request_id"] == "log-line-1" && line["message"] == "graphql request")
        .unwrap_or_else(|| panic!("no request line in the logs:\n{logs}"));
    assert_eq!(line["operation"], "LoggedOne", "{line}");
    assert_eq!(line["outcome"], "ok");
    assert_eq!(line["client"], "ip:127.0.0.1");
    assert!(line["duration_ms"].as_f64().is_some(), "{line}");
    assert_eq!(line["status"], 200);
}

#[tokio::test]
async fn a_panic_answers_500_for_that_request_only() {
    let database = fresh_database(Backend::Sqlite).await.unwrap();
    let panicking: axum::Router<api::http::AppState> = axum::Router::new().route(
        "/panic",
        axum::routing::get(|| async {
            if std::hint::black_box(true) {
                panic!("a bug");
            }
            "unreachable"
        }),
    );
    let app = api::startup::App::build_with_routes(test_settings(&database), panicking)
        .await
        .unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let response = client.get(format!("{address}/panic")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "INTERNAL_SERVER_ERROR");
    let after: Value = client
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": "{ sectors { code } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["data"]["sectors"].as_array().unwrap().len(), 15);
}

/// One OTLP export a stand-in collector received: its media type and body.
type Export = (String, Vec<u8>);

#[tokio::test]
async fn spans_go_to_the_collector_the_otel_variables_name() {
    // A stand-in OpenTelemetry collector: keeps every OTLP/HTTP trace export it receives.
    let received: Arc<std::sync::Mutex<Vec<Export>>> = Arc::default();
    let store = received.clone();
    let collector = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let store = store.clone();
                async move {
                    let media = headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    if let Ok(mut exports) = store.lock() {
                        exports.push((media, body.to_vec()));
                    }
                    axum::http::StatusCode::OK
                }
            },
        ),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let collector_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, collector).await });

    let database = fresh_database(Backend::Sqlite).await.unwrap();
    let endpoint = format!("http://{collector_addr}");
    let (mut child, port) = spawn_binary_with(
        &database,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_SERVICE_NAME", "cte-hub-otel-test"),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    )
    .await;
    let answer = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({ "query": "query Traced { sectors { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);

    let mut exports = Vec::new();
    for _ in 0..100 {
        exports = received.lock().map(|e| e.clone()).unwrap_or_default();
        if !exports.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill().await;
    assert!(!exports.is_empty(), "no span reached the collector");
    let (media, body) = &exports[0];
    assert_eq!(media, "application/x-protobuf");
    let named = |needle: &[u8]| {
        exports
            .iter()
            .any(|(_, b)| b.windows(needle.len()).any(|w| w == needle))
    };
    assert!(
        named(b"cte-hub-otel-test"),
        "the service name is OTEL_SERVICE_NAME"
    );
    assert!(named(b"request"), "the HTTP request span is exported");
    assert!(!body.is_empty());
}
