# Sourced by the entry scripts: makes sure the tools they need are there. On a fresh Debian machine, as root, the
# missing ones are installed with apt-get (Java 17, Maven, curl, the Python venv module); otherwise it says what
# to install. PostgreSQL itself is installed by local-stack.sh, Kafka and Elasticsearch come from Maven Central.
ensure_prereqs() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [[ "${1:-}" == "--python" ]]; then
    local py="${AIRFLOW_PYTHON:-python3.11}"
    if ! command -v "$py" >/dev/null 2>&1; then
      missing+=(python3 python3-venv)
    elif ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      missing+=(python3-venv)
    fi
  fi
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "[prereqs] installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "[prereqs] missing: ${missing[*]} — install them (Debian: apt-get install -y ${missing[*]})" >&2
    return 1
  fi
}
