"""Renders target/bench-results/*.json (from run-all.sh) as the markdown tables of docs/benchmarks.md."""
import json
import pathlib
import re
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


def baseline_of(runs):
    return next((r for r in runs if r["target"].startswith("baseline")), None)


def losses(run):
    c = run["result"].get("counts", {})
    return f"{c.get('lost', 0)} / {c.get('duplicates', 0)}"


print("| workload | server | throughput | p50 / p99 / p99.9 / max (ms) | lost / dup | vs baseline |")
print("|---|---|---|---|---|---|")
for name in ["direct-memory", "direct-half-rate", "direct-sqlite", "direct-sqlite-half-rate", "group-memory",
             "group-sqlite", "logins"]:
    report = load(name)
    if not report:
        continue
    runs = report["runs"]
    baseline = baseline_of(runs)
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


def im_run(name):
    report = load(name)
    return report["runs"][-1] if report else None


def baseline_run(name):
    report = load(name)
    return baseline_of(report["runs"]) if report else None


def p99(run):
    return run["result"]["latency"]["p99Micros"] / 1000 if run and run["result"].get("latency") else None


# The targets of issue 10, each from this run alone.
memory, sqlite = im_run("direct-memory"), im_run("direct-sqlite")
relay, group_sqlite = baseline_run("direct-memory"), im_run("group-sqlite")
rows = []
if sqlite:
    rows.append(("direct on SQLite >= 150,000 msgs/s", f"{sqlite['headline']:,.0f} msgs/s", sqlite["headline"] >= 150_000))
if sqlite and memory:
    ratio = sqlite["headline"] / memory["headline"]
    rows.append(("direct on SQLite >= 0.5x the memory store", f"{ratio:.2f}x", ratio >= 0.5))
if group_sqlite:
    rows.append(("group of 1,000 on SQLite >= 300,000 deliveries/s", f"{group_sqlite['headline']:,.0f} deliveries/s",
                 group_sqlite["headline"] >= 300_000))
if memory and relay:
    ratio = memory["headline"] / relay["headline"]
    rows.append(("direct on memory >= 1.0x the relay", f"{ratio:.2f}x", ratio >= 1.0))
for label, name in [("memory", "direct-half-rate"), ("SQLite", "direct-sqlite-half-rate")]:
    value = p99(im_run(name))
    if value is not None:
        rows.append((f"p99 < 10 ms at half of max, {label}", f"{value:.2f} ms", value < 10))
startup = out / "startup.txt"
if startup.exists():
    lines = startup.read_text().splitlines()
    ready = [int(m.group(1)) for m in (re.search(r"ready after (\d+) ms", l) for l in lines) if m]
    wired = [int(m.group(1)) for m in (re.search(r"in (\d+) ms", l) for l in lines) if m]
    if ready:
        rows.append(("start to ready < 1 s", " / ".join(f"{v} ms" for v in ready), max(ready) < 1000))
    if wired:
        rows.append(("scan plus wiring < 150 ms", " / ".join(f"{v} ms" for v in wired), max(wired) < 150))
if rows:
    print()
    print("| issue 10 target | this run | verdict |")
    print("|---|---|---|")
    for label, value, met in rows:
        print(f"| {label} | {value} | {'met' if met else '**missed**'} |")
