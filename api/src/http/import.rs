//! `POST /import/{kind}`: the same imports as `cte-hub import`, for partner
//! systems. The file is the raw request body (CSV, JSON or the tab-separated
//! CDE file; `?format=` or the `Content-Type` says which), within the import
//! body limit; the answer is the import report as JSON. A token is required
//! and scopes the import like a mutation; it is checked before the body is read,
//! so an anonymous or read-only upload costs nothing.

use axum::{
    body::Body,
    extract::{FromRequestParts, Path, Query, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::AppState;
use crate::{
    auth::Caller,
    error::ApiError,
    import::{self, Format, ImportError, ImportKind, ImportReport, ImportRequest},
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

impl<S: Send + Sync> FromRequestParts<S> for ImportParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<ImportParams>::from_request_parts(parts, state)
            .await
            .map(|Query(params)| params)
            .map_err(|rejection| ApiError::bad_input("query string", rejection.body_text()))
    }
}

/// The `{kind}` of the path, one of the kinds of docs/import.md.
pub struct Kind(ImportKind);

impl<S: Send + Sync> FromRequestParts<S> for Kind {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(kind) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
        ImportKind::parse(&kind).map(Kind).ok_or_else(|| {
            ApiError::NotFound(format!("no import kind '{kind}': see docs/import.md"))
        })
    }
}

/// Runs the import; 200 with the report when it was applied (or had nothing to reject), 422
/// with the report when rejected rows stopped it.
pub async fn import(
    State(state): State<AppState>,
    params: ImportParams,
    Kind(kind): Kind,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthenticated(
            "imports need a token: send Authorization: Bearer <token>".into(),
        ));
    }
    let format = match params.format.as_deref() {
        Some(name) => Some(Format::parse(name).ok_or_else(|| {
            ApiError::bad_input("format", format!("'{name}' is not csv, json or tsv"))
        })?),
        None => content_type_format(&headers),
    };
    // A reader can change nothing: refused before its file is read too.
    import::require_importer(&caller).map_err(refusal)?;
    let limit = state.settings.import_body_limit_bytes;
    let body = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::TooLarge {
            maximum: limit,
            message: format!(
                "the file is over the {limit} byte import limit (CTE_HUB_IMPORT_BODY_LIMIT_BYTES); split it"
            ),
        })?;
    let request = ImportRequest {
        kind,
        bytes: &body,
        format,
        dry_run: params.dry_run,
        partial: params.partial,
    };
    let request_id = super::extract::request_id(&headers).map(str::to_owned);
    let report = import::run(
        &state.write_db,
        &caller,
        request_id,
        request,
        &import::Silent,
    )
    .await
    .map_err(refusal)?;
    Ok(answer(&report))
}

/// Why an import stopped, as the one error type of the API.
fn refusal(error: ImportError) -> ApiError {
    match error {
        ImportError::Unreadable(message) => ApiError::bad_input("file", message),
        ImportError::Row(rejection) => {
            ApiError::Conflict(format!("line {}: {}", rejection.line, rejection.reason))
        }
        ImportError::Api(error) => error,
    }
}

/// The report, 422 when rejections stopped the import (a refused header rejects the file even
/// when it has no rows).
fn answer(report: &ImportReport) -> Response {
    let status = if report.has_rejections() && !report.written {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = serde_json::to_string(report).unwrap_or_else(|_| "{}".into());
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (status, headers, body).into_response()
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
