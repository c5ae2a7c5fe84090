#!/usr/bin/env bash
# check-deploy.sh — validates everything under deploy/ plus docker-compose.yml without a cluster, a Docker engine, a
# Prometheus or a Grafana server, and without network access beyond the package registries:
#
#   helm lint / helm template (default-like and fleet values) → Kubernetes OpenAPI schemas (strict, offline, three
#   Kubernetes versions) + references between the rendered objects; ServiceMonitor against the Prometheus
#   Operator's Go types; promtool check config / check rules / test rules; every alert tested firing and silent;
#   Grafana dashboards and provisioning; every metric name in METRICS.md; docker-compose.yml through compose-go;
#   and broken inputs that each checker must reject.
#
# Tools are installed on first use and cached in .local/tools/ (git-ignored):
#   helm         go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION          (Go module proxy)
#   deploytools  go build of deploy/tools (compose-go, prometheus-operator types; key: hash of its sources)
#   promtool     Debian's `prometheus` package, unpacked with apt-get download + dpkg-deb (no daemon installed)
#   Python venv  deploy/tools/requirements.txt (kubernetes-validate carries the Kubernetes schemas)
# A tool that cannot be installed fails the run. Prints one line per check; exits non-zero if any failed.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

HELM_VERSION=${HELM_VERSION:-v3.22.0}
KUBE_VERSIONS=(1.25.0 1.33.0 1.37.0)   # oldest the chart supports (Chart.yaml kubeVersion), a current one, newest schemas
CHART=deploy/helm/ecom-pipeline
TOOLS="$REPO/.local/tools"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$TOOLS"

die() { echo "check-deploy: $*" >&2; exit 2; }
log() { echo "check-deploy: $*" >&2; }

# ----------------------------------------------------------------------------------------------------------- tools
apt_install() {   # apt_install PACKAGE... — only as root on Debian; otherwise say what is missing
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  else
    return 1
  fi
}

ensure_go() {
  command -v go >/dev/null || die "go is missing (install Go 1.26+; Debian: apt-get install golang-go)"
  export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
}

ensure_helm() {
  HELM="$TOOLS/helm-$HELM_VERSION/helm"
  [[ -x $HELM ]] && return 0
  ensure_go
  log "building helm $HELM_VERSION from the Go module proxy (once; several minutes)"
  local tmp; tmp=$(mktemp -d "$TOOLS/.helm-XXXXXX")
  GOBIN="$tmp" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2 || { rm -rf "$tmp"; die "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION failed"; }
  rm -rf "$TOOLS/helm-$HELM_VERSION"; mv "$tmp" "$TOOLS/helm-$HELM_VERSION"
  [[ -x $HELM ]] || die "helm not built"
}

ensure_deploytools() {
  local key; key=$(cd deploy/tools && cat go.mod go.sum $(find . -name '*.go' | sort) | sha256sum | cut -c1-12)
  DEPLOYTOOLS="$TOOLS/deploytools-$key"
  [[ -x $DEPLOYTOOLS/composecheck && -x $DEPLOYTOOLS/servicemonitorcheck ]] && return 0
  ensure_go
  log "building deploy/tools (compose-go, prometheus-operator types) once"
  local tmp; tmp=$(mktemp -d "$TOOLS/.deploytools-XXXXXX")
  (cd deploy/tools && GOBIN="$tmp" go install ./composecheck ./servicemonitorcheck) >&2 || { rm -rf "$tmp"; die "building deploy/tools failed"; }
  rm -rf "$DEPLOYTOOLS"; mv "$tmp" "$DEPLOYTOOLS"
}

ensure_promtool() {
  if command -v promtool >/dev/null; then PROMTOOL=$(command -v promtool); return 0; fi
  PROMTOOL="$TOOLS/prometheus-deb/usr/bin/promtool"
  [[ -x $PROMTOOL ]] && return 0
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "promtool is missing and apt-get/dpkg-deb are not there to fetch Debian's prometheus package"
  log "fetching promtool from Debian's prometheus package (apt-get download, unpacked into .local/tools)"
  local tmp; tmp=$(mktemp -d "$TOOLS/.prometheus-XXXXXX")
  # apt-get download runs as _apt when it can: give it a folder it may write to
  chmod 777 "$tmp"
  if ! (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
    [[ $(id -u) -eq 0 ]] && apt-get update -qq >/dev/null 2>&1
    (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1) || { rm -rf "$tmp"; die "apt-get download prometheus failed"; }
  fi
  mkdir "$tmp/x" && dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x" || { rm -rf "$tmp"; die "cannot unpack the prometheus package"; }
  rm -rf "$TOOLS/prometheus-deb"; mv "$tmp/x" "$TOOLS/prometheus-deb"; rm -rf "$tmp"
  [[ -x $PROMTOOL ]] || die "promtool not found in Debian's prometheus package"
}

ensure_python() {
  local key; key=$(sha256sum deploy/tools/requirements.txt | cut -c1-12)
  VENV="$TOOLS/deploy-venv-$key"
  PY="$VENV/bin/python"
  [[ -x $PY && -e $VENV/.complete ]] && return 0
  local python=${DEPLOY_PYTHON:-python3}
  command -v "$python" >/dev/null || apt_install python3 python3-venv || die "python3 is missing"
  "$python" -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv || die "the Python venv module is missing (apt-get install python3-venv)"
  log "creating the Python venv for the checks (once)"
  # a venv records its own path, so it is built in place; the marker says the install finished
  rm -rf "$VENV"
  "$python" -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check -r deploy/tools/requirements.txt >&2 \
    || { rm -rf "$VENV"; die "pip install -r deploy/tools/requirements.txt failed"; }
  touch "$VENV/.complete"
}

ensure_helm
ensure_deploytools
ensure_promtool
ensure_python

# ---------------------------------------------------------------------------------------------------------- checks
PASSED=0 FAILED=0
# check NAME COMMAND...: runs the command with its output captured; one line per check, the output only on failure.
# The last line the command prints (its summary) is shown after the name.
check() {
  local name=$1; shift
  local out="$WORK/out" start=$SECONDS
  if "$@" >"$out" 2>&1; then
    PASSED=$((PASSED + 1))
    printf 'ok    %-34s %s (%ds)\n' "$name" "$(grep -v '^\s*$' "$out" | tail -n 1 | sed 's/^ *//' | cut -c1-150)" $((SECONDS - start))
  else
    FAILED=$((FAILED + 1))
    printf 'FAIL  %-34s\n' "$name"
    sed 's/^/      /' "$out" | tail -n 40
  fi
}

helm_template() {   # helm_template OUT [helm args...]
  local out=$1; shift
  "$HELM" template ecom "$CHART" --namespace pipelines --kube-version "${KUBE_VERSIONS[1]}" "$@" >"$out"
}
MINIMAL=(-f "$CHART/ci/minimal-values.yaml")
FLEET=(-f "$CHART/ci/fleet-values.yaml" --set-file contract.rules=src/main/resources/contract/rules.yaml
       --set-file contract.schema=src/main/resources/contract/ecommerce-event.schema.json)

check_helm_lint() {
  "$HELM" lint "$CHART" --strict --kube-version "${KUBE_VERSIONS[1]}" "${MINIMAL[@]}" &&
  "$HELM" lint "$CHART" --strict --kube-version "${KUBE_VERSIONS[1]}" "${FLEET[@]}" &&
  echo "chart lints clean with minimal and fleet values"
}

check_manifests() {   # check_manifests VALUES-NAME helm-args...
  local name=$1; shift
  helm_template "$WORK/$name.yaml" "$@" || return 1
  local v
  for v in "${KUBE_VERSIONS[@]}"; do
    "$PY" deploy/tools/deploycheck.py manifests --kube-version "$v" "$WORK/$name.yaml" || return 1
  done
  echo "$(grep -c '^kind:' "$WORK/$name.yaml") objects valid (strict) for Kubernetes ${KUBE_VERSIONS[*]}, references consistent"
}

check_fleet_render() {
  check_manifests fleet "${FLEET[@]}" || return 1
  local kinds; kinds=$(grep '^kind:' "$WORK/fleet.yaml" | sort | uniq | awk '{printf "%s ", $2}')
  for k in Deployment Service ConfigMap PodDisruptionBudget ServiceMonitor; do
    [[ $kinds == *"$k "* ]] || { echo "fleet render lacks a $k (rendered: $kinds)"; return 1; }
  done
  grep -q 'name: CONTRACT_RULES' "$WORK/fleet.yaml" && grep -q 'name: CONTRACT_SCHEMA' "$WORK/fleet.yaml" \
    || { echo "contract files not wired into the Deployment"; return 1; }
  "$DEPLOYTOOLS/servicemonitorcheck" "$WORK/fleet.yaml" || return 1
  echo "fleet values render $kinds; ServiceMonitor matches the Prometheus Operator types"
}

expect_failure() {   # expect_failure DESCRIPTION PATTERN COMMAND... — the command must fail and say PATTERN
  local what=$1 pattern=$2; shift 2
  local out
  if out=$("$@" 2>&1); then
    echo "not rejected: $what"; return 1
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "rejected for another reason than expected ($what): $(tail -n 3 <<<"$out")"; return 1
  fi
  NEGATIVE=$((NEGATIVE + 1))
}

mutate() {   # mutate SRC DST OLD NEW — DST is SRC with the first OLD replaced by NEW (OLD must occur)
  "$PY" - "$@" <<'EOF'
import sys
src, dst, old, new = sys.argv[1:5]
text = open(src).read()
if old not in text:
    sys.exit(f"mutate: {old!r} not in {src}")
open(dst, "w").write(text.replace(old, new, 1))
EOF
}

check_negative() {
  NEGATIVE=0
  expect_failure "chart-made Secret without passwords" "credentials.apiPassword is required" \
    "$HELM" template ecom "$CHART" --kube-version "${KUBE_VERSIONS[1]}" || return 1
  expect_failure "replicaCount of the wrong type (values.schema.json)" "replicaCount" \
    helm_template "$WORK/x.yaml" "${MINIMAL[@]}" --set replicaCount=three || return 1
  expect_failure "env entry that the chart sets itself" "env.PG_URL is set by the chart" \
    helm_template "$WORK/x.yaml" "${MINIMAL[@]}" --set env.PG_URL=jdbc:x || return 1
  helm_template "$WORK/min.yaml" "${MINIMAL[@]}" || return 1
  mutate "$WORK/min.yaml" "$WORK/bad1.yaml" "  replicas: 2" "  replicas: two" || return 1
  expect_failure "Deployment with a string replica count" "replicas" \
    "$PY" deploy/tools/deploycheck.py manifests --kube-version "${KUBE_VERSIONS[1]}" "$WORK/bad1.yaml" || return 1
  mutate "$WORK/min.yaml" "$WORK/bad2.yaml" "          readinessProbe:" "          readinessProbes:" || return 1
  expect_failure "misspelt container field (strict schema)" "readinessProbes|Additional properties" \
    "$PY" deploy/tools/deploycheck.py manifests --kube-version "${KUBE_VERSIONS[1]}" "$WORK/bad2.yaml" || return 1
  mutate "$WORK/min.yaml" "$WORK/bad3.yaml" "targetPort: management" "targetPort: metrics" || return 1
  expect_failure "Service port pointing at no container port" "targetPort metrics" \
    "$PY" deploy/tools/deploycheck.py manifests --kube-version "${KUBE_VERSIONS[1]}" "$WORK/bad3.yaml" || return 1
  helm_template "$WORK/fleet.yaml" "${FLEET[@]}" || return 1
  mutate "$WORK/fleet.yaml" "$WORK/bad4.yaml" "scrapeTimeout:" "scrapeTimout:" || return 1
  expect_failure "ServiceMonitor with a misspelt field" "unknown field" "$DEPLOYTOOLS/servicemonitorcheck" "$WORK/bad4.yaml" || return 1
  mutate docker-compose.yml "$WORK/c1.yml" "condition: service_completed_successfully" "condition: service_healthy" || return 1
  expect_failure "compose: waiting for a one-shot service to be healthy" "has no healthcheck" \
    "$DEPLOYTOOLS/composecheck" -project-dir . "$WORK/c1.yml" || return 1
  mutate docker-compose.yml "$WORK/c2.yml" "    image: prom/prometheus" "    imag: prom/prometheus" || return 1
  expect_failure "compose: unknown service key (Compose schema)" "imag" "$DEPLOYTOOLS/composecheck" -project-dir . "$WORK/c2.yml" || return 1
  mutate docker-compose.yml "$WORK/c3.yml" '"127.0.0.1:8082:8080"' '"127.0.0.1:8080:8080"' || return 1
  expect_failure "compose: host port published twice" "already published" "$DEPLOYTOOLS/composecheck" -project-dir . "$WORK/c3.yml" || return 1
  mkdir -p "$WORK/rules" "$WORK/tests"
  mutate deploy/prometheus/rules/ecom-pipeline.rules.yml "$WORK/rules/ecom-pipeline.rules.yml" \
    "max by (namespace, job) (ecom_dead_letters_oldest_waiting_seconds)" "sum by (namespace, job) (ecom_dead_letters_oldest_waiting_seconds)" || return 1
  cp deploy/prometheus/tests/*.yml "$WORK/tests/"
  expect_failure "alert rule summing a fleet-wide gauge" "FAILED" "$PROMTOOL" test rules "$WORK"/tests/*.yml || return 1
  echo "$NEGATIVE broken inputs rejected for the expected reason"
}

check_promtool_config() {
  "$PROMTOOL" check config deploy/prometheus/prometheus.yml || return 1
  echo "prometheus.yml and its $(grep -c -- '- alert:' deploy/prometheus/rules/*.yml) alert rules are valid"
}

check_promtool_tests() {
  "$PROMTOOL" test rules deploy/prometheus/tests/*.yml || return 1
  echo "$(grep -c -- '- name:' deploy/prometheus/tests/*.yml) test cases pass"
}

check_dashboards() {
  "$PY" deploy/tools/deploycheck.py grafana --promql-out "$WORK/dashboard-queries.yml" || return 1
  "$PROMTOOL" check rules "$WORK/dashboard-queries.yml" >/dev/null || { "$PROMTOOL" check rules "$WORK/dashboard-queries.yml"; return 1; }
  "$PY" deploy/tools/deploycheck.py grafana
}

check_scripts() {
  local f
  for f in deploy/compose/*.sh; do sh -n "$f" || return 1; done
  bash -n scripts/check-deploy.sh || return 1
  echo "$(ls deploy/compose/*.sh | wc -l) compose init scripts parse (POSIX sh)"
}

echo "check-deploy: helm $HELM_VERSION, $("$PROMTOOL" --version 2>&1 | head -n 1 | awk '{print $1, $3}'), kubernetes-validate $("$PY" -c 'import kubernetes_validate.version as v; print(v.__version__)'), Kubernetes ${KUBE_VERSIONS[*]}"
check "helm lint"                      check_helm_lint
check "helm template (minimal values)" check_manifests minimal "${MINIMAL[@]}"
check "helm template (fleet values)"   check_fleet_render
check "promtool check config"          check_promtool_config
check "promtool test rules"            check_promtool_tests
check "alert tests cover every alert"  "$PY" deploy/tools/deploycheck.py rule-tests
check "grafana dashboards"             check_dashboards
check "metric names (METRICS.md)"      "$PY" deploy/tools/deploycheck.py metrics
check "docker-compose.yml"             "$DEPLOYTOOLS/composecheck" docker-compose.yml
check "compose init scripts"           check_scripts
check "checkers reject broken inputs"  check_negative

echo "check-deploy: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
