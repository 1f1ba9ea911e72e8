#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, builds, runs every test,
# and ends with the line "N passed, N failed". Used by README and by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# Debian packages the browser and document tests drive: Chromium (with CJK fonts: without them
# Chinese renders as boxes), LibreOffice to open the generated .docx/.xlsx, poppler for PDF → PNG.
DEB_PACKAGES=(chromium fonts-noto-cjk fonts-wqy-microhei libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)
missing=()
for package in "${DEB_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]} (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  { "${apt_get[@]}" install -y --no-install-recommends "${missing[@]}" || { "${apt_get[@]}" update && "${apt_get[@]}" install -y --no-install-recommends "${missing[@]}"; }; } >/tmp/taizhang-apt.log 2>&1 ||
    { tail -20 /tmp/taizhang-apt.log; echo "installing ${missing[*]} failed: the browser and document tests will fail"; }
fi

step "installing npm packages (npm ci; builds the workspaces and the web app)"
if ! npm ci --no-audit --no-fund; then
  echo "npm ci failed"
  echo "0 passed, 1 failed"
  exit 1
fi

step "type-checking sources and tests"
extra_failed=0
if ! npm run --silent typecheck; then
  echo "type check failed"
  extra_failed=1
fi

step "starting a PostgreSQL server on loopback for the store tests (installs it if missing)"
pg_env="$(bash scripts/postgres-test-server.sh)" && eval "$pg_env" && trap 'bash scripts/postgres-test-server.sh stop >/dev/null 2>&1' EXIT ||
  { echo "PostgreSQL for the store tests did not start"; extra_failed=1; }

step "running the tests"
report=$(mktemp --suffix=.json)
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
status=$?
node scripts/test-summary.mjs "$report" "$extra_failed" || status=1
rm -f "$report"
exit $status
