//! HTTP caching of anonymous `GET /graphql`: the strong `ETag`, `304 Not Modified`, and the
//! `Cache-Control` of a successful answer.
//!
//! A revalidation is answered before the query runs: the ETag names the document, its
//! variables and the catalogue's data version ([`crate::changes::version::last_change`], one
//! small statement), so a matching `If-None-Match` costs no execution. Only exact tags match
//! (`*` would answer 304 for a document never admitted).

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::format::ResponseFormat;
use crate::error::ApiError;

/// The ETag of an anonymous GET: the document, variables, operation name and response format
/// with the data version (the last change-feed position) and today's date, so it changes with
/// any write and at midnight (UTC). `None` when the version cannot be read (the request then
/// runs, and fails or succeeds, as usual).
pub async fn revalidation(
    db: &DatabaseConnection,
    request: &async_graphql::Request,
    format: ResponseFormat,
) -> Option<String> {
    let version = crate::changes::version::last_change(db).await.ok()?;
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
    Some(tag(&digest.finalize()))
}

/// A strong tag from a digest: its first 18 bytes, base64url.
fn tag(digest: &[u8]) -> String {
    format!(
        "\"{}\"",
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            &digest[..18]
        )
    )
}

/// Whether the client holds exactly this tag (`If-None-Match`).
pub fn if_none_match(request_headers: &HeaderMap, etag: &str) -> bool {
    request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag))
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

/// `304 Not Modified` with the tag and its caching headers.
pub fn not_modified(etag: &str, max_age: u64) -> Response {
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
/// The response keeps its extensions (the request log reads them).
pub async fn cacheable(
    response: Response,
    request_headers: &HeaderMap,
    max_age: u64,
    etag: Option<&str>,
) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::Internal("cannot read a GraphQL answer back".into()).into_response();
    };
    // A response with errors is not cached: the next try may succeed.
    let has_errors = serde_json::from_slice::<serde_json::Value>(&bytes)
        .map(|v| v.get("errors").is_some())
        .unwrap_or(true);
    if has_errors {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Response::from_parts(parts, Body::from(bytes));
    }
    let etag = match etag {
        Some(etag) => etag.to_owned(),
        None => tag(&Sha256::digest(&bytes)),
    };
    if if_none_match(request_headers, &etag) {
        let mut answer = not_modified(&etag, max_age);
        *answer.extensions_mut() = parts.extensions;
        return answer;
    }
    for (name, value) in cache_headers(&etag, max_age) {
        if let Some(value) = value {
            parts.headers.insert(name, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
