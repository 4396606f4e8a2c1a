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
//!   strong `ETag`, and `304 Not Modified` for a matching `If-None-Match`
//!   ([`super::etag`]).
//!   Anything else is `no-store`.
//! - Persisted queries ([`super::persisted`]) are resolved here, before GraphQL runs.
//! - Status codes from error codes: `THROTTLED` → 429 with `Retry-After`,
//!   `SERVICE_UNAVAILABLE` and `TIMEOUT` → 503.
//! - Every request is counted in `/metrics` and logged once (`graphql request`)
//!   with its request id, operation, client, duration and outcome, by the layer of
//!   [`super::request_log`].
//!
//! The handlers only say the steps: who is calling ([`super::extract::Who`]), the request
//! ([`request`]), the persisted query, HTTP caching ([`super::etag`]), and running it ([`run`]).

mod request;
mod run;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use self::{
    request::{is_mutation, Posted, Queried},
    run::Run,
};
use super::{etag, extract::Who, format::ResponseFormat, AppState};
use crate::error::ApiError;

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    who: Who,
    format: ResponseFormat,
    headers: HeaderMap,
    Posted(mut request): Posted,
) -> Response {
    let response = match state.persisted.resolve(&mut request).await {
        Ok(register) => {
            let run = Run {
                state: &state,
                who: &who,
                format,
                register,
                cacheable: false,
                request_headers: &headers,
            };
            run.answer(request).await
        }
        Err(e) => ApiError::from(e).into_response(),
    };
    counted_against(response, &who)
}

/// `GET /graphql?query=...&variables=...&operationName=...`: queries only; an anonymous answer
/// is cacheable, and revalidated before it runs (`run.rs`).
pub async fn get(
    State(state): State<AppState>,
    who: Who,
    format: ResponseFormat,
    headers: HeaderMap,
    Queried(mut request): Queried,
) -> Response {
    // A hash-only GET gets its query text first, so the mutation check sees it.
    let register = match state.persisted.resolve(&mut request).await {
        Ok(register) => register,
        Err(e) => return counted_against(ApiError::from(e).into_response(), &who),
    };
    if is_mutation(&request).await {
        let refused = ApiError::MethodNotAllowed {
            allow: "POST",
            message: "mutations must be sent with POST; GET runs queries only".into(),
        };
        return counted_against(refused.into_response(), &who);
    }
    let cacheable = who.is_anonymous();
    let run = Run {
        state: &state,
        who: &who,
        format,
        register,
        cacheable,
        request_headers: &headers,
    };
    let mut response = run.answer(request).await;
    if cacheable && response.status() == StatusCode::OK {
        let max_age = state.settings.cache_max_age_secs;
        response = etag::cacheable(response, &headers, max_age).await;
    }
    counted_against(response, &who)
}

/// Tells the request log ([`super::request_log`]) which client the request was counted against.
fn counted_against(mut response: Response, who: &Who) -> Response {
    response.extensions_mut().insert(who.client.clone());
    response
}
