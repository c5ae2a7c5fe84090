#!/usr/bin/env bash
# local-stack.sh — real Kafka, PostgreSQL and Elasticsearch on loopback, without Docker.
#
#   scripts/local-stack.sh up     [kafka|postgres|elasticsearch]...   start (default: all), idempotent
#   scripts/local-stack.sh down   [--purge] [service]...              stop what this script started
#   scripts/local-stack.sh purge  [service]...                        = down --purge (data dirs only)
#   scripts/local-stack.sh status                                     one line per service
#   scripts/local-stack.sh env                                        export lines for the runtime:
#                                                                     eval "$(scripts/local-stack.sh env)"
#
# What runs where (defaults; every value can be overridden through the environment):
#   kafka          Kafka 4.1.1 single-node KRaft (broker+controller), PLAINTEXT 127.0.0.1:9092,
#                  controller 127.0.0.1:9093, topic ecommerce.events with 6 partitions. Runs as the
#                  calling user; jars come from Maven Central via scripts/stack/kafka-deps.pom.xml.
#                  Also TLS on 127.0.0.1:9094 (SSL) and TLS + SCRAM on 127.0.0.1:9095 (SASL_SSL, user
#                  ecom / ecom-scram, SCRAM-SHA-512 and -256), with the certificates below. A broker started
#                  by an older version of this script gets them with its next start (KRaft cannot add
#                  advertised listeners at runtime); 'up' says so.
#   postgres       PostgreSQL (Debian package, installed with apt-get if missing): a private cluster,
#                  not the system one, on 127.0.0.1:5432, run as OS user `postgres`; role/db/password
#                  ecom/ecom/ecom (scram-sha-256 over TCP). ssl = on with the certificate below (TLS is
#                  offered, not required: sslmode=verify-full works, plain connections still do).
#   certificates   .local/tls/: a local CA (ca.crt) and one server certificate for localhost/127.0.0.1
#                  signed by it (server.crt/.key, server.p12 for Java servers, truststore.p12 with the CA;
#                  PKCS12 password LOCAL_TLS_PASSWORD, default changeit), made once with openssl and keytool.
#   elasticsearch  Elasticsearch 8.19.21 (integ-test-zip from Maven Central) on 127.0.0.1:9200, single
#                  node, security off, run as OS user `elasticsearch` (created if missing; ES refuses root).
#                  This minimal distribution has no bundled JDK (the first JDK >= 17 that ES accepts is
#                  used: ES_JAVA_HOME, JAVA_HOME, `java` on PATH, /usr/lib/jvm/*), no `GET /` (405), and
#                  only the modules x-pack-core/-security, transport-netty4, apm: indexing, mappings,
#                  search, aggregations and _bulk work; painless scripts, _update_by_query,
#                  _delete_by_query and _reindex do not. Indices need number_of_replicas: 0 to be green.
#
# `down` sends SIGTERM to Kafka and Elasticsearch and waits; PostgreSQL is stopped with
# `pg_ctl stop -m fast` (a clean shutdown that does not wait for idle client connections).
#
# Files: everything lives under $REPO/.local (git-ignored):
#   downloads/  kafka/libs/   cached downloads — a second `up` never touches the network
#   kafka/      pgdata/       elasticsearch/   installs and data
#   logs/*.log  run/*.pid     logs and the pid files `down`/`status` rely on
#   tls/                      the local CA and certificates (see above)
# PostgreSQL and Elasticsearch run as their own OS users, which must be able to traverse to their
# directories. When the repository sits somewhere they cannot reach (e.g. under /root, mode 700),
# their directories go to /var/tmp/ecom-pipeline-<hash of repo path>/ instead, with symlinks to their
# logs in .local/logs/. `status` prints where the data lives.
#
# The Debian `postgresql` package creates and starts a system cluster ("main") on 5432. When this script
# installs the package itself it stops that cluster again (pg_ctlcluster <ver> main stop); with CI=true or
# LOCAL_STACK_STOP_SYSTEM_PG=1 it also stops an already running system cluster that holds PG_PORT.
# Otherwise a busy port is an error with a hint.
set -euo pipefail

# ----------------------------------------------------------------------------------------------- settings
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$REPO/.local"
# A worktree may have .local as a symlink to the checkout that runs the stack: use the physical path, the one in the
# services' command lines and configuration (pid checks, keystore paths).
[[ -d "$LOCAL" ]] && LOCAL="$(cd "$LOCAL" && pwd -P)"
DOWNLOADS="$LOCAL/downloads"
LOGS="$LOCAL/logs"
RUN="$LOCAL/run"
STACK="$REPO/scripts/stack"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_TOPIC="${KAFKA_TOPIC:-ecommerce.events}"
KAFKA_TOPIC_PARTITIONS="${KAFKA_TOPIC_PARTITIONS:-6}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
KAFKA_SSL_PORT="${KAFKA_SSL_PORT:-9094}"
KAFKA_SASL_SSL_PORT="${KAFKA_SASL_SSL_PORT:-9095}"
KAFKA_SCRAM_USER="${KAFKA_SCRAM_USER:-ecom}"
KAFKA_SCRAM_PASSWORD="${KAFKA_SCRAM_PASSWORD:-ecom-scram}"

PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-ecom}"
PG_PASSWORD="${PG_PASSWORD:-ecom}"
PG_DATABASE="${PG_DATABASE:-ecom}"
# the read-only role Metabase and analysts use (docker-compose's default password); the pipeline's migration grants it
PG_ANALYST_PASSWORD="${PG_ANALYST_PASSWORD:-analyst-dev-password}"
PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"

ES_VERSION="${ES_VERSION:-8.19.21}"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"

STOP_TIMEOUT="${STOP_TIMEOUT:-60}"
TLS_DIR="$LOCAL/tls"
TLS_PASSWORD="${LOCAL_TLS_PASSWORD:-changeit}"
SERVICES=(kafka postgres elasticsearch)

KAFKA_DIR="$LOCAL/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_CONF="$KAFKA_DIR/server.properties"

# ----------------------------------------------------------------------------------------------- helpers
log()  { printf '[local-stack] %s\n' "$*"; }
warn() { printf '[local-stack] WARNING: %s\n' "$*" >&2; }
die()  { printf '[local-stack] ERROR: %s\n' "$*" >&2; exit 1; }

now_ms()  { date +%s%3N; }
since()   { local ms=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

# Is something listening on 127.0.0.1:$1?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Does process $1 exist and does its command line contain $2? (guards against recycled pids)
pid_matches() {
  local pid="$1" pattern="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] && [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# First line of a pid file ("" when missing; ES writes its pid file without a trailing newline).
read_pid() { local pid=""; if [[ -s "$1" ]]; then read -r pid < "$1" || true; fi; echo "$pid"; }

# Last lines of a log, to make a failure self-explanatory.
show_log() {
  [[ -r "$1" ]] || return 0
  { echo "---- last lines of $1 ----"; tail -n "${2:-30}" "$1"; echo "----"; } >&2
}

need_root() { [[ $EUID -eq 0 ]] || die "$1 needs root (it runs the service as its own OS user via runuser and may apt-get install)."; }

apt_install() {
  log "installing Debian package(s): $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# Maven, quiet and colourless; its output goes to .local/logs/maven.log and is shown on failure.
mvn_quiet() {
  command -v mvn >/dev/null || die "mvn not found (needed once to fetch the services from Maven Central)"
  mvn -B -q -Dstyle.color=never "$@" >> "$LOGS/maven.log" 2>&1 || { show_log "$LOGS/maven.log" 40; return 1; }
}

java_cmd() { if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; else command -v java || die "java (17+) not found on PATH"; fi; }

# Directory tree for a service that runs as OS user $1: .local when that user can traverse into it,
# else a per-repository directory under /var/tmp (see header).
service_base() {
  local user="$1"
  if runuser -u "$user" -- test -x "$LOCAL" 2>/dev/null; then
    echo "$LOCAL"
  else
    echo "/var/tmp/ecom-pipeline-$(printf '%s' "$REPO" | sha1sum | cut -c1-10)"
  fi
}

# Run a class from the Kafka jars (admin tools log only errors, to stderr). C1 + serial GC: these are
# short-lived JVMs, and this makes each one start ~25% faster.
kafka_tool() { "$(java_cmd)" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$KAFKA_LIBS/*" "$@"; }

# ----------------------------------------------------------------------------------------------- certificates
# A local CA and one server certificate (localhost, 127.0.0.1) for Kafka's TLS listeners, PostgreSQL and the
# runtime's HTTPS tests; made once, kept in .local/tls. Development only: the private keys sit next to the certs.
tls_ensure() {
  [[ -s "$TLS_DIR/ca.crt" && -s "$TLS_DIR/server.p12" && -s "$TLS_DIR/truststore.p12" ]] && return 0
  command -v openssl >/dev/null || apt_install openssl
  command -v keytool >/dev/null || die "tls: keytool (from the JDK) not found on PATH"
  log "tls: making a local CA and a certificate for localhost/127.0.0.1 in .local/tls"
  rm -rf "$TLS_DIR.tmp" && mkdir -p "$TLS_DIR.tmp"
  (
    cd "$TLS_DIR.tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ecom-pipeline local CA" \
      -keyout ca.key -out ca.crt -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out server.crt \
      -extfile server.ext 2>/dev/null
    openssl pkcs12 -export -in server.crt -inkey server.key -certfile ca.crt -name localhost \
      -out server.p12 -passout "pass:$TLS_PASSWORD"
    keytool -importcert -noprompt -alias ecom-local-ca -file ca.crt -keystore truststore.p12 \
      -storetype PKCS12 -storepass "$TLS_PASSWORD" >/dev/null
    rm -f server.csr server.ext ca.srl
  ) || die "tls: making the certificates failed (openssl/keytool)"
  chmod 755 "$TLS_DIR.tmp"; chmod 644 "$TLS_DIR.tmp"/*; chmod 600 "$TLS_DIR.tmp"/*.key
  rm -rf "$TLS_DIR" && mv "$TLS_DIR.tmp" "$TLS_DIR"
}

# ----------------------------------------------------------------------------------------------- kafka
kafka_pidfile() { echo "$RUN/kafka.pid"; }
kafka_running() { pid_matches "$(read_pid "$(kafka_pidfile)")" "kafka.Kafka $KAFKA_CONF"; }

# Fetch the broker and its runtime dependencies once; refetch only when the pom changes.
kafka_fetch() {
  local pom="$STACK/kafka-deps.pom.xml" sum
  sum="$(sha1sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$KAFKA_LIBS/.pom.sha1" && "$(cat "$KAFKA_LIBS/.pom.sha1")" == "$sum" ]]; then
    return 0
  fi
  log "kafka: fetching org.apache.kafka:kafka_2.13:4.1.1 + dependencies from Maven Central ..."
  local t0; t0="$(now_ms)"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn_quiet -f "$pom" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIBS.tmp" \
    || die "kafka: maven could not fetch the Kafka jars (see .local/logs/maven.log)"
  echo "$sum" > "$KAFKA_LIBS.tmp/.pom.sha1"
  rm -rf "$KAFKA_LIBS" && mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  log "kafka: fetched $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $(since "$t0") (cached in .local/kafka/libs)"
}

kafka_write_config() {
  cat > "$KAFKA_CONF" <<EOF
# Generated by scripts/local-stack.sh on every 'up' — edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=$(kafka_listeners)
advertised.listeners=$(kafka_advertised_listeners)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$(kafka_protocol_map)
$(kafka_tls_settings)
log.dirs=${KAFKA_DATA}
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
}

# The TLS (SSL) and TLS + SCRAM (SASL_SSL) listeners next to PLAINTEXT, which the broker and everything else keep using.
kafka_listeners() {
  echo "PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT},SSL://127.0.0.1:${KAFKA_SSL_PORT},SASL_SSL://127.0.0.1:${KAFKA_SASL_SSL_PORT}"
}
kafka_advertised_listeners() {
  echo "PLAINTEXT://127.0.0.1:${KAFKA_PORT},SSL://127.0.0.1:${KAFKA_SSL_PORT},SASL_SSL://127.0.0.1:${KAFKA_SASL_SSL_PORT}"
}
kafka_protocol_map() { echo "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL"; }
# One key=value per line: the keystore of both TLS listeners, and SCRAM on SASL_SSL.
kafka_tls_settings() {
  local l
  for l in ssl sasl_ssl; do
    echo "listener.name.$l.ssl.keystore.type=PKCS12"
    echo "listener.name.$l.ssl.keystore.location=$TLS_DIR/server.p12"
    echo "listener.name.$l.ssl.keystore.password=$TLS_PASSWORD"
    echo "listener.name.$l.ssl.key.password=$TLS_PASSWORD"
  done
  echo "listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256"
  echo "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
  echo "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
}

# The SCRAM user, idempotently (a dynamic config: works on any running broker). A broker started without the TLS
# listeners (by an older version of this script) keeps running without them: KRaft cannot change advertised
# listeners at runtime, so they come with its next start; the TLS tests say so when they are missing.
kafka_ensure_tls() {
  local bootstrap="127.0.0.1:${KAFKA_PORT}"
  if ! port_open "$KAFKA_SSL_PORT" || ! port_open "$KAFKA_SASL_SSL_PORT"; then
    warn "kafka: the running broker has no TLS listeners on :$KAFKA_SSL_PORT/:$KAFKA_SASL_SSL_PORT (started by an older local-stack.sh); they come with a restart: bash scripts/local-stack.sh down kafka && bash scripts/local-stack.sh up kafka"
  fi
  local mechanism
  for mechanism in SCRAM-SHA-512 SCRAM-SHA-256; do  # one credential per request
    kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$bootstrap" --entity-type users --entity-name "$KAFKA_SCRAM_USER" \
      --alter --add-config "$mechanism=[password=$KAFKA_SCRAM_PASSWORD]" > "$LOGS/kafka-scram.log" 2>&1 \
      || { show_log "$LOGS/kafka-scram.log"; die "kafka: could not create the $mechanism user $KAFKA_SCRAM_USER"; }
  done
}

kafka_up() {
  local t0; t0="$(now_ms)"
  tls_ensure
  if kafka_running; then
    log "kafka: already running (pid $(read_pid "$(kafka_pidfile)"), 127.0.0.1:${KAFKA_PORT})"
    kafka_ensure_tls
    return 0
  fi
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_SSL_PORT" "$KAFKA_SASL_SSL_PORT"; do
    port_open "$p" && die "kafka: port 127.0.0.1:$p is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_SSL_PORT / KAFKA_SASL_SSL_PORT)"
  done
  kafka_fetch
  mkdir -p "$KAFKA_DATA"
  kafka_write_config

  # Format the storage once (KRaft needs a cluster id in meta.properties before the first start).
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    [[ -s "$KAFKA_DIR/cluster.id" ]] || kafka_tool kafka.tools.StorageTool random-uuid > "$KAFKA_DIR/cluster.id"
    log "kafka: formatting storage (cluster id $(cat "$KAFKA_DIR/cluster.id"))"
    kafka_tool kafka.tools.StorageTool format --config "$KAFKA_CONF" \
      --cluster-id "$(cat "$KAFKA_DIR/cluster.id")" --ignore-formatted > "$LOGS/kafka-format.log" 2>&1 \
      || { show_log "$LOGS/kafka-format.log"; die "kafka: storage format failed"; }
  fi

  log "kafka: starting broker on 127.0.0.1:${KAFKA_PORT} (log: .local/logs/kafka.log)"
  # setsid: the broker outlives this shell and is not hit by a Ctrl-C aimed at it.
  # shellcheck disable=SC2086
  ( ulimit -n 65535 2>/dev/null || true
    exec setsid "$(java_cmd)" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true \
      -Dkafka.logs.dir="$LOGS" -Dlog4j2.configurationFile="$STACK/kafka-log4j2.properties" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF" ) \
    >> "$LOGS/kafka-console.log" 2>&1 < /dev/null &
  echo $! > "$(kafka_pidfile)"

  # Ready = the broker answers an admin request (not merely an open port).
  local deadline=$(( $(date +%s) + KAFKA_START_TIMEOUT ))
  until port_open "$KAFKA_PORT" && kafka_tool org.apache.kafka.tools.TopicCommand \
          --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list > /dev/null 2>&1; do
    kafka_running || { show_log "$LOGS/kafka-console.log"; show_log "$LOGS/kafka.log"; die "kafka: the broker exited during startup (logs above: .local/logs/kafka.log)"; }
    (( $(date +%s) < deadline )) || { show_log "$LOGS/kafka.log"; die "kafka: no answer on 127.0.0.1:$KAFKA_PORT after ${KAFKA_START_TIMEOUT}s (still running as pid $(read_pid "$(kafka_pidfile)"); see .local/logs/kafka.log)"; }
    sleep 1
  done

  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --create \
    --if-not-exists --topic "$KAFKA_TOPIC" --partitions "$KAFKA_TOPIC_PARTITIONS" --replication-factor 1 > /dev/null \
    || die "kafka: could not create topic $KAFKA_TOPIC"
  local parts
  parts="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
             --describe --topic "$KAFKA_TOPIC" | grep -o 'PartitionCount: *[0-9]*' | grep -o '[0-9]*$' || true)"
  [[ "$parts" == "$KAFKA_TOPIC_PARTITIONS" ]] \
    || warn "kafka: topic $KAFKA_TOPIC has ${parts:-?} partitions, expected $KAFKA_TOPIC_PARTITIONS (an older topic? 'down --purge kafka' resets it)"
  kafka_ensure_tls
  log "kafka: ready in $(since "$t0") — 127.0.0.1:${KAFKA_PORT}, TLS :${KAFKA_SSL_PORT}, TLS+SCRAM :${KAFKA_SASL_SSL_PORT}, topic ${KAFKA_TOPIC} (${parts:-?} partitions)"
}

kafka_down() {
  stop_pid kafka "$(kafka_pidfile)" "kafka.Kafka $KAFKA_CONF"
}

kafka_status() {
  local pid; pid="$(read_pid "$(kafka_pidfile)")"
  if kafka_running; then
    status_line kafka "running" "pid $pid, 127.0.0.1:${KAFKA_PORT} (controller :${KAFKA_CONTROLLER_PORT}), data $KAFKA_DATA" "$KAFKA_PORT"
  else
    status_line kafka "stopped" "127.0.0.1:${KAFKA_PORT}" "" "$KAFKA_PORT"
  fi
}

# ----------------------------------------------------------------------------------------------- postgres
pg_detect_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d; d="$(printf '%s\n' /usr/lib/postgresql/*/bin | grep -v '\*' | sort -V | tail -n1 || true)"
  echo "${d:-/usr/lib/postgresql/15/bin}"
}

pg_paths() {
  PG_BIN="$(pg_detect_bin)"
  PG_BASE="$(service_base postgres)"
  PGDATA_DIR="$PG_BASE/pgdata"
  PG_SOCKET_DIR="$PG_BASE/pgsocket"
  # unix socket paths are limited to ~107 bytes
  (( ${#PG_SOCKET_DIR} < 90 )) || PG_SOCKET_DIR=/tmp
  if [[ "$PG_BASE" == "$LOCAL" ]]; then PG_LOG="$LOGS/postgres.log"; else PG_LOG="$PG_BASE/logs/postgres.log"; fi
}

# Run as the postgres OS user, from / (its tools complain when they cannot read the caller's cwd).
as_pg() { (cd / && runuser -u postgres -- "$@"); }
pg_running() { id postgres >/dev/null 2>&1 && [[ -f "$PGDATA_DIR/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

# Port taken by the Debian system cluster? Stop it when it is ours to stop (see header), else explain.
pg_free_port() {
  local just_installed="$1" line ver name
  port_open "$PG_PORT" || return 0
  line="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $4 ~ /online/' | head -n1 || true)"
  if [[ -n "$line" ]]; then
    read -r ver name _ <<< "$line"
    if [[ "$just_installed" == 1 || "${CI:-}" == true || "${LOCAL_STACK_STOP_SYSTEM_PG:-}" == 1 ]]; then
      log "postgres: stopping the Debian system cluster $ver/$name that holds port $PG_PORT (pg_ctlcluster $ver $name stop)"
      pg_ctlcluster "$ver" "$name" stop
      return 0
    fi
    die "postgres: port $PG_PORT is held by the Debian system cluster $ver/$name. Stop it (pg_ctlcluster $ver $name stop), rerun with LOCAL_STACK_STOP_SYSTEM_PG=1, or choose another PG_PORT."
  fi
  die "postgres: port 127.0.0.1:$PG_PORT is already in use by another process (set PG_PORT)"
}

# TLS offered with the local certificate (ssl = on; pg_hba keeps 'host', so plain connections still work). The
# server wants its key owned by postgres and private, so it gets copies in the data directory. Written on every
# 'up' like local-stack.conf; a running server reloads (the ssl settings are reloadable).
pg_write_ssl_conf() {
  install -o postgres -g postgres -m 600 "$TLS_DIR/server.key" "$PGDATA_DIR/local-tls.key"
  install -o postgres -g postgres -m 644 "$TLS_DIR/server.crt" "$PGDATA_DIR/local-tls.crt"
  printf '%s\n' "# Generated by scripts/local-stack.sh on every 'up' — edit the script, not this file." \
    "ssl = on" "ssl_cert_file = 'local-tls.crt'" "ssl_key_file = 'local-tls.key'" > "$PGDATA_DIR/local-stack-ssl.conf"
  chown postgres:postgres "$PGDATA_DIR/local-stack-ssl.conf"
  grep -q "local-stack-ssl.conf" "$PGDATA_DIR/postgresql.conf" \
    || echo "include_if_exists = 'local-stack-ssl.conf'" >> "$PGDATA_DIR/postgresql.conf"
}
pg_ssl_on() { [[ "$(as_pg "$PG_BIN/psql" -X -Atq -h "$PG_SOCKET_DIR" -p "$PG_PORT" -d postgres -c 'show ssl')" == on ]]; }
pg_ensure_ssl() {
  pg_ssl_on && return 0
  log "postgres: turning TLS on (ssl = on with .local/tls/server.crt) and reloading"
  pg_write_ssl_conf
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" reload > /dev/null || die "postgres: reload failed"
  local deadline=$(( $(date +%s) + 20 ))
  until pg_ssl_on; do
    (( $(date +%s) < deadline )) || { show_log "$PG_LOG"; die "postgres: ssl is still off after the reload"; }
    sleep 0.5
  done
}

# Application role and database, idempotently; the password is (re)set to PG_PASSWORD every time.
# CREATEDB lets test suites create throw-away databases. The password travels in the environment
# (psql's \getenv), not on a command line that `ps` would show. The read-only role analyst is created here too (roles
# belong to the cluster and the application role may not create them); the pipeline's migration 043 grants it SELECT on
# the analytics layers of its database.
pg_ensure_app_role() {
  LOCAL_STACK_PG_PASSWORD="$PG_PASSWORD" LOCAL_STACK_ANALYST_PASSWORD="$PG_ANALYST_PASSWORD" \
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$PG_SOCKET_DIR" -p "$PG_PORT" -d postgres -v user="$PG_USER" -v db="$PG_DATABASE" > /dev/null <<'SQL' \
    || die "postgres: could not create role $PG_USER / database $PG_DATABASE"
\getenv pw LOCAL_STACK_PG_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
\getenv apw LOCAL_STACK_ANALYST_PASSWORD
SELECT 'CREATE ROLE analyst' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') \gexec
SELECT format('ALTER ROLE analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'apw') \gexec
SQL
}

postgres_up() {
  local t0 installed=0; t0="$(now_ms)"
  need_root postgres
  if [[ ! -x "$(pg_detect_bin)/initdb" ]]; then
    apt_install postgresql
    installed=1
  fi
  pg_paths
  [[ -x "$PG_BIN/initdb" ]] || die "postgres: $PG_BIN/initdb not found after install (set PG_BIN)"
  tls_ensure
  if pg_running; then
    log "postgres: already running (pid $(read_pid "$PGDATA_DIR/postmaster.pid"), 127.0.0.1:${PG_PORT})"
    head -n1 "$PGDATA_DIR/postmaster.pid" > "$RUN/postgres.pid"
    pg_ensure_app_role
    pg_ensure_ssl
    return 0
  fi
  pg_free_port "$installed"

  # Directories owned by postgres (PostgreSQL refuses to run as root and wants a 0700 data dir).
  mkdir -p "$PG_BASE" "$PGDATA_DIR" "$(dirname "$PG_LOG")"
  [[ "$PG_SOCKET_DIR" == /tmp ]] || mkdir -p "$PG_SOCKET_DIR"
  chown postgres:postgres "$PGDATA_DIR"; chmod 700 "$PGDATA_DIR"
  [[ "$PG_SOCKET_DIR" == /tmp ]] || chown postgres:postgres "$PG_SOCKET_DIR"
  touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"
  [[ "$PG_LOG" == "$LOGS/postgres.log" ]] || ln -sfn "$PG_LOG" "$LOGS/postgres.log"

  if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
    log "postgres: initdb $PGDATA_DIR"
    # peer auth on the unix socket (admin work below), scram-sha-256 for every TCP connection
    as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >> "$PG_LOG" 2>&1 \
      || { show_log "$PG_LOG"; die "postgres: initdb failed"; }
    echo "include_if_exists = 'local-stack.conf'" >> "$PGDATA_DIR/postgresql.conf"
  fi
  local data_ver bin_ver
  data_ver="$(cat "$PGDATA_DIR/PG_VERSION")"
  bin_ver="$("$PG_BIN/postgres" --version | grep -o '[0-9]*' | head -n1)"
  [[ "$data_ver" == "$bin_ver" ]] || die "postgres: $PGDATA_DIR is a PostgreSQL $data_ver cluster but $PG_BIN is $bin_ver ('down --purge postgres' to start over)"

  # Rewritten on every 'up' so port changes apply. fsync/synchronous_commit stay at their (durable) defaults.
  cat > "$PGDATA_DIR/local-stack.conf" <<EOF
# Generated by scripts/local-stack.sh on every 'up' — edit the script, not this file.
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${PG_SOCKET_DIR}'
password_encryption = 'scram-sha-256'
max_connections = 100
shared_buffers = 512MB
max_wal_size = 4GB
checkpoint_timeout = 15min
# for the latency benchmark (bench/ingest/IngestBench.java latency): each row's exact commit time
# (pg_xact_commit_timestamp) and the time of each WAL flush (pg_stat_wal); a few bytes per commit, clock reads per flush
track_commit_timestamp = on
track_wal_io_timing = on
EOF
  chown postgres:postgres "$PGDATA_DIR/local-stack.conf"
  pg_write_ssl_conf

  log "postgres: starting on 127.0.0.1:${PG_PORT} (data: $PGDATA_DIR, log: .local/logs/postgres.log)"
  as_pg setsid "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" start > /dev/null \
    || { show_log "$PG_LOG"; die "postgres: pg_ctl start failed (log above: $PG_LOG)"; }
  head -n1 "$PGDATA_DIR/postmaster.pid" > "$RUN/postgres.pid"

  local deadline=$(( $(date +%s) + PG_START_TIMEOUT ))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 1; do
    (( $(date +%s) < deadline )) || { show_log "$PG_LOG"; die "postgres: not accepting connections after ${PG_START_TIMEOUT}s"; }
    sleep 0.5
  done

  pg_ensure_app_role
  log "postgres: ready in $(since "$t0") — 127.0.0.1:${PG_PORT}, database ${PG_DATABASE}, user ${PG_USER}"
}

postgres_down() {
  pg_paths
  if pg_running; then
    local t0; t0="$(now_ms)"
    log "postgres: stopping (pg_ctl stop -m fast: disconnects clients, checkpoints, exits cleanly)"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast -w -t "$STOP_TIMEOUT" > /dev/null \
      || { warn "postgres: still running after ${STOP_TIMEOUT}s — see $PG_LOG"; return 1; }
    log "postgres: stopped in $(since "$t0")"
  else
    log "postgres: not running"
  fi
  rm -f "$RUN/postgres.pid"
}

postgres_status() {
  pg_paths
  if pg_running; then
    status_line postgres "running" "pid $(read_pid "$PGDATA_DIR/postmaster.pid"), 127.0.0.1:${PG_PORT}/${PG_DATABASE}, data $PGDATA_DIR" "$PG_PORT"
  else
    status_line postgres "stopped" "127.0.0.1:${PG_PORT}" "" "$PG_PORT"
  fi
}

# ----------------------------------------------------------------------------------------------- elasticsearch
es_paths() {
  ES_BASE="$(service_base elasticsearch)/elasticsearch"
  ES_HOME="$ES_BASE/elasticsearch-$ES_VERSION"
  ES_DATA="$ES_BASE/data"
  ES_PIDFILE="$ES_BASE/run/elasticsearch.pid"      # written (and removed on exit) by ES itself
  if [[ "$ES_BASE" == "$LOCAL/elasticsearch" ]]; then ES_LOG_DIR="$LOGS/elasticsearch"; else ES_LOG_DIR="$ES_BASE/logs"; fi
}

es_running() { pid_matches "$(read_pid "$RUN/elasticsearch.pid")" "-Des.path.home=$ES_HOME"; }

es_ensure_user() {
  id elasticsearch >/dev/null 2>&1 && return 0
  log "elasticsearch: creating system user 'elasticsearch' (Elasticsearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin elasticsearch
}

# Elasticsearch 8.19 runs on Java 17+; the integ-test-zip has no bundled JDK. Take the first candidate
# that ES's own version checker accepts when run as the elasticsearch user.
es_pick_java() {
  local cand java_bin
  local -a cands=()
  [[ -n "${ES_JAVA_HOME:-}" ]] && cands+=("$ES_JAVA_HOME")
  [[ -n "${JAVA_HOME:-}" ]] && cands+=("$JAVA_HOME")
  java_bin="$(command -v java || true)"
  [[ -n "$java_bin" ]] && cands+=("$(dirname "$(dirname "$(readlink -f "$java_bin")")")")
  for cand in /usr/lib/jvm/*; do [[ -x "$cand/bin/java" ]] && cands+=("$cand"); done
  for cand in "${cands[@]}"; do
    [[ -x "$cand/bin/java" ]] || continue
    if runuser -u elasticsearch -- "$cand/bin/java" -cp "$ES_HOME/lib/java-version-checker/*" \
         org.elasticsearch.tools.java_version_checker.JavaVersionChecker >/dev/null 2>&1; then
      echo "$cand"; return 0
    fi
  done
  die "elasticsearch: no JDK that Elasticsearch $ES_VERSION accepts (needs 17+); set ES_JAVA_HOME"
}

es_install() {
  local zip="$DOWNLOADS/elasticsearch-$ES_VERSION.zip"
  if [[ ! -s "$zip" ]]; then
    log "elasticsearch: fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip from Maven Central ..."
    local t0; t0="$(now_ms)"
    rm -rf "$DOWNLOADS/es.tmp"
    # -f points at our tiny pom so the project's own pom is never resolved for this
    mvn_quiet -f "$STACK/kafka-deps.pom.xml" dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$DOWNLOADS/es.tmp" || die "elasticsearch: maven could not fetch the distribution (see .local/logs/maven.log)"
    mv "$DOWNLOADS/es.tmp/elasticsearch-$ES_VERSION.zip" "$zip" && rm -rf "$DOWNLOADS/es.tmp"
    log "elasticsearch: fetched $(du -m "$zip" | cut -f1) MB in $(since "$t0") (cached in .local/downloads)"
  fi
  if [[ ! -x "$ES_HOME/bin/elasticsearch" ]]; then
    command -v unzip >/dev/null || apt_install unzip
    log "elasticsearch: unpacking into $ES_HOME"
    rm -rf "$ES_BASE/unpack.tmp" && mkdir -p "$ES_BASE/unpack.tmp"
    unzip -q "$zip" -d "$ES_BASE/unpack.tmp"
    rm -rf "$ES_HOME" && mv "$ES_BASE/unpack.tmp/elasticsearch-$ES_VERSION" "$ES_HOME" && rm -rf "$ES_BASE/unpack.tmp"
    chown -R elasticsearch:elasticsearch "$ES_HOME"
  fi
}

elasticsearch_up() {
  local t0; t0="$(now_ms)"
  need_root elasticsearch
  es_ensure_user
  es_paths
  if es_running; then
    log "elasticsearch: already running (pid $(read_pid "$RUN/elasticsearch.pid"), 127.0.0.1:${ES_PORT})"
    return 0
  fi
  for p in "$ES_PORT" "$ES_TRANSPORT_PORT"; do
    port_open "$p" && die "elasticsearch: port 127.0.0.1:$p is already in use by another process (set ES_PORT / ES_TRANSPORT_PORT)"
  done
  # tmp/: ES and its launcher would otherwise leave a few directories in /tmp on every start.
  rm -rf "$ES_BASE/tmp"
  mkdir -p "$ES_BASE" "$ES_DATA" "$ES_LOG_DIR" "$ES_BASE/run" "$ES_BASE/tmp"
  es_install
  chown elasticsearch:elasticsearch "$ES_BASE" "$ES_DATA" "$ES_LOG_DIR" "$ES_BASE/run" "$ES_BASE/tmp"
  ln -sfn "$ES_LOG_DIR/ecom-local.log" "$LOGS/elasticsearch.log"
  [[ "$ES_LOG_DIR" == "$LOGS/elasticsearch" ]] || ln -sfn "$ES_LOG_DIR" "$LOGS/elasticsearch"

  # Rewritten on every 'up'. Disk watermarks off: on a nearly full dev disk ES would otherwise refuse
  # to allocate shards and the cluster would sit red.
  cat > "$ES_HOME/config/elasticsearch.yml" <<EOF
# Generated by scripts/local-stack.sh on every 'up' — edit the script, not this file.
cluster.name: ecom-local
node.name: local
path.data: ${ES_DATA}
path.logs: ${ES_LOG_DIR}
network.host: 127.0.0.1
http.port: ${ES_PORT}
transport.port: ${ES_TRANSPORT_PORT}
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  chown elasticsearch:elasticsearch "$ES_HOME/config/elasticsearch.yml"

  local es_java; es_java="$(es_pick_java)"
  local mmc; mmc="$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)"
  (( mmc >= 262144 )) || log "elasticsearch: note: vm.max_map_count=$mmc (< 262144) — fine for a loopback dev node (warning only)"

  log "elasticsearch: starting on 127.0.0.1:${ES_PORT} with Java $es_java (log: .local/logs/elasticsearch.log)"
  # -d daemonizes once the node has started (or fails with a message); -p writes the pid file.
  ( ulimit -n 65535 2>/dev/null || true
    cd "$ES_HOME"
    exec setsid runuser -u elasticsearch -- env ES_JAVA_HOME="$es_java" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
      ES_PATH_CONF="$ES_HOME/config" ES_TMPDIR="$ES_BASE/tmp" CLI_JAVA_OPTS="-Djava.io.tmpdir=$ES_BASE/tmp" \
      "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE" ) \
    > "$LOGS/elasticsearch-startup.log" 2>&1 < /dev/null \
    || { show_log "$LOGS/elasticsearch-startup.log" 40; die "elasticsearch: failed to start (see .local/logs/elasticsearch-startup.log and .local/logs/elasticsearch.log)"; }
  read_pid "$ES_PIDFILE" > "$RUN/elasticsearch.pid"

  # GET / is not available in this distribution (405): wait on cluster health instead.
  local deadline=$(( $(date +%s) + ES_START_TIMEOUT )) health=""
  until [[ "$health" =~ \"status\":\"(green|yellow)\" ]]; do
    es_running || { show_log "$LOGS/elasticsearch.log"; die "elasticsearch: the node exited during startup (see .local/logs/elasticsearch.log)"; }
    (( $(date +%s) < deadline )) || { show_log "$LOGS/elasticsearch.log"; die "elasticsearch: not yellow/green after ${ES_START_TIMEOUT}s (see .local/logs/elasticsearch.log)"; }
    health="$(curl -s --max-time 10 "http://127.0.0.1:${ES_PORT}/_cluster/health?wait_for_status=yellow&timeout=5s" || true)"
    [[ "$health" =~ \"status\":\"(green|yellow)\" ]] || sleep 1
  done
  log "elasticsearch: ready in $(since "$t0") — http://127.0.0.1:${ES_PORT} (cluster ${BASH_REMATCH[1]})"
}

elasticsearch_down() {
  es_paths
  stop_pid elasticsearch "$RUN/elasticsearch.pid" "-Des.path.home=$ES_HOME"
}

elasticsearch_status() {
  es_paths
  if es_running; then
    status_line elasticsearch "running" "pid $(read_pid "$RUN/elasticsearch.pid"), http://127.0.0.1:${ES_PORT}, data $ES_DATA" "$ES_PORT"
  else
    status_line elasticsearch "stopped" "http://127.0.0.1:${ES_PORT}" "" "$ES_PORT"
  fi
}

# ----------------------------------------------------------------------------------------------- shared
# SIGTERM a process we started (pid file + command-line check), wait, report.
stop_pid() {
  local name="$1" pidfile="$2" pattern="$3" pid t0
  pid="$(read_pid "$pidfile")"
  if ! pid_matches "$pid" "$pattern"; then
    if [[ -n "$pid" ]]; then log "$name: not running (stale pid file removed)"; else log "$name: not running"; fi
    rm -f "$pidfile"; return 0
  fi
  t0="$(now_ms)"
  log "$name: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid"
  local deadline=$(( $(date +%s) + STOP_TIMEOUT ))
  while pid_matches "$pid" "$pattern"; do
    if (( $(date +%s) >= deadline )); then
      warn "$name: pid $pid still running after ${STOP_TIMEOUT}s; left alone (kill -9 $pid if it is stuck)"
      return 1
    fi
    sleep 0.5
  done
  rm -f "$pidfile"
  log "$name: stopped in $(since "$t0")"
}

# status_line NAME STATE DETAIL [port-to-probe-when-running] [port-to-probe-when-stopped]
status_line() {
  local name="$1" state="$2" detail="$3" up_port="${4:-}" down_port="${5:-}"
  if [[ -n "$up_port" ]] && ! port_open "$up_port"; then state="running (not answering on :$up_port yet)"; fi
  if [[ -n "$down_port" ]] && port_open "$down_port"; then detail="$detail — port in use by a process not started by this script"; fi
  printf '%-14s %-8s %s\n' "$name" "$state" "$detail"
}

select_services() {
  local s
  SELECTED=()
  (( $# > 0 )) || { SELECTED=("${SERVICES[@]}"); return; }
  for s in "$@"; do
    case "$s" in
      kafka|postgres|elasticsearch) SELECTED+=("$s") ;;
      pg|postgresql) SELECTED+=(postgres) ;;
      es) SELECTED+=(elasticsearch) ;;
      *) die "unknown service '$s' (kafka, postgres, elasticsearch)" ;;
    esac
  done
}

purge_data() {
  local s
  for s in "$@"; do
    case "$s" in
      kafka) rm -rf "$KAFKA_DATA" "$KAFKA_DIR/cluster.id"; log "kafka: data removed ($KAFKA_DATA)" ;;
      postgres) pg_paths; rm -rf "$PGDATA_DIR"; log "postgres: data removed ($PGDATA_DIR)" ;;
      elasticsearch) es_paths; rm -rf "$ES_DATA"; log "elasticsearch: data removed ($ES_DATA)" ;;
    esac
  done
}

cmd_up() {
  select_services "$@"
  mkdir -p "$DOWNLOADS" "$LOGS" "$RUN"
  chmod 755 "$LOCAL" "$LOGS"
  # the services keep these paths in their configuration: the physical one, not a worktree's .local symlink
  TLS_DIR="$(cd "$LOCAL" && pwd -P)/tls"
  local t0 s; t0="$(now_ms)"
  for s in "${SELECTED[@]}"; do "${s}_up"; done
  log "all requested services ready in $(since "$t0"). Environment: eval \"\$(scripts/local-stack.sh env)\""
}

cmd_down() {
  local purge=0 args=() s rc=0
  for s in "$@"; do [[ "$s" == --purge ]] && purge=1 || args+=("$s"); done
  select_services "${args[@]+"${args[@]}"}"
  # reverse order of 'up'
  for (( i=${#SELECTED[@]}-1; i>=0; i-- )); do "${SELECTED[$i]}_down" || rc=1; done
  if (( purge )); then
    (( rc == 0 )) || die "not purging: a service did not stop"
    purge_data "${SELECTED[@]}"
  fi
  return "$rc"
}

cmd_status() { kafka_status; postgres_status; elasticsearch_status; }

cmd_env() {
  [[ -d "$LOCAL" ]] && TLS_DIR="$(cd "$LOCAL" && pwd -P)/tls"
  printf 'export %s=%q\n' \
    KAFKA_BOOTSTRAP_SERVERS "127.0.0.1:${KAFKA_PORT}" \
    KAFKA_TOPIC "$KAFKA_TOPIC" \
    PG_URL "jdbc:postgresql://127.0.0.1:${PG_PORT}/${PG_DATABASE}" \
    PG_USER "$PG_USER" \
    PG_PASSWORD "$PG_PASSWORD" \
    PG_ANALYST_PASSWORD "$PG_ANALYST_PASSWORD" \
    ES_HOSTS "127.0.0.1:${ES_PORT}" \
    ES_URL "http://127.0.0.1:${ES_PORT}"
  # not part of the runtime's default environment: where the TLS endpoints and certificates are (tests, trying TLS)
  printf 'export %s=%q\n' \
    LOCAL_TLS_DIR "$TLS_DIR" \
    LOCAL_TLS_PASSWORD "$TLS_PASSWORD" \
    KAFKA_SSL_BOOTSTRAP_SERVERS "127.0.0.1:${KAFKA_SSL_PORT}" \
    KAFKA_SASL_SSL_BOOTSTRAP_SERVERS "127.0.0.1:${KAFKA_SASL_SSL_PORT}" \
    KAFKA_SCRAM_USER "$KAFKA_SCRAM_USER" \
    KAFKA_SCRAM_PASSWORD "$KAFKA_SCRAM_PASSWORD"
}

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

main() {
  local cmd="${1:-help}"; shift || true
  case "$cmd" in
    up) cmd_up "$@" ;;
    down|stop) cmd_down "$@" ;;
    purge) cmd_down --purge "$@" ;;
    status) cmd_status ;;
    env) cmd_env ;;
    help|-h|--help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
