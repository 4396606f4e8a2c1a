"""Writes docs/benchmarks.md from the result files of .ci/bench.

Usage: report.py RESULTS_DIR REPORT_PATH

The latest run goes between the `latest` markers; the run it replaces moves to
the top of the `history` section (the last 10 are kept), and the hand-written
`notes` section is kept as it is, so trends and explanations survive re-runs.
"""

import glob
import json
import os
import re
import statistics
import sys

results, report_path = sys.argv[1], sys.argv[2]


def load(name):
    with open(os.path.join(results, name)) as f:
        return json.load(f)


env = load("env.json")
counts = load("counts.json")
stmts = load("statements.json")
start = load("start.json")
rss = load("rss.json")


def oha(name):
    d = load(name + ".json")
    p = d["latencyPercentiles"]
    codes = d.get("statusCodeDistribution") or {}
    return {
        "rps": d["summary"]["requestsPerSec"],
        "p50": (p.get("p50") or 0) * 1000,
        "p95": (p.get("p95") or 0) * 1000,
        "p99": (p.get("p99") or 0) * 1000,
        "ok": d["summary"]["successRate"],
        "codes": codes,
        "errors": d.get("errorDistribution") or {},
    }


def rounds(prefix):
    runs = [oha(os.path.splitext(os.path.basename(f))[0])
            for f in sorted(glob.glob(os.path.join(results, prefix + "-*.json")))]
    if not runs:
        return None
    out = {k: statistics.mean(r[k] for r in runs) for k in ("rps", "p50", "p95", "p99", "ok")}
    out["each"] = [r["rps"] for r in runs]
    codes = {}
    for r in runs:
        for c, n in r["codes"].items():
            codes[c] = codes.get(c, 0) + n
    out["codes"] = codes
    return out


def pgbench_round(i):
    txt = open(os.path.join(results, f"pgbench-{i}.txt")).read()
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", txt)
    lat = []
    for f in glob.glob(os.path.join(results, f"pgbench-{i}", "pgbench_log.*")):
        for line in open(f):
            parts = line.split()
            if len(parts) >= 3:
                lat.append(int(parts[2]) / 1000.0)
    lat.sort()

    def q(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else 0.0

    return {"rps": float(m.group(1)) if m else 0.0, "p50": q(0.5), "p95": q(0.95), "p99": q(0.99)}


floor_runs = [pgbench_round(i) for i in (1, 2)
              if os.path.exists(os.path.join(results, f"pgbench-{i}.txt"))]
floor = {k: statistics.mean(r[k] for r in floor_runs) for k in ("rps", "p50", "p95", "p99")}
floor["each"] = [r["rps"] for r in floor_runs]


def ms(x):
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "n/a"


def stmt(key):
    v = stmts.get(key)
    return "not measured" if v is None else (f"{v:g}")


ops = [
    ("lookup", "1. Small lookup (a pathway by code)"),
    ("portal", "2. Portal page (20 offerings of a sector this term, nested)"),
    ("deep", "3. Deep query (program → districts → schools; → courses → offerings, articulations → college)"),
    ("eligibility", "4. Eligibility for a district and grade"),
    ("cachedget", "5. Portal page, cached anonymous GET with If-None-Match (304)"),
]

lines = []
w = lines.append
w(f"### Run of {env['date']} ({env['mode']}, scale {env['scale']}, commit {env['commit']})")
w("")
w(f"Closed loop: {env['concurrency']} connections, {env['duration']} s per measurement, two rounds "
  "alternating CTE Hub and PostGraphile (A/B/A/B); figures are the mean of the two rounds, "
  "req/s of each round in brackets. Latencies in ms.")
w("")
w("| Operation | Server | req/s | p50 | p95 | p99 | vs PostGraphile | vs SQL floor | SQL statements / request |")
w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
portal_ratio = None
for op, title in ops:
    hub = rounds(f"c-hub-{op}")
    gra = rounds(f"c-graphile-{op}")
    if hub:
        each = " / ".join(f"{x:.0f}" for x in hub["each"])
        vs = ratio(hub["rps"], gra["rps"]) if gra else "n/a (CTE Hub only)"
        if op == "portal" and gra:
            portal_ratio = hub["rps"] / gra["rps"]
        non2xx = {c: n for c, n in hub["codes"].items() if not c.startswith("2")}
        note = f" (status {', '.join(f'{c}: {n}' for c, n in non2xx.items())})" if non2xx else ""
        w(f"| {title} | CTE Hub{note} | {hub['rps']:.0f} ({each}) | {ms(hub['p50'])} | {ms(hub['p95'])} | "
          f"{ms(hub['p99'])} | {vs} | {ratio(hub['rps'], floor['rps'])} | "
          f"{stmt('hub:' + op) if op != 'cachedget' else '0 (answered from the ETag)'} |")
    if gra:
        each = " / ".join(f"{x:.0f}" for x in gra["each"])
        w(f"| | PostGraphile | {gra['rps']:.0f} ({each}) | {ms(gra['p50'])} | {ms(gra['p95'])} | "
          f"{ms(gra['p99'])} | 1.00× | {ratio(gra['rps'], floor['rps'])} | {stmt('graphile:' + op)} |")
each = " / ".join(f"{x:.0f}" for x in floor["each"])
w(f"| SQL floor: the portal page's data as one statement (pgbench -M prepared) | PostgreSQL | "
  f"{floor['rps']:.0f} ({each}) | {ms(floor['p50'])} | {ms(floor['p95'])} | {ms(floor['p99'])} | | 1.00× | 1 |")
w("")
w(f"Portal page at a fixed rate of {env['rate']} req/s (open loop, oha `-q {env['rate']} --latency-correction`, "
  "64 connections; target: p99 under 20 ms):")
w("")
w("| Server | achieved req/s | p50 | p95 | p99 | success | p99 < 20 ms |")
w("|---|---:|---:|---:|---:|---:|---|")
for side, name in (("hub", "CTE Hub"), ("graphile", "PostGraphile")):
    r = rounds(f"r-{side}-portal")
    if r:
        w(f"| {name} | {r['rps']:.0f} | {ms(r['p50'])} | {ms(r['p95'])} | {ms(r['p99'])} | "
          f"{r['ok'] * 100:.1f}% | {'yes' if r['p99'] < 20 else 'no'} |")
w("")
w("| Resource | CTE Hub | PostGraphile |")
w("|---|---:|---:|")
w(f"| Peak RSS (VmHWM) after all runs | {rss['hub'] / 1024:.0f} MiB | {rss['graphile'] / 1024:.0f} MiB |")
w(f"| Cold start (process start to first good answer, loaded database) | {start['hub']} ms | {start['graphile']} ms |")
w(f"| Synthetic data load (`cte-hub seed --synthetic {env['scale']}`, includes migrations and reference data) "
  f"| {start['seed_ms'] / 1000:.1f} s | |")
w(f"| Import of the 20,000-row schools file (`cte-hub import pubschls`, new database; target under 10 s) "
  f"| {start['import_ms'] / 1000:.1f} s (again, all unchanged: {start['reimport_ms'] / 1000:.1f} s) | |")
w("")
w(f"Portal page throughput, CTE Hub / PostGraphile: **{portal_ratio:.2f}×** (target at least 2×)."
  if portal_ratio else "Portal page ratio: not measured.")
w("")
w("Data set: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".")
w("")
w(f"Machine: {env['cpu']}, {env['cores']} cores, {env['memory_gib']} GiB, Linux {env['kernel']}; "
  "the load tool, both servers and PostgreSQL share these cores. "
  f"Versions: {env['rustc']}; PostgreSQL {env['postgres']}; Node {env['node']}; "
  f"postgraphile {env['postgraphile']}, postgraphile-plugin-connection-filter {env['connection_filter']}, "
  f"@graphile/simplify-inflection {env['simplify_inflection']}; oha {env['oha']}; pgbench {env['pgbench']}.")
latest = "\n".join(lines)

old = open(report_path).read() if os.path.exists(report_path) else ""


def section(name, text):
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    return m.group(1).strip() if m else ""


notes = section("notes", old) or "_No notes yet._"
previous = section("latest", old)
history = section("history", old)
entries = [e.strip() for e in re.split(r"(?m)^(?=### Run of )", history) if e.strip().startswith("### Run of")]
if previous:
    entries.insert(0, previous)
entries = entries[:10]

doc = f"""# Benchmarks

CTE Hub against [PostGraphile v5](https://postgraphile.org) pointed at the same PostgreSQL database
(read-only role, Amber preset, simplified inflection, connection filters with relation filters), and
against the floor: the portal page's data as one hand-written SQL statement through `pgbench`. Every
figure below is measured in the same run, on the same machine, with the same load tool (`oha`).
Numbers live here, never in timed tests.

Reproduce (the whole report, on a machine with PostgreSQL on 127.0.0.1:5432):

```bash
.ci/bench            # full: synthetic scale 1, 15 s per measurement (about 10 minutes)
.ci/bench --quick    # development: scale 0.1, 3 s per measurement
```

The script starts PostgreSQL if it is down, installs PostGraphile, its plugins and Node 22 from npm
and `oha` from crates.io into `target/bench/` (git-ignored), builds `cte-hub` in release mode, loads
`cte-hub seed --synthetic <scale>` into a fresh `cte_hub_bench` database, counts SQL statements per
request from PostgreSQL's statement log (`log_statement = 'all'` for this database only, during a
separate phase), then measures cold starts, two alternating rounds of load, the fixed-rate run and
peak memory, and rewrites this file. The GraphQL documents are in `.ci/bench.d/hub/` and
`.ci/bench.d/graphile/` (they return the same data: checked by hand against each other), the floor
is `.ci/bench.d/floor.sql`, PostGraphile's configuration is `.ci/bench.d/graphile.config.mjs`.

## Latest run

<!-- latest:start -->
{latest}
<!-- latest:end -->

## Notes: what the numbers show and what was done

<!-- notes:start -->
{notes}
<!-- notes:end -->

## Earlier runs

<!-- history:start -->
{(chr(10) * 2).join(entries) if entries else "_None yet._"}
<!-- history:end -->
"""
with open(report_path, "w") as f:
    f.write(doc)
