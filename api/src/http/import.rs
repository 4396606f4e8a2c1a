//! `POST /import/{kind}`: the same imports as `cte-hub import`, for partner
//! systems. The file is the raw request body (CSV, JSON or the tab-separated
//! CDE file; `?format=` or the `Content-Type` says which), within the import
//! body limit; the answer is the import report as JSON. A token is required
//! and scopes the import like a mutation.

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{
    graphql::{caller_of, request_error, unauthenticated},
    AppState,
};
use crate::{
    auth::Caller,
    import::{self, Format, ImportError, ImportKind, ImportRequest},
};

/// The query string of an import.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportParams {
    /// Check and report, write nothing.
    #[serde(default, alias = "dry_run")]
    pub dry_run: bool,
    /// Write the valid rows even when some are rejected.
    #[serde(default)]
    pub partial: bool,
    /// `csv`, `json` or `tsv`; otherwise from `Content-Type`, else CSV.
    pub format: Option<String>,
}

/// Runs the import; 200 with the report when it was applied (or had nothing to reject), 422
/// with the report when rejected rows stopped it.
pub async fn import(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    params: Result<Query<ImportParams>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let params = match params {
        Ok(Query(params)) => params,
        Err(rejection) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &format!("the query string: {}", rejection.body_text()),
            )
        }
    };
    let Some(kind) = ImportKind::parse(&kind) else {
        return request_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            &format!("no import kind '{kind}': see docs/import.md"),
        );
    };
    // The token is checked before the body is read: an anonymous upload costs nothing.
    let caller = match caller_of(&state, &headers).await {
        Ok(Caller::Anonymous) => {
            return request_error(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "imports need a token: send Authorization: Bearer <token>",
            )
        }
        Ok(caller) => caller,
        Err(error) => return unauthenticated(error),
    };
    let format = match params.format.as_deref() {
        Some(name) => match Format::parse(name) {
            Some(f) => Some(f),
            None => {
                return request_error(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    &format!("format: '{name}' is not csv, json or tsv"),
                )
            }
        },
        None => content_type_format(&headers),
    };
    // A reader can change nothing: refused before its file is read too.
    if let Err(ImportError::Api(error)) = import::require_importer(&caller) {
        return request_error(StatusCode::FORBIDDEN, error.code(), &error.to_string());
    }
    let limit = state.settings.import_body_limit_bytes;
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(body) => body,
        Err(_) => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "REQUEST_TOO_LARGE",
                &format!("the file is over the {limit} byte import limit (CTE_HUB_IMPORT_BODY_LIMIT_BYTES); split it"),
            )
        }
    };
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = ImportRequest {
        kind,
        bytes: &body,
        format,
        dry_run: params.dry_run,
        partial: params.partial,
    };
    match import::run(
        &state.write_db,
        &caller,
        request_id,
        request,
        &import::Silent,
    )
    .await
    {
        Ok(report) => {
            // A refused header rejects the file even when it has no rows.
            let status = if report.has_rejections() && !report.written {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let body = serde_json::to_string(&report).unwrap_or_else(|_| "{}".into());
            (
                status,
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                body,
            )
                .into_response()
        }
        Err(ImportError::Unreadable(message)) => {
            request_error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &message)
        }
        Err(ImportError::Row(rejection)) => request_error(
            StatusCode::CONFLICT,
            "CONFLICT",
            &format!("line {}: {}", rejection.line, rejection.reason),
        ),
        Err(ImportError::Api(error)) => {
            let code = error.code();
            let status = match code {
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                "CONFLICT" => StatusCode::CONFLICT,
                crate::error::SERVICE_UNAVAILABLE => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
                tracing::error!(error = ?error, "import failed");
                "Internal server error".to_owned()
            } else {
                error.to_string()
            };
            request_error(status, code, &message)
        }
    }
}

fn content_type_format(headers: &HeaderMap) -> Option<Format> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let media = value.split(';').next()?.trim().to_ascii_lowercase();
    match media.as_str() {
        "application/json" => Some(Format::Json),
        "text/tab-separated-values" => Some(Format::Tsv),
        "text/csv" => Some(Format::Csv),
        _ => None,
    }
}
