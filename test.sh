#!/usr/bin/env bash
# Runs every test, against a real Kafka and a real PostgreSQL that the build starts itself.
# The dashboard is tested in a real headless browser: Debian's chromium and chromium-driver are installed first
# when missing (root or sudo needed once). Extra arguments go to Maven, e.g. ./test.sh -pl catalog-service
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "[test] installing chromium and chromium-driver (Debian packages) for the dashboard's browser test"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver > /dev/null
fi

exec ./mvnw -B verify "$@"
