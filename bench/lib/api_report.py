"""Reads bench/api.sh's results, prints the figures (the median over runs), the
issue-21 table of ratios and goals, and draws throughput and p99 latency against
database size as an SVG.
Usage: api_report.py RESULTS.tsv CHECKS.tsv OUT.svg"""
import csv
import math
import statistics
import sys

NAMES = {"need": "GET /v1/needs/{id}", "list": "GET /v1/needs?limit=50", "post": "POST /v1/needs",
         "evaluation": "GET /v1/tenders/{id}/evaluation", "report": "GET /v1/reports/savings",
         "peer": "peer: GET /v1/needs/{id} (FastAPI)", "pgbench_select_by_key": "pgbench: SELECT * need by key",
         "pgbench_page": "pgbench: the list's page statement",
         "soak": "soak: mixed traffic"}
NUMBERS = ("rps", "p50_ms", "p99_ms", "max_ms", "non2xx", "errors", "peak_rss_mb")


def number(text):
    return float(text) if text not in ("", None) else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


raw = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["endpoint"] != "warmup"]
checks = list(csv.DictReader(open(sys.argv[2]), delimiter="\t"))
runs = sorted({r["run"] for r in raw}, key=int)
largest = max(int(r["size"]) for r in raw)

# One row per (backend, size, endpoint, connections), each figure the median over the runs.
groups = {}
for r in raw:
    groups.setdefault((r["backend"], int(r["size"]), r["endpoint"], r["connections"]), []).append(r)
rows = []
for (backend, size, endpoint, connections), members in groups.items():
    row = {"backend": backend, "size": size, "endpoint": endpoint, "connections": connections}
    row.update({k: median(number(m[k]) for m in members) for k in NUMBERS})
    rows.append(row)


def figure(run, backend, endpoint, connections, key="rps", size=largest):
    """One run's figure (run None: the median over the runs)."""
    for r in raw if run else rows:
        if ((run is None or r["run"] == run) and r["backend"] == backend and int(r["size"]) == size
                and r["endpoint"] == endpoint and r["connections"] == connections):
            return number(r[key]) if run else r[key]
    return None


def check(run, name, backend="postgresql"):
    for c in checks:
        if c["run"] == run and c["backend"] == backend and int(c["size"]) == largest and c["name"] == name:
            return float(c["value"])
    return None


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(v, spec=",.0f"):
    return "—" if v is None else format(v, spec)


heading = f"median of {len(runs)} runs" if len(runs) > 1 else "one run"
print(f"API on {largest:,} needs (requests/s, latency in ms; wrk -t2 on the same 2 cores; {heading})")
print(f"{'backend':<11} {'endpoint':<40} {'conn':>4} {'req/s':>8} {'p50':>7} {'p99':>7} {'max':>7} {'non-2xx':>7} "
      f"{'vs pgbench':>10} {'vs peer':>8}")
order = list(NAMES)
for r in sorted((r for r in rows if r["size"] == largest),
                key=lambda r: (r["backend"], r["endpoint"] == "soak", int(r["connections"]), order.index(r["endpoint"]))):
    vs_pgbench = vs_peer = ""
    if r["endpoint"] == "need":
        pg = figure(None, r["backend"], "pgbench_select_by_key", r["connections"])
        peer = figure(None, r["backend"], "peer", r["connections"])
        vs_pgbench = "" if pg is None else f"{r['rps'] / pg:.2f}"
        vs_peer = "" if peer is None else f"{r['rps'] / peer:.1f}×"
    if r["endpoint"] == "list":
        pg = figure(None, r["backend"], "pgbench_page", r["connections"])
        vs_pgbench = "" if pg is None else f"{r['rps'] / pg:.2f}"
    p50 = fmt(r["p50_ms"], ".2f") if not r["endpoint"].startswith("pgbench") else f"{r['p50_ms']:.3f}"
    print(f"{r['backend']:<11} {NAMES[r['endpoint']]:<40} {r['connections']:>4} {fmt(r['rps']):>8} {p50:>7} "
          f"{fmt(r['p99_ms'], '.2f'):>7} {fmt(r['max_ms'], '.1f'):>7} {fmt(r['non2xx']):>7} {vs_pgbench:>10} {vs_peer:>8}")
print("(pgbench: p50 is its average latency)")

served = [r for r in rows if r["endpoint"] not in ("pgbench_select_by_key", "pgbench_page", "peer")]
for backend in sorted({r["backend"] for r in served}):
    mine = [r for r in served if r["backend"] == backend]
    print(f"{backend}: peak server RSS {fmt(max(r['peak_rss_mb'] or 0 for r in mine))} MB; slowest request "
          f"{max(r['max_ms'] for r in mine):.0f} ms; non-2xx {sum(r['non2xx'] for r in mine):.0f}; "
          f"socket errors {sum(r['errors'] for r in mine):.0f}")

print("\nBy database size (64 connections)")
sizes = sorted({r["size"] for r in served})
print(f"{'backend':<11} {'endpoint':<26} " + " ".join(f"{s:>18,}" for s in sizes))
series = {}
for r in served:
    if r["connections"] == "64" and r["endpoint"] in ("need", "list"):
        series.setdefault((r["backend"], r["endpoint"]), []).append((r["size"], r["rps"], r["p99_ms"]))
for (backend, endpoint), points in sorted(series.items()):
    points.sort()
    print(f"{backend:<11} {NAMES[endpoint]:<26} " + " ".join(f"{rps:>8,.0f}/s {p99:>5.1f}ms" for _, rps, p99 in points))

# The table of issue 21: each figure per run, its median, the goal, met or not.
goals = []


def goal(label, per_run, goal_text, met, spec, detail="", combine=median, unit=""):
    """per_run: run → value or None; met: value → bool (None: recorded, no verdict); the
    figure judged is the median over the runs (combine=max: the worst run)."""
    values = [v for v in (per_run(run) for run in runs) if v is not None]
    value = combine(values) if values else None
    shown = "not measured" if value is None else format(value, spec) + unit
    if len(values) > 1:
        shown += f" ({format(min(values), spec)}–{format(max(values), spec)}{unit})"
    verdict = "—" if value is None or met is None else ("**met**" if met(value) else "not met")
    goals.append((label, shown, goal_text, verdict, detail))


def lower(endpoint):
    """The lower throughput of 16 and 64 connections, on PostgreSQL."""
    def per_run(run):
        values = [figure(run, "postgresql", endpoint, c) for c in ("16", "64")]
        return None if None in values else min(values)
    return per_run


pg = "postgresql"
goal("GET /v1/needs/{id} ÷ pgbench `SELECT *` by key (prepared, 16 clients)",
     lambda run: ratio(figure(run, pg, "need", "16"), figure(run, pg, "pgbench_select_by_key", "16")),
     "≥ 0.75", lambda v: v >= 0.75, ".2f",
     f"at 64: {fmt(ratio(figure(None, pg, 'need', '64'), figure(None, pg, 'pgbench_select_by_key', '64')), '.2f')}")
goal("same ÷ the peer (FastAPI + uvicorn, 2 workers, uvloop + asyncpg), 16 connections",
     lambda run: ratio(figure(run, pg, "need", "16"), figure(run, pg, "peer", "16")),
     "≥ 6×", lambda v: v >= 6, ".1f",
     f"peer {fmt(figure(None, pg, 'peer', '16'))}/s; at 64: "
     f"{fmt(ratio(figure(None, pg, 'need', '64'), figure(None, pg, 'peer', '64')), '.1f')}×", unit="×")
goal("p99 at 64 connections, GET /v1/needs/{id} (ms)", lambda run: figure(run, pg, "need", "64", "p99_ms"),
     "< 5", lambda v: v < 5, ".2f")
goal("GET /v1/needs?limit=50 (req/s, the lower of 16 and 64 connections)", lower("list"),
     "≥ 10,000", lambda v: v >= 10000, ",.0f",
     f"PostgreSQL alone runs its statement {fmt(figure(None, pg, 'pgbench_page', '16'))}/s at 16 clients (pgbench); "
     f"÷ that: {fmt(ratio(figure(None, pg, 'list', '16'), figure(None, pg, 'pgbench_page', '16')), '.2f')}")
goal("GET /v1/tenders/{id}/evaluation, PostgreSQL (req/s, lower of 16 and 64)", lower("evaluation"),
     "≥ 5,000", lambda v: v >= 5000, ",.0f")
tenders = median(check(run, "tenders") for run in runs)
goal(f"GET /v1/reports/savings, {fmt(tenders)} tenders (req/s, lower of 16 and 64)", lower("report"),
     "≥ 2,000", lambda v: v >= 2000, ",.0f")
goal("GET /v1/reports/savings p99 at 16 connections (ms)", lambda run: figure(run, pg, "report", "16", "p99_ms"),
     "< 20", lambda v: v < 20, ".1f",
     f"at 64: {fmt(figure(None, pg, 'report', '64', 'p99_ms'), '.1f')}; measured after the report's first "
     f"request, which computes it: {fmt(median(check(run, 'report_first_ms') for run in runs))} ms (HTTP "
     f"{', '.join(f'{s:.0f}' for s in sorted({check(run, 'report_first_status') for run in runs} - {None})) or '—'})")
def aggregation_ms(run):
    """The time to the whole answer; an error answer is no answer (infinite)."""
    status = check(run, "aggregation_status")
    return None if status is None else check(run, "aggregation_ms") if status == 200 else math.inf


needs = median(check(run, "aggregation_needs") for run in runs)
statuses = {check(run, "aggregation_status") for run in runs} - {None}
goal(f"POST /v1/aggregations over {fmt(needs)} submitted needs: time to the whole answer (ms)",
     aggregation_ms, "< 1,000", lambda v: v < 1000, ",.0f",
     f"HTTP {', '.join(f'{s:.0f}' for s in sorted(statuses)) or '—'}; first byte "
     f"{fmt(median(check(run, 'aggregation_first_byte_ms') for run in runs))} ms; answer "
     f"{fmt(median(check(run, 'aggregation_answer_mb') for run in runs), '.1f')} MB")


def rss_mib(name):
    kib = median(check(run, f"aggregation_rss_{name}_kib") for run in runs)
    return None if kib is None else kib / 1024


def growth(run):
    before, peak = check(run, "aggregation_rss_before_kib"), check(run, "aggregation_rss_peak_kib")
    return None if before is None else (peak - before) / 1024


goal("same: server RSS growth during the request (MiB; peak − before)", growth, "bounded", None, ",.1f",
     f"before {fmt(rss_mib('before'), ',.1f')} MiB, peak {fmt(rss_mib('peak'), ',.1f')} MiB, after "
     f"{fmt(rss_mib('after'), ',.1f')} MiB; "
     f"{fmt(ratio(median(growth(run) for run in runs), needs / 1048576 if needs else None), ',.0f')} B per need")
goal("soak, mixed traffic at 64 connections (req/s)", lambda run: figure(run, pg, "soak", "64"),
     "≥ 5,000", lambda v: v >= 5000, ",.0f")
goal("soak p99 (ms)", lambda run: figure(run, pg, "soak", "64", "p99_ms"), "< 50", lambda v: v < 50, ".1f")


def lost(run):
    names = ("soak_missing", "soak_wrong", "soak_duplicated", "soak_5xx")
    values = [check(run, n) for n in names]
    return None if None in values else sum(values)


goal("soak: acknowledged creates missing, wrong or duplicated, and 5xx (worst run)",
     lost, "0", lambda v: v == 0, ",.0f", combine=max, detail=
     f"acknowledged {fmt(median(check(run, 'soak_acknowledged') for run in runs))}, stored "
     f"{fmt(median(check(run, 'soak_stored') for run in runs))}, in flight at the end "
     f"{fmt(median(check(run, 'soak_unacknowledged') for run in runs))}; non-2xx (all) / socket errors "
     f"{fmt(figure(None, pg, 'soak', '64', 'non2xx'))} / {fmt(figure(None, pg, 'soak', '64', 'errors'))}")

print(f"\nIssue 21 (PostgreSQL, {largest:,} needs; {heading}" + ("; median (min–max)" if len(runs) > 1 else "") + ")\n")
print("| figure | measured | goal | |")
print("|---|---:|---:|---|")
for label, shown, goal_text, verdict, detail in goals:
    print(f"| {label}{' — ' + detail if detail else ''} | {shown} | {goal_text} | {verdict} |")

# The plot: two panels side by side, log-scaled size on x.
W, H, M = 360, 240, 50
colors = {("postgresql", "need"): "#1f5c8a", ("postgresql", "list"): "#6fa8d6",
          ("sqlite", "need"): "#2e7d4f", ("sqlite", "list"): "#8cc9a3"}
sizes = sorted({p[0] for pts in series.values() for p in pts}) or [1]


def x(size):
    lo, hi = math.log10(sizes[0]), math.log10(sizes[-1])
    return M + (0 if hi == lo else (math.log10(size) - lo) / (hi - lo) * (W - M - 20))


def panel(offset, title, index, unit):
    top = max((p[index] for pts in series.values() for p in pts), default=1) * 1.15 or 1
    y = lambda v: H - 40 - v / top * (H - 80)
    out = [f'<g transform="translate({offset},0)"><text x="{W / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<line x1="{M}" y1="{H - 40}" x2="{W - 20}" y2="{H - 40}" stroke="#444"/><line x1="{M}" y1="40" x2="{M}" y2="{H - 40}" stroke="#444"/>']
    for k in range(5):
        v = top * k / 4
        out.append(f'<text x="{M - 4}" y="{y(v) + 4:.0f}" text-anchor="end" font-size="10">{v:,.0f}{unit}</text>')
    for s in sizes:
        out.append(f'<text x="{x(s):.0f}" y="{H - 25}" text-anchor="middle" font-size="10">{s:,}</text>')
    for key, pts in sorted(series.items()):
        path = " ".join(f"{x(p[0]):.1f},{y(p[index]):.1f}" for p in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colors.get(key, "#000")}" stroke-width="2"/>')
        out += [f'<circle cx="{x(p[0]):.1f}" cy="{y(p[index]):.1f}" r="3" fill="{colors.get(key, "#000")}"/>' for p in pts]
    out.append(f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle" font-size="10">needs in the database</text></g>')
    return out


svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 40}" font-family="DejaVu Sans, sans-serif" font-size="12">',
       '<rect width="100%" height="100%" fill="#fff"/>']
svg += panel(0, "Requests per second, 64 connections", 1, "")
svg += panel(W, "p99 latency (ms), 64 connections", 2, "")
for i, (key, _) in enumerate(sorted(series.items())):
    svg.append(f'<rect x="{60 + i * 170}" y="{H + 12}" width="12" height="12" fill="{colors.get(key, "#000")}"/>'
               f'<text x="{76 + i * 170}" y="{H + 23}" font-size="11">{key[0]} {NAMES[key[1]].replace("GET ", "")}</text>')
svg.append("</svg>")
open(sys.argv[3], "w").write("\n".join(svg) + "\n")
print(f"\nplot: {sys.argv[3]}")
