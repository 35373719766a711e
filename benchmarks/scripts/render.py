"""Renders target/bench-results/*.json (from run-all.sh) as the markdown tables of docs/benchmarks.md."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])


def load(name):
    path = out / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def lat(run):
    l = run["result"].get("latency")
    if not l:
        return ""
    ms = lambda micros: f"{micros / 1000:.2f}"
    return f"{ms(l['p50Micros'])} / {ms(l['p99Micros'])} / {ms(l['p999Micros'])} / {ms(l['maxMicros'])}"


def losses(run):
    c = run["result"].get("counts", {})
    return f"{c.get('lost', 0)} / {c.get('duplicates', 0)}"


print("| workload | server | throughput | p50 / p99 / p99.9 / max (ms) | lost / dup | vs baseline |")
print("|---|---|---|---|---|---|")
for name in ["direct-memory", "direct-sqlite", "direct-half-rate", "group-memory", "group-sqlite", "logins"]:
    report = load(name)
    if not report:
        continue
    runs = report["runs"]
    baseline = next((r for r in runs if r["target"].startswith("baseline")), None)
    for run in runs:
        ratio = ""
        if baseline and run is not baseline:
            ratio = f"{run['headline'] / baseline['headline']:.2f}x"
        unit = run["headlineUnit"]
        label = name if run is runs[0] else ""
        print(f"| {label} | {run['target']} | {run['headline']:,.0f} {unit} | {lat(run)} | {losses(run)} | {ratio} |")

reads = [load(name) for name in ["history-sqlite", "history-memory", "conversations-sqlite", "conversations-memory"]]
if any(reads):
    print()
    print("| workload | server | seeded (not measured) | rate | p50 / p99 / p99.9 / max (ms) | plain sends, same server | ratio |")
    print("|---|---|---|---|---|---|---|")
    for report in filter(None, reads):
        for run in report["runs"]:
            r = run["result"]
            seed, measured, sends = r["seed"], r["measured"], r.get("sendBaseline")
            l = measured["latency"]
            ms = lambda micros: f"{micros / 1000:.2f}"
            latency = f"{ms(l['p50Micros'])} / {ms(l['p99Micros'])} / {ms(l['p999Micros'])} / {ms(l['maxMicros'])}"
            label = f"{report['workload']}, limit {r['pageSize']}, {r['clients']} clients"
            seeded = f"{seed['count']:,} {seed['what']} ({seed['perSecond']:,.0f}/s)"
            plain = f"{sends['messagesPerSecond']:,.0f} msgs/s" if sends else ""
            ratio = f"{run['headline'] / sends['messagesPerSecond']:.3f}" if sends else ""
            print(f"| {label} | {run['target']} | {seeded} | {run['headline']:,.0f} {run['headlineUnit']} | {latency} | {plain} | {ratio} |")

conn = load("connections")
if conn:
    for run in conn["runs"]:
        r = run["result"]
        print()
        print("connections:", json.dumps({k: v for k, v in r.items() if not isinstance(v, (dict, list))}))

jmh = out / "jmh.json"
if jmh.exists():
    print()
    print("| JMH benchmark | params | score | error | unit |")
    print("|---|---|---|---|---|")
    for entry in json.loads(jmh.read_text()) + json.loads((out / "jmh-startup.json").read_text()):
        metric = entry["primaryMetric"]
        params = ",".join(f"{k}={v}" for k, v in entry.get("params", {}).items())
        error = metric["scoreError"]
        error = f"±{error:.2f}" if isinstance(error, (int, float)) else "n/a"
        name = ".".join(entry["benchmark"].rsplit(".", 2)[-2:])
        print(f"| {name} | {params} | {metric['score']:.2f} | {error} | {metric['scoreUnit']} |")
