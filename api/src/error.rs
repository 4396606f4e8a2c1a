//! The one error type of the API, and its single mapping to `extensions.code` and HTTP status.
//!
//! Use [`ApiError`] everywhere: resolvers and store functions return it, and the HTTP
//! endpoints answer with it (`impl IntoResponse`), so a request refused before GraphQL runs
//! and an error inside a resolver are the same JSON. Other error types (imports, tokens,
//! persisted queries) convert into it at the edge. [`ErrorCode`] is the closed list of
//! `extensions.code` values, each with the HTTP status it is answered with. Client mistakes
//! carry a stable code (and `extensions.field` for bad input); anything internal is logged in
//! full with an error id and answered with that id only, never with SQL text or a cause chain.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// Declares [`ErrorCode`], its wire names and statuses, and [`ALL_CODES`] from one table.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $status:ident; )*) => {
        /// Every `extensions.code` the server answers.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// The `extensions.code` a client sees.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $code, )*
                }
            }

            /// The HTTP status of an answer that is this error: a request refused before
            /// GraphQL runs, or an error of `/import`. Errors inside a GraphQL answer leave it
            /// at 200, except `THROTTLED` and `SERVICE_UNAVAILABLE` (the HTTP handler).
            pub const fn status(self) -> StatusCode {
                match self {
                    $( Self::$variant => StatusCode::$status, )*
                }
            }

            /// The code of an `extensions.code` value.
            pub fn parse(code: &str) -> Option<Self> {
                match code {
                    $( $code => Some(Self::$variant), )*
                    _ => None,
                }
            }
        }

        /// Every `extensions.code` the server can answer. A test (`tests/docs.rs`) fails when a
        /// code literal in the source is missing here, or when this list and docs/api.md's
        /// errors table differ: add a new code to [`ErrorCode`] and to the table together.
        pub const ALL_CODES: &[&str] = &[ $( $code, )* ];
    };
}

error_codes! {
    /// An argument, input field or query-string value that cannot be used.
    BadUserInput = "BAD_USER_INPUT", BAD_REQUEST;
    /// A well-formed key that nothing has.
    NotFound = "NOT_FOUND", NOT_FOUND;
    /// No token where one is needed, or a bad token.
    Unauthenticated = "UNAUTHENTICATED", UNAUTHORIZED;
    /// The caller may not make this change.
    Forbidden = "FORBIDDEN", FORBIDDEN;
    /// A stale version or a taken key.
    Conflict = "CONFLICT", CONFLICT;
    /// The document does not parse.
    GraphqlParseFailed = "GRAPHQL_PARSE_FAILED", BAD_REQUEST;
    /// The document does not validate.
    GraphqlValidationFailed = "GRAPHQL_VALIDATION_FAILED", BAD_REQUEST;
    /// Nested deeper than the depth limit.
    QueryTooDeep = "QUERY_TOO_DEEP", BAD_REQUEST;
    /// Costs more than the cost limit.
    QueryTooComplex = "QUERY_TOO_COMPLEX", BAD_REQUEST;
    /// More aliases than the limit.
    QueryTooManyAliases = "QUERY_TOO_MANY_ALIASES", BAD_REQUEST;
    /// More directives than the limit.
    QueryTooManyDirectives = "QUERY_TOO_MANY_DIRECTIVES", BAD_REQUEST;
    /// A persisted-query hash the server does not know: 200, because APQ clients read the
    /// code and retry with the query whatever the status.
    PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND", OK;
    /// Trusted-documents mode, and the document is not in the list.
    PersistedQueryNotTrusted = "PERSISTED_QUERY_NOT_TRUSTED", BAD_REQUEST;
    /// The HTTP request is wrong before GraphQL runs.
    BadRequest = "BAD_REQUEST", BAD_REQUEST;
    /// The body is over its limit.
    RequestTooLarge = "REQUEST_TOO_LARGE", PAYLOAD_TOO_LARGE;
    /// The client's rate-limit bucket cannot pay.
    Throttled = "THROTTLED", TOO_MANY_REQUESTS;
    /// The query ran longer than the request timeout.
    Timeout = "TIMEOUT", SERVICE_UNAVAILABLE;
    /// The database cannot be reached now; the client may retry.
    ServiceUnavailable = "SERVICE_UNAVAILABLE", SERVICE_UNAVAILABLE;
    /// A bug or a database failure; the answer holds only an error id.
    InternalServerError = "INTERNAL_SERVER_ERROR", INTERNAL_SERVER_ERROR;
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code equals its wire name, so tests can say `assert_eq!(err.code(), "CONFLICT")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The client sent a value that cannot be used; `field` names the argument.
    #[error("{field}: {message}")]
    BadUserInput { field: String, message: String },
    /// A natural key that is well formed but unknown (e.g. a CDS code no district has).
    #[error("{0}")]
    NotFound(String),
    /// A write without a (valid) token.
    #[error("{0}")]
    Unauthenticated(String),
    /// A bearer token that cannot be trusted (the reason is safe to show): the request is
    /// refused, never served anonymously.
    #[error("{0}")]
    BadToken(String),
    /// A write outside the caller's organisation or role.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the client read it (stale `expectedVersion`), or a natural key is taken.
    #[error("{0}")]
    Conflict(String),
    /// The HTTP request is not one we take (a body that is not JSON, a batch, no `query`).
    #[error("{0}")]
    BadRequest(String),
    /// A body in a media type the endpoint does not take (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A method the request's content does not allow (405, e.g. a mutation over GET).
    #[error("{message}")]
    MethodNotAllowed {
        allow: &'static str,
        message: String,
    },
    /// A body over its limit; `maximum` is the limit in bytes.
    #[error("{message}")]
    TooLarge { maximum: usize, message: String },
    /// A persisted-query hash the server does not know.
    #[error("PersistedQueryNotFound: send the query text with this hash to register it")]
    PersistedQueryNotFound,
    /// A persisted-query hash that is not the SHA-256 of its query.
    #[error("extensions.persistedQuery.sha256Hash does not match the SHA-256 of the query")]
    PersistedQueryHashMismatch,
    /// Trusted-documents mode, and the document is not in the list.
    #[error("this server runs trusted documents only, and this document is not one of them")]
    PersistedQueryNotTrusted,
    /// The query did not finish within the request timeout.
    #[error("{0}")]
    Timeout(String),
    /// The database could not answer; details go to the log only.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// A bug or an impossible state; details go to the log only.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// A `BAD_USER_INPUT` error for `field`.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The `extensions.code` a client sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadUserInput { .. } | Self::PersistedQueryHashMismatch => ErrorCode::BadUserInput,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Unauthenticated(_) | Self::BadToken(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::BadRequest(_) | Self::UnsupportedMediaType(_) | Self::MethodNotAllowed { .. } => {
                ErrorCode::BadRequest
            }
            Self::TooLarge { .. } => ErrorCode::RequestTooLarge,
            Self::PersistedQueryNotFound => ErrorCode::PersistedQueryNotFound,
            Self::PersistedQueryNotTrusted => ErrorCode::PersistedQueryNotTrusted,
            Self::Timeout(_) => ErrorCode::Timeout,
            Self::Database(e) if is_unavailable(e) => ErrorCode::ServiceUnavailable,
            Self::Database(_) | Self::Internal(_) => ErrorCode::InternalServerError,
        }
    }

    /// The HTTP status of an answer that is this error: its code's, except where the request's
    /// shape, not its content, is what is wrong.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            _ => self.code().status(),
        }
    }

    /// Logs an internal error in full under a new error id and returns the id (`None` for
    /// errors the client caused or may retry, whose message is safe to show).
    pub fn log_internal(&self) -> Option<String> {
        match self {
            Self::Database(e) if is_unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                None
            }
            Self::Database(_) | Self::Internal(_) => {
                let error_id = uuid::Uuid::new_v4().to_string();
                tracing::error!(error_id = %error_id, error = ?self, "internal error");
                Some(error_id)
            }
            _ => None,
        }
    }
}

/// Whether a database error means the database is unreachable (pool timeout, closed
/// pool, I/O or TLS failure) rather than a bad statement: the client may retry.
pub fn is_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{sqlx::Error as Sqlx, DbErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            e.as_ref(),
            Sqlx::Io(_)
                | Sqlx::Tls(_)
                | Sqlx::PoolTimedOut
                | Sqlx::PoolClosed
                | Sqlx::WorkerCrashed
                | Sqlx::Protocol(_)
        ),
        // A connection that failed to open is reported as a plain connection error.
        DbErr::Conn(_) => true,
        _ => false,
    }
}

/// Loader errors must be `Clone`; they share the original error.
pub type LoadError = Arc<ApiError>;

impl From<&ApiError> for async_graphql::Error {
    fn from(err: &ApiError) -> Self {
        let code = err.code().as_str();
        if let Some(error_id) = err.log_internal() {
            return async_graphql::Error::new(format!(
                "Internal server error; quote error id {error_id} when reporting it"
            ))
            .extend_with(|_, e| {
                e.set("code", code);
                e.set("errorId", error_id.as_str());
            });
        }
        let message = match err {
            ApiError::Database(_) => {
                "The database is unavailable right now; try again in a few seconds".to_owned()
            }
            other => other.to_string(),
        };
        async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code);
            match err {
                ApiError::BadUserInput { field, .. } => e.set("field", field.as_str()),
                ApiError::PersistedQueryHashMismatch => {
                    e.set("field", "extensions.persistedQuery.sha256Hash");
                    e.set("reason", "PERSISTED_QUERY_HASH_MISMATCH");
                }
                ApiError::TooLarge { maximum, .. } => e.set("maximum", *maximum),
                _ => {}
            }
        })
    }
}

/// An error answered by an HTTP endpoint before (or instead of) GraphQL: the same JSON as a
/// GraphQL error, with the status of [`ApiError::status`], never cached. The response carries
/// its [`ErrorCode`] in its extensions for the request log and metrics.
impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.code();
        let error = async_graphql::Error::from(&self);
        let body = serde_json::json!({ "errors": [{
            "message": error.message,
            "extensions": error.extensions,
        }] });
        let mut response = (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body.to_string(),
        )
            .into_response();
        match self {
            ApiError::BadToken(_) => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
            }
            ApiError::MethodNotAllowed { allow, .. } => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
            }
            _ => {}
        }
        response.extensions_mut().insert(code);
        response
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        (&err).into()
    }
}

impl From<LoadError> for ApiError {
    fn from(err: LoadError) -> Self {
        match Arc::try_unwrap(err) {
            Ok(err) => err,
            // Keep database errors whole so "unavailable" stays SERVICE_UNAVAILABLE.
            Err(shared) => match shared.as_ref() {
                ApiError::Database(e) => ApiError::Database(e.clone()),
                other => ApiError::Internal(other.to_string()),
            },
        }
    }
}

/// Lets resolvers use `?` on loader results.
pub fn from_load(err: LoadError) -> async_graphql::Error {
    err.as_ref().into()
}

/// Result type of store functions and resolvers' inner steps.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_wire_name() {
        for name in ALL_CODES {
            let code = ErrorCode::parse(name).map(ErrorCode::as_str);
            assert_eq!(code, Some(*name));
        }
        assert_eq!(ErrorCode::parse("NO_SUCH_CODE"), None);
    }

    /// Each error as the HTTP edge answers it: its code and status (docs/api.md's table).
    #[test]
    fn every_error_has_its_code_and_status() {
        let cases = [
            (
                ApiError::bad_input("first", "too big"),
                "BAD_USER_INPUT",
                400,
            ),
            (ApiError::NotFound("no kind".into()), "NOT_FOUND", 404),
            (
                ApiError::Unauthenticated("a token".into()),
                "UNAUTHENTICATED",
                401,
            ),
            (ApiError::BadToken("expired".into()), "UNAUTHENTICATED", 401),
            (ApiError::Forbidden("not yours".into()), "FORBIDDEN", 403),
            (ApiError::Conflict("stale".into()), "CONFLICT", 409),
            (ApiError::BadRequest("a batch".into()), "BAD_REQUEST", 400),
            (
                ApiError::UnsupportedMediaType("form".into()),
                "BAD_REQUEST",
                415,
            ),
            (
                ApiError::MethodNotAllowed {
                    allow: "POST",
                    message: "a mutation over GET".into(),
                },
                "BAD_REQUEST",
                405,
            ),
            (
                ApiError::TooLarge {
                    maximum: 10,
                    message: "big".into(),
                },
                "REQUEST_TOO_LARGE",
                413,
            ),
            (
                ApiError::PersistedQueryNotFound,
                "PERSISTED_QUERY_NOT_FOUND",
                200,
            ),
            (ApiError::PersistedQueryHashMismatch, "BAD_USER_INPUT", 400),
            (
                ApiError::PersistedQueryNotTrusted,
                "PERSISTED_QUERY_NOT_TRUSTED",
                400,
            ),
            (ApiError::Timeout("slow".into()), "TIMEOUT", 503),
            (
                ApiError::Internal("a bug".into()),
                "INTERNAL_SERVER_ERROR",
                500,
            ),
            (
                ApiError::Database(sea_orm::DbErr::Custom("bad SQL".into())),
                "INTERNAL_SERVER_ERROR",
                500,
            ),
            (
                ApiError::Database(sea_orm::DbErr::ConnectionAcquire(
                    sea_orm::ConnAcquireErr::Timeout,
                )),
                "SERVICE_UNAVAILABLE",
                503,
            ),
        ];
        for (error, code, status) in cases {
            assert_eq!(error.code(), code, "{error:?}");
            assert_eq!(error.status().as_u16(), status, "{error:?}");
            let response = error.into_response();
            assert_eq!(response.status().as_u16(), status);
            assert_eq!(
                response.extensions().get::<ErrorCode>().map(|c| c.as_str()),
                Some(code)
            );
        }
    }

    /// Internal errors answer an error id and never their text.
    #[test]
    fn an_internal_error_shows_only_its_id() {
        let error = async_graphql::Error::from(ApiError::Internal("SELECT secret".into()));
        assert!(!error.message.contains("SELECT"), "{}", error.message);
        let id = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("errorId").cloned());
        assert!(
            matches!(id, Some(async_graphql::Value::String(ref id)) if error.message.contains(id.as_str())),
            "{error:?}"
        );
    }
}
