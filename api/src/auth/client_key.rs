//! The key a caller is counted against: rate-limit buckets and log lines use it. It lives
//! with the caller (not at the HTTP edge) so the GraphQL layer can charge it without naming
//! `http/`.

use std::{fmt, net::SocketAddr};

use super::Caller;

/// The identity a request is counted against (rate-limit bucket, `client` log field).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(String);

impl ClientKey {
    /// The key as stored in buckets and logs, e.g. `ip:203.0.113.7` or `sub:portal-42`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The one place a request's client identity is decided.
///
/// A request with a verified token is keyed by its `sub` claim (`sub:<sub>`);
/// anonymous requests by the peer IP address (the TCP peer, not
/// `X-Forwarded-For`, which any client can forge).
pub fn client_key(caller: &Caller, peer: SocketAddr) -> ClientKey {
    match caller.principal() {
        Some(principal) => ClientKey(format!("sub:{}", principal.sub)),
        None => ClientKey(format!("ip:{}", peer.ip())),
    }
}
