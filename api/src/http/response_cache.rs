//! The exact response cache: answers to anonymous reads, kept in this process and served again
//! without running anything (no parse, no SQL) while the data has not changed.
//!
//! The key is a SHA-256 of everything an anonymous answer depends on: the query text (after a
//! persisted query is resolved), the operation name, the variables, the response media type,
//! today's date (eligibility and memberships depend on it) and the data version
//! ([`crate::changes::version`]). Any write changes the version, so every later read is fresh;
//! while the version is unknown (PostgreSQL's listening connection is down) nothing is read
//! from or put in the cache. Only successful answers without errors are kept, and only when they
//! are the same for every caller: anonymous requests, and requests with a token whose document
//! names no caller-specific field ([`crate::graphql::shared`]); an answer that depended on a
//! token is never kept, so never served to anyone else. With a read replica an answer is kept
//! only under a version the replica had reached when it was read (`graphql/run.rs`,
//! [`crate::changes::version`]).
//!
//! Entries hold the answer's `data` as JSON bytes; the body is built around them with the
//! request's own `extensions.cost`, the same way for a hit and a miss, so a cached answer is
//! byte-identical to the uncached one. Bounded by bytes (`--response-cache-bytes`, least
//! recently used first out); `/metrics` counts hits, misses, evictions and bytes, and the
//! `X-Cache` header says `hit` or `miss`.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use lru::LruCache;
use sha2::{Digest, Sha256};

/// What a cached answer needs to be served again.
pub struct CachedAnswer {
    /// The answer's `data`, serialised.
    pub data: Bytes,
    /// The requested cost, charged again on every hit (the rate limit still applies).
    pub cost: usize,
    /// The actual cost (objects in `data`), reported in `extensions.cost`.
    pub actual: usize,
    /// The operation name, for metrics and logs.
    pub operation: Option<String>,
    /// The strong ETag of the answer when an anonymous GET made it (named by the data version
    /// it was read at); `None` when a POST made it, and a GET hit is tagged by its body.
    pub etag: Option<String>,
}

/// What the cache did, for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub bytes: usize,
    pub entries: usize,
}

struct Entries {
    lru: LruCache<[u8; 32], Arc<CachedAnswer>>,
    bytes: usize,
    stats: CacheStats,
}

/// The cache of one instance.
pub struct ResponseCache {
    max_bytes: usize,
    entries: Mutex<Entries>,
    /// Whether a document's answer is the same for every caller, by the document's SHA-256:
    /// a token-bearing hit then needs no parse.
    verdicts: Mutex<LruCache<[u8; 32], bool>>,
}

/// Documents whose caller check is remembered.
const VERDICTS: std::num::NonZeroUsize = match std::num::NonZeroUsize::new(4096) {
    Some(n) => n,
    None => unreachable!(),
};

/// Bytes an entry is counted for: its data plus the key and bookkeeping.
fn weight(answer: &CachedAnswer) -> usize {
    answer.data.len()
        + answer.operation.as_ref().map_or(0, String::len)
        + answer.etag.as_ref().map_or(0, String::len)
        + 96
}

impl ResponseCache {
    /// A cache of at most `max_bytes` (0 turns it off).
    pub fn new(max_bytes: usize) -> Self {
        ResponseCache {
            max_bytes,
            entries: Mutex::new(Entries {
                lru: LruCache::unbounded(),
                bytes: 0,
                stats: CacheStats::default(),
            }),
            verdicts: Mutex::new(LruCache::new(VERDICTS)),
        }
    }

    /// The SHA-256 of a document's text, which its caller check is remembered by.
    pub fn document_hash(query: &str) -> [u8; 32] {
        Sha256::digest(query.as_bytes()).into()
    }

    /// Whether the document's answer is known to be the same for every caller.
    pub fn shared_verdict(&self, document: &[u8; 32]) -> Option<bool> {
        self.verdicts.lock().ok()?.get(document).copied()
    }

    /// Remembers the caller check of a document.
    pub fn remember_verdict(&self, document: [u8; 32], shared: bool) {
        if let Ok(mut verdicts) = self.verdicts.lock() {
            verdicts.put(document, shared);
        }
    }

    /// Whether the cache is on.
    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// The key of an anonymous request at `version` on `date`.
    pub fn key(
        query: &str,
        operation_name: Option<&str>,
        variables: &[u8],
        media_type: &[u8],
        version: (u64, u64),
        date: &str,
    ) -> [u8; 32] {
        let mut digest = Sha256::new();
        for part in [
            query.as_bytes(),
            operation_name.unwrap_or("").as_bytes(),
            variables,
            media_type,
            date.as_bytes(),
        ] {
            digest.update((part.len() as u64).to_be_bytes());
            digest.update(part);
        }
        digest.update(version.0.to_be_bytes());
        digest.update(version.1.to_be_bytes());
        digest.finalize().into()
    }

    /// The answer stored under `key`, counted as a hit or a miss.
    pub fn get(&self, key: &[u8; 32]) -> Option<Arc<CachedAnswer>> {
        let Ok(mut entries) = self.entries.lock() else {
            return None;
        };
        let found = entries.lru.get(key).cloned();
        if found.is_some() {
            entries.stats.hits += 1;
        } else {
            entries.stats.misses += 1;
        }
        found
    }

    /// Keeps an answer, evicting the least recently used ones past the byte budget. An answer
    /// larger than a tenth of the budget is not kept (it would push out many small ones).
    pub fn put(&self, key: [u8; 32], answer: CachedAnswer) {
        let size = weight(&answer);
        if !self.enabled() || size > self.max_bytes / 10 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(old) = entries.lru.put(key, Arc::new(answer)) {
            entries.bytes -= weight(&old);
        }
        entries.bytes += size;
        while entries.bytes > self.max_bytes {
            let Some((_, evicted)) = entries.lru.pop_lru() else {
                break;
            };
            entries.bytes -= weight(&evicted);
            entries.stats.evictions += 1;
        }
    }

    /// Counts so far, with the bytes and entries held now.
    pub fn stats(&self) -> CacheStats {
        self.entries
            .lock()
            .map(|entries| CacheStats {
                bytes: entries.bytes,
                entries: entries.lru.len(),
                ..entries.stats
            })
            .unwrap_or_default()
    }
}

/// The body of an answer with `data`: `{"data":…,"extensions":…}`, built the same way for a
/// hit and a miss.
pub fn body(data: &[u8], extensions: &serde_json::Value) -> Result<Vec<u8>, serde_json::Error> {
    let extensions = serde_json::to_vec(extensions)?;
    let mut body = Vec::with_capacity(data.len() + extensions.len() + 24);
    body.extend_from_slice(b"{\"data\":");
    body.extend_from_slice(data);
    body.extend_from_slice(b",\"extensions\":");
    body.extend_from_slice(&extensions);
    body.push(b'}');
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> CachedAnswer {
        CachedAnswer {
            data: Bytes::from(vec![b'x'; bytes]),
            cost: 1,
            actual: 0,
            operation: None,
            etag: None,
        }
    }

    #[test]
    fn keys_change_with_every_part() {
        let base = ResponseCache::key("{ a }", None, b"{}", b"json", (1, 1), "2026-12-01");
        assert_ne!(
            base,
            ResponseCache::key("{ b }", None, b"{}", b"json", (1, 1), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", Some("Q"), b"{}", b"json", (1, 1), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", None, b"{\"x\":1}", b"json", (1, 1), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", None, b"{}", b"gql", (1, 1), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", None, b"{}", b"json", (2, 1), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", None, b"{}", b"json", (1, 2), "2026-12-01")
        );
        assert_ne!(
            base,
            ResponseCache::key("{ a }", None, b"{}", b"json", (1, 1), "2026-12-02")
        );
        // Parts are length-prefixed: moving text from one part to the next changes the key.
        assert_ne!(
            ResponseCache::key("ab", Some("c"), b"", b"", (0, 0), ""),
            ResponseCache::key("a", Some("bc"), b"", b"", (0, 0), "")
        );
    }

    #[test]
    fn bounded_by_bytes_least_recently_used_first() {
        let cache = ResponseCache::new(10_000);
        for i in 0u8..20 {
            cache.put([i; 32], answer(900));
        }
        let stats = cache.stats();
        assert!(stats.bytes <= 10_000, "{stats:?}");
        assert!(stats.evictions >= 10, "{stats:?}");
        assert!(cache.get(&[0; 32]).is_none(), "the oldest went first");
        assert!(cache.get(&[19; 32]).is_some());
        // Too big for the budget: not kept.
        cache.put([99; 32], answer(5_000));
        assert!(cache.get(&[99; 32]).is_none());
        // Off.
        let off = ResponseCache::new(0);
        off.put([1; 32], answer(10));
        assert!(off.get(&[1; 32]).is_none());
    }

    #[test]
    fn bodies_are_data_then_extensions() {
        let body = body(
            b"{\"a\":1}",
            &serde_json::json!({"cost": {"requestedQueryCost": 1}}),
        )
        .expect("serialises");
        assert_eq!(
            String::from_utf8(body).expect("utf-8"),
            "{\"data\":{\"a\":1},\"extensions\":{\"cost\":{\"requestedQueryCost\":1}}}"
        );
    }
}
