#!/usr/bin/env bash
# Runs every test, against a real Kafka and a real PostgreSQL that the build starts itself.
# Debian packages are installed first when missing (root or sudo needed once): chromium and chromium-driver,
# for the dashboard's test in a real headless browser, and prometheus, whose promtool checks and unit-tests the
# alert rules in deploy/prometheus; and axe-core from npm for the dashboard's accessibility check. Extra arguments go to Maven, e.g. ./test.sh -pl catalog-service
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# axe-core (npm), which the dashboard's browser test runs in the page to check its accessibility; pinned, kept in
# .test-tools/ (not committed)
axe=.test-tools/node_modules/axe-core/axe.min.js
if [ ! -f "$axe" ]; then
  echo "[test] installing axe-core from npm"
  npm install --silent --no-audit --no-fund --prefix .test-tools axe-core@4.14.1 > /dev/null
fi

exec ./mvnw -B verify "$@"
