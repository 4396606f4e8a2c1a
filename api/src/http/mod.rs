//! HTTP: the router, its middleware, and the non-GraphQL endpoints.
//!
//! The edge is thin: extractors say who is calling ([`extract`]) and what was asked, handlers
//! call inwards, and every refusal is an [`ApiError`] answered the one way `error.rs` says.
//! `graphql/` and every layer below never name this module.
#![warn(clippy::too_many_lines)]

mod etag;
mod extract;
mod format;
mod graphiql;
mod graphql;
mod health;
mod import;
pub mod metrics;
mod oauth;
pub mod persisted;
mod request_log;
pub mod response_cache;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::DefaultBodyLimit,
    http::{header, HeaderValue, Method, Request, StatusCode},
    middleware,
    response::IntoResponse,
    routing::{get, post},
    Router,
};
use sea_orm::DatabaseConnection;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    cors::{AllowOrigin, Any, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    auth::tokens::{SigningIdentity, TokenVerifier},
    config::ServeSettings,
    db::StatementCounter,
    error::ApiError,
    graphql::cost::QueryCost,
    http::{metrics::Metrics, persisted::PersistedQueries},
    schema::CteHubSchema,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: CteHubSchema,
    /// Cost, alias, directive and rate limits, applied before a request runs.
    pub cost: Arc<QueryCost>,
    pub db: DatabaseConnection,
    /// The primary database: writes (imports) go here even when `db` is a read replica.
    pub write_db: DatabaseConnection,
    pub auth: Arc<AuthState>,
    pub settings: Arc<ServeSettings>,
    /// This app's metrics (not the process-global recorder).
    pub metrics: Arc<Metrics>,
    /// SQL statements sent, exported as a metric.
    pub statements: StatementCounter,
    /// Persisted queries or trusted documents.
    pub persisted: Arc<PersistedQueries>,
    /// Snapshot of the reference tables shared by every request.
    pub reference: Arc<crate::graphql::reference::ReferenceCache>,
    /// Anonymous answers kept until the data changes.
    pub response_cache: Arc<response_cache::ResponseCache>,
    /// The data version the response cache keys by.
    pub data_version: Arc<crate::changes::version::DataVersion>,
}

/// Token verification and issuing.
pub struct AuthState {
    pub verifier: TokenVerifier,
    pub signing: SigningIdentity,
    /// The primary database (API clients are checked and touched there).
    pub db: DatabaseConnection,
    /// Client-secret checks, off the async workers and bounded.
    pub secrets: crate::auth::clients::SecretChecks,
    /// Revoked clients, whose tokens stop working within `--revocation-check-secs`.
    pub revocations: crate::auth::clients::Revocations,
    /// Token requests per client id and per address.
    pub token_requests: oauth::TokenRequestLimits,
}
/// What follows `scheme` (e.g. `"bearer "`) in an `Authorization` value; the scheme is
/// case-insensitive (RFC 7235 §2.1).
fn after_scheme<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    value
        .get(..scheme.len())
        .filter(|given| given.eq_ignore_ascii_case(scheme))
        .map(|_| &value[scheme.len()..])
}

/// The token-request limits of `POST /oauth/token` (built at startup).
pub fn oauth_limits(per_minute: u32) -> oauth::TokenRequestLimits {
    oauth::TokenRequestLimits::new(per_minute)
}

/// API answers are data, never pages: nothing may load from them or frame them.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The HTTP surface plus `extra` routes behind the same middleware (tests use it
/// to prove a panicking handler answers only its own request).
pub fn router_with(state: AppState, extra: Router<AppState>) -> Router {
    let settings = state.settings.clone();
    let mut router = extra
        .route(
            "/graphql",
            get(graphql::get)
                .post(graphql::post)
                .route_layer(middleware::from_fn_with_state(
                    state.clone(),
                    request_log::graphql_requests,
                )),
        )
        .route("/schema.graphql", get(schema_sdl))
        .route("/oauth/token", post(oauth::token))
        .route("/.well-known/jwks.json", get(oauth::jwks))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route(
            "/import/{kind}",
            post(import::import).layer(DefaultBodyLimit::max(settings.import_body_limit_bytes)),
        );
    if settings.graphiql {
        router = router
            .route("/", get(graphiql::page))
            .route("/graphiql", get(graphiql::page))
            .route(graphiql::ASSET_ROUTE, get(graphiql::asset));
    }
    router
        .with_state(state)
        .layer(DefaultBodyLimit::max(settings.body_limit_bytes))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // The GraphiQL page sets its own policy (same origin only); everything else gets the strict one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        ))
        // The fastest level: answers are small JSON, and brotli's default level costs more
        // CPU than the query itself (seen in the benchmark profile).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        // A panic answers this request only, as a GraphQL-shaped 500; the server keeps running.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(cors(&settings.cors_origins))
        // A backstop for slow clients: GraphQL execution itself answers `TIMEOUT`
        // after `request_timeout_secs` (see `graphql.rs`), before this fires.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs.saturating_add(5)),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Any origin may read anonymously; credentials are never allowed cross-origin by default.
fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT])
        .max_age(Duration::from_secs(3600));
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    if origins.is_empty() {
        layer.allow_origin(Any)
    } else {
        layer.allow_origin(AllowOrigin::list(origins))
    }
}

/// The SDL this server really serves, for client generators (equals `schema.graphql`).
async fn schema_sdl(axum::extract::State(state): axum::extract::State<AppState>) -> String {
    state.schema.sdl()
}

/// A panic answers 500 with an error id (the panic message is logged under it, never shown).
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    ApiError::Internal(format!("a request handler panicked: {what}")).into_response()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// What may name `http/`: the edge itself and what builds and starts it.
    const ABOVE_THE_EDGE: &[&str] = &["http", "startup.rs", "cli.rs", "main.rs", "lib.rs"];

    fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                rust_files(&entry.path(), out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_owned());
        }
    }

    /// Data flows one way: GraphQL, the catalogue, the write path and everything below them
    /// never name the HTTP edge (`ClientKey` once lived here, making `graphql ↔ http` a cycle).
    #[test]
    fn no_layer_below_the_edge_names_it() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&src).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if !ABOVE_THE_EDGE.iter().any(|above| name == *above) {
                rust_files(&entry.path(), &mut files);
            }
        }
        assert!(files.len() > 20, "the sources were not found under {src:?}");
        let offenders: Vec<String> = files
            .iter()
            .filter(|file| {
                let text = std::fs::read_to_string(file).unwrap_or_default();
                ["crate::http", "super::http", "super::super::http"]
                    .iter()
                    .any(|path| text.contains(path))
            })
            .map(|file| file.display().to_string())
            .collect();
        assert!(
            offenders.is_empty(),
            "these lower modules name the HTTP edge (move what they need down): {offenders:?}"
        );
    }
}
