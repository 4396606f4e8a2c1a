//! Typed settings. Every flag is also an environment variable (clap `env`), so
//! the same binary is configured by flags locally and by the environment in
//! production. Database URLs may hold passwords: they are never logged whole.

use std::{net::SocketAddr, path::PathBuf};

use clap::{ArgAction, Args, ValueEnum};

/// Where the data lives.
#[derive(Args, Clone, Debug)]
pub struct DatabaseSettings {
    /// `sqlite://file.db?mode=rwc` (embedded default) or `postgres://user@host/db`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://cte-hub.db?mode=rwc"
    )]
    pub url: String,
    /// Optional read replica that serves queries.
    #[arg(long = "read-database-url", env = "DATABASE_READ_URL")]
    pub read_url: Option<String>,
}

impl DatabaseSettings {
    /// The backend and host part of the URL, safe to log.
    pub fn redacted(&self) -> String {
        redact(&self.url)
    }
}

/// Strips credentials from a database URL for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Limits that protect the server from expensive queries.
#[derive(Args, Clone, Debug)]
pub struct QueryLimits {
    /// Deepest selection nesting a query may have.
    #[arg(long, env = "CTE_HUB_MAX_DEPTH", default_value_t = 12)]
    pub max_depth: usize,
    /// Highest cost a query may have: an object costs 1, a connection 1 + `first` × one row's cost.
    #[arg(long, env = "CTE_HUB_MAX_COMPLEXITY", default_value_t = 5000)]
    pub max_complexity: usize,
    /// Whether "Did you mean ...?" suggestions are given (off in production).
    #[arg(long, env = "CTE_HUB_SUGGESTIONS", default_value_t = true, action = ArgAction::Set)]
    pub suggestions: bool,
    /// Whether schema introspection is allowed.
    #[arg(long, env = "CTE_HUB_INTROSPECTION", default_value_t = true, action = ArgAction::Set)]
    pub introspection: bool,
    /// Most aliased fields an operation may have: aliases multiply work without raising depth.
    #[arg(long, env = "CTE_HUB_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// Most directives (`@include`, `@skip`, ...) an operation may carry.
    #[arg(long, env = "CTE_HUB_MAX_DIRECTIVES", default_value_t = 50)]
    pub max_directives: usize,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_depth: 12,
            max_complexity: 5000,
            suggestions: true,
            introspection: true,
            max_aliases: 30,
            max_directives: 50,
        }
    }
}

/// Settings of `cte-hub serve`.
#[derive(Args, Clone, Debug)]
pub struct ServeSettings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "CTE_HUB_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseSettings,
    /// Serve GraphiQL at `/` and `/graphiql`.
    #[arg(long, env = "CTE_HUB_GRAPHIQL", default_value_t = true, action = ArgAction::Set)]
    pub graphiql: bool,
    /// Run with the illustrative sample catalogue: load it on first start of an empty database,
    /// and include sample records in lists and search unless a query asks `includeSample: false`.
    /// Default: true on SQLite (the embedded demo), false on PostgreSQL.
    #[arg(long, env = "CTE_HUB_SEED_SAMPLE", action = ArgAction::Set)]
    pub seed_sample: Option<bool>,
    #[command(flatten)]
    pub limits: QueryLimits,
    /// How long a batch loader waits to collect keys before it queries (milliseconds).
    /// Larger windows batch more reliably on a slow machine; each nested level waits once.
    #[arg(long, env = "CTE_HUB_LOADER_DELAY_MS", default_value_t = 1)]
    pub loader_delay_ms: u64,
    /// `max-age` (seconds) of anonymous GET responses, for CDNs and browsers.
    #[arg(long, env = "CTE_HUB_CACHE_MAX_AGE_SECS", default_value_t = 60)]
    pub cache_max_age_secs: u64,
    /// Largest request body accepted, in bytes.
    #[arg(long, env = "CTE_HUB_BODY_LIMIT_BYTES", default_value_t = 64 * 1024)]
    pub body_limit_bytes: usize,
    /// How long the snapshot of the reference tables (sectors, pathways, programs, colleges,
    /// certifications) is served before it is read again; 0 reads them on every request.
    #[arg(long, env = "CTE_HUB_REFERENCE_CACHE_SECS", default_value_t = 30)]
    pub reference_cache_secs: u64,
    /// Bytes of anonymous answers kept in this process until the data changes (least recently
    /// used out first); 0 turns the response cache off.
    #[arg(long, env = "CTE_HUB_RESPONSE_CACHE_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub response_cache_bytes: usize,
    /// Largest file `POST /import/{kind}` accepts, in bytes (the CDE schools file is ~6 MB).
    #[arg(long, env = "CTE_HUB_IMPORT_BODY_LIMIT_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub import_body_limit_bytes: usize,
    /// Longest a query may run before it is answered 503 `TIMEOUT` (a request still open 5 s
    /// later is cut with 408).
    #[arg(long, env = "CTE_HUB_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Origins allowed to call from browsers (comma-separated); empty means any origin, without credentials.
    #[arg(long, env = "CTE_HUB_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    #[command(flatten)]
    pub auth: AuthSettings,
    #[command(flatten)]
    pub pool: PoolSettings,
    #[command(flatten)]
    pub rate_limit: RateLimitSettings,
    #[command(flatten)]
    pub persisted_queries: PersistedQuerySettings,
}

impl ServeSettings {
    /// Whether this server runs with sample data: asked for, or by default only the embedded
    /// SQLite demo (a production PostgreSQL server never mixes illustrative records in).
    pub fn sample_data(&self) -> bool {
        self.seed_sample
            .unwrap_or_else(|| self.database.url.starts_with("sqlite:"))
    }
}

/// Who may call with a token and how tokens are checked and issued.
#[derive(Args, Clone, Debug)]
pub struct AuthSettings {
    /// Required `iss` claim of every token (and the issuer of tokens this server mints).
    #[arg(long, env = "CTE_HUB_JWT_ISSUER", default_value = "cte-hub")]
    pub jwt_issuer: String,
    /// Required `aud` claim of every token.
    #[arg(long, env = "CTE_HUB_JWT_AUDIENCE", default_value = "cte-hub")]
    pub jwt_audience: String,
    /// Trusted public keys as `kid=path.pem` (Ed25519 or RSA; RSA means RS256), comma-separated.
    /// Keep the old and the new key listed while rotating.
    #[arg(
        long = "jwt-public-key",
        env = "CTE_HUB_JWT_PUBLIC_KEYS",
        value_delimiter = ','
    )]
    pub jwt_public_keys: Vec<String>,
    /// A JWK Set file of trusted public keys (each with `kid`; OKP Ed25519 or RSA).
    #[arg(long, env = "CTE_HUB_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Accept HS256 tokens with `kid: dev-hs256` signed with this secret: local development only,
    /// together with `--dev-allow-hs256`.
    #[arg(long, env = "CTE_HUB_JWT_HS256_SECRET", hide_env_values = true)]
    pub jwt_hs256_secret: Option<String>,
    /// Say this is a development machine, where `--jwt-hs256-secret` may be used. Without this
    /// switch a server given that secret refuses to start: the server's own key always signs
    /// real tokens, and a shared development secret must never sit beside it by accident.
    #[arg(long, env = "CTE_HUB_DEV_ALLOW_HS256")]
    pub dev_allow_hs256: bool,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    #[arg(long, env = "CTE_HUB_JWT_LEEWAY_SECS", default_value_t = 30)]
    pub jwt_leeway_secs: u64,
    /// How often, in seconds, the list of revoked API clients is read again: a revoked
    /// client's tokens stop working within this time (0 checks on every request).
    #[arg(long, env = "CTE_HUB_REVOCATION_CHECK_SECS", default_value_t = 30)]
    pub revocation_check_secs: u64,
    /// Token requests (`POST /oauth/token`) allowed per minute for one client id, and, times
    /// four, for one network address; more answer 429 (secret guessing is slow by design).
    #[arg(long, env = "CTE_HUB_TOKEN_REQUESTS_PER_MINUTE", default_value_t = 20)]
    pub token_requests_per_minute: u32,
    /// Ed25519 PKCS#8 PEM key that signs the tokens this server issues; created when missing.
    /// Every instance behind one load balancer must share it.
    #[arg(
        long,
        env = "CTE_HUB_SIGNING_KEY_FILE",
        default_value = "cte-hub-signing-key.pem"
    )]
    pub signing_key_file: PathBuf,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, env = "CTE_HUB_TOKEN_TTL_SECS", default_value_t = 900)]
    pub token_ttl_secs: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            jwt_issuer: "cte-hub".into(),
            jwt_audience: "cte-hub".into(),
            jwt_public_keys: Vec::new(),
            jwks_file: None,
            jwt_hs256_secret: None,
            dev_allow_hs256: false,
            jwt_leeway_secs: 30,
            revocation_check_secs: 30,
            token_requests_per_minute: 20,
            signing_key_file: "cte-hub-signing-key.pem".into(),
            token_ttl_secs: 900,
        }
    }
}

/// How the server's database pool behaves when the database is slow or gone.
#[derive(Args, Clone, Debug)]
pub struct PoolSettings {
    /// Longest a query waits for a pooled connection; when the database is down,
    /// requests fail with `SERVICE_UNAVAILABLE` after this instead of hanging.
    #[arg(
        long = "db-acquire-timeout-secs",
        env = "CTE_HUB_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 2
    )]
    pub acquire_timeout_secs: u64,
    /// Idle connections are closed after this long, so a restarted database is not
    /// answered by stale sockets.
    #[arg(
        long = "db-idle-timeout-secs",
        env = "CTE_HUB_DB_IDLE_TIMEOUT_SECS",
        default_value_t = 300
    )]
    pub idle_timeout_secs: u64,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            acquire_timeout_secs: 2,
            idle_timeout_secs: 300,
        }
    }
}

/// Per-client token buckets, counted in query-cost points.
#[derive(Args, Clone, Debug)]
pub struct RateLimitSettings {
    /// Points a client may spend at once (the bucket size). 0 turns rate limiting off.
    #[arg(long, env = "CTE_HUB_RATE_LIMIT_CAPACITY", default_value_t = 20_000)]
    pub rate_limit_capacity: u32,
    /// Points given back to each client per second.
    #[arg(
        long,
        env = "CTE_HUB_RATE_LIMIT_REFILL_PER_SEC",
        default_value_t = 1_000
    )]
    pub rate_limit_refill_per_sec: u32,
    /// Redis shared by all instances for buckets and persisted queries, e.g.
    /// `redis://127.0.0.1:6379`. Unset: both live in this process only.
    #[arg(long, env = "CTE_HUB_RATE_LIMIT_REDIS_URL")]
    pub rate_limit_redis_url: Option<String>,
    /// Prefix of every Redis key this server writes (several deployments may share a Redis).
    #[arg(long, env = "CTE_HUB_REDIS_KEY_PREFIX", default_value = "cte-hub")]
    pub redis_key_prefix: String,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            rate_limit_capacity: 20_000,
            rate_limit_refill_per_sec: 1_000,
            rate_limit_redis_url: None,
            redis_key_prefix: "cte-hub".into(),
        }
    }
}

/// Automatic persisted queries and the optional trusted-documents allow-list.
#[derive(Args, Clone, Debug)]
pub struct PersistedQuerySettings {
    /// How many persisted queries this process remembers (LRU) when Redis is not configured.
    #[arg(long, env = "CTE_HUB_APQ_CACHE_SIZE", default_value_t = 1_000)]
    pub apq_cache_size: usize,
    /// A JSON file of trusted documents (`{"<sha256>": "<query>"}` or an Apollo
    /// persisted-query manifest). When set, only those documents run.
    #[arg(long, env = "CTE_HUB_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<PathBuf>,
}

impl Default for PersistedQuerySettings {
    fn default() -> Self {
        PersistedQuerySettings {
            apq_cache_size: 1_000,
            trusted_documents: None,
        }
    }
}

/// How log lines are written.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}
