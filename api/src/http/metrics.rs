//! `GET /metrics`: Prometheus text.
//!
//! Each app has its own recorder (never installed as the process-global one), so
//! several servers in one process (the tests) count separately. Pool gauges and
//! the SQL statement count are read when the endpoint is scraped.

use std::{collections::HashSet, sync::Mutex};

use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use metrics::Recorder;
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use super::AppState;
use crate::{db, error::ErrorCode};

/// Requests by `operation` and `outcome`.
pub const REQUESTS: &str = "cte_hub_graphql_requests_total";
/// Latency of GraphQL requests in seconds, by `outcome`.
pub const DURATION: &str = "cte_hub_graphql_request_duration_seconds";
/// GraphQL errors by `code` (their `extensions.code`).
pub const ERRORS: &str = "cte_hub_graphql_errors_total";
/// Requests refused by the rate limiter.
pub const THROTTLED: &str = "cte_hub_rate_limited_total";
/// Pool connections by `state` (`in_use`, `idle`).
pub const DB_CONNECTIONS: &str = "cte_hub_db_connections";
/// SQL statements sent since start.
pub const SQL_STATEMENTS: &str = "cte_hub_sql_statements_total";

/// Response-cache lookups by `result` (`hit`, `miss`) and evictions.
pub const RESPONSE_CACHE: &str = "cte_hub_response_cache_total";
/// Bytes held by the response cache.
pub const RESPONSE_CACHE_BYTES: &str = "cte_hub_response_cache_bytes";

/// The response cache's counters in Prometheus text, read when `/metrics` is scraped.
fn response_cache_text(stats: super::response_cache::CacheStats) -> String {
    format!(
        "# HELP {RESPONSE_CACHE} Response-cache lookups and evictions.\n# TYPE {RESPONSE_CACHE} counter\n\
{RESPONSE_CACHE}{{result=\"hit\"}} {}\n{RESPONSE_CACHE}{{result=\"miss\"}} {}\n{RESPONSE_CACHE}{{result=\"eviction\"}} {}\n\
# HELP {RESPONSE_CACHE_BYTES} Bytes held by the response cache.\n# TYPE {RESPONSE_CACHE_BYTES} gauge\n{RESPONSE_CACHE_BYTES} {}\n",
        stats.hits, stats.misses, stats.evictions, stats.bytes
    )
}

/// Distinct operation names kept as labels; later ones count as `other`, so a
/// client cannot grow the metrics without bound.
const MAX_OPERATION_NAMES: usize = 200;

/// One app's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    operations: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh recorder with latency buckets from 1 ms to 10 s.
    pub fn new() -> Self {
        let buckets = [
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.into()), &buckets)
            // Only fails for an empty bucket list; fall back to summaries.
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        Metrics {
            recorder,
            handle,
            operations: Mutex::new(HashSet::new()),
        }
    }

    fn with<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&self.recorder as &dyn Recorder, f)
    }

    /// Records one GraphQL request: its operation name, outcome, duration and error codes.
    pub fn request(
        &self,
        operation: &str,
        outcome: &'static str,
        seconds: f64,
        codes: &[ErrorCode],
    ) {
        let operation = self.operation_label(operation);
        self.with(|| {
            metrics::counter!(REQUESTS, "operation" => operation, "outcome" => outcome)
                .increment(1);
            metrics::histogram!(DURATION, "outcome" => outcome).record(seconds);
            for code in codes {
                metrics::counter!(ERRORS, "code" => code.as_str()).increment(1);
                if *code == ErrorCode::Throttled {
                    metrics::counter!(THROTTLED).increment(1);
                }
            }
        });
    }

    fn operation_label(&self, operation: &str) -> String {
        // Only a GraphQL name of a sane length becomes a label: anything a client types into
        // `operationName` (60,000 characters, 200 times) could otherwise fill `/metrics`.
        let name_like = operation.len() <= 64
            && operation.bytes().enumerate().all(|(i, b)| {
                b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit())
            });
        if !name_like || operation.is_empty() {
            return "other".into();
        }
        let Ok(mut seen) = self.operations.lock() else {
            return "other".into();
        };

        if seen.contains(operation) {
            operation.to_owned()
        } else if seen.len() < MAX_OPERATION_NAMES {
            seen.insert(operation.to_owned());
            operation.to_owned()
        } else {
            "other".into()
        }
    }

    /// The Prometheus text, with the pool and statement numbers read now.
    pub fn render(&self, pool: db::PoolStats, statements: u64) -> String {
        self.with(|| {
            metrics::gauge!(DB_CONNECTIONS, "state" => "in_use").set(f64::from(pool.in_use));
            metrics::gauge!(DB_CONNECTIONS, "state" => "idle").set(f64::from(pool.idle));
            metrics::counter!(SQL_STATEMENTS).absolute(statements);
            // Series exist from the start, at 0, so dashboards and alerts see them.
            metrics::counter!(THROTTLED).increment(0);
        });
        self.handle.run_upkeep();
        self.handle.render()
    }
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state
        .metrics
        .render(db::pool_stats(&state.db), state.statements.get());
    body.push_str(&response_cache_text(state.response_cache.stats()));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}
