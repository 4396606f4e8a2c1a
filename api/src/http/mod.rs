//! HTTP: the router, its middleware, and the non-GraphQL endpoints.

mod graphql;
mod health;
mod oauth;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::DefaultBodyLimit,
    http::{header, HeaderValue, Method, Request, StatusCode},
    response::{Html, IntoResponse},
    routing::{get, post},
    Router,
};
use sea_orm::DatabaseConnection;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    cors::{AllowOrigin, Any, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    auth::tokens::{SigningIdentity, TokenVerifier},
    config::ServeSettings,
    graphql::CteHubSchema,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub schema: CteHubSchema,
    pub db: DatabaseConnection,
    pub auth: Arc<AuthState>,
    pub settings: Arc<ServeSettings>,
}

/// Token verification and issuing.
pub struct AuthState {
    pub verifier: TokenVerifier,
    pub signing: SigningIdentity,
    /// The primary database (API clients are checked and touched there).
    pub db: DatabaseConnection,
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/schema.graphql", get(schema_sdl))
        .route("/oauth/token", post(oauth::token))
        .route("/.well-known/jwks.json", get(oauth::jwks))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz));
    if settings.graphiql {
        router = router
            .route("/", get(graphiql))
            .route("/graphiql", get(graphiql));
    }
    router
        .with_state(state)
        .layer(DefaultBodyLimit::max(settings.body_limit_bytes))
        .layer(CompressionLayer::new())
        // A panic answers this request only, as a GraphQL-shaped 500; the server keeps running.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(cors(&settings.cors_origins))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
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

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    let body = r#"{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#;
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn graphiql() -> Html<String> {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .title("CTE Hub")
            .finish(),
    )
}
