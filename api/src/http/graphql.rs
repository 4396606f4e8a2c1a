//! Our GraphQL-over-HTTP handler.
//!
//! - `POST` takes `Content-Type: application/json` only (form, multipart and
//!   text bodies are the CSRF vector) and exactly one operation (no batching).
//! - `GET` runs queries only; a mutation over GET answers 405 without running.
//! - A client that accepts `application/graphql-response+json` gets 400 for a
//!   document that fails to parse or validate; `application/json` clients get
//!   200 with `errors`, for compatibility.
//! - Every error carries `extensions.code`.
//! - Anonymous GETs that succeed are cacheable: `Cache-Control: public`, a
//!   strong `ETag`, and `304 Not Modified` for a matching `If-None-Match`.
//!   Anything else is `no-store`.

use async_graphql::{
    parser::types::{DocumentOperations, OperationType},
    ServerError,
};
use axum::{
    body::Bytes,
    extract::{RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::AppState;
use crate::{
    auth::{AuthError, Caller},
    graphql::{self, mutation::RequestId},
};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const APPLICATION_JSON: &str = "application/json";

/// Which response media type the client asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ResponseFormat {
    GraphqlResponse,
    Json,
}

impl ResponseFormat {
    fn from_headers(headers: &HeaderMap) -> Self {
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains(GRAPHQL_RESPONSE_JSON) {
            ResponseFormat::GraphqlResponse
        } else {
            ResponseFormat::Json
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            ResponseFormat::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            ResponseFormat::Json => "application/json; charset=utf-8",
        })
    }
}

/// An error answered before GraphQL runs (bad HTTP, not bad GraphQL).
fn request_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(APPLICATION_JSON),
        )],
        body.to_string(),
    )
        .into_response()
}

/// The caller of a request: anonymous without `Authorization`, a principal with a valid bearer
/// token, and refused (401, `UNAUTHENTICATED`) with anything else, never treated as anonymous.
fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::NotBearer)?;
    state.auth.verifier.verify(token).map(Caller::Authenticated)
}

/// 401 with `UNAUTHENTICATED` and the reason (safe to show: it names no key material).
fn unauthenticated(error: AuthError) -> Response {
    let mut response = request_error(
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        &error.to_string(),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `POST /graphql`.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let format = ResponseFormat::from_headers(&headers);
    let caller = match caller(&state, &headers) {
        Ok(caller) => caller,
        Err(error) => return unauthenticated(error),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media_type != APPLICATION_JSON {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "POST /graphql takes Content-Type: application/json",
        );
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("body is not JSON: {e}"),
            )
        }
    };
    if value.is_array() {
        return request_error(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "batched requests are not supported: send one operation per request",
        );
    }
    let request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(request) => request,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("body is not a GraphQL request (query, variables, operationName): {e}"),
            )
        }
    };
    execute(&state, request, caller, request_id(&headers), format).await
}

/// `GET /graphql?query=...&variables=...&operationName=...`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let format = ResponseFormat::from_headers(&headers);
    let request = match async_graphql::http::parse_query_string(query.as_deref().unwrap_or("")) {
        Ok(request) => request,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("bad query string: {e}"),
            )
        }
    };
    if is_mutation(&request) {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_REQUEST",
            "mutations must be sent with POST; GET runs queries only",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let caller = match caller(&state, &headers) {
        Ok(caller) => caller,
        Err(error) => return unauthenticated(error),
    };
    let anonymous = matches!(caller, Caller::Anonymous);
    let mut response = execute(&state, request, caller, request_id(&headers), format).await;
    if anonymous && response.status() == StatusCode::OK {
        response = cacheable(response, &headers, state.settings.cache_max_age_secs).await;
    }
    response
}

/// Adds `Cache-Control` and a strong `ETag` to a successful anonymous GET, or
/// answers `304` when the client already holds that body.
async fn cacheable(response: Response, request_headers: &HeaderMap, max_age: u64) -> Response {
    use sha2::{Digest, Sha256};
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return request_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "internal server error",
        );
    };
    // A response with errors is not cached: the next try may succeed.
    let has_errors = serde_json::from_slice::<serde_json::Value>(&bytes)
        .map(|v| v.get("errors").is_some())
        .unwrap_or(true);
    if has_errors {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    }
    let digest = Sha256::digest(&bytes);
    let etag = format!(
        "\"{}\"",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            &digest[..18]
        )
    );
    let cache_control = format!("public, max-age={max_age}");
    let matches = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let headers = [
        (header::ETAG, HeaderValue::from_str(&etag).ok()),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_str(&cache_control).ok(),
        ),
        (
            header::VARY,
            Some(HeaderValue::from_static(
                "Accept, Accept-Encoding, Authorization",
            )),
        ),
    ];
    if matches {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for (name, value) in headers {
            if let Some(value) = value {
                not_modified.headers_mut().insert(name, value);
            }
        }
        return not_modified;
    }
    for (name, value) in headers {
        if let Some(value) = value {
            parts.headers.insert(name, value);
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Whether the operation a request selects is a mutation (false when it does not parse).
fn is_mutation(request: &async_graphql::Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let operation_type = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| op.node.ty),
        // Several operations and no name: it will fail validation; treat mutations conservatively.
        (DocumentOperations::Multiple(ops), None) => ops
            .values()
            .any(|op| op.node.ty == OperationType::Mutation)
            .then_some(OperationType::Mutation),
    };
    operation_type == Some(OperationType::Mutation)
}

async fn execute(
    state: &AppState,
    request: async_graphql::Request,
    caller: Caller,
    request_id: Option<String>,
    format: ResponseFormat,
) -> Response {
    let query_text = request.query.clone();
    let delay = std::time::Duration::from_millis(state.settings.loader_delay_ms);
    let mut request = graphql::with_loaders(request, &state.db, delay).data(caller);
    if let Some(id) = request_id {
        request = request.data(RequestId(id));
    }
    let mut response = state.schema.execute(request).await;

    // Errors before execution (parse, validation) have no path and leave no data.
    let failed_before_execution = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if !response.errors.is_empty() {
        let fallback = if failed_before_execution {
            if async_graphql::parser::parse_query(&query_text).is_err() {
                "GRAPHQL_PARSE_FAILED"
            } else {
                "GRAPHQL_VALIDATION_FAILED"
            }
        } else {
            // Resolver errors always carry a code; uncoded ones are argument coercion failures.
            "BAD_USER_INPUT"
        };
        for error in &mut response.errors {
            if error.message == "Query is nested too deep." {
                ensure_code(error, "QUERY_TOO_DEEP");
            }
            ensure_code(error, fallback);
        }
    }
    let status = if failed_before_execution && format == ResponseFormat::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = match serde_json::to_vec(&response) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialize a GraphQL response");
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal server error",
            );
        }
    };
    // Cacheable only when `get` says so (anonymous, successful GETs).
    let headers = [
        (header::CONTENT_TYPE, format.content_type()),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (status, headers, body).into_response()
}

fn ensure_code(error: &mut ServerError, code: &str) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
}
