#!/usr/bin/env bash
# cds-archive.sh — builds target/ecom-pipeline.jsa, the class data sharing archive bin/ecom-pipeline uses to start
# faster (JDK 17: a dynamic AppCDS archive written at the exit of a training run, -XX:ArchiveClassesAtExit).
#
#   bash scripts/cds-archive.sh            # needs the local stack (scripts/local-stack.sh up) and target/ecom-pipeline.jar
#
# The training run is the runtime itself on a scratch topic and group, migrating the configured database (PG_URL, the
# local stack's when unset): started, left until its routes are up and its first (empty) polls are done, then stopped with SIGTERM,
# which writes the archive. The archive only fits the jar it was built with; rebuild it after every package
# (bin/ecom-pipeline ignores a stale one). Exits non-zero when no archive was written.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
JAR="$REPO/target/ecom-pipeline.jar"
ARCHIVE="${JAR%.jar}.jsa"
[[ -f "$JAR" ]] || { echo "cds-archive: $JAR is missing: mvn -q package -DskipTests" >&2; exit 1; }
OWN_PG_URL="${PG_URL:-}"
eval "$(bash scripts/local-stack.sh env)"
export PG_URL="${OWN_PG_URL:-$PG_URL}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
rm -f "$ARCHIVE"
STAMP="$(date +%s)"
env KAFKA_TOPIC="cds.training.$STAMP" KAFKA_GROUP_ID="cds-training-$STAMP" PIPELINE_DEV_MODE=true \
  PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="${CDS_SERVER_PORT:-18190}" MANAGEMENT_PORT="${CDS_MANAGEMENT_PORT:-19986}" \
  ES_HEALTH_ENABLED=false \
  java -Xmx256m -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" >"$LOG" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  grep -q "Apache Camel .* started in" "$LOG" && break
  kill -0 "$pid" 2>/dev/null || { cat "$LOG" >&2; echo "cds-archive: the training run ended early" >&2; exit 1; }
  sleep 0.5
done
grep -q "Apache Camel .* started in" "$LOG" || { tail -50 "$LOG" >&2; echo "cds-archive: the training run did not start" >&2; kill "$pid"; exit 1; }
sleep 5   # a few polls and metric refreshes, so their classes are in the archive too
kill -TERM "$pid"
wait "$pid" || true
[[ -s "$ARCHIVE" ]] || { tail -30 "$LOG" >&2; echo "cds-archive: no archive was written" >&2; exit 1; }
echo "cds-archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
