//! GraphiQL, the in-browser query editor at `/` and `/graphiql`, served whole by
//! this binary so it works offline (no CDN, no internet at run time).
//!
//! The page, its start script, its stylesheet and the pinned React 18.3.1,
//! ReactDOM 18.3.1 and GraphiQL 3.9.0 builds (from their npm packages, MIT) are
//! files under `api/assets/graphiql/`, embedded at build time. That folder's README
//! names each package, its exact version and licence. To refresh them, run
//! `api/assets/graphiql/refresh.sh GRAPHIQL_VERSION REACT_VERSION` and change the
//! file names below (a missing file is a build error, so code and files cannot drift).
//!
//! Assets are served at `/graphiql/assets/<content hash>/<file>` with a year-long
//! `immutable` cache: a changed file gets a new URL. The page itself is `no-cache`.
//! Its Content-Security-Policy allows only this origin (see [`csp`]). `start.js`
//! sets the default query, sends queries to `/graphql` as
//! `application/graphql-response+json`, and asks for the schema with a query that
//! fits the depth limit. Turn GraphiQL off with `--graphiql false`
//! (`CTE_HUB_GRAPHIQL=false`).

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
};
use sha2::{Digest, Sha256};

/// Where the assets are served; `{version}` is the first 16 hex digits of the
/// file's SHA-256.
pub const ASSET_ROUTE: &str = "/graphiql/assets/{version}/{file}";

/// Only this origin: no inline script, no `eval`, no CDN. `data:` is needed for
/// fonts and images because GraphiQL's stylesheet ships its fonts (and a few
/// CodeMirror icons) inlined as `data:` URLs; the page's icon is an empty `data:` URL
/// too, so browsers do not ask for `/favicon.ico`. The one inline `<style>` GraphiQL
/// writes (its dialogs lock page scrolling) carries this response's `nonce`, which
/// `start.js` hands over as `__webpack_nonce__`, the global the bundle reads.
fn csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
}

/// A file the page needs.
struct Asset {
    file: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// In the order the page loads them (the scripts run in this order).
const ASSETS: [Asset; 6] = [
    Asset {
        file: "graphiql-3.9.0.min.css",
        content_type: CSS,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.css"),
    },
    Asset {
        file: "page.css",
        content_type: CSS,
        bytes: include_bytes!("../../assets/graphiql/page.css"),
    },
    Asset {
        file: "react-18.3.1.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react-18.3.1.production.min.js"),
    },
    Asset {
        file: "react-dom-18.3.1.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react-dom-18.3.1.production.min.js"),
    },
    Asset {
        file: "graphiql-3.9.0.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.js"),
    },
    Asset {
        file: "start.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/start.js"),
    },
];

/// Each asset's version and the page's links to them, computed once.
struct Served {
    /// Per asset (same order as [`ASSETS`]): the version in its URL.
    versions: Vec<String>,
    /// The `<link>` and `<script>` elements of the page's head.
    links: String,
}

static SERVED: LazyLock<Served> = LazyLock::new(|| {
    let versions: Vec<String> = ASSETS.iter().map(|a| version(a.bytes)).collect();
    let url = |i: usize| format!("/graphiql/assets/{}/{}", versions[i], ASSETS[i].file);
    let mut head = String::new();
    for (i, asset) in ASSETS.iter().enumerate() {
        if asset.content_type == CSS {
            head.push_str(&format!(
                "  <link rel=\"stylesheet\" href=\"{}\">\n",
                url(i)
            ));
        } else {
            head.push_str(&format!("  <script src=\"{}\" defer></script>\n", url(i)));
        }
    }
    Served {
        versions,
        links: head,
    }
});

/// The first 16 hex digits of the SHA-256 of `bytes`.
fn version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The page: the links to its assets and a fresh style nonce.
fn page_html(nonce: &str) -> String {
    let links = &SERVED.links;
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="style-nonce" content="{nonce}">
  <title>CTE Hub GraphiQL</title>
  <link rel="icon" href="data:,">
{links}</head>
<body>
  <div id="graphiql" data-endpoint="/graphql">Loading GraphiQL…</div>
  <noscript>GraphiQL needs JavaScript. The API itself answers at /graphql.</noscript>
</body>
</html>
"#
    )
}

/// The GraphiQL page.
pub async fn page() -> Response {
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let Ok(policy) = HeaderValue::from_str(&csp(&nonce)) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    (
        [
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        Html(page_html(&nonce)),
    )
        .into_response()
}

/// One of the page's files; 404 for an unknown file or a version that is not the
/// current one (a page from an older build asks again and gets the new URLs).
pub async fn asset(Path((version, file)): Path<(String, String)>) -> Response {
    let found = ASSETS
        .iter()
        .zip(&SERVED.versions)
        .find(|(asset, current)| asset.file == file && **current == version);
    match found {
        Some((asset, _)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.content_type),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            asset.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_every_asset_by_version_and_has_no_inline_code() {
        let page = page_html("abc");
        for (asset, version) in ASSETS.iter().zip(&SERVED.versions) {
            assert_eq!(version.len(), 16);
            assert!(
                page.contains(&format!("/graphiql/assets/{version}/{}\"", asset.file)),
                "{page}"
            );
        }
        assert_eq!(page.matches("<script").count(), 4);
        assert_eq!(page.matches("<script src=").count(), 4, "no inline script");
        assert!(!page.contains("<style"), "no inline style");
        assert!(!page.contains("http"), "no other origin");
        assert!(page.contains(r#"<meta name="style-nonce" content="abc">"#));
    }

    #[test]
    fn policy_allows_only_this_origin() {
        let policy = csp("abc");
        assert!(!policy.contains("unsafe"));
        assert!(!policy.contains("http"));
        assert!(policy.contains("script-src 'self';"));
        assert!(policy.contains("style-src 'self' 'nonce-abc';"));
        assert!(policy.contains("connect-src 'self';"));
    }
}
