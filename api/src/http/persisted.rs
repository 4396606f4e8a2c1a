//! Automatic persisted queries (APQ) and trusted documents.
//!
//! A client sends `extensions.persistedQuery.sha256Hash` (hex SHA-256 of the
//! query text). Hash alone: the stored query runs, or `PERSISTED_QUERY_NOT_FOUND`
//! tells the client to send it again with the query, which registers it. A hash
//! that does not match its query is refused (`BAD_USER_INPUT`, reason
//! `PERSISTED_QUERY_HASH_MISMATCH`). Storage is an in-process LRU, or Redis
//! (shared by all instances) when configured.
//!
//! With a trusted-documents file, only the documents in it run: hash-only
//! requests are looked up there, nothing is registered, and a query text that is
//! not in the list is refused with `PERSISTED_QUERY_NOT_TRUSTED`.

use std::{collections::HashMap, num::NonZeroUsize, path::Path, sync::Mutex};

use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::{error::ApiError, shared_store::SharedStore};

/// How long Redis keeps a persisted query that nobody asks for.
const REDIS_TTL_SECS: u64 = 7 * 24 * 3600;

/// Why a request's persisted-query part cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PersistedQueryError {
    #[error("PersistedQueryNotFound: send the query text with this hash to register it")]
    NotFound,
    #[error("extensions.persistedQuery.sha256Hash does not match the SHA-256 of the query")]
    HashMismatch,
    #[error("this server runs trusted documents only, and this document is not one of them")]
    NotTrusted,
    #[error("extensions.persistedQuery: {0}")]
    Malformed(String),
}

impl From<PersistedQueryError> for ApiError {
    fn from(error: PersistedQueryError) -> Self {
        match error {
            PersistedQueryError::NotFound => ApiError::PersistedQueryNotFound,
            PersistedQueryError::HashMismatch => ApiError::PersistedQueryHashMismatch,
            PersistedQueryError::NotTrusted => ApiError::PersistedQueryNotTrusted,
            PersistedQueryError::Malformed(message) => {
                ApiError::bad_input("extensions.persistedQuery", message)
            }
        }
    }
}

/// Why the trusted-documents file cannot be used (the server does not start).
#[derive(Debug, thiserror::Error)]
pub enum TrustedDocumentsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a JSON object of hash → query or an Apollo persisted-query manifest: {message}")]
    Format { path: String, message: String },
    #[error("{path}: the hash {hash} is not the SHA-256 of its query")]
    Mismatch { path: String, hash: String },
}

/// Where persisted queries live.
pub enum PersistedQueries {
    /// Registered by clients, remembered by this process (least recently used go first).
    Memory(Mutex<LruCache<String, String>>),
    /// Registered by clients, shared by every instance through Redis.
    Redis(SharedStore),
    /// A fixed allow-list; nothing else runs.
    Trusted(HashMap<String, String>),
}

/// The hex SHA-256 of a query text, as APQ clients compute it.
pub fn sha256_hex(query: &str) -> String {
    Sha256::digest(query.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl PersistedQueries {
    /// An in-process LRU of `size` queries.
    pub fn memory(size: usize) -> Self {
        let size = NonZeroUsize::new(size).unwrap_or(NonZeroUsize::MIN);
        PersistedQueries::Memory(Mutex::new(LruCache::new(size)))
    }

    /// Reads a trusted-documents file: `{"<sha256>": "<query>", ...}` or an Apollo
    /// manifest `{"operations": [{"id": "<sha256>", "body": "<query>"}, ...]}`.
    pub fn trusted(path: &Path) -> Result<Self, TrustedDocumentsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TrustedDocumentsError::Read {
            path: shown.clone(),
            source,
        })?;
        let format = |message: String| TrustedDocumentsError::Format {
            path: shown.clone(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format(e.to_string()))?;
        let mut documents = HashMap::new();
        if let Some(operations) = value.get("operations").and_then(|o| o.as_array()) {
            for operation in operations {
                let (Some(id), Some(body)) = (
                    operation.get("id").and_then(|v| v.as_str()),
                    operation.get("body").and_then(|v| v.as_str()),
                ) else {
                    return Err(format(
                        "every operation needs string `id` and `body`".into(),
                    ));
                };
                documents.insert(id.to_ascii_lowercase(), body.to_owned());
            }
        } else if let Some(map) = value.as_object() {
            for (hash, query) in map {
                let Some(query) = query.as_str() else {
                    return Err(format(format!("the value of {hash} is not a string")));
                };
                documents.insert(hash.to_ascii_lowercase(), query.to_owned());
            }
        } else {
            return Err(format("not an object".into()));
        }
        if let Some(hash) = documents
            .iter()
            .find(|(h, q)| **h != sha256_hex(q))
            .map(|(h, _)| h)
        {
            return Err(TrustedDocumentsError::Mismatch {
                path: shown,
                hash: hash.clone(),
            });
        }
        Ok(PersistedQueries::Trusted(documents))
    }

    /// Fills in `request.query` from its persisted-query hash, or checks the
    /// hash against the query sent. Returns the hash to register once the query
    /// has validated (APQ only).
    pub async fn resolve(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<Option<String>, PersistedQueryError> {
        let hash = match request.extensions.get("persistedQuery") {
            None => None,
            Some(async_graphql::Value::Object(pq)) => {
                if let Some(version) = pq.get("version") {
                    if *version != async_graphql::Value::from(1) {
                        return Err(PersistedQueryError::Malformed(
                            "only version 1 is supported".into(),
                        ));
                    }
                }
                match pq.get("sha256Hash") {
                    Some(async_graphql::Value::String(hash))
                        if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
                    {
                        Some(hash.to_ascii_lowercase())
                    }
                    _ => {
                        return Err(PersistedQueryError::Malformed(
                            "sha256Hash must be 64 hex digits".into(),
                        ))
                    }
                }
            }
            Some(_) => {
                return Err(PersistedQueryError::Malformed("must be an object".into()));
            }
        };
        let has_query = !request.query.trim().is_empty();
        match (hash, has_query) {
            (None, _) => match self {
                PersistedQueries::Trusted(documents) => {
                    let hash = sha256_hex(&request.query);
                    if documents.contains_key(&hash) {
                        Ok(None)
                    } else {
                        Err(PersistedQueryError::NotTrusted)
                    }
                }
                _ => Ok(None),
            },
            (Some(hash), true) => {
                if sha256_hex(&request.query) != hash {
                    return Err(PersistedQueryError::HashMismatch);
                }
                match self {
                    PersistedQueries::Trusted(documents) if !documents.contains_key(&hash) => {
                        Err(PersistedQueryError::NotTrusted)
                    }
                    PersistedQueries::Trusted(_) => Ok(None),
                    _ => Ok(Some(hash)),
                }
            }
            (Some(hash), false) => match self.get(&hash).await {
                Some(query) => {
                    request.query = query;
                    Ok(None)
                }
                None => Err(PersistedQueryError::NotFound),
            },
        }
    }

    async fn get(&self, hash: &str) -> Option<String> {
        match self {
            PersistedQueries::Memory(cache) => cache.lock().ok()?.get(hash).cloned(),
            PersistedQueries::Trusted(documents) => documents.get(hash).cloned(),
            PersistedQueries::Redis(store) => {
                let key = store.key("apq", hash);
                let result = store
                    .call(|mut conn| async move {
                        redis::cmd("GET")
                            .arg(key)
                            .query_async::<Option<String>>(&mut conn)
                            .await
                    })
                    .await;
                match result {
                    Ok(query) => query,
                    Err(e) => {
                        tracing::warn!(error = %e, "persisted queries: Redis unreachable; treating as not found");
                        None
                    }
                }
            }
        }
    }

    /// Remembers a query that validated under its hash.
    pub async fn register(&self, hash: String, query: &str) {
        match self {
            PersistedQueries::Memory(cache) => {
                if let Ok(mut cache) = cache.lock() {
                    cache.put(hash, query.to_owned());
                }
            }
            PersistedQueries::Trusted(_) => {}
            PersistedQueries::Redis(store) => {
                let key = store.key("apq", &hash);
                let query = query.to_owned();
                let result = store
                    .call(|mut conn| async move {
                        redis::cmd("SET")
                            .arg(key)
                            .arg(query)
                            .arg("EX")
                            .arg(REDIS_TTL_SECS)
                            .query_async::<()>(&mut conn)
                            .await
                    })
                    .await;
                if let Err(e) = result {
                    tracing::warn!(error = %e, "persisted queries: cannot store in Redis");
                }
            }
        }
    }
}
