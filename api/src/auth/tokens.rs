//! JWT verification and the server's own signing key.
//!
//! Each trusted key has a `kid` and one fixed algorithm: the algorithm is
//! never taken from the token, so an HS256 token cannot be checked against an
//! RSA or EdDSA public key, and `alg: none` never parses. `exp`, `nbf`, `iss`,
//! `aud` and `sub` are required, with a small leeway for clock skew.
//!
//! The server's own Ed25519 key signs the tokens of the client-credentials
//! flow and `cte-hub token`; its public half is trusted like any configured
//! key and published at `/.well-known/jwks.json`.

use std::{collections::HashMap, path::Path};

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ed25519_dalek::{
    pkcs8::{DecodePrivateKey, EncodePrivateKey},
    SigningKey,
};
use jsonwebtoken::{
    errors::ErrorKind, jwk::JwkSet, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{AuthError, Principal, Role};
use crate::config::AuthSettings;

/// The claims CTE Hub reads and writes.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub iss: String,
    pub aud: Audience,
    pub exp: u64,
    /// Optional (RFC 7519 §4.1.5; Auth0 and Keycloak leave it out); checked when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Optional (RFC 7519 §4.1.6); tokens this server issues carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
}

/// The `aud` claim: one audience or several (RFC 7519 §4.1.3 allows both; jsonwebtoken checks
/// that ours is among them).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// A trusted verification key with its one allowed algorithm.
struct TrustedKey {
    algorithm: Algorithm,
    key: DecodingKey,
}

/// The server's own EdDSA key: signs tokens it issues.
pub struct SigningIdentity {
    kid: String,
    encoding: EncodingKey,
    public_x: String,
    /// A secret derived from the private key for other uses (page cursors' MAC), so instances
    /// sharing the key file share it.
    derived: [u8; 32],
}

impl SigningIdentity {
    /// Loads the PKCS#8 PEM key at `path`, creating it (mode 0600) when the file does not exist,
    /// so the embedded setup and `cte-hub token` share one key without configuration.
    pub fn load_or_create(path: &Path) -> Result<Self, AuthError> {
        let signing = if path.exists() {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                AuthError::Configuration(format!("cannot read signing key {}: {e}", path.display()))
            })?;
            SigningKey::from_pkcs8_pem(&pem).map_err(|e| {
                AuthError::Configuration(format!(
                    "{} is not an Ed25519 PKCS#8 PEM private key: {e}",
                    path.display()
                ))
            })?
        } else {
            let key = SigningKey::generate(&mut rand_core::OsRng);
            let pem = key
                .to_pkcs8_pem(Default::default())
                .map_err(|e| AuthError::Configuration(format!("cannot encode a new key: {e}")))?;
            if !write_private(path, pem.as_bytes())? {
                // Another process (a second instance, a parallel command) created it first:
                // everyone uses that one.
                return Self::load_or_create(path);
            }
            tracing::warn!(path = %path.display(), "created a new token signing key");
            key
        };
        Self::from_key(&signing)
    }

    fn from_key(signing: &SigningKey) -> Result<Self, AuthError> {
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| AuthError::Configuration(format!("cannot encode the signing key: {e}")))?;
        let public = signing.verifying_key().to_bytes();
        let public_x = URL_SAFE_NO_PAD.encode(public);
        // The key id is derived from the public key, so every instance sharing the key agrees.
        let kid = format!(
            "cte-hub-{}",
            &URL_SAFE_NO_PAD.encode(Sha256::digest(public))[..16]
        );
        let mut derived = Sha256::new();
        derived.update(b"cte-hub derived secret\0");
        derived.update(signing.to_bytes());
        Ok(SigningIdentity {
            kid,
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            public_x,
            derived: derived.finalize().into(),
        })
    }

    /// A secret for other purposes than signing, derived from the private key.
    pub fn derived_secret(&self) -> [u8; 32] {
        self.derived
    }

    /// The key id tokens carry.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `claims` with this key.
    pub fn sign(&self, claims: &Claims) -> Result<String, AuthError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| AuthError::Configuration(format!("cannot sign a token: {e}")))
    }

    /// A token for `principal`, valid for `ttl_secs` from now.
    pub fn issue(
        &self,
        settings: &AuthSettings,
        principal: &Principal,
        ttl_secs: u64,
    ) -> Result<String, AuthError> {
        let now = jsonwebtoken::get_current_timestamp();
        self.sign(&Claims {
            sub: principal.sub.clone(),
            org: principal.org.clone(),
            roles: principal
                .roles
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            iss: settings.jwt_issuer.clone(),
            aud: Audience::One(settings.jwt_audience.clone()),
            exp: now + ttl_secs,
            nbf: Some(now),
            iat: Some(now),
        })
    }

    /// The public half as a JWK Set (`/.well-known/jwks.json`).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [{
            "kty": "OKP", "crv": "Ed25519", "x": self.public_x,
            "kid": self.kid, "alg": "EdDSA", "use": "sig",
        }]})
    }
}

/// Writes a new private key file readable by its owner only, published whole (written to a
/// temporary file, then hard-linked into place), so a process starting at the same moment never
/// reads half a key. False when another process published one first.
fn write_private(path: &Path, bytes: &[u8]) -> Result<bool, AuthError> {
    use std::io::Write;
    let error = |what: &str, e: std::io::Error| {
        AuthError::Configuration(format!("cannot {what} signing key {}: {e}", path.display()))
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let temporary = std::path::PathBuf::from(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(|e| error("create", e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| error("write", e))?;
    let published = match std::fs::hard_link(&temporary, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        // A filesystem without hard links: create the file in place, refusing to overwrite.
        Err(_) => {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => file
                    .write_all(bytes)
                    .map(|()| true)
                    .map_err(|e| error("write", e)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(error("create", e)),
            }
        }
    };
    let _ = std::fs::remove_file(&temporary);
    published
}

/// Verifies bearer tokens against every trusted key.
pub struct TokenVerifier {
    keys: HashMap<String, TrustedKey>,
    issuer: String,
    audience: String,
    leeway: u64,
}

impl TokenVerifier {
    /// Trusts the server's own key plus every key the settings name.
    pub fn from_settings(
        settings: &AuthSettings,
        own: &SigningIdentity,
    ) -> Result<Self, AuthError> {
        let mut keys = HashMap::new();
        let own_key = DecodingKey::from_ed_components(&own.public_x)
            .map_err(|e| AuthError::Configuration(format!("own public key: {e}")))?;
        keys.insert(
            own.kid.clone(),
            TrustedKey {
                algorithm: Algorithm::EdDSA,
                key: own_key,
            },
        );
        for entry in &settings.jwt_public_keys {
            let (kid, path) = entry.split_once('=').ok_or_else(|| {
                AuthError::Configuration(format!(
                    "--jwt-public-key '{entry}': expected kid=path/to/key.pem"
                ))
            })?;
            let pem = std::fs::read(path.trim()).map_err(|e| {
                AuthError::Configuration(format!("cannot read public key {path}: {e}"))
            })?;
            keys.insert(kid.trim().to_owned(), public_pem(path, &pem)?);
        }
        if let Some(path) = &settings.jwks_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                AuthError::Configuration(format!("cannot read JWKS file {}: {e}", path.display()))
            })?;
            let set: JwkSet = serde_json::from_str(&text).map_err(|e| {
                AuthError::Configuration(format!("{} is not a JWK Set: {e}", path.display()))
            })?;
            for jwk in &set.keys {
                let kid = jwk.common.key_id.clone().ok_or_else(|| {
                    AuthError::Configuration(format!("{}: every key needs a kid", path.display()))
                })?;
                let algorithm = match &jwk.algorithm {
                    jsonwebtoken::jwk::AlgorithmParameters::OctetKeyPair(_) => Algorithm::EdDSA,
                    jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Algorithm::RS256,
                    _ => {
                        return Err(AuthError::Configuration(format!(
                            "{}: key {kid} is neither Ed25519 nor RSA",
                            path.display()
                        )))
                    }
                };
                let key = DecodingKey::from_jwk(jwk).map_err(|e| {
                    AuthError::Configuration(format!("{}: key {kid}: {e}", path.display()))
                })?;
                keys.insert(kid, TrustedKey { algorithm, key });
            }
        }
        if let Some(secret) = &settings.jwt_hs256_secret {
            // The server's own key always signs real tokens: a shared development secret beside
            // it could mint an admin token for anyone who knows the secret.
            if !settings.dev_allow_hs256 {
                return Err(AuthError::Configuration(
                    "--jwt-hs256-secret is for local development only: add --dev-allow-hs256 to say this is a development machine, or remove the secret".into(),
                ));
            }
            if secret.len() < 32 {
                return Err(AuthError::Configuration(
                    "--jwt-hs256-secret must be at least 32 bytes".into(),
                ));
            }
            tracing::warn!(
                "HS256 tokens are accepted (kid 'dev-hs256'): for local development only"
            );
            keys.insert(
                "dev-hs256".into(),
                TrustedKey {
                    algorithm: Algorithm::HS256,
                    key: DecodingKey::from_secret(secret.as_bytes()),
                },
            );
        }
        Ok(TokenVerifier {
            keys,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            leeway: settings.jwt_leeway_secs,
        })
    }

    /// Verifies a token and returns its principal; any defect is an [`AuthError::InvalidToken`].
    pub fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        let invalid = |why: &str| AuthError::InvalidToken(why.to_owned());
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| invalid("malformed token or algorithm not allowed"))?;
        let kid = header
            .kid
            .ok_or_else(|| invalid("the token header has no kid"))?;
        let trusted = self.keys.get(&kid).ok_or_else(|| invalid("unknown kid"))?;
        if header.alg != trusted.algorithm {
            return Err(invalid("algorithm not allowed for this key"));
        }
        let mut validation = Validation::new(trusted.algorithm);
        validation.leeway = self.leeway;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let data =
            jsonwebtoken::decode::<Claims>(token, &trusted.key, &validation).map_err(|e| {
                invalid(match e.kind() {
                    ErrorKind::ExpiredSignature => "expired",
                    ErrorKind::ImmatureSignature => "not valid yet (nbf)",
                    ErrorKind::InvalidIssuer => "wrong issuer",
                    ErrorKind::InvalidAudience => "wrong audience",
                    ErrorKind::InvalidSignature => "bad signature",
                    ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
                    ErrorKind::InvalidAlgorithm => "algorithm not allowed for this key",
                    _ => "malformed token",
                })
            })?;
        let claims = data.claims;
        if claims.sub.trim().is_empty() {
            return Err(invalid("empty sub"));
        }
        Ok(Principal {
            sub: claims.sub,
            org: claims.org,
            roles: claims.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        })
    }
}

fn public_pem(path: &str, pem: &[u8]) -> Result<TrustedKey, AuthError> {
    if let Ok(key) = DecodingKey::from_ed_pem(pem) {
        return Ok(TrustedKey {
            algorithm: Algorithm::EdDSA,
            key,
        });
    }
    if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
        return Ok(TrustedKey {
            algorithm: Algorithm::RS256,
            key,
        });
    }
    Err(AuthError::Configuration(format!(
        "{path} is neither an Ed25519 nor an RSA public key in PEM"
    )))
}

#[cfg(test)]
mod tests {
    use super::SigningIdentity;

    #[test]
    fn processes_starting_together_share_one_new_key() {
        let dir = std::env::temp_dir().join(format!("cte-hub-key-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("signing-key.pem");
        let kids: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        SigningIdentity::load_or_create(&path)
                            .expect("a whole key, created or read")
                            .kid()
                            .to_owned()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        assert!(kids.iter().all(|k| k == &kids[0]), "{kids:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Property tests: garbage, altered and hostile tokens (docs/fuzzing.md).
#[cfg(test)]
#[path = "tokens_props.rs"]
mod props;
