//! Per-client rate limiting: a token bucket counted in query-cost points.
//!
//! Each request is charged its requested cost (at least 1 point). A bucket holds
//! at most `capacity` points and gets `refill_per_sec` back every second. Buckets
//! live in this process (`governor`) unless a Redis URL is configured; then one
//! small atomic Lua script keeps them in Redis, shared by every instance. When
//! Redis does not answer, requests are let through with a logged warning (fail
//! open): an outage of the limiter must not become an outage of the API.

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use governor::{
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
    Quota,
};

use crate::{auth::ClientKey, config::RateLimitSettings, shared_store::SharedStore};

type LocalBuckets = governor::RateLimiter<
    String,
    DefaultKeyedStateStore<String>,
    DefaultClock,
    StateInformationMiddleware,
>;

/// How often (in charges) idle in-process buckets are forgotten.
const RETAIN_EVERY: u64 = 1024;

/// Atomic token bucket: refill by elapsed time (Redis server clock), then take
/// `cost` if there is enough. Returns {allowed, tokens left, ms until enough}.
const BUCKET_SCRIPT: &str = r#"
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate / 1000)
end
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), wait}
"#;

/// The bucket's state after a charge, reported like Shopify's `throttleStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the request may run.
    pub allowed: bool,
    /// The bucket size.
    pub maximum_available: u32,
    /// Points left after this charge.
    pub currently_available: u64,
    /// Points given back per second.
    pub restore_rate: u32,
    /// When refused: seconds until the charge would fit.
    pub retry_after_secs: u64,
}

enum Buckets {
    Off,
    Local {
        limiter: Box<LocalBuckets>,
        charges: AtomicU64,
    },
    Redis {
        store: SharedStore,
        script: redis::Script,
    },
}

/// Charges requests against their client's bucket.
pub struct RateLimiter {
    capacity: u32,
    refill_per_sec: u32,
    buckets: Buckets,
}

impl RateLimiter {
    /// Buckets as configured: off when capacity or refill is 0, in Redis when `store` is given.
    pub fn new(settings: &RateLimitSettings, store: Option<SharedStore>) -> Self {
        let capacity = settings.rate_limit_capacity;
        let refill_per_sec = settings.rate_limit_refill_per_sec;
        let buckets = match (
            NonZeroU32::new(capacity),
            NonZeroU32::new(refill_per_sec),
            store,
        ) {
            (Some(_), Some(_), Some(store)) => Buckets::Redis {
                store,
                script: redis::Script::new(BUCKET_SCRIPT),
            },
            (Some(burst), Some(rate), None) => Buckets::Local {
                limiter: Box::new(
                    governor::RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
                        .with_middleware::<StateInformationMiddleware>(),
                ),
                charges: AtomicU64::new(0),
            },
            _ => Buckets::Off,
        };
        RateLimiter {
            capacity,
            refill_per_sec,
            buckets,
        }
    }

    /// Takes `cost` points (at least 1, at most the bucket size) from `key`'s bucket.
    /// `None` when rate limiting is off or Redis did not answer (fail open).
    pub async fn charge(&self, key: &ClientKey, cost: u64) -> Option<Verdict> {
        let cost = cost.clamp(1, u64::from(self.capacity.max(1)));
        match &self.buckets {
            Buckets::Off => None,
            Buckets::Local { limiter, charges } => {
                if charges.fetch_add(1, Ordering::Relaxed) % RETAIN_EVERY == RETAIN_EVERY - 1 {
                    limiter.retain_recent();
                }
                let n = NonZeroU32::new(u32::try_from(cost).unwrap_or(u32::MAX))?;
                match limiter.check_key_n(&key.as_str().to_owned(), n) {
                    Ok(Ok(snapshot)) => {
                        Some(self.verdict(true, u64::from(snapshot.remaining_burst_capacity()), 0))
                    }
                    Ok(Err(not_until)) => {
                        let wait = not_until.wait_time_from(limiter.clock().now());
                        // Points there now: the charge less what the wait would bring.
                        let coming = wait.as_secs_f64() * f64::from(self.refill_per_sec);
                        let available = (cost as f64 - coming).max(0.0) as u64;
                        Some(self.verdict(false, available, retry_secs(wait)))
                    }
                    // Cannot happen: the cost is clamped to the bucket size.
                    Err(_) => None,
                }
            }
            Buckets::Redis { store, script } => {
                let bucket = store.key("bucket", key.as_str());
                let result = store
                    .call(|mut conn| async move {
                        script
                            .key(bucket)
                            .arg(self.capacity)
                            .arg(self.refill_per_sec)
                            .arg(cost)
                            .invoke_async::<(i64, i64, i64)>(&mut conn)
                            .await
                    })
                    .await;
                match result {
                    Ok((allowed, tokens, wait_ms)) => Some(self.verdict(
                        allowed == 1,
                        tokens.max(0) as u64,
                        retry_secs(Duration::from_millis(wait_ms.max(0) as u64)),
                    )),
                    Err(e) => {
                        tracing::warn!(error = %e, "rate limit: Redis unreachable; letting the request through");
                        None
                    }
                }
            }
        }
    }

    fn verdict(&self, allowed: bool, available: u64, retry_after_secs: u64) -> Verdict {
        Verdict {
            allowed,
            maximum_available: self.capacity,
            currently_available: available,
            restore_rate: self.refill_per_sec,
            retry_after_secs,
        }
    }
}

/// Whole seconds to wait, rounded up, at least 1 (what `Retry-After` can say).
fn retry_secs(wait: Duration) -> u64 {
    (wait.as_millis().div_ceil(1000) as u64).max(1)
}
