#!/usr/bin/env bash
# Runs every check and test, stopping at the first failure: formatting, clippy (native and
# wasm32), native tests, browser tests (wasm-bindgen-test in headless Chromium), the release
# builds (dist/ and the native CLI), and the end-to-end tests of dist/ (Playwright), among them
# the browser-vs-native benchmark. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
WASM=wasm32-unknown-unknown
start=$SECONDS

section() { printf '\n==== [%3ds] %s ====\n' "$((SECONDS - start))" "$*"; }

section "cargo fmt --check"
cargo fmt --check

section "clippy: native, all targets"
cargo clippy --all-targets -- -D warnings

section "clippy: wasm32 page (lib + bins)"
cargo clippy --target "$WASM" --lib --bins -- -D warnings

section "clippy: wasm32 worker (lib + bins, --features worker)"
cargo clippy --target "$WASM" --lib --bins --features worker -- -D warnings

section "cargo test (native)"
cargo test

section "cargo test --target $WASM --test web (headless Chromium)"
cargo test --target "$WASM" --test web

section "trunk build --release"
# The page's exports name the version: the crate's, plus this commit when git knows it.
CLINR_GIT_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true) trunk build --release

section "cargo build --release --bin clinr (the native side of tests/e2e/bench.test.mjs)"
cargo build --release --bin clinr

section "end-to-end: Playwright + Chromium against dist/ under a sub-path"
mkdir -p tests/e2e/output
server_log=$(mktemp)
node tests/e2e/serve.mjs --root dist --prefix /clinr/explorer/sub/ --port 0 >"$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$server_log"' EXIT
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$server_log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$server_log" >&2
  echo "test: the static server did not start" >&2
  exit 1
fi
echo "serving dist/ at $url"
echo "(all checks before the end-to-end tests passed in $((SECONDS - start)) s)"
# The benchmark (bench.test.mjs) runs alone after the others: node --test runs test files in
# parallel on machines with more than 2 cores, and its timings should not include their load.
e2e_tests=()
for f in tests/e2e/*.test.mjs; do
  [ "$f" = tests/e2e/bench.test.mjs ] || e2e_tests+=("$f")
done
E2E_BASE_URL="$url" node --test --test-reporter=tap "${e2e_tests[@]}"
section "end-to-end benchmark: one Fig. 3 point in a browser worker vs the native CLI"
E2E_BASE_URL="$url" node --test --test-reporter=tap tests/e2e/bench.test.mjs
