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
use crate::auth::{clients, Principal, Role};

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

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut response = (
        status,
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"cte-hub\""),
        );
    }
    response
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
) -> Response {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send the token request as application/x-www-form-urlencoded",
        );
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "malformed form body",
        );
    };
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "only grant_type=client_credentials is supported",
            )
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing",
            )
        }
    }
    let (client_id, secret) = match (
        basic_credentials(&headers),
        form.client_id,
        form.client_secret,
    ) {
        (Some(Ok(pair)), None, None) => pair,
        (Some(Err(())), _, _) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "malformed Basic credentials",
            )
        }
        (Some(Ok(_)), _, _) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "use one client authentication method, not both",
            )
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (None, _, _) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication is missing",
            )
        }
    };
    if let Err(retry_after) = state.auth.token_requests.check(peer.ip(), &client_id) {
        let mut response = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "temporarily_unavailable",
            &format!(
                "too many token requests from this client or address; retry in {retry_after} s"
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return response;
    }
    let checked = state
        .auth
        .secrets
        .authenticate(&state.auth.db, &client_id, &secret)
        .await;
    let principal = match checked {
        Ok(Some(principal)) => principal,
        Ok(None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client, wrong secret, or revoked client",
            )
        }
        Err(clients::ClientError::Busy) => {
            let mut response = oauth_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "too many token requests are being checked; retry in a second",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
            return response;
        }
        Err(e) => {
            tracing::error!(error = %e, "client authentication failed");
            return oauth_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "try again later",
            );
        }
    };
    // `scope` may narrow the client's roles, never widen them.
    let roles = match form
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => principal.roles.clone(),
        Some(scope) => {
            let mut asked = Vec::new();
            for name in scope.split(' ').filter(|s| !s.is_empty()) {
                match Role::parse(name) {
                    Some(role) if principal.roles.contains(&role) => asked.push(role),
                    _ => {
                        return oauth_error(
                            StatusCode::BAD_REQUEST,
                            "invalid_scope",
                            &format!("scope '{name}' is not granted to this client"),
                        )
                    }
                }
            }
            asked
        }
    };
    let ttl = state.settings.auth.token_ttl_secs;
    let issued = Principal { roles, ..principal };
    match state.auth.signing.issue(&state.settings.auth, &issued, ttl) {
        Ok(access_token) => (
            StatusCode::OK,
            [
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (header::PRAGMA, HeaderValue::from_static("no-cache")),
            ],
            Json(json!({
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": ttl,
                "scope": issued.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" "),
            })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot sign a token");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "cannot issue a token now",
            )
        }
    }
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
