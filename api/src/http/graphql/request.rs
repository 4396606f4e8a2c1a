//! Reading a GraphQL request from HTTP: the `POST` body and the `GET` query string, as
//! extractors that refuse a malformed request with [`ApiError`] before GraphQL runs.

use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, StatusCode},
};

use crate::{
    error::ApiError,
    graphql,
    http::{format::APPLICATION_JSON, AppState},
};

/// The request of a `POST /graphql`: `Content-Type: application/json` only (form, multipart
/// and text bodies are the CSRF vector), one operation (no batching), within the body limit.
pub struct Posted(pub async_graphql::Request);

impl FromRequest<AppState> for Posted {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let media_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media_type != APPLICATION_JSON {
            return Err(ApiError::UnsupportedMediaType(
                "POST /graphql takes Content-Type: application/json".into(),
            ));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    let maximum = state.settings.body_limit_bytes;
                    ApiError::TooLarge {
                        maximum,
                        message: format!(
                            "the request body is over the {maximum} byte limit; use a persisted query or a smaller document"
                        ),
                    }
                } else {
                    ApiError::BadRequest(format!("cannot read the body: {rejection}"))
                }
            })?;
        let value: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest(format!("body is not JSON: {e}")))?;
        if value.is_array() {
            return Err(ApiError::BadRequest(
                "batched requests are not supported: send one operation per request".into(),
            ));
        }
        // No document at all is a malformed request (400), unlike an empty or broken one, which
        // is a GraphQL error; a hash-only persisted query brings its document later.
        let has_query = value.get("query").is_some_and(|q| !q.is_null());
        if !has_query && value.pointer("/extensions/persistedQuery").is_none() {
            return Err(missing_query());
        }
        serde_json::from_value(value).map(Posted).map_err(|e| {
            ApiError::BadRequest(format!(
                "body is not a GraphQL request (query, variables, operationName): {e}"
            ))
        })
    }
}

/// The request of a `GET /graphql?query=...&variables=...&operationName=...`.
pub struct Queried(pub async_graphql::Request);

impl<S: Send + Sync> FromRequestParts<S> for Queried {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let mut request = async_graphql::http::parse_query_string(query)
            .map_err(|e| ApiError::BadRequest(format!("bad query string: {e}")))?;
        if !request.extensions.contains_key("persistedQuery") && !has_query_param(query) {
            return Err(missing_query());
        }
        // async-graphql's query-string parser only knows `operation_name`; the
        // GraphQL-over-HTTP name is `operationName`.
        if request.operation_name.is_none() {
            request.operation_name = operation_name_param(query);
        }
        Ok(Queried(request))
    }
}

/// A request that names no document: no `query` and no persisted-query hash.
fn missing_query() -> ApiError {
    ApiError::BadRequest("the request has no `query` (nor `extensions.persistedQuery`)".into())
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
pub async fn is_mutation(request: &async_graphql::Request) -> bool {
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
