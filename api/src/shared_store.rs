//! The Redis connection that instances share for rate-limit buckets and
//! persisted queries. Every call is bounded by a short timeout: callers treat a
//! failure as "Redis is unreachable" and fail open (log a warning, go on).

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long one Redis round trip may take before the caller gives up on it.
const CALL_TIMEOUT: Duration = Duration::from_millis(500);

/// Why a Redis call did not answer.
#[derive(Debug, thiserror::Error)]
pub enum SharedStoreError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("redis did not answer within {0:?}")]
    Timeout(Duration),
}

/// A lazily connected, self-reconnecting Redis handle with a key prefix.
#[derive(Clone)]
pub struct SharedStore {
    manager: ConnectionManager,
    prefix: String,
}

impl SharedStore {
    /// Prepares a connection to `url`; nothing is dialled until the first call, so an
    /// unreachable Redis never stops the server from starting.
    pub fn new(url: &str, prefix: &str) -> Result<Self, SharedStoreError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CALL_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(2));
        Ok(SharedStore {
            manager: ConnectionManager::new_lazy_with_config(client, config)?,
            prefix: prefix.to_owned(),
        })
    }

    /// `<prefix>:<kind>:<id>`.
    pub fn key(&self, kind: &str, id: &str) -> String {
        format!("{}:{kind}:{id}", self.prefix)
    }

    /// Runs one command or script invocation with the call timeout.
    pub async fn call<T, F, Fut>(&self, f: F) -> Result<T, SharedStoreError>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        match tokio::time::timeout(CALL_TIMEOUT, f(self.manager.clone())).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(SharedStoreError::Timeout(CALL_TIMEOUT)),
        }
    }
}
