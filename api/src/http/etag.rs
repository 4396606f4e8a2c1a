//! HTTP caching of anonymous `GET /graphql`: the strong `ETag`, `304 Not Modified`, and the
//! `Cache-Control` of a successful answer.
//!
//! A revalidation is answered before the query runs: the ETag names the document, its
//! variables and the catalogue's data version ([`crate::changes::version::last_change`], one
//! small statement), so a matching `If-None-Match` costs no execution. An answer held by the
//! response cache keeps the tag it was made with, so a warm GET or revalidation sends no SQL
//! at all (`graphql/run.rs`). Only exact tags match (`*` would answer 304 for a document never
//! admitted).

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

/// Marks an answer HTTP caches may keep (an anonymous GET that succeeded without errors), with
/// its tag when one was made before it ran; [`cacheable`] tags the others by their body.
#[derive(Clone, Debug)]
pub struct AnswerTag(pub Option<String>);

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

/// Adds `Cache-Control` and the strong `ETag` to an answer marked [`AnswerTag`] (a hash of the
/// body when it has no tag yet), or answers `304` when the client holds that body; any other
/// answer is `no-store`. The response keeps its extensions (the request log reads them).
pub async fn cacheable(response: Response, request_headers: &HeaderMap, max_age: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let Some(AnswerTag(known)) = parts.extensions.get::<AnswerTag>().cloned() else {
        // Errors: the next try may succeed.
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Response::from_parts(parts, body);
    };
    let (etag, body) = match known {
        Some(etag) => (etag, body),
        None => {
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return ApiError::Internal("cannot read a GraphQL answer back".into())
                    .into_response();
            };
            (tag(&Sha256::digest(&bytes)), Body::from(bytes))
        }
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
    Response::from_parts(parts, body)
}
