"""Reads bench/api.sh's TSV, prints the table and the targets' verdicts, and
draws throughput and p99 latency against database size as an SVG.
Usage: api_report.py RESULTS.tsv OUT.svg"""
import csv
import math
import sys

rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["backend"] != "warmup"]
largest = max(int(r["size"]) for r in rows)
names = {"need": "GET /v1/needs/{id}", "list": "GET /v1/needs?limit=50", "post": "POST /v1/needs",
         "evaluation": "GET /v1/tenders/{id}/evaluation", "report": "GET /v1/reports/savings",
         "pgbench_select_by_key": "pgbench: SELECT need by key (prepared)"}

pgbench = {r["connections"]: float(r["rps"]) for r in rows if r["endpoint"] == "pgbench_select_by_key"}
print(f"API on {largest:,} needs (requests/s, latency in ms; wrk -t2 on the same 2 cores)")
print(f"{'backend':<11} {'endpoint':<40} {'conn':>4} {'req/s':>8} {'p50':>7} {'p99':>7} {'max':>7} {'non-2xx':>7} {'vs pgbench':>10}")
for r in rows:
    if int(r["size"]) != largest:
        continue
    ratio = ""
    if r["endpoint"] == "need" and r["connections"] in pgbench:
        ratio = f"{float(r['rps']) / pgbench[r['connections']]:.0%}"
    p99 = r["p99_ms"] or "—"
    print(f"{r['backend']:<11} {names[r['endpoint']]:<40} {r['connections']:>4} {float(r['rps']):>8,.0f} {r['p50_ms']:>7} "
          f"{p99:>7} {r['max_ms'] or '—':>7} {r['non2xx'] or '—':>7} {ratio:>10}")

served = [r for r in rows if r["endpoint"] != "pgbench_select_by_key"]
for backend in sorted({r["backend"] for r in served}):
    mine = [r for r in served if r["backend"] == backend]
    print(f"{backend}: peak server RSS {max(int(r['peak_rss_mb']) for r in mine)} MB; slowest request "
          f"{max(float(r['max_ms']) for r in mine):.0f} ms; non-2xx {sum(int(r['non2xx']) for r in mine)}; "
          f"socket errors {sum(int(r['errors']) for r in mine)}")

print("\nBy database size (64 connections)")
print(f"{'backend':<11} {'endpoint':<26} " + " ".join(f"{s:>18,}" for s in sorted({int(r['size']) for r in served})))
series = {}
for r in served:
    if r["connections"] == "64" and r["endpoint"] in ("need", "list"):
        series.setdefault((r["backend"], r["endpoint"]), []).append((int(r["size"]), float(r["rps"]), float(r["p99_ms"])))
for (backend, endpoint), points in sorted(series.items()):
    points.sort()
    print(f"{backend:<11} {names[endpoint]:<26} " + " ".join(f"{rps:>8,.0f}/s {p99:>5.1f}ms" for _, rps, p99 in points))

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
               f'<text x="{76 + i * 170}" y="{H + 23}" font-size="11">{key[0]} {names[key[1]].replace("GET ", "")}</text>')
svg.append("</svg>")
open(sys.argv[2], "w").write("\n".join(svg) + "\n")
print(f"\nplot: {sys.argv[2]}")
