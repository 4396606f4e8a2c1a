//! The request log and metrics of `/graphql`, as a layer around its handlers: every request,
//! refused or answered, is counted in `/metrics` and logged once (`graphql request`) with its
//! request id, operation, client, duration, status and outcome.
//!
//! Handlers and error answers leave what the layer reports in the response's extensions: an
//! [`Outcome`] (operation and error codes) or an [`ErrorCode`] ([`crate::error::ApiError`]'s
//! answers), and the [`ClientKey`] when the caller was identified (else the peer address).

use std::{net::SocketAddr, time::Instant};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::Response,
};

use super::{
    extract::request_id,
    format::{ResponseFormat, APPLICATION_JSON},
    AppState,
};
use crate::{
    auth::{client_key, Caller, ClientKey},
    error::ErrorCode,
};

/// What a request was, for its metrics and its log line.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub operation: Option<String>,
    pub codes: Vec<ErrorCode>,
}

/// The layer's function (`axum::middleware::from_fn_with_state`).
pub async fn graphql_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let format = ResponseFormat::from_headers(request.headers());
    let request_id = request_id(request.headers()).unwrap_or("-").to_owned();
    let peer_key = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| client_key(&Caller::Anonymous, *peer));
    let mut response = next.run(request).await;
    let elapsed = started.elapsed();
    let code = response.extensions_mut().remove::<ErrorCode>();
    let outcome = response
        .extensions_mut()
        .remove::<Outcome>()
        .or_else(|| {
            code.map(|code| Outcome {
                operation: None,
                codes: vec![code],
            })
        })
        .unwrap_or_default();
    let client = response.extensions_mut().remove::<ClientKey>().or(peer_key);
    in_asked_type(&mut response, format);
    let status = response.status();
    let label = outcome_label(status, &outcome);
    let operation = outcome.operation.as_deref().unwrap_or("anonymous");
    state
        .metrics
        .request(operation, label, elapsed.as_secs_f64(), &outcome.codes);
    let codes: Vec<&str> = outcome.codes.iter().map(|c| c.as_str()).collect();
    tracing::info!(
        request_id,
        operation,
        client = %client.as_ref().map_or("-", ClientKey::as_str),
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        status = status.as_u16(),
        outcome = label,
        codes = %codes.join(","),
        "graphql request"
    );
    response
}

/// Errors answered before GraphQL runs (400, 401, 405, 413, 415, 503) are written as plain
/// JSON; a client that asked for `application/graphql-response+json` gets that type back.
fn in_asked_type(response: &mut Response, format: ResponseFormat) {
    let plain_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(APPLICATION_JSON));
    if plain_json && format == ResponseFormat::GraphqlResponse {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, format.content_type());
    }
}

/// The `outcome` label of the metrics and the log line.
fn outcome_label(status: StatusCode, outcome: &Outcome) -> &'static str {
    match status {
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "error",
        s if s.is_client_error() => "rejected",
        _ if outcome.codes.is_empty() => "ok",
        _ => "error",
    }
}
