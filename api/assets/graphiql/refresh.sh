#!/usr/bin/env bash
# Refreshes the vendored GraphiQL files in this folder from the npm registry:
#   api/assets/graphiql/refresh.sh [GRAPHIQL_VERSION] [REACT_VERSION]
# (exact versions; defaults are the ones committed). Then rename the files in
# api/src/http/graphiql.rs and update README.md (the build fails until the names match).
set -euo pipefail
graphiql="${1:-3.9.0}"
react="${2:-18.3.1}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

npm pack --silent "graphiql@$graphiql" "react@$react" "react-dom@$react" >/dev/null
for pkg in "graphiql-$graphiql" "react-$react" "react-dom-$react"; do
  mkdir "$pkg"
  tar -xzf "$pkg.tgz" -C "$pkg"
  npm view "${pkg%-*}@${pkg##*-}" dist.integrity | sed "s|^|$pkg |"
done

rm -f "$here"/graphiql-*.min.js "$here"/graphiql-*.min.css "$here"/react-*.production.min.js
cp "graphiql-$graphiql/package/graphiql.min.js" "$here/graphiql-$graphiql.min.js"
cp "graphiql-$graphiql/package/graphiql.min.css" "$here/graphiql-$graphiql.min.css"
cp "react-$react/package/umd/react.production.min.js" "$here/react-$react.production.min.js"
cp "react-dom-$react/package/umd/react-dom.production.min.js" "$here/react-dom-$react.production.min.js"
cp "graphiql-$graphiql/package/LICENSE" "$here/LICENSE-graphiql"
cp "react-$react/package/LICENSE" "$here/LICENSE-react"

cd "$here"
sha256sum graphiql-*.min.* react-*.production.min.js
