#!/usr/bin/env bash
# cds-archive.sh — builds the start-up archive bin/ecom-pipeline uses, for the JDK it runs on (bin/java-env):
# target/ecom-pipeline.aot on JDK 25+ (an AOT cache with the training run's class linking and method profiles,
# -XX:AOTCacheOutput) or target/ecom-pipeline.jsa on older JDKs (a dynamic AppCDS archive, -XX:ArchiveClassesAtExit),
# both written at the exit of a training run.
#
#   bash scripts/cds-archive.sh            # needs the local stack (scripts/local-stack.sh up) and target/ecom-pipeline.jar
#
# The training run is the runtime itself on a scratch topic and group, migrating the configured database (PG_URL, the
# local stack's when unset): started, left until its routes are up and its first (empty) polls are done, then stopped with SIGTERM,
# which writes the archive. The training run is bin/ecom-pipeline itself, so the archive is made with the very JVM
# options it is used with. The archive only fits the jar and JDK it was built with; rebuild it after every package
# (bin/ecom-pipeline ignores a stale one). Exits non-zero when no archive was written.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
JAR="$REPO/target/ecom-pipeline.jar"
# shellcheck source=bin/java-env
source "$REPO/bin/java-env"
MAJOR="$(ecom_java_major "$(ecom_java)")"
ARCHIVE="$(ecom_archive "$JAR" "$MAJOR")"
if (( MAJOR >= 25 )); then ARCHIVE_OPT="-XX:AOTCacheOutput=$ARCHIVE"; else ARCHIVE_OPT="-XX:ArchiveClassesAtExit=$ARCHIVE"; fi
[[ -f "$JAR" ]] || { echo "cds-archive: $JAR is missing: mvn -q package -DskipTests" >&2; exit 1; }
OWN_PG_URL="${PG_URL:-}"
eval "$(bash scripts/local-stack.sh env)"
export PG_URL="${OWN_PG_URL:-$PG_URL}"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
rm -f "${JAR%.jar}.aot" "${JAR%.jar}.jsa"
STAMP="$(date +%s)"
env KAFKA_TOPIC="cds.training.$STAMP" KAFKA_GROUP_ID="cds-training-$STAMP" PIPELINE_DEV_MODE=true \
  PIPELINE_API_PASSWORD=dev-only-password SERVER_PORT="${CDS_SERVER_PORT:-18190}" MANAGEMENT_PORT="${CDS_MANAGEMENT_PORT:-19986}" \
  ES_HEALTH_ENABLED=false \
  JAVA_OPTS_EXTRA="${JAVA_OPTS_EXTRA:-} $ARCHIVE_OPT" bin/ecom-pipeline >"$LOG" 2>&1 &
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
echo "cds-archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1), JDK $MAJOR)"
