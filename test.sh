#!/usr/bin/env bash
# Runs every test, against a real Kafka and a real PostgreSQL that the build starts itself.
# Two Debian packages are installed first when missing (root or sudo needed once): chromium and chromium-driver,
# for the dashboard's test in a real headless browser, and prometheus, whose promtool checks and unit-tests the
# alert rules in deploy/prometheus. Extra arguments go to Maven, e.g. ./test.sh -pl catalog-service
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

exec ./mvnw -B verify "$@"
