//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use axum::{extract::State, http::StatusCode};

use super::AppState;

/// The process is alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers within two seconds; 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
