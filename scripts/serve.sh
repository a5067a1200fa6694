#!/usr/bin/env bash
# Builds the app and serves it on http://127.0.0.1:8080/ (PORT overrides the port), rebuilding
# on changes. Run scripts/setup.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
# The exports name the version: the crate's, plus this commit when git knows it.
CLINR_GIT_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true)
export CLINR_GIT_COMMIT
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
