//! Authentication: every kind of bad token is refused (never anonymous), RS256
//! and EdDSA keys by `kid`, key rotation, and the client-credentials flow.

use std::path::PathBuf;

use api::auth::{clients, Role};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

use crate::{
    db_test,
    helpers::{self, error_code, spawn_app_on, test_settings, Backend, TestApp},
};

/// Test-only keys, generated once per run.
struct Keys {
    rsa_private_pem: String,
    rsa_public: PathBuf,
    ed_private_pem: String,
    ed_public: PathBuf,
    other_ed_private_pem: String,
}

static KEYS: OnceCell<Keys> = OnceCell::const_new();

async fn keys() -> &'static Keys {
    KEYS.get_or_init(|| async {
        tokio::task::spawn_blocking(|| {
            use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
            let dir = std::env::temp_dir().join(format!("cte-hub-tests-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            let rsa = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("RSA key");
            let rsa_public = dir.join("rsa-public.pem");
            std::fs::write(
                &rsa_public,
                rsa.to_public_key()
                    .to_public_key_pem(LineEnding::LF)
                    .expect("pem"),
            )
            .expect("write");
            let ed = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
            let ed_public = dir.join("ed-public.pem");
            std::fs::write(
                &ed_public,
                ed.verifying_key()
                    .to_public_key_pem(Default::default())
                    .expect("pem"),
            )
            .expect("write");
            let other = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
            Keys {
                rsa_private_pem: rsa.to_pkcs8_pem(LineEnding::LF).expect("pem").to_string(),
                rsa_public,
                ed_private_pem: ed
                    .to_pkcs8_pem(Default::default())
                    .expect("pem")
                    .to_string(),
                ed_public,
                other_ed_private_pem: other
                    .to_pkcs8_pem(Default::default())
                    .expect("pem")
                    .to_string(),
            }
        })
        .await
        .expect("key generation")
    })
    .await
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

fn claims() -> Value {
    json!({
        "sub": "portal-1", "org": "SOCAL_ROC", "roles": ["editor"],
        "iss": "cte-hub", "aud": "cte-hub",
        "exp": now() + 600, "nbf": now() - 5, "iat": now(),
    })
}

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn sign(alg: Algorithm, kid: Option<&str>, key: &EncodingKey, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, key).expect("sign")
}

fn rsa(keys: &Keys, kid: &str, claims: &Value) -> String {
    let key = EncodingKey::from_rsa_pem(keys.rsa_private_pem.as_bytes()).expect("rsa key");
    sign(Algorithm::RS256, Some(kid), &key, claims)
}

fn ed(pem: &str, kid: &str, claims: &Value) -> String {
    let key = EncodingKey::from_ed_pem(pem.as_bytes()).expect("ed key");
    sign(Algorithm::EdDSA, Some(kid), &key, claims)
}

/// A server that trusts `rsa-1` and `ed-1` (plus its own key).
async fn app_with_keys(backend: Backend, key_ids: &[&str]) -> Option<TestApp> {
    let keys = keys().await;
    let url = helpers::fresh_database(backend).await?;
    let mut settings = test_settings(&url);
    for kid in key_ids {
        let path = if kid.starts_with("rsa") {
            &keys.rsa_public
        } else {
            &keys.ed_public
        };
        settings
            .auth
            .jwt_public_keys
            .push(format!("{kid}={}", path.display()));
    }
    Some(spawn_app_on(backend, settings).await)
}

async fn status_and_body(app: &TestApp, authorization: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Authorization", authorization)
        .json(&json!({ "query": "{ sectors { code } }" }))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

async fn assert_refused(app: &TestApp, authorization: &str, what: &str) {
    let (status, body) = status_and_body(app, authorization).await;
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{what}: {body}");
    assert!(
        body.get("data").is_none(),
        "{what} must not be served anonymously"
    );
}

db_test!(every_bad_token_is_refused_never_anonymous, |app| {
    let _ = app;
    let Some(app) = app_with_keys(app.backend, &["rsa-1", "ed-1"]).await else {
        return;
    };
    let keys = keys().await;

    // The good ones pass, for both algorithms.
    for token in [
        rsa(keys, "rsa-1", &claims()),
        ed(&keys.ed_private_pem, "ed-1", &claims()),
    ] {
        let (status, body) = status_and_body(&app, &format!("Bearer {token}")).await;
        assert_eq!(status, 200, "{body}");
    }

    // alg: none.
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"rsa-1"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims().to_string());
    assert_refused(&app, &format!("Bearer {header}.{payload}."), "alg none").await;

    // HS256 signed with the RSA public key's bytes, presented under the RSA kid.
    let public_pem = std::fs::read(&keys.rsa_public).expect("public key");
    let confused = sign(
        Algorithm::HS256,
        Some("rsa-1"),
        &EncodingKey::from_secret(&public_pem),
        &claims(),
    );
    assert_refused(
        &app,
        &format!("Bearer {confused}"),
        "HS256 against an RSA key",
    )
    .await;

    // Signed by a key the server does not trust, under a trusted kid.
    let wrong = ed(&keys.other_ed_private_pem, "ed-1", &claims());
    assert_refused(&app, &format!("Bearer {wrong}"), "wrong key").await;

    let expired = with(claims(), "exp", json!(now() - 3600));
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "rsa-1", &expired)),
        "expired",
    )
    .await;
    let early = with(claims(), "nbf", json!(now() + 3600));
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "rsa-1", &early)),
        "future nbf",
    )
    .await;
    let issuer = with(claims(), "iss", json!("someone-else"));
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "rsa-1", &issuer)),
        "wrong iss",
    )
    .await;
    let audience = with(claims(), "aud", json!("another-api"));
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "rsa-1", &audience)),
        "wrong aud",
    )
    .await;
    let mut no_sub = claims();
    no_sub.as_object_mut().expect("object").remove("sub");
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "rsa-1", &no_sub)),
        "no sub",
    )
    .await;
    assert_refused(
        &app,
        &format!("Bearer {}", rsa(keys, "nobody", &claims())),
        "unknown kid",
    )
    .await;

    // Tampered payload: a valid editor token whose claims are rewritten to admin.
    let token = rsa(keys, "rsa-1", &claims());
    let parts: Vec<&str> = token.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode(with(claims(), "roles", json!(["admin"])).to_string());
    assert_refused(
        &app,
        &format!("Bearer {}.{forged}.{}", parts[0], parts[2]),
        "tampered",
    )
    .await;

    // Not a bearer token at all.
    assert_refused(&app, &token, "missing Bearer").await;
    assert_refused(&app, &format!("Token {token}"), "other scheme").await;
    assert_refused(&app, "Bearer ", "empty bearer").await;
    assert_refused(&app, "Bearer garbage", "garbage").await;
});

db_test!(
    rotated_keys_are_both_valid_until_the_old_one_is_removed,
    |app| {
        let _ = app;
        let keys = keys().await;
        let old = rsa(keys, "rsa-1", &claims());
        let new = ed(&keys.ed_private_pem, "ed-1", &claims());
        let Some(both) = app_with_keys(app.backend, &["rsa-1", "ed-1"]).await else {
            return;
        };
        assert_eq!(
            status_and_body(&both, &format!("Bearer {old}")).await.0,
            200
        );
        assert_eq!(
            status_and_body(&both, &format!("Bearer {new}")).await.0,
            200
        );
        let Some(rotated) = app_with_keys(app.backend, &["ed-1"]).await else {
            return;
        };
        assert_refused(&rotated, &format!("Bearer {old}"), "removed key").await;
        assert_eq!(
            status_and_body(&rotated, &format!("Bearer {new}")).await.0,
            200
        );
    }
);

async fn token_request(
    app: &TestApp,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

db_test!(client_credentials_flow_end_to_end, |app| {
    let db = helpers::connect(&app.database_url).await;
    let (client_id, secret) = clients::create(&db, "Test portal", "SOCAL_ROC", &[Role::Editor])
        .await
        .expect("client");

    // Basic authentication.
    let (status, body) = token_request(
        &app,
        &[("grant_type", "client_credentials")],
        Some((&client_id, &secret)),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().expect("token").to_owned();

    // The token's kid is published in the JWKS.
    let jwks: Value = app
        .client
        .get(format!("{}/.well-known/jwks.json", app.address))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("JSON");
    let kid = jsonwebtoken::decode_header(&token)
        .expect("header")
        .kid
        .expect("kid");
    assert_eq!(jwks["keys"][0]["kid"], kid.as_str());
    assert_eq!(jwks["keys"][0]["alg"], "EdDSA");

    // It works for a scoped change.
    let data = app
        .data_as(&token, "mutation { createTerm(input: { programCode: \"SOCAL_ROC\", code: \"2027-SUMMER\", name: \"Summer 2027\", startsOn: \"2027-06-14\", endsOn: \"2027-07-23\", kind: SUMMER }) { code version } }", json!({}))
        .await;
    assert_eq!(data["createTerm"]["version"], 1);

    // Secret in the body works too; a narrower scope is granted, a wider one refused.
    let (status, body) = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "editor"),
        ],
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "admin"),
        ],
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    // RFC 6749 §5.2 errors.
    let (status, body) = token_request(
        &app,
        &[("grant_type", "client_credentials")],
        Some((&client_id, "wrong")),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token_request(
        &app,
        &[("grant_type", "password")],
        Some((&client_id, &secret)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = token_request(&app, &[], Some((&client_id, &secret))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );

    // A revoked client gets no more tokens.
    assert!(clients::revoke(&db, &client_id).await.expect("revoke"));
    let (status, body) = token_request(
        &app,
        &[("grant_type", "client_credentials")],
        Some((&client_id, &secret)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
});

db_test!(
    jwks_files_and_development_hs256_secrets_are_trusted_only_as_configured,
    |app| {
        let keys = keys().await;
        // A JWK Set with the Ed25519 key under its own kid.
        let pem = std::fs::read_to_string(&keys.ed_public).expect("pem");
        let key = jsonwebtoken::DecodingKey::from_ed_pem(pem.as_bytes()).expect("key");
        let x = match key.kind() {
            jsonwebtoken::DecodingKeyKind::SecretOrDer(bytes) => URL_SAFE_NO_PAD.encode(bytes),
            _ => panic!("an Ed25519 key is raw bytes"),
        };
        let jwks = std::env::temp_dir().join(format!(
            "cte-hub-tests-{}/jwks-{:?}.json",
            std::process::id(),
            app.backend
        ));
        std::fs::write(&jwks, json!({ "keys": [{ "kty": "OKP", "crv": "Ed25519", "x": x, "kid": "jwks-ed", "alg": "EdDSA" }] }).to_string())
        .expect("write jwks");
        let secret = "a-development-secret-of-at-least-32-bytes";
        let Some(url) = helpers::fresh_database(app.backend).await else {
            return;
        };
        let mut settings = test_settings(&url);
        settings.auth.jwks_file = Some(jwks);
        settings.auth.jwt_hs256_secret = Some(secret.into());
        // Beside production keys the development secret needs its explicit switch.
        settings.auth.dev_allow_hs256 = true;
        let app = spawn_app_on(app.backend, settings).await;

        let from_jwks = ed(&keys.ed_private_pem, "jwks-ed", &claims());
        assert_eq!(
            status_and_body(&app, &format!("Bearer {from_jwks}"))
                .await
                .0,
            200
        );
        let hs = sign(
            Algorithm::HS256,
            Some("dev-hs256"),
            &EncodingKey::from_secret(secret.as_bytes()),
            &claims(),
        );
        assert_eq!(status_and_body(&app, &format!("Bearer {hs}")).await.0, 200);
        // The HS256 secret is bound to its kid: it verifies nothing else.
        let hs_other_kid = sign(
            Algorithm::HS256,
            Some("jwks-ed"),
            &EncodingKey::from_secret(secret.as_bytes()),
            &claims(),
        );
        assert_refused(
            &app,
            &format!("Bearer {hs_other_kid}"),
            "HS256 under an EdDSA kid",
        )
        .await;
        // Without the setting, the same HS256 token is refused.
        assert_refused(
            &app_with_keys(app.backend, &[]).await.expect("app"),
            &format!("Bearer {hs}"),
            "HS256 not configured",
        )
        .await;
    }
);
