//! Our GraphQL-over-HTTP handler.
//!
//! - `POST` takes `Content-Type: application/json` only (form, multipart and
//!   text bodies are the CSRF vector) and exactly one operation (no batching).
//! - `GET` runs queries only; a mutation over GET answers 405 without running.
//! - A request with no `query` (and no persisted-query hash) is malformed: 400.
//! - A client that accepts `application/graphql-response+json` gets 400 for a
//!   document that fails to parse or validate; `application/json` clients get
//!   200 with `errors`, for compatibility. A request that fails before execution
//!   has no `data` entry. `tests/http_audit.rs` runs the graphql-http audit of
//!   GraphQL over HTTP against this handler; every MUST and SHOULD holds.
//! - Every error carries `extensions.code`.
//! - Anonymous GETs that succeed are cacheable: `Cache-Control: public`, a
//!   strong `ETag`, and `304 Not Modified` for a matching `If-None-Match`.
//!   Anything else is `no-store`.
//! - Persisted queries ([`super::persisted`]) are resolved here, before GraphQL runs.
//! - Status codes from error codes: `THROTTLED` → 429 with `Retry-After`,
//!   `SERVICE_UNAVAILABLE` and `TIMEOUT` → 503.
//! - Every request is counted in `/metrics` and logged once (`graphql request`)
//!   with its request id, operation, client, duration and outcome.

use std::{net::SocketAddr, time::Instant};

use async_graphql::{
    parser::types::{DocumentOperations, OperationType},
    ServerError,
};
use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, ConnectInfo, RawQuery, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    client::{client_key, ClientKey},
    response_cache, AppState,
};
use crate::{
    auth::{AuthError, Caller},
    error::SERVICE_UNAVAILABLE,
    graphql::{self, mutation::RequestId},
};

/// Who sent a request: the verified caller, the key it is counted against, the request id.
struct RequestIdentity {
    caller: Caller,
    client: ClientKey,
    request_id: Option<String>,
}

/// What a request was, for its metrics and its log line (kept in the response's extensions).
#[derive(Clone, Default)]
struct Outcome {
    operation: Option<String>,
    codes: Vec<String>,
}

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
pub(super) fn request_error(status: StatusCode, code: &str, message: &str) -> Response {
    request_error_with(status, code, message, json!({}))
}

/// Like [`request_error`], with more `extensions` fields.
fn request_error_with(
    status: StatusCode,
    code: &str,
    message: &str,
    extra: serde_json::Value,
) -> Response {
    let mut extensions = json!({ "code": code });
    if let (Some(map), serde_json::Value::Object(extra)) = (extensions.as_object_mut(), extra) {
        map.extend(extra);
    }
    let body = json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(APPLICATION_JSON),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body.to_string(),
    )
        .into_response();
    response.extensions_mut().insert(Outcome {
        operation: None,
        codes: vec![code.to_owned()],
    });
    response
}

/// The caller of a request: anonymous without `Authorization`, a principal with a valid bearer
/// token, and refused (401, `UNAUTHENTICATED`) with anything else, never treated as anonymous.
pub(super) async fn caller_of(state: &AppState, headers: &HeaderMap) -> Result<Caller, AuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| super::after_scheme(v, "bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::NotBearer)?;
    let principal = state.auth.verifier.verify(token)?;
    // A revoked client's tokens stop working within `--revocation-check-secs`.
    if state
        .auth
        .revocations
        .is_revoked(&state.auth.db, &principal.sub)
        .await
    {
        return Err(AuthError::InvalidToken("the client was revoked".into()));
    }
    Ok(Caller::Authenticated(principal))
}

/// 401 with `UNAUTHENTICATED` and the reason (safe to show: it names no key material).
pub(super) fn unauthenticated(error: AuthError) -> Response {
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

/// The caller, its client key (its `sub` when authenticated, its IP otherwise) and the
/// request id; a bad token is refused with the IP key it is counted against.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
) -> Result<RequestIdentity, (ClientKey, AuthError)> {
    let caller = caller_of(state, headers)
        .await
        .map_err(|e| (client_key(&Caller::Anonymous, peer), e))?;
    Ok(RequestIdentity {
        client: client_key(&caller, peer),
        caller,
        request_id: request_id(headers),
    })
}

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let who = match identify(&state, &headers, peer).await {
        Ok(who) => who,
        Err((client, error)) => {
            return finish(&state, &headers, &client, started, unauthenticated(error))
        }
    };
    let response = post_inner(&state, &headers, &who, body).await;
    finish(&state, &headers, &who.client, started, response)
}

/// `GET /graphql?query=...&variables=...&operationName=...`.
pub async fn get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let started = Instant::now();
    let who = match identify(&state, &headers, peer).await {
        Ok(who) => who,
        Err((client, error)) => {
            return finish(&state, &headers, &client, started, unauthenticated(error))
        }
    };
    let response = get_inner(&state, &headers, &who, query).await;
    finish(&state, &headers, &who.client, started, response)
}

/// Counts and logs one request.
fn finish(
    state: &AppState,
    headers: &HeaderMap,
    client: &ClientKey,
    started: Instant,
    mut response: Response,
) -> Response {
    let elapsed = started.elapsed();
    let outcome = response
        .extensions_mut()
        .remove::<Outcome>()
        .unwrap_or_default();
    // Errors answered before GraphQL runs (400, 401, 405, 413, 415, 503) are written as plain
    // JSON; a client that asked for `application/graphql-response+json` gets that type back.
    let plain_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(APPLICATION_JSON));
    if plain_json && ResponseFormat::from_headers(headers) == ResponseFormat::GraphqlResponse {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            ResponseFormat::GraphqlResponse.content_type(),
        );
    }
    let status = response.status();
    let label = match status {
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "error",
        s if s.is_client_error() => "rejected",
        _ if outcome.codes.is_empty() => "ok",
        _ => "error",
    };
    let operation = outcome.operation.as_deref().unwrap_or("anonymous");
    state
        .metrics
        .request(operation, label, elapsed.as_secs_f64(), &outcome.codes);
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info!(
        request_id,
        operation,
        client = %client,
        duration_ms = elapsed.as_secs_f64() * 1000.0,
        status = status.as_u16(),
        outcome = label,
        codes = %outcome.codes.join(","),
        "graphql request"
    );
    response
}

async fn post_inner(
    state: &AppState,
    headers: &HeaderMap,
    who: &RequestIdentity,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let format = ResponseFormat::from_headers(headers);
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
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return request_error_with(
                StatusCode::PAYLOAD_TOO_LARGE,
                "REQUEST_TOO_LARGE",
                &format!(
                    "the request body is over the {} byte limit; use a persisted query or a smaller document",
                    state.settings.body_limit_bytes
                ),
                json!({ "maximum": state.settings.body_limit_bytes }),
            )
        }
        Err(rejection) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("cannot read the body: {rejection}"),
            )
        }
    };
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
    // No document at all is a malformed request (400), unlike an empty or broken one, which
    // is a GraphQL error; a hash-only persisted query brings its document later.
    let has_query = value.get("query").is_some_and(|q| !q.is_null());
    if !has_query && value.pointer("/extensions/persistedQuery").is_none() {
        return missing_query();
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
    execute(state, request, format, who).await
}

async fn get_inner(
    state: &AppState,
    headers: &HeaderMap,
    who: &RequestIdentity,
    query: Option<String>,
) -> Response {
    let format = ResponseFormat::from_headers(headers);
    let mut request = match async_graphql::http::parse_query_string(query.as_deref().unwrap_or(""))
    {
        Ok(request) => request,
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("bad query string: {e}"),
            )
        }
    };
    if !request.extensions.contains_key("persistedQuery")
        && !has_query_param(query.as_deref().unwrap_or(""))
    {
        return missing_query();
    }
    // async-graphql's query-string parser only knows `operation_name`; the
    // GraphQL-over-HTTP name is `operationName`.
    if request.operation_name.is_none() {
        request.operation_name = operation_name_param(query.as_deref().unwrap_or(""));
    }
    // A hash-only GET gets its query text first, so the mutation check sees it.
    let register = match state.persisted.resolve(&mut request).await {
        Ok(register) => register,
        Err(e) => return persisted_error(&e, format),
    };
    if is_mutation(&request).await {
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
    let anonymous = matches!(who.caller, Caller::Anonymous);
    // Revalidation before execution: the ETag names the document, its variables and the
    // catalogue's data version, so a matching If-None-Match costs one small statement.
    let etag = if anonymous {
        revalidation_etag(state, &request, format).await
    } else {
        None
    };
    if let Some(etag) = &etag {
        if if_none_match(headers, etag) {
            return not_modified(etag, state.settings.cache_max_age_secs);
        }
    }
    let mut response = execute_resolved(state, request, format, who, register, anonymous).await;
    if anonymous && response.status() == StatusCode::OK {
        let outcome = response.extensions_mut().remove::<Outcome>();
        response = cacheable(
            response,
            headers,
            state.settings.cache_max_age_secs,
            etag.as_deref(),
        )
        .await;
        if let Some(outcome) = outcome {
            response.extensions_mut().insert(outcome);
        }
    }
    response
}

/// The answer to a persisted-query problem: 200 for "not found" whatever the
/// `Accept` header (APQ clients look for the code and retry with the query), 400
/// for a request that is wrong.
fn persisted_error(
    error: &super::persisted::PersistedQueryError,
    format: ResponseFormat,
) -> Response {
    use super::persisted::PersistedQueryError as E;
    let status = match error {
        E::NotFound => StatusCode::OK,
        _ => StatusCode::BAD_REQUEST,
    };
    let extra = match error {
        E::HashMismatch => {
            json!({ "field": "extensions.persistedQuery.sha256Hash", "reason": "PERSISTED_QUERY_HASH_MISMATCH" })
        }
        E::Malformed(_) => json!({ "field": "extensions.persistedQuery" }),
        _ => json!({}),
    };
    let mut response = request_error_with(status, error.code(), &error.to_string(), extra);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, format.content_type());
    response
}

/// The ETag of an anonymous GET: the document, variables, operation name and response format
/// with the data version (the last change-feed position) and today's date, so it changes with
/// any write and at midnight (UTC). `None`
/// when the version cannot be read (the request then runs, and fails or succeeds, as usual).
async fn revalidation_etag(
    state: &AppState,
    request: &async_graphql::Request,
    format: ResponseFormat,
) -> Option<String> {
    use sea_orm::ConnectionTrait;
    use sha2::{Digest, Sha256};
    let row = state
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            state.db.get_database_backend(),
            "SELECT COALESCE(MAX(id), 0) AS version FROM change_event",
        ))
        .await
        .ok()??;
    let version: i64 = row
        .try_get::<i64>("", "version")
        .or_else(|_| row.try_get::<i32>("", "version").map(i64::from))
        .ok()?;
    let mut digest = Sha256::new();
    digest.update(request.query.as_bytes());
    digest.update(b"\0");
    digest.update(serde_json::to_vec(&request.variables).ok()?);
    digest.update(b"\0");
    digest.update(request.operation_name.as_deref().unwrap_or("").as_bytes());
    digest.update(b"\0");
    digest.update(format.content_type().as_bytes());
    digest.update(b"\0");
    digest.update(version.to_be_bytes());
    // Some answers depend on today's date (memberships that end, eligibility, cost).
    digest.update(chrono::Utc::now().date_naive().to_string().as_bytes());
    let digest = digest.finalize();
    Some(format!(
        "\"{}\"",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            &digest[..18]
        )
    ))
}

fn if_none_match(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // Only the exact tag: `*` would answer 304 for a document never admitted.
            v.split(',').any(|tag| tag.trim() == etag)
        })
}

fn cache_headers(etag: &str, max_age: u64) -> [(HeaderName, Option<HeaderValue>); 3] {
    [
        (header::ETAG, HeaderValue::from_str(etag).ok()),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_str(&format!("public, max-age={max_age}")).ok(),
        ),
        (
            header::VARY,
            Some(HeaderValue::from_static(
                "Accept, Accept-Encoding, Authorization",
            )),
        ),
    ]
}

fn not_modified(etag: &str, max_age: u64) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for (name, value) in cache_headers(etag, max_age) {
        if let Some(value) = value {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Adds `Cache-Control` and the strong `ETag` to a successful anonymous GET (a hash of the body
/// when no revalidation ETag could be made), or answers `304` when the client holds that body.
async fn cacheable(
    response: Response,
    request_headers: &HeaderMap,
    max_age: u64,
    etag: Option<&str>,
) -> Response {
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
    let etag = match etag {
        Some(etag) => etag.to_owned(),
        None => {
            let digest = Sha256::digest(&bytes);
            format!(
                "\"{}\"",
                base64::Engine::encode(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                    &digest[..18]
                )
            )
        }
    };
    if if_none_match(request_headers, &etag) {
        return not_modified(&etag, max_age);
    }
    for (name, value) in cache_headers(&etag, max_age) {
        if let Some(value) = value {
            parts.headers.insert(name, value);
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// 400 for a request that names no document: no `query` and no persisted-query hash.
fn missing_query() -> Response {
    request_error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "the request has no `query` (nor `extensions.persistedQuery`)",
    )
}

/// Whether a GET query string has a `query` parameter (empty counts: it fails to parse later).
fn has_query_param(query_string: &str) -> bool {
    url::form_urlencoded::parse(query_string.as_bytes()).any(|(name, _)| name == "query")
}

/// The `operationName` parameter of a GET query string, if any.
fn operation_name_param(query_string: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Param {
        #[serde(rename = "operationName")]
        operation_name: Option<String>,
    }
    let uri: axum::http::Uri = format!("/?{query_string}").parse().ok()?;
    axum::extract::Query::<Param>::try_from_uri(&uri)
        .ok()?
        .0
        .operation_name
        .filter(|name| !name.is_empty())
}

/// Whether the operation a request selects is a mutation (false when it does not parse).
async fn is_mutation(request: &async_graphql::Request) -> bool {
    // Text the guard refuses is refused again, with its reason, when the request is admitted;
    // the rest is parsed the guarded way (a document with many brackets off the workers' stacks).
    if graphql::guard::check_text(&request.query).is_err() {
        return false;
    }
    let Ok(document) = graphql::guard::parse(&request.query).await else {
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

/// Resolves a persisted query, then runs the request.
async fn execute(
    state: &AppState,
    mut request: async_graphql::Request,
    format: ResponseFormat,
    who: &RequestIdentity,
) -> Response {
    match state.persisted.resolve(&mut request).await {
        Ok(register) => execute_resolved(state, request, format, who, register, false).await,
        Err(e) => persisted_error(&e, format),
    }
}

async fn execute_resolved(
    state: &AppState,
    request: async_graphql::Request,
    format: ResponseFormat,
    who: &RequestIdentity,
    register: Option<String>,
    cacheable: bool,
) -> Response {
    let query_text = request.query.clone();
    let mut request = request;
    // Anonymous reads may be answered from the response cache, without parsing or SQL.
    let cache_key = cache_key(state, &request, format, who);
    if let Some(key) = &cache_key {
        if let Some(hit) = state.response_cache.get(key) {
            // The cached answer ran this exact text: a persisted query sent with it is
            // registered as it would be after running.
            if let Some(hash) = &register {
                state.persisted.register(hash.clone(), &query_text).await;
            }
            return cached_answer(state, &hit, format, who, !cacheable).await;
        }
    }
    let admitted = state.cost.admit(&mut request, &who.client).await;
    // The parsed document admit kept (a refused one is not parsed again).
    let operation = request.operation_name.clone().or_else(|| {
        admitted.as_ref().ok()?;
        request
            .parsed_query()
            .ok()
            .and_then(graphql::cost::operation_name)
    });
    let timeout = std::time::Duration::from_secs(state.settings.request_timeout_secs);
    let charged = admitted.as_ref().ok().copied();
    let result = match admitted {
        Ok(charge) => {
            let delay = std::time::Duration::from_millis(state.settings.loader_delay_ms);
            let request = crate::schema::with_loaders(request, &state.db, delay, &state.reference)
                .data(who.client.clone())
                .data(who.caller.clone())
                .data(RequestId(who.request_id.clone().unwrap_or_default()));
            tokio::time::timeout(timeout, state.schema.execute(request))
                .await
                .map(|response| state.cost.report_with(charge, response, !cacheable))
        }
        Err(refused) => Ok(refused),
    };
    let Ok(mut response) = result else {
        let mut response = request_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "TIMEOUT",
            &format!(
                "the query did not finish within {} s; ask for less or try again",
                timeout.as_secs()
            ),
        );
        if let Some(outcome) = response.extensions_mut().get_mut::<Outcome>() {
            outcome.operation = operation;
        }
        return response;
    };

    // Errors before execution (parse, validation) have no path and leave no data.
    let failed_before_execution = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    // A small document can raise thousands of errors (16,000 repeated arguments: a 5 MB answer);
    // the first ones say what is wrong.
    if response.errors.len() > MAX_ERRORS {
        let omitted = response.errors.len() - MAX_ERRORS;
        response.errors.truncate(MAX_ERRORS);
        let mut more = ServerError::new(format!("{omitted} more errors left out"), None);
        let code = response.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| match e.get("code") {
                Some(async_graphql::Value::String(code)) => Some(code.clone()),
                _ => None,
            });
        if let Some(code) = code {
            ensure_code(&mut more, &code);
        }
        response.errors.push(more);
    }
    if !response.errors.is_empty() {
        let fallback = if failed_before_execution {
            // Parse errors got their code in admit: what is left failed validation.
            "GRAPHQL_VALIDATION_FAILED"
        } else {
            // Resolver errors always carry a code; uncoded ones are argument coercion failures.
            "BAD_USER_INPUT"
        };
        // Depth is refused by the guard before execution, with its own code.
        for error in &mut response.errors {
            ensure_code(error, fallback);
        }
    }
    if let Some(hash) = register.filter(|_| !failed_before_execution) {
        state.persisted.register(hash, &query_text).await;
    }
    let codes: Vec<String> = response
        .errors
        .iter()
        .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        })
        .collect();
    let retry_after = response.errors.iter().find_map(|e| {
        let extensions = e.extensions.as_ref()?;
        match (extensions.get("code")?, extensions.get("retryAfter")?) {
            (async_graphql::Value::String(code), async_graphql::Value::Number(secs))
                if code == "THROTTLED" =>
            {
                secs.as_u64()
            }
            _ => None,
        }
    });
    let status = if retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if codes.iter().any(|c| c == SERVICE_UNAVAILABLE) {
        StatusCode::SERVICE_UNAVAILABLE
    } else if failed_before_execution && format == ResponseFormat::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // A cacheable answer (anonymous, no errors) is kept, and its body built the way a hit's is.
    let keep = match (&cache_key, charged) {
        (Some(key), Some(charge)) if response.errors.is_empty() && status == StatusCode::OK => {
            Some((*key, charge))
        }
        _ => None,
    };
    // A request that failed before execution has no `data` entry at all (GraphQL over HTTP).
    let body = if let Some((key, charge)) = keep {
        let data = serde_json::to_vec(&response.data).map(Bytes::from);
        data.and_then(|data| {
            let extensions = serde_json::to_value(&response.extensions)?;
            let body = response_cache::body(&data, &extensions)?;
            state.response_cache.put(
                key,
                response_cache::CachedAnswer {
                    data,
                    cost: charge.cost,
                    actual: state.cost.actual_cost(&response),
                    operation: operation.clone(),
                },
            );
            Ok(body)
        })
    } else if failed_before_execution {
        serde_json::to_value(&response).and_then(|mut value| {
            if let Some(map) = value.as_object_mut() {
                map.remove("data");
            }
            serde_json::to_vec(&value)
        })
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
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
    let mut response = (status, headers, body).into_response();
    if cache_key.is_some() {
        response
            .headers_mut()
            .insert(X_CACHE, HeaderValue::from_static("miss"));
    }
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
        .extensions_mut()
        .insert(Outcome { operation, codes });
    response
}

/// The most errors one answer lists.
const MAX_ERRORS: usize = 50;

/// The `X-Cache` header: `hit` or `miss` for requests the response cache could answer.
const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// The response-cache key of a request, when it may be answered from the cache: anonymous, the
/// cache on, the data version known.
fn cache_key(
    state: &AppState,
    request: &async_graphql::Request,
    format: ResponseFormat,
    who: &RequestIdentity,
) -> Option<[u8; 32]> {
    // With a read replica the answer may be older than the version the primary announced:
    // not cached (an answer must be cached under the version it was read at).
    if !matches!(who.caller, Caller::Anonymous)
        || !state.response_cache.enabled()
        || state.settings.database.read_url.is_some()
    {
        return None;
    }
    let version = state.data_version.current()?;
    let variables = serde_json::to_vec(&request.variables).ok()?;
    let date = chrono::Utc::now().date_naive().to_string();
    Some(response_cache::ResponseCache::key(
        &request.query,
        request.operation_name.as_deref(),
        &variables,
        format.content_type().as_bytes(),
        version,
        &date,
    ))
}

/// Serves a cached answer: its cost is charged again (the rate limit still applies), and its
/// body is built around the stored `data` with this request's `extensions.cost`.
async fn cached_answer(
    state: &AppState,
    hit: &response_cache::CachedAnswer,
    format: ResponseFormat,
    who: &RequestIdentity,
    throttle_status: bool,
) -> Response {
    let (charge, throttled) = state.cost.charge(&who.client, hit.cost).await;
    if let Some(throttled) = throttled {
        let refused = state.cost.report(
            charge,
            async_graphql::Response::from_errors(vec![throttled]),
        );
        let retry_after = refused
            .errors
            .first()
            .and_then(|e| e.extensions.as_ref()?.get("retryAfter").cloned());
        let body = serde_json::to_vec(&refused).unwrap_or_default();
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::CONTENT_TYPE, format.content_type()),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response();
        if let Some(async_graphql::Value::Number(secs)) = retry_after {
            if let Some(secs) = secs.as_u64() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
        }
        response.extensions_mut().insert(Outcome {
            operation: hit.operation.clone(),
            codes: vec!["THROTTLED".into()],
        });
        return response;
    }
    let extensions = state.cost.extensions(charge, hit.actual, throttle_status);
    let body = match response_cache::body(&hit.data, &extensions) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "cannot serialize a cached answer");
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal server error",
            );
        }
    };
    let mut response = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, format.content_type()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(X_CACHE, HeaderValue::from_static("hit"));
    response.extensions_mut().insert(Outcome {
        operation: hit.operation.clone(),
        codes: Vec::new(),
    });
    response
}

fn ensure_code(error: &mut ServerError, code: &str) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
}
