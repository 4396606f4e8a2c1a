//! Who is calling and what they may change.
//!
//! - [`tokens`] verifies `Authorization: Bearer <JWT>` against the configured
//!   public keys (EdDSA, RS256; HS256 only when configured for development)
//!   and mints the server's own short-lived EdDSA tokens.
//! - [`clients`] keeps registered API clients for the client-credentials flow.
//! - [`scope`] is the one rule that decides whether a principal may change a
//!   record owned by some organisations; every write goes through it.

mod client_key;
pub mod clients;
pub mod scope;
pub mod tokens;

use serde::{Deserialize, Serialize};

pub use client_key::{client_key, ClientKey};

/// What a principal may do, from the token's `roles` claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Changes anything, reads the audit log.
    Admin,
    /// Changes the records of its own organisation only.
    Editor,
    /// Reads, like anonymous clients, but identified (rate limits, logs).
    Reader,
}

impl Role {
    /// Parses a role name; `None` for names this server does not know.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "reader" => Some(Role::Reader),
            _ => None,
        }
    }

    /// The claim value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Reader => "reader",
        }
    }
}

/// An authenticated caller: the API client or user (`sub`) acting for an
/// organisation (`org`: a program code, district code (its CDS code where it has one), college IPEDS id or
/// industry partner code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub sub: String,
    pub org: String,
    pub roles: Vec<Role>,
}

impl Principal {
    /// Whether the principal holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// The caller of one request: anonymous (public read-only catalogue) or a
/// verified principal. A bad token is never anonymous: it is refused earlier.
#[derive(Clone, Debug, Default)]
pub enum Caller {
    #[default]
    Anonymous,
    Authenticated(Principal),
}

impl Caller {
    /// The principal, when there is one.
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Caller::Anonymous => None,
            Caller::Authenticated(principal) => Some(principal),
        }
    }
}

/// Why a caller is refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The `Authorization` header is not `Bearer <token>`.
    #[error("the Authorization header must be 'Bearer <token>'")]
    NotBearer,
    /// The token cannot be trusted; the reason is safe to show.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// A key file or setting is unusable (startup only).
    #[error("{0}")]
    Configuration(String),
}

impl From<AuthError> for crate::error::ApiError {
    /// A token that cannot be used; the reason names no key material, so it is shown. (Here,
    /// not in `error.rs`, so the foundation never names a layer above it.)
    fn from(err: AuthError) -> Self {
        crate::error::ApiError::BadToken(err.to_string())
    }
}
