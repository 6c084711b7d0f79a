#!/usr/bin/env bash
# Runs every benchmark against the local stack and prints one table of figures (docs/benchmarks.md says what they mean).
# Uses a stack that is already running (./stack.sh); otherwise starts one for the run and stops it afterwards.
#   ./benchmark.sh [--events N] [--rate N] [--seconds N] [--concurrency N] [--patients N] [--warm-up-seconds N]
#                  [--history-patients N] [--history-days N] [--history-rate N] [--history-seconds N]
#                  [--replay-events N] [--replay-patients N] [--readers N] [--read-seconds N] [--read-rate N]
#                  [--compression lz4] [--session URL] [--insights URL] [--kafka HOST:PORT]
# Phases, in this order: ingest, history scaling, replay, freshness, read paths (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")"

started=""
if curl -sf -o /dev/null http://localhost:8082/q/health/ready; then
  # a running stack keeps its jars: rebuilding them under it would break it
  ./mvnw -q -B package -DskipTests -pl benchmarks -am
else
  ./mvnw -q -B package -DskipTests
  echo "[bench] no stack running; starting one (log: .stack-data/bench-stack.log)"
  mkdir -p .stack-data
  ./stack.sh --no-build > .stack-data/bench-stack.log 2>&1 &
  started=$!
  trap 'kill -TERM $started 2>/dev/null; wait $started 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do
    curl -sf -o /dev/null http://localhost:8083/q/health/ready && break
    sleep 1
  done
fi

echo "[bench] $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
java -Xmx512m -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
  org.sciaticahep.benchmarks.Benchmarks "$@"
