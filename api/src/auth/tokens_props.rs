//! Property tests of [`TokenVerifier::verify`]: arbitrary strings, JWT-shaped garbage, altered
//! tokens and validly signed tokens with hostile claims never panic, and only a token that is
//! signed by a trusted key and whose claims all hold is accepted. Fixed seed and budget;
//! `PROPTEST_CASES` and `PROPTEST_RNG_SEED` run them longer by hand (docs/fuzzing.md).

use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD},
    Engine,
};
use ed25519_dalek::SigningKey;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use proptest::{
    prelude::*,
    test_runner::{Config, RngSeed},
};

use super::{Audience, Claims, SigningIdentity, TokenVerifier};
use crate::{auth::AuthError, config::AuthSettings};

/// The fixed seed of every property here (`PROPTEST_RNG_SEED` overrides it).
const SEED: u64 = 0x00C7_E4B2;

/// `cases` cases from the fixed seed, unless `PROPTEST_CASES` / `PROPTEST_RNG_SEED` say
/// otherwise; no regression files (kept cases are plain tests below).
fn config(cases: u32) -> Config {
    let base = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            base.cases
        } else {
            cases
        },
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(SEED),
            fixed => fixed,
        },
        failure_persistence: None,
        ..base
    }
}

/// The server's own identity from a fixed key, and a verifier that trusts it (plus the HS256
/// development key, so `kid: dev-hs256` is a known kid too).
fn setup() -> (SigningIdentity, TokenVerifier) {
    let identity = SigningIdentity::from_key(&SigningKey::from_bytes(&[7; 32])).expect("fixed key");
    let settings = AuthSettings {
        jwt_hs256_secret: Some("a development secret of at least 32 bytes".into()),
        dev_allow_hs256: true,
        ..AuthSettings::default()
    };
    let verifier = TokenVerifier::from_settings(&settings, &identity).expect("verifier");
    (identity, verifier)
}

fn now() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

/// A good token of the fixed identity.
fn good_token(identity: &SigningIdentity) -> String {
    identity
        .sign(&Claims {
            sub: "client-1".into(),
            org: "SOCAL_ROC".into(),
            roles: vec!["editor".into()],
            iss: "cte-hub".into(),
            aud: Audience::One("cte-hub".into()),
            exp: now() + 600,
            nbf: Some(now()),
            iat: Some(now()),
        })
        .expect("signs")
}

/// Runs `verify` and turns a panic into a failure that names the token.
fn verify(
    verifier: &TokenVerifier,
    token: &str,
) -> Result<Result<super::Principal, AuthError>, TestCaseError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| verifier.verify(token))).map_err(
        |_| {
            TestCaseError::fail(format!(
                "verify panicked on {:?}",
                token.chars().take(300).collect::<String>()
            ))
        },
    )
}

fn refused(verifier: &TokenVerifier, token: &str) -> Result<(), TestCaseError> {
    match verify(verifier, token)? {
        Err(AuthError::InvalidToken(_)) => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!(
            "refused, but not as an invalid token ({other}): {token:?}"
        ))),
        Ok(principal) => Err(TestCaseError::fail(format!(
            "accepted {token:?} as {principal:?}"
        ))),
    }
}

/// Bytes as one part of a JWT, in the right encoding or a wrong one.
fn encode(bytes: &[u8], how: u8) -> String {
    match how % 4 {
        0 | 1 => URL_SAFE_NO_PAD.encode(bytes),
        2 => URL_SAFE.encode(bytes),
        _ => STANDARD.encode(bytes),
    }
}

fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        prop_oneof![
            Just("cte-hub".to_owned()),
            Just("admin".to_owned()),
            Just(String::new()),
            "[\u{0}-\u{1f}\u{202e}\u{200b} a-z]{0,12}",
            any::<String>(),
        ]
        .prop_map(serde_json::Value::from),
    ]
}

/// A JSON object with some of `keys` (and odd ones), each with any kind of value.
fn json_object(keys: &'static [&'static str]) -> impl Strategy<Value = serde_json::Value> {
    let value = json_leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(
        prop_oneof![
            prop::sample::select(keys).prop_map(str::to_owned),
            "[a-z]{1,5}"
        ],
        value,
        0..8,
    )
    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()))
}

const HEADER_KEYS: &[&str] = &["alg", "kid", "typ", "jku", "jwk", "x5u", "crit", "cty"];
const CLAIM_KEYS: &[&str] = &["sub", "org", "roles", "iss", "aud", "exp", "nbf", "iat"];
const ALGORITHMS: &[&str] = &[
    "none", "None", "EdDSA", "HS256", "RS256", "ES256", "PS512", "", "eddsa",
];

/// A header that names a real algorithm and kid often enough to get past the first checks.
fn header(kid: String) -> impl Strategy<Value = serde_json::Value> {
    (
        json_object(HEADER_KEYS),
        prop::sample::select(ALGORITHMS),
        prop_oneof![
            Just(Some(kid)),
            Just(Some("dev-hs256".to_owned())),
            Just(None),
            any::<String>().prop_map(Some),
        ],
    )
        .prop_map(|(mut header, alg, kid)| {
            if let Some(map) = header.as_object_mut() {
                map.insert("alg".into(), alg.into());
                if let Some(kid) = kid {
                    map.insert("kid".into(), kid.into());
                }
            }
            header
        })
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn arbitrary_strings_are_refused(
        token in prop_oneof![
            any::<String>(),
            "[A-Za-z0-9_=+/.-]{0,400}",
            "[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,200}\\.[A-Za-z0-9_-]{0,90}",
            "(\\.|eyJ|[ \t\u{0}]|Bearer ){0,20}",
        ]
    ) {
        let (_, verifier) = setup();
        refused(&verifier, &token)?;
    }

    /// Header, claims and signature each any JSON / bytes, encoded right or wrong.
    #[test]
    fn jwt_shaped_garbage_is_refused(
        header in header(String::new()),
        claims in json_object(CLAIM_KEYS),
        signature in prop::collection::vec(any::<u8>(), 0..96),
        encodings in any::<[u8; 3]>(),
        extra_parts in 0usize..3,
    ) {
        let (identity, verifier) = setup();
        let mut header = header;
        // Point some headers at the real kid.
        if encodings[0] % 3 == 0 {
            if let Some(map) = header.as_object_mut() {
                map.insert("kid".into(), identity.kid().into());
            }
        }
        let mut token = format!(
            "{}.{}.{}",
            encode(header.to_string().as_bytes(), encodings[0]),
            encode(claims.to_string().as_bytes(), encodings[1]),
            encode(&signature, encodings[2]),
        );
        for _ in 0..extra_parts {
            token.push('.');
        }
        refused(&verifier, &token)?;
    }

    /// Any change to a good token makes it refused.
    #[test]
    fn altered_tokens_are_refused(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 1..4),
    ) {
        let (identity, verifier) = setup();
        let good = good_token(&identity);
        let mut chars: Vec<char> = good.chars().collect();
        for (at, what, c) in edits {
            let i = at.index(chars.len().max(1));
            match what {
                0 if !chars.is_empty() => { chars.remove(i.min(chars.len() - 1)); }
                1 => chars.insert(i.min(chars.len()), c),
                2 if !chars.is_empty() => {
                    let last = chars.len() - 1;
                    chars[i.min(last)] = c;
                }
                _ => chars.truncate(i),
            }
        }
        let altered: String = chars.into_iter().collect();
        prop_assume!(altered != good);
        refused(&verifier, &altered)?;
    }

    /// Tokens really signed by the trusted key, with hostile claims: accepted exactly when
    /// every claim holds (expiry and start far from now, so no clock edge is involved).
    #[test]
    fn signed_tokens_are_accepted_only_when_every_claim_holds(
        sub in prop_oneof![Just("client-1".to_owned()), Just(String::new()), Just(" \t".to_owned()), any::<String>()],
        org in any::<String>(),
        roles in prop::collection::vec(prop_oneof![Just("admin".to_owned()), Just(" Editor ".to_owned()), any::<String>()], 0..4),
        iss in prop_oneof![Just("cte-hub".to_owned()), Just("CTE-HUB".to_owned()), any::<String>()],
        aud in prop_oneof![Just("cte-hub".to_owned()), Just("cte-hub ".to_owned()), any::<String>()],
        expired in any::<bool>(),
        early in any::<bool>(),
        extreme in any::<bool>(),
    ) {
        let (identity, verifier) = setup();
        let now = now();
        let exp = match (expired, extreme) {
            (true, true) => 0,
            (true, false) => now - 3_600,
            (false, true) => u64::MAX,
            (false, false) => now + 3_600,
        };
        let nbf = if early { if extreme { u64::MAX } else { now + 3_600 } } else { now - 60 };
        let token = identity
            .sign(&Claims { sub: sub.clone(), org, roles, iss: iss.clone(), aud: Audience::One(aud.clone()), exp, nbf: Some(nbf), iat: Some(now) })
            .expect("signs");
        let should = iss == "cte-hub" && aud == "cte-hub" && !sub.trim().is_empty() && !expired && !early;
        match verify(&verifier, &token)? {
            Ok(principal) => {
                prop_assert!(should, "accepted a token that should be refused: {principal:?}");
                prop_assert_eq!(principal.sub, sub);
            }
            Err(AuthError::InvalidToken(_)) => prop_assert!(!should, "refused a good token"),
            Err(other) => return Err(TestCaseError::fail(format!("not an invalid token: {other}"))),
        }
    }

    /// Signed by the trusted key, with claims of the wrong types or missing.
    #[test]
    fn signed_tokens_with_malformed_claims_never_panic(claims in json_object(CLAIM_KEYS)) {
        let (identity, verifier) = setup();
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(identity.kid().to_owned());
        let token = jsonwebtoken::encode(&header, &claims, &identity.encoding).expect("signs");
        if let Ok(principal) = verify(&verifier, &token)? {
            prop_assert!(!principal.sub.trim().is_empty());
        }
    }
}

/// The classic key confusion: an HS256 token "signed" with the public key as the secret.
#[test]
fn an_hs256_token_signed_with_the_public_key_is_refused() {
    let (identity, verifier) = setup();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(identity.kid().to_owned());
    let claims = serde_json::json!({
        "sub": "attacker", "org": "cte-hub", "roles": ["admin"], "iss": "cte-hub",
        "aud": "cte-hub", "exp": now() + 600, "nbf": now(), "iat": now(),
    });
    for secret in [
        identity.public_x.as_bytes().to_vec(),
        URL_SAFE_NO_PAD
            .decode(&identity.public_x)
            .expect("key bytes"),
    ] {
        let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&secret))
            .expect("signs");
        assert!(verifier.verify(&token).is_err(), "{token}");
    }
    // And `alg: none` with an empty signature.
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","kid":"{}"}}"#, identity.kid())),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    assert!(verifier.verify(&none).is_err());
    assert!(
        verifier.verify(&good_token(&identity)).is_ok(),
        "the fixture is right"
    );
}
