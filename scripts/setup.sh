#!/usr/bin/env bash
# Installs what a fresh machine lacks to build, serve and test CliNR Explorer; idempotent, and
# a few seconds when everything is there. Non-interactive (works with CI=true and no stdin).
#   - rustup: target wasm32-unknown-unknown, components clippy and rustfmt
#   - wasm-bindgen-cli at the wasm-bindgen version in Cargo.lock (with wasm-bindgen-test-runner)
#   - trunk 0.21.14
#   - chromium and chromium-driver (Debian), node and npm if missing
#   - npm packages from package-lock.json (playwright-core; axe-core for the access tests)
# On a fresh machine it takes about 14 minutes, nearly all of it the two `cargo install`s.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

say() { printf 'setup: %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

# Debian packages, installed in the background while cargo compiles (saves about a minute).
apt_packages=()
command -v chromium >/dev/null || apt_packages+=(chromium)
command -v chromedriver >/dev/null || apt_packages+=(chromium-driver)
command -v node >/dev/null || apt_packages+=(nodejs)
command -v npm >/dev/null || apt_packages+=(npm)
apt_pid=
apt_log=
if [ ${#apt_packages[@]} -gt 0 ]; then
  apt_log=$(mktemp)
  say "apt-get install ${apt_packages[*]} (log: $apt_log)"
  (as_root apt-get update && as_root apt-get install -y "${apt_packages[@]}") </dev/null >"$apt_log" 2>&1 &
  apt_pid=$!
fi

installed_targets=$(rustup target list --installed)
grep -qx wasm32-unknown-unknown <<<"$installed_targets" || rustup target add wasm32-unknown-unknown
installed_components=$(rustup component list --installed)
grep -q '^clippy' <<<"$installed_components" || rustup component add clippy
grep -q '^rustfmt' <<<"$installed_components" || rustup component add rustfmt

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null; then
  # Not --locked: the locked webpki-roots is newer than the registry serves.
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force </dev/null
fi
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  # 0.21.14: later versions need a newer rustc.
  say "cargo install trunk $TRUNK_VERSION (about 8 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force </dev/null
fi

if [ -n "$apt_pid" ]; then
  if ! wait "$apt_pid"; then
    cat "$apt_log" >&2
    echo "setup: apt-get failed" >&2
    exit 1
  fi
  tail -n 1 "$apt_log"
  rm -f "$apt_log"
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
  [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  say "npm ci"
  npm ci --no-fund --no-audit </dev/null
fi

say "ready: $(rustc --version | cut -d' ' -f1-2), $(wasm-bindgen --version), $(trunk --version), $(chromedriver --version | cut -d' ' -f1-2), node $(node --version), playwright-core $(node -p 'require("./node_modules/playwright-core/package.json").version'), axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
