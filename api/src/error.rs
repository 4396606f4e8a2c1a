//! The one error type of the API layer and its single mapping to GraphQL errors.
//!
//! Use [`ApiError`] everywhere below the HTTP handler. Client mistakes carry a
//! stable `extensions.code` (and `extensions.field` for bad input); anything
//! internal is logged in full with an error id and answered with that id only,
//! never with SQL text or a cause chain.

use std::sync::Arc;

use async_graphql::ErrorExtensions;

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
    /// A write outside the caller's organisation or role.
    #[error("{0}")]
    Forbidden(String),
    /// The record changed since the client read it (stale `expectedVersion`), or a natural key is taken.
    #[error("{0}")]
    Conflict(String),
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
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::Conflict(_) => "CONFLICT",
            Self::Database(e) if is_unavailable(e) => SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

/// The code of errors that mean "the database cannot be reached now, try again":
/// the HTTP handler answers them with 503.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

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

/// Every `extensions.code` the server can answer. A test (`tests/docs.rs`) fails when a code
/// literal in the source is missing here, or when this list and docs/api.md's errors table
/// differ: add a new code here and to the table together.
pub const ALL_CODES: &[&str] = &[
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "CONFLICT",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "QUERY_TOO_DEEP",
    "QUERY_TOO_COMPLEX",
    "QUERY_TOO_MANY_ALIASES",
    "QUERY_TOO_MANY_DIRECTIVES",
    "PERSISTED_QUERY_NOT_FOUND",
    "PERSISTED_QUERY_NOT_TRUSTED",
    "BAD_REQUEST",
    "REQUEST_TOO_LARGE",
    "THROTTLED",
    "TIMEOUT",
    SERVICE_UNAVAILABLE,
    "INTERNAL_SERVER_ERROR",
];

/// Loader errors must be `Clone`; they share the original error.
pub type LoadError = Arc<ApiError>;

impl From<&ApiError> for async_graphql::Error {
    fn from(err: &ApiError) -> Self {
        match err {
            ApiError::BadUserInput { field, .. } => async_graphql::Error::new(err.to_string())
                .extend_with(|_, e| {
                    e.set("code", err.code());
                    e.set("field", field.as_str());
                }),
            ApiError::NotFound(_)
            | ApiError::Unauthenticated(_)
            | ApiError::Forbidden(_)
            | ApiError::Conflict(_) => async_graphql::Error::new(err.to_string())
                .extend_with(|_, e| e.set("code", err.code())),
            ApiError::Database(e) if is_unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                async_graphql::Error::new(
                    "The database is unavailable right now; try again in a few seconds",
                )
                .extend_with(|_, e| e.set("code", SERVICE_UNAVAILABLE))
            }
            ApiError::Database(_) | ApiError::Internal(_) => {
                let error_id = uuid::Uuid::new_v4().to_string();
                tracing::error!(error_id = %error_id, error = ?err, "internal error");
                async_graphql::Error::new(format!(
                    "Internal server error; quote error id {error_id} when reporting it"
                ))
                .extend_with(|_, e| {
                    e.set("code", err.code());
                    e.set("errorId", error_id.as_str());
                })
            }
        }
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
