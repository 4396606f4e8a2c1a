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

/// The principal of a live client whose secret matches; `None` for anything else.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    client_id: &str,
    secret: &str,
) -> Result<Option<Principal>, ClientError> {
    let Some(client) = api_client::Entity::find()
        .filter(api_client::Column::ClientId.eq(client_id))
        .filter(api_client::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Ok(hash) = PasswordHash::new(&client.secret_hash) else {
        return Ok(None);
    };
    if Argon2::default()
        .verify_password(secret.as_bytes(), &hash)
        .is_err()
    {
        return Ok(None);
    }
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
