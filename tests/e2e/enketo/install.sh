#!/usr/bin/env bash
# Installs the real OpenRosa client of tests/e2e/test_field_enketo.py into .cache/enketo (git-ignored):
# enketo-core 8.1.0 (9.x needs an openrosa-xpath-evaluator the npm registry lacks), bundled for the browser
# with esbuild, and enketo-transformer 4.2.0 with its native libxslt, built against the system's Node
# headers. Idempotent: does nothing when everything is there. Needs node, npm, make, g++, python3.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=.cache/enketo
here=tests/e2e/enketo
if [ -f "$target/bundle.js" ] && [ -f "$target/.native-ok" ] && cmp -s "$here/package.json" "$target/package.json"; then
  exit 0
fi
mkdir -p "$target"
cp "$here/package.json" "$here/entry.js" "$here/transform.cjs" "$target/"
cd "$target"
# Scripts stay off while installing (enketo-core's would fetch more); the two native modules are built
# below, on their own.
npm install --no-audit --no-fund --silent --ignore-scripts
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
# The compilers' warnings go to a log, shown only when the build fails.
if ! { (cd node_modules/node1-libxmljsmt-myh && node "$gyp" rebuild --nodedir="$nodedir") &&
       npm rebuild libxslt --nodedir="$nodedir"; } >build.log 2>&1; then
  cat build.log >&2
  exit 1
fi
node_modules/.bin/esbuild entry.js --bundle --format=iife --platform=browser \
  --external:libxslt --log-level=warning --outfile=bundle.js
node -e "require('enketo-transformer')" && touch .native-ok
