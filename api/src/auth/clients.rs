//! Registered API clients for the OAuth 2.0 client-credentials flow
//! (RFC 6749 §4.4). A client acts for one organisation with fixed roles; its
//! secret is shown once at creation and stored only as an Argon2id hash.

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::Utc;
use entity::api_client;
use rand_core::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::{Principal, Role};

/// Why a client cannot be created or used.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("{0}")]
    Invalid(String),
    /// Every secret-check permit stayed taken: the caller should retry shortly.
    #[error("too many token requests are being checked; retry shortly")]
    Busy,
}

/// A client as listed (never with its secret).
#[derive(Debug, Clone)]
pub struct ClientSummary {
    pub client_id: String,
    pub name: String,
    pub org: String,
    pub roles: Vec<Role>,
    pub created_at: chrono::DateTime<Utc>,
    pub revoked: bool,
}

impl From<api_client::Model> for ClientSummary {
    fn from(m: api_client::Model) -> Self {
        ClientSummary {
            roles: parse_roles(&m.roles),
            client_id: m.client_id,
            name: m.name,
            org: m.org,
            created_at: m.created_at,
            revoked: m.revoked_at.is_some(),
        }
    }
}

fn parse_roles(stored: &str) -> Vec<Role> {
    stored.split(',').filter_map(Role::parse).collect()
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand_core::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Registers a client; returns its id and the secret, which is not stored and cannot be shown again.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    name: &str,
    org: &str,
    roles: &[Role],
) -> Result<(String, String), ClientError> {
    if org.trim().is_empty() {
        return Err(ClientError::Invalid(
            "--org must name an organisation".into(),
        ));
    }
    if roles.is_empty() {
        return Err(ClientError::Invalid("give at least one --role".into()));
    }
    let client_id = format!("cte_{}", random_token(12));
    let secret = random_token(32);
    let salt = SaltString::generate(&mut rand_core::OsRng);
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| ClientError::Invalid(format!("cannot hash the secret: {e}")))?
        .to_string();
    api_client::ActiveModel {
        client_id: Set(client_id.clone()),
        name: Set(name.trim().to_owned()),
        org: Set(org.trim().to_owned()),
        roles: Set(roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        secret_hash: Set(hash),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((client_id, secret))
}

/// Every client, newest first.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<ClientSummary>, ClientError> {
    Ok(api_client::Entity::find()
        .order_by_desc(api_client::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(ClientSummary::from)
        .collect())
}

/// Revokes a client: its secret stops working at once (tokens already issued live until they expire).
pub async fn revoke<C: ConnectionTrait>(db: &C, client_id: &str) -> Result<bool, ClientError> {
    let result = api_client::Entity::update_many()
        .col_expr(
            api_client::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(api_client::Column::ClientId.eq(client_id))
        .filter(api_client::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Checks client secrets with Argon2 off the async workers, a few at a time.
///
/// Argon2 is slow on purpose (about 20 ms here); run on a tokio worker it stalls every other
/// request on that worker, and sixteen wrong guesses at once tripled a trivial query's latency.
/// So each check runs on the blocking pool behind a semaphore of `concurrency` permits, and an
/// unknown or revoked client id is checked against a dummy hash with the same parameters, so the
/// answer takes as long as for a real id and does not tell which ids exist.
pub struct SecretChecks {
    permits: tokio::sync::Semaphore,
    /// Made on the first token request (hashing costs as much as checking).
    dummy_hash: tokio::sync::OnceCell<String>,
}

/// How long a token request waits for a free Argon2 permit before it is answered "busy".
const PERMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl SecretChecks {
    /// `concurrency` checks at most run at once (at least one).
    pub fn new(concurrency: usize) -> Self {
        SecretChecks {
            permits: tokio::sync::Semaphore::new(concurrency.max(1)),
            dummy_hash: tokio::sync::OnceCell::new(),
        }
    }

    async fn dummy_hash(&self) -> Result<String, ClientError> {
        self.dummy_hash
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| {
                    let salt = SaltString::generate(&mut rand_core::OsRng);
                    Argon2::default()
                        .hash_password(random_token(32).as_bytes(), &salt)
                        .map(|hash| hash.to_string())
                        .map_err(|e| ClientError::Invalid(format!("cannot hash the secret: {e}")))
                })
                .await
                .map_err(|e| ClientError::Invalid(format!("secret hashing stopped: {e}")))?
            })
            .await
            .cloned()
    }

    /// The principal of a live client whose secret matches; `None` for anything else, after
    /// the same work whatever the reason.
    pub async fn authenticate<C: ConnectionTrait>(
        &self,
        db: &C,
        client_id: &str,
        secret: &str,
    ) -> Result<Option<Principal>, ClientError> {
        // Ids are `cte_` and URL-safe base64: anything else is no client, and is not sent to
        // the database (a NUL would be an error there, answered faster than a hash check).
        let well_formed = client_id.len() <= 64
            && client_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
        let client = if well_formed {
            api_client::Entity::find()
                .filter(api_client::Column::ClientId.eq(client_id))
                .filter(api_client::Column::RevokedAt.is_null())
                .one(db)
                .await?
        } else {
            None
        };
        let hash = match &client {
            Some(client) => client.secret_hash.clone(),
            None => self.dummy_hash().await?,
        };
        let permit = tokio::time::timeout(PERMIT_WAIT, self.permits.acquire())
            .await
            .map_err(|_| ClientError::Busy)?
            .map_err(|_| ClientError::Busy)?;
        let secret = secret.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(secret.as_bytes(), &hash)
                    .is_ok()
            })
        })
        .await
        .map_err(|e| ClientError::Invalid(format!("secret check stopped: {e}")))?;
        drop(permit);
        let Some(client) = client.filter(|_| matches) else {
            return Ok(None);
        };
        api_client::Entity::update_many()
            .col_expr(
                api_client::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(api_client::Column::Id.eq(client.id))
            .exec(db)
            .await?;
        Ok(Some(Principal {
            sub: client.client_id,
            org: client.org,
            roles: parse_roles(&client.roles),
        }))
    }
}

/// The client ids revoked so far, read again from the database at most every `every`, so a
/// revoked client's unexpired tokens stop working within that time on every instance.
pub struct Revocations {
    every: std::time::Duration,
    revoked: tokio::sync::RwLock<(
        Option<std::time::Instant>,
        std::collections::HashSet<String>,
    )>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Revocations {
    pub fn new(every: std::time::Duration) -> Self {
        Revocations {
            every,
            revoked: tokio::sync::RwLock::new((None, Default::default())),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether `client_id` was revoked (as of at most `every` ago). When the database cannot be
    /// read, the last list read stays in force and the failure is logged.
    pub async fn is_revoked<C: ConnectionTrait>(&self, db: &C, client_id: &str) -> bool {
        let stale = self
            .revoked
            .read()
            .await
            .0
            .is_none_or(|read| read.elapsed() >= self.every);
        if stale {
            // One request reads the list; the others meanwhile use the one they have.
            let guard = if self.every.is_zero() {
                Some(self.refreshing.lock().await)
            } else {
                self.refreshing.try_lock().ok()
            };
            if guard.is_some() {
                match revoked_ids(db).await {
                    Ok(ids) => *self.revoked.write().await = (Some(std::time::Instant::now()), ids),
                    Err(e) => tracing::warn!(error = %e, "cannot read revoked API clients"),
                }
            }
        }
        self.revoked.read().await.1.contains(client_id)
    }
}

async fn revoked_ids<C: ConnectionTrait>(
    db: &C,
) -> Result<std::collections::HashSet<String>, ClientError> {
    Ok(api_client::Entity::find()
        .filter(api_client::Column::RevokedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|client| client.client_id)
        .collect())
}
