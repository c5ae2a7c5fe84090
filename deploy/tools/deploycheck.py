#!/usr/bin/env python3
"""Static checks of the deploy/ files that no server runs here (scripts/check-deploy.sh calls each subcommand).

  manifests FILE...       rendered Helm output: every object against the Kubernetes OpenAPI schemas (strict, offline,
                          from the kubernetes-validate package), plus the references between objects
  grafana                 dashboards parse, every panel has a query, one datasource uid matching the provisioning,
                          provisioning paths match docker-compose.yml; --promql-out FILE writes the queries as a rules
                          file for `promtool check rules` (PromQL syntax, by Prometheus itself)
  metrics                 every metric name used by the alert rules and the dashboards is listed in deploy/METRICS.md;
                          --exposition FILE also demands that each is exposed in a /observe/metrics scrape
  rule-tests              every alert of the rules file has a promtool test case where it fires and one where it must
                          not

Exit status 1 with one line per problem; on success one summary line.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
RULES = DEPLOY / "prometheus" / "rules"
RULE_TESTS = DEPLOY / "prometheus" / "tests"
DASHBOARDS = DEPLOY / "grafana" / "dashboards"
PROVISIONING = DEPLOY / "grafana" / "provisioning"
METRICS_MD = DEPLOY / "METRICS.md"
COMPOSE = ROOT / "docker-compose.yml"
# checked by deploy/tools/servicemonitorcheck against the Prometheus Operator's own types
CRD_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}


class Problems(list):
    def add(self, where: str, message: str) -> None:
        self.append(f"{where}: {message}")


def finish(problems: Problems, summary: str) -> int:
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(summary)
    return 0


# ---------------------------------------------------------------------------------------------------------- manifests
def load_documents(files: list[str]) -> list[tuple[str, dict]]:
    docs = []
    for f in files:
        with open(f) as fh:
            for doc in yaml.safe_load_all(fh):
                if doc:
                    docs.append((f, doc))
    return docs


def cmd_manifests(args) -> int:
    import kubernetes_validate
    from kubernetes_validate.utils import SchemaNotFoundError, ValidationError

    problems = Problems()
    docs = load_documents(args.files)
    if not docs:
        problems.add(",".join(args.files), "no Kubernetes objects rendered")
    kinds = {}
    for f, doc in docs:
        api, kind = doc.get("apiVersion"), doc.get("kind")
        name = (doc.get("metadata") or {}).get("name", "?")
        where = f"{os.path.basename(f)} {kind}/{name}"
        kinds[(kind, name)] = doc
        if (api, kind) in CRD_KINDS:
            continue
        try:
            kubernetes_validate.validate(doc, args.kube_version, strict=True)
        except ValidationError as e:
            path = "/".join(str(p) for p in e.path)
            problems.add(where, f"{path or '(root)'}: {e.message}")
        except SchemaNotFoundError as e:
            problems.add(where, e.message)
    cross_references(docs, problems)
    return finish(problems, f"{len(docs)} objects valid against Kubernetes {args.kube_version} schemas (strict) "
                            f"and consistent with each other")


def cross_references(docs: list[tuple[str, dict]], problems: Problems) -> None:
    """What the schemas cannot see: the objects of one render must fit together."""
    by_kind: dict[str, dict[str, dict]] = {}
    for _, d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    secrets = by_kind.get("Secret", {})
    configmaps = by_kind.get("ConfigMap", {})
    for dname, dep in by_kind.get("Deployment", {}).items():
        where = f"Deployment/{dname}"
        spec = dep["spec"]
        pod_labels = spec["template"]["metadata"].get("labels", {})
        selector = spec["selector"].get("matchLabels", {})
        if not selector or any(pod_labels.get(k) != v for k, v in selector.items()):
            problems.add(where, f"selector {selector} does not match the pod labels")
        pod = spec["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for v in volumes.values():
            if "configMap" in v and v["configMap"]["name"] not in configmaps:
                problems.add(where, f"volume {v['name']} uses ConfigMap {v['configMap']['name']}, which is not rendered")
        for c in pod["containers"]:
            ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
            for m in c.get("volumeMounts", []):
                if m["name"] not in volumes:
                    problems.add(where, f"mount {m['name']} has no volume")
                if m.get("subPath") and "configMap" in volumes.get(m["name"], {}):
                    problems.add(where, f"mount {m['name']} uses subPath: ConfigMap edits would never reach the pod")
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                p = c.get(probe)
                if p is None:
                    if probe != "startupProbe":
                        problems.add(where, f"container {c['name']} has no {probe}")
                    continue
                port = p.get("httpGet", {}).get("port")
                if isinstance(port, str) and port not in ports:
                    problems.add(where, f"{probe} uses port {port}, not a container port")
            env = c.get("env", [])
            names = [e["name"] for e in env]
            dupes = {n for n in names if names.count(n) > 1}
            if dupes:
                problems.add(where, f"environment variables set twice: {sorted(dupes)}")
            for e in env:
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if not ref:
                    continue
                secret = secrets.get(ref["name"])
                if secret is not None and ref["key"] not in {**secret.get("data", {}), **secret.get("stringData", {})}:
                    problems.add(where, f"{e['name']} reads key {ref['key']} that Secret {ref['name']} lacks")
            value = {e["name"]: e.get("value") for e in env}
            routes_dir = value.get("ROUTES_DIR")
            mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
            if routes_dir and routes_dir not in mounts:
                problems.add(where, f"ROUTES_DIR {routes_dir} is not a mounted folder")
            for var in ("CONTRACT_RULES", "CONTRACT_SCHEMA"):
                if value.get(var, "").startswith("file:"):
                    folder = os.path.dirname(value[var][len("file:"):])
                    if folder not in mounts:
                        problems.add(where, f"{var} points into {folder}, which is not mounted")
            for var in ("PIPELINE_API_PASSWORD", "PG_PASSWORD"):
                item = next((e for e in env if e["name"] == var), None)
                if item is None or "value" in item:
                    problems.add(where, f"{var} must come from a Secret (valueFrom.secretKeyRef)")
        for sname, svc in by_kind.get("Service", {}).items():
            sel = svc["spec"].get("selector", {})
            if sel and all(pod_labels.get(k) == v for k, v in sel.items()):
                container_ports = {p["name"] for c in pod["containers"] for p in c.get("ports", [])}
                for p in svc["spec"]["ports"]:
                    if isinstance(p.get("targetPort"), str) and p["targetPort"] not in container_ports:
                        problems.add(f"Service/{sname}", f"targetPort {p['targetPort']} is not a container port")
    services = by_kind.get("Service", {})
    for pname, pdb in by_kind.get("PodDisruptionBudget", {}).items():
        sel = pdb["spec"]["selector"].get("matchLabels", {})
        if not any(all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in sel.items())
                   for d in by_kind.get("Deployment", {}).values()):
            problems.add(f"PodDisruptionBudget/{pname}", "selects no pod of the Deployment")
    for mname, sm in by_kind.get("ServiceMonitor", {}).items():
        sel = sm["spec"]["selector"].get("matchLabels", {})
        matched = [s for s in services.values() if all(s["metadata"].get("labels", {}).get(k) == v for k, v in sel.items())]
        if not matched:
            problems.add(f"ServiceMonitor/{mname}", "selects no rendered Service")
        for ep in sm["spec"]["endpoints"]:
            if not any(ep.get("port") in {p.get("name") for p in s["spec"]["ports"]} for s in matched):
                problems.add(f"ServiceMonitor/{mname}", f"port {ep.get('port')} is not a port name of the Service")
            for part in ("username", "password"):
                ref = (ep.get("basicAuth") or {}).get(part)
                secret = secrets.get(ref["name"]) if ref else None
                if secret is not None and ref["key"] not in {**secret.get("data", {}), **secret.get("stringData", {})}:
                    problems.add(f"ServiceMonitor/{mname}", f"basicAuth {part} key {ref['key']} not in Secret {ref['name']}")


# ------------------------------------------------------------------------------------------------------------ grafana
GRAFANA_VARS = {
    "$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h",
}


def promql_for_check(expr: str) -> str:
    """Dashboard query → plain PromQL (Grafana variables replaced with values of the right kind)."""
    for var, value in GRAFANA_VARS.items():
        expr = expr.replace(var, value)
    return re.sub(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", ".*", expr)


def dashboard_queries(dash: dict) -> list[tuple[str, str]]:
    out = []

    def walk(panels):
        for p in panels:
            if p.get("type") == "row":
                walk(p.get("panels", []))
                continue
            for t in p.get("targets", []):
                out.append((f"panel {p.get('id')} '{p.get('title')}' {t.get('refId')}", t.get("expr", "")))
    walk(dash.get("panels", []))
    for a in dash.get("annotations", {}).get("list", []):
        if a.get("expr"):
            out.append((f"annotation '{a.get('name')}'", a["expr"]))
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = re.fullmatch(r"label_values\((.*),\s*[A-Za-z_]+\)", q or "")
        if m:
            out.append((f"variable {v['name']}", m.group(1)))
    return out


def cmd_grafana(args) -> int:
    problems = Problems()
    ds_files = glob.glob(str(PROVISIONING / "datasources" / "*.y*ml"))
    uids = {}
    for f in ds_files:
        for ds in (yaml.safe_load(open(f)) or {}).get("datasources", []):
            uids[ds.get("uid")] = ds.get("type")
    if not uids:
        problems.add("grafana/provisioning/datasources", "no datasource provisioned")
    providers = []
    for f in glob.glob(str(PROVISIONING / "dashboards" / "*.y*ml")):
        providers += (yaml.safe_load(open(f)) or {}).get("providers", [])
    if not providers:
        problems.add("grafana/provisioning/dashboards", "no dashboard provider")
    compose = yaml.safe_load(open(COMPOSE))
    grafana_mounts = {}
    for svc in compose.get("services", {}).values():
        if "grafana" in str(svc.get("image", "")):
            for v in svc.get("volumes", []):
                src, dst = (v.split(":")[:2] if isinstance(v, str) else (v["source"], v["target"]))
                grafana_mounts[dst] = (ROOT / src).resolve()
    if not grafana_mounts:
        problems.add("docker-compose.yml", "no grafana service with volumes")
    for p in providers:
        path = p.get("options", {}).get("path")
        host = grafana_mounts.get(path)
        if host != DASHBOARDS.resolve():
            problems.add("grafana provider " + str(p.get("name")), f"path {path} is not where docker-compose.yml mounts deploy/grafana/dashboards")
    if grafana_mounts.get("/etc/grafana/provisioning") != PROVISIONING.resolve():
        problems.add("docker-compose.yml", "grafana does not mount deploy/grafana/provisioning at /etc/grafana/provisioning")

    dashboards = sorted(DASHBOARDS.glob("*.json"))
    if not dashboards:
        problems.add(str(DASHBOARDS), "no dashboard")
    all_queries = []
    seen_uids = set()
    for f in dashboards:
        where = f.name
        try:
            dash = json.loads(f.read_text())
        except json.JSONDecodeError as e:
            problems.add(where, f"not JSON: {e}")
            continue
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in dash:
                problems.add(where, f"no {key}")
        if dash.get("uid") in seen_uids:
            problems.add(where, f"uid {dash.get('uid')} used by another dashboard")
        seen_uids.add(dash.get("uid"))
        ids = []

        def check_ds(ds, what):
            if isinstance(ds, str) or not isinstance(ds, dict):
                problems.add(where, f"{what}: datasource {ds!r} is not {{type, uid}}")
            elif ds.get("uid") not in uids:
                problems.add(where, f"{what}: datasource uid {ds.get('uid')!r} is not provisioned ({sorted(uids)})")
            elif uids[ds["uid"]] != ds.get("type"):
                problems.add(where, f"{what}: datasource type {ds.get('type')} != provisioned {uids[ds['uid']]}")

        def walk(panels):
            for p in panels:
                ids.append(p.get("id"))
                what = f"panel {p.get('id')} '{p.get('title')}'"
                if "gridPos" not in p:
                    problems.add(where, f"{what}: no gridPos")
                if p.get("type") == "row":
                    walk(p.get("panels", []))
                    continue
                if not p.get("title"):
                    problems.add(where, f"{what}: no title")
                check_ds(p.get("datasource"), what)
                targets = p.get("targets") or []
                if not targets:
                    problems.add(where, f"{what}: no query")
                refs = [t.get("refId") for t in targets]
                if len(set(refs)) != len(refs):
                    problems.add(where, f"{what}: refIds repeat {refs}")
                for t in targets:
                    if not (t.get("expr") or "").strip():
                        problems.add(where, f"{what} {t.get('refId')}: empty expr")
                    check_ds(t.get("datasource", p.get("datasource")), f"{what} {t.get('refId')}")
        walk(dash.get("panels", []))
        if None in ids or len(set(ids)) != len(ids):
            problems.add(where, "panel ids missing or repeated")
        for v in dash.get("templating", {}).get("list", []):
            if v.get("type") == "query":
                check_ds(v.get("datasource"), f"variable {v.get('name')}")
        for a in dash.get("annotations", {}).get("list", []):
            if a.get("expr"):
                check_ds(a.get("datasource"), f"annotation {a.get('name')}")
        queries = dashboard_queries(dash)
        all_queries += [(f"{where} {w}", e) for w, e in queries]

    if args.promql_out:
        rules = [{"record": f"dashboard:query:{i}", "expr": promql_for_check(e)} for i, (_, e) in enumerate(all_queries)]
        Path(args.promql_out).write_text(yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}))
    return finish(problems, f"{len(dashboards)} dashboard(s), {len(all_queries)} queries, datasource uid(s) "
                            f"{sorted(uids)} provisioned and used consistently")


# ------------------------------------------------------------------------------------------------------------ metrics
def metric_names(expr: str) -> set[str]:
    import promql_parser as pp

    names: set[str] = set()

    def walk(node):
        if node is None:
            return
        if isinstance(node, pp.VectorSelector):
            if node.name:
                names.add(node.name)
            else:
                for m in node.matchers.matchers:
                    if m.name == "__name__":
                        names.add(m.value)
            return
        if isinstance(node, pp.MatrixSelector):
            walk(node.vector_selector)
        elif isinstance(node, pp.BinaryExpr):
            walk(node.lhs)
            walk(node.rhs)
        elif isinstance(node, pp.Call):
            for a in node.args:
                walk(a)
        elif isinstance(node, (pp.AggregateExpr,)):
            walk(node.expr)
            walk(node.param)
        elif isinstance(node, (pp.ParenExpr, pp.UnaryExpr, pp.SubqueryExpr)):
            walk(node.expr)

    walk(pp.parse(expr))
    return names


def documented_metrics() -> dict[str, str]:
    """name → type from the tables of METRICS.md (first column is the `name`, second the type)."""
    out = {}
    for line in METRICS_MD.read_text().splitlines():
        m = re.match(r"\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*([a-z]+)\s*\|", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


SUFFIXES = {"histogram": ("_bucket", "_sum", "_count", "_max"), "summary": ("_sum", "_count", "_max")}


def rule_queries() -> list[tuple[str, str]]:
    out = []
    for f in sorted(RULES.glob("*.y*ml")):
        for g in yaml.safe_load(f.read_text())["groups"]:
            for r in g["rules"]:
                out.append((f"{f.name} {r.get('alert') or r.get('record')}", r["expr"]))
    return out


def exposed_names(path: str) -> set[str]:
    names = set()
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def cmd_metrics(args) -> int:
    problems = Problems()
    documented = documented_metrics()
    allowed = {}
    for name, kind in documented.items():
        allowed[name] = name
        for suffix in SUFFIXES.get(kind, ()):
            allowed[name + suffix] = name
    queries = rule_queries()
    for f in sorted(DASHBOARDS.glob("*.json")):
        queries += [(f"{f.name} {w}", promql_for_check(e)) for w, e in dashboard_queries(json.loads(f.read_text()))]
    used: dict[str, set[str]] = {}
    for where, expr in queries:
        try:
            names = metric_names(expr)
        except Exception as e:  # the parser raises its own error types
            problems.add(where, f"PromQL does not parse: {e}")
            continue
        for n in names:
            used.setdefault(n, set()).add(where)
            if n not in allowed:
                problems.add(where, f"metric {n} is not listed in deploy/METRICS.md")
    synthetic = {n for n, k in documented.items() if k == "synthetic"} | {"ALERTS", "up"}
    if args.exposition:
        exposed = exposed_names(args.exposition)
        for n in sorted(used):
            if n not in exposed and allowed.get(n, n) not in synthetic and n.split("{")[0] not in synthetic:
                problems.add(args.exposition, f"{n} (used by {sorted(used[n])[0]}) is not exposed")
    unused = sorted(n for n in documented if documented[n] != "synthetic" and not any(allowed.get(u) == n for u in used))
    summary = f"{len(used)} metric names used by {len(queries)} rule and dashboard queries, all in METRICS.md"
    if args.exposition:
        summary += f" and exposed in {os.path.basename(args.exposition)}"
    if unused and args.verbose:
        summary += f"; documented but unused: {', '.join(unused)}"
    return finish(problems, summary)


# --------------------------------------------------------------------------------------------------------- rule tests
def cmd_rule_tests(args) -> int:
    problems = Problems()
    alerts = []
    for f in sorted(RULES.glob("*.y*ml")):
        for g in yaml.safe_load(f.read_text())["groups"]:
            alerts += [r["alert"] for r in g["rules"] if "alert" in r]
    fires, silent = set(), set()
    test_files = sorted(RULE_TESTS.glob("*.y*ml"))
    for f in test_files:
        for t in yaml.safe_load(f.read_text()).get("tests", []):
            for case in t.get("alert_rule_test", []):
                (fires if case.get("exp_alerts") else silent).add(case["alertname"])
    for a in alerts:
        if a not in fires:
            problems.add(a, "no promtool test case where it fires")
        if a not in silent:
            problems.add(a, "no promtool test case where it must not fire")
    for a in (fires | silent) - set(alerts):
        problems.add(a, "tested but not in the rules")
    return finish(problems, f"{len(alerts)} alerts, each with a firing and a non-firing test case in {len(test_files)} file(s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("manifests")
    p.add_argument("--kube-version", required=True)
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_manifests)
    p = sub.add_parser("grafana")
    p.add_argument("--promql-out")
    p.set_defaults(func=cmd_grafana)
    p = sub.add_parser("metrics")
    p.add_argument("--exposition")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_metrics)
    p = sub.add_parser("rule-tests")
    p.set_defaults(func=cmd_rule_tests)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
