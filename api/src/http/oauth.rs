//! `POST /oauth/token` (OAuth 2.0 client credentials, RFC 6749 §4.4) and
//! `GET /.well-known/jwks.json` (the public key that verifies issued tokens).
//!
//! Clients authenticate with HTTP Basic (`client_secret_basic`) or with
//! `client_id`/`client_secret` in the form body (`client_secret_post`).
//! Errors are the JSON of RFC 6749 §5.2.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
};

use axum::{
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::{
    auth::{clients, Principal, Role},
    error::ApiError,
};

/// Token requests per client id and per network address: each costs an Argon2 check, so
/// guessing secrets (or burning CPU) is throttled before it starts.
pub struct TokenRequestLimits {
    by_client: governor::DefaultKeyedRateLimiter<(String, IpAddr)>,
    by_address: governor::DefaultKeyedRateLimiter<IpAddr>,
    /// Requests seen, to forget idle keys now and then (ids are attacker-chosen).
    seen: AtomicU64,
}

impl TokenRequestLimits {
    /// `per_minute` requests for one client id from one address, four times that for one
    /// address (several clients may sit behind one address).
    pub fn new(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let per_address = per_minute.saturating_mul(NonZeroU32::new(4).unwrap_or(NonZeroU32::MIN));
        TokenRequestLimits {
            by_client: governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute)),
            by_address: governor::RateLimiter::keyed(governor::Quota::per_minute(per_address)),
            seen: AtomicU64::new(0),
        }
    }

    /// `Err(seconds to wait)` when the address or the client id has used its share.
    fn check(&self, address: IpAddr, client_id: &str) -> Result<(), u64> {
        use governor::clock::{Clock, DefaultClock};
        if self.seen.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.by_client.retain_recent();
            self.by_address.retain_recent();
        }
        let wait = |not_until: governor::NotUntil<_>| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        };
        self.by_address.check_key(&address).map_err(wait)?;
        // Keyed by id and address: client ids are not secret (they are a token's `sub`), so a
        // limit by id alone would let anyone lock a partner out. Ids are cut to a sane length.
        let key: String = client_id.chars().take(64).collect();
        self.by_client.check_key(&(key, address)).map_err(wait)
    }
}

/// The form fields of a token request.
#[derive(Deserialize, Default)]
struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

/// Why a token request is refused: the errors of RFC 6749 §5.2, in its JSON
/// (`error`, `error_description`), not the GraphQL shape. Failures of the server itself are
/// [`ApiError`]s, logged with an error id that the description quotes.
pub enum TokenError {
    InvalidRequest(&'static str),
    InvalidClient(&'static str),
    UnsupportedGrantType,
    InvalidScope(String),
    /// Too many requests from this client or address; retry after this many seconds.
    SlowDown(u64),
    /// Every secret-check permit is taken; retry in a second.
    Busy,
    /// The client store cannot answer now.
    Unavailable(ApiError),
    /// A token cannot be signed.
    Internal(ApiError),
}

impl TokenError {
    fn status(&self) -> StatusCode {
        match self {
            Self::InvalidRequest(_) | Self::UnsupportedGrantType | Self::InvalidScope(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::InvalidClient(_) => StatusCode::UNAUTHORIZED,
            Self::SlowDown(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The RFC 6749 `error` and its description.
    fn error_and_description(&self) -> (&'static str, String) {
        let with_id = |error: &ApiError, text: &str| match error.log_internal() {
            Some(id) => format!("{text}; quote error id {id} when reporting it"),
            None => text.to_owned(),
        };
        match self {
            Self::InvalidRequest(why) => ("invalid_request", (*why).to_owned()),
            Self::InvalidClient(why) => ("invalid_client", (*why).to_owned()),
            Self::UnsupportedGrantType => (
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported".to_owned(),
            ),
            Self::InvalidScope(name) => (
                "invalid_scope",
                format!("scope '{name}' is not granted to this client"),
            ),
            Self::SlowDown(secs) => (
                "temporarily_unavailable",
                format!("too many token requests from this client or address; retry in {secs} s"),
            ),
            Self::Busy => (
                "temporarily_unavailable",
                "too many token requests are being checked; retry in a second".to_owned(),
            ),
            Self::Unavailable(error) => {
                ("temporarily_unavailable", with_id(error, "try again later"))
            }
            Self::Internal(error) => ("server_error", with_id(error, "cannot issue a token now")),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (error, description) = self.error_and_description();
        let mut response = (
            status,
            [
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (header::PRAGMA, HeaderValue::from_static("no-cache")),
            ],
            Json(json!({ "error": error, "error_description": description })),
        )
            .into_response();
        let headers = response.headers_mut();
        match self {
            Self::InvalidClient(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"cte-hub\""),
                );
            }
            Self::SlowDown(secs) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            Self::Busy => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(1u64));
            }
            _ => {}
        }
        response
    }
}

/// Client id and secret from HTTP Basic, when given.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<(String, String), ()>> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = super::after_scheme(value, "basic ")?;
    let decode = || -> Option<(String, String)> {
        let text = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
        let (id, secret) = text.split_once(':')?;
        // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
        let id = url::form_urlencoded::parse(format!("a={id}").as_bytes())
            .next()?
            .1
            .into_owned();
        let secret = url::form_urlencoded::parse(format!("a={secret}").as_bytes())
            .next()?
            .1
            .into_owned();
        Some((id, secret))
    };
    Some(decode().ok_or(()))
}

/// `POST /oauth/token`.
pub async fn token(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TokenError> {
    let form = token_form(&headers, &body)?;
    let (client_id, secret) = credentials(&headers, form.client_id, form.client_secret)?;
    state
        .auth
        .token_requests
        .check(peer.ip(), &client_id)
        .map_err(TokenError::SlowDown)?;
    let principal = match state
        .auth
        .secrets
        .authenticate(&state.auth.db, &client_id, &secret)
        .await
    {
        Ok(Some(principal)) => principal,
        Ok(None) => {
            return Err(TokenError::InvalidClient(
                "unknown client, wrong secret, or revoked client",
            ))
        }
        Err(clients::ClientError::Busy) => return Err(TokenError::Busy),
        Err(clients::ClientError::Database(e)) => {
            return Err(TokenError::Unavailable(ApiError::Database(e)))
        }
        Err(e) => return Err(TokenError::Unavailable(ApiError::Internal(e.to_string()))),
    };
    let roles = narrowed_roles(&principal, form.scope.as_deref())?;
    let issued = Principal { roles, ..principal };
    issue(&state, &issued)
}

/// The form of a token request, with `grant_type=client_credentials`.
fn token_form(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, TokenError> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(TokenError::InvalidRequest(
            "send the token request as application/x-www-form-urlencoded",
        ));
    }
    let form = serde_urlencoded::from_bytes::<TokenRequest>(body)
        .map_err(|_| TokenError::InvalidRequest("malformed form body"))?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => Ok(form),
        Some(_) => Err(TokenError::UnsupportedGrantType),
        None => Err(TokenError::InvalidRequest("grant_type is missing")),
    }
}

/// The client id and secret, from HTTP Basic or from the form, never both.
fn credentials(
    headers: &HeaderMap,
    form_id: Option<String>,
    form_secret: Option<String>,
) -> Result<(String, String), TokenError> {
    match (basic_credentials(headers), form_id, form_secret) {
        (Some(Ok(pair)), None, None) => Ok(pair),
        (Some(Err(())), _, _) => Err(TokenError::InvalidClient("malformed Basic credentials")),
        (Some(Ok(_)), _, _) => Err(TokenError::InvalidRequest(
            "use one client authentication method, not both",
        )),
        (None, Some(id), Some(secret)) => Ok((id, secret)),
        (None, _, _) => Err(TokenError::InvalidClient(
            "client authentication is missing",
        )),
    }
}

/// The roles a token gets: `scope` may narrow the client's roles, never widen them.
fn narrowed_roles(principal: &Principal, scope: Option<&str>) -> Result<Vec<Role>, TokenError> {
    let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(principal.roles.clone());
    };
    scope
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|name| match Role::parse(name) {
            Some(role) if principal.roles.contains(&role) => Ok(role),
            _ => Err(TokenError::InvalidScope(name.to_owned())),
        })
        .collect()
}

/// Signs a token for `issued` and answers it.
fn issue(state: &AppState, issued: &Principal) -> Result<Response, TokenError> {
    let ttl = state.settings.auth.token_ttl_secs;
    let access_token = state
        .auth
        .signing
        .issue(&state.settings.auth, issued, ttl)
        .map_err(|e| {
            TokenError::Internal(ApiError::Internal(format!("cannot sign a token: {e}")))
        })?;
    let scope: Vec<&str> = issued.roles.iter().map(|r| r.as_str()).collect();
    Ok((
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "scope": scope.join(" "),
        })),
    )
        .into_response())
}

/// `GET /.well-known/jwks.json`: the public key of the tokens this server issues.
pub async fn jwks(State(state): State<AppState>) -> Response {
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        )],
        Json(state.auth.signing.jwks()),
    )
        .into_response()
}
