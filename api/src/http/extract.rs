//! Who is calling, as axum extractors: a handler's arguments say what it needs.
//!
//! [`Caller`] is anonymous without `Authorization` and a principal with a valid bearer token;
//! any other `Authorization` is refused (401, `UNAUTHENTICATED`), never served anonymously.
//! [`Who`] adds the key the request is counted against and its request id.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts, HeaderMap},
};

use super::AppState;
use crate::{
    auth::{client_key, AuthError, Caller, ClientKey},
    error::ApiError,
};

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(caller_of(state, &parts.headers).await?)
    }
}

/// The caller of a request, from its `Authorization` header.
async fn caller_of(state: &AppState, headers: &HeaderMap) -> Result<Caller, AuthError> {
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

/// Who sent a request: the verified caller, the key it is counted against (its `sub` when
/// authenticated, its address otherwise) and the request id.
pub struct Who {
    pub caller: Caller,
    pub client: ClientKey,
    pub request_id: Option<String>,
}

impl Who {
    pub fn is_anonymous(&self) -> bool {
        matches!(self.caller, Caller::Anonymous)
    }
}

impl FromRequestParts<AppState> for Who {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = peer(parts)?;
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(Who {
            client: client_key(&caller, peer),
            caller,
            request_id: request_id(&parts.headers).map(str::to_owned),
        })
    }
}

/// The TCP peer (never `X-Forwarded-For`, which any client can forge).
pub fn peer(parts: &Parts) -> Result<SocketAddr, ApiError> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| *peer)
        .ok_or_else(|| ApiError::Internal("the server was started without peer addresses".into()))
}

/// The `X-Request-Id` of a request (set by the router's request-id layer).
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok())
}
