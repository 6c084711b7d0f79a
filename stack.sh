#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL, Kafka, catalog-, session- and insights-service.
# Waits until every service is ready, prints where to look, and stops everything on Ctrl-C.
#
#   ./stack.sh              build if needed, start, keep the data of the last run
#   ./stack.sh --wipe       start from empty data (the catalog is seeded again)
#   ./stack.sh --no-build   start what was built last
#   ./stack.sh --prometheus also Prometheus (Debian package) with deploy/prometheus rules, on :9090
#   ./stack.sh --demo       also a synthetic clinic (2 clinicians, 40 patients over 8 weeks) entered through the APIs
#
# PostgreSQL: set POSTGRES_HOST (and POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD) to use an existing server;
# otherwise an embedded PostgreSQL keeps its data in .stack-data/postgres.
set -euo pipefail
cd "$(dirname "$0")"

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

if ! command -v java >/dev/null || ! java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])'; then
  echo "[stack] JDK 17 or newer is needed on the PATH" >&2
  exit 1
fi

if [ "$build" = 1 ] || [ ! -f local-stack/launcher/target/launcher.classpath ]; then
  echo "[stack] building (./mvnw package -DskipTests); the first build downloads dependencies and takes a few minutes"
  ./mvnw -q -B package -DskipTests
fi

classpath="local-stack/launcher/target/classes:$(cat local-stack/launcher/target/launcher.classpath)"
exec java -Xmx256m -cp "$classpath" org.sciaticahep.stack.LocalStack --root "$PWD" ${args[@]+"${args[@]}"}
