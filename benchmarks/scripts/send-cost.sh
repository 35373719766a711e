#!/usr/bin/env bash
# What the conversations change (history, conversation lists, read positions: ace2084) costs a plain direct send.
# Builds the IM server's jar at two commits, each in a temporary git worktree (the working tree is not touched),
# and runs `bench direct --target child` against each in interleaved pairs, alternating which goes first (on two
# noisy cores the order and the drift over time matter as much as the change), then prints each pair's ratio
# new / old and their mean, standard deviation and standard error. The issue allows at most 10 % (ratio >= 0.90).
#
#   benchmarks/scripts/send-cost.sh                     # 6 pairs per store, 5 s warm-up, 15 s measured
#   PAIRS=2 QUICK=1 benchmarks/scripts/send-cost.sh     # 2 pairs of 1 s + 3 s runs, to try the script
#
# Environment: OLD (default ae8748e, the last commit before), NEW (default HEAD), STORES (default "sqlite memory"),
# PAIRS (6), WARMUP/DURATION (5s/15s), OFFLINE=1 (build with mvnw -o), SKIP_BUILD=1 (reuse the jars in $out).
# Uses the load generator of this working tree (benchmarks/load/target/switchboard-bench.jar, built if missing).
# Results: one JSON file per run and ratios.txt in target/send-cost/. Nothing else should run on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

old_rev=$(git rev-parse --short "${OLD:-ae8748e}")
new_rev=$(git rev-parse --short "${NEW:-HEAD}")
stores=(${STORES:-sqlite memory})
pairs=${PAIRS:-6}
if [ "${QUICK:-0}" = 1 ]; then warmup=${WARMUP:-1s}; duration=${DURATION:-3s}; else warmup=${WARMUP:-5s}; duration=${DURATION:-15s}; fi
mvn_flags=(-B -q -DskipTests)
[ "${OFFLINE:-0}" = 1 ] && mvn_flags+=(-o)
out=target/send-cost
mkdir -p "$out"
bench_jar=benchmarks/load/target/switchboard-bench.jar

# Builds the IM server's shaded jar at a commit into $out/switchboard-im-<rev>.jar, in a throwaway worktree.
build_im_jar() {
  local rev=$1 jar="$out/switchboard-im-$1.jar"
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$jar" ]; then echo "$jar"; return; fi
  local tree
  tree=$(mktemp -d "${TMPDIR:-/tmp}/send-cost-$rev.XXXXXX")
  git worktree add -q --detach "$tree" "$rev" >&2
  echo "== building the IM server at $rev in $tree" >&2
  if ! (cd "$tree" && ./mvnw "${mvn_flags[@]}" package -pl im-app -am >&2); then
    git worktree remove --force "$tree"; echo "build of $rev failed" >&2; exit 2
  fi
  cp "$tree/im-app/target/switchboard-im.jar" "$jar"
  git worktree remove --force "$tree"
  echo "$jar"
}

if [ ! -f "$bench_jar" ]; then
  ./mvnw "${mvn_flags[@]}" package -pl benchmarks/load -am
fi
old_jar=$(build_im_jar "$old_rev")
new_jar=$(build_im_jar "$new_rev")
rm -f "$out"/direct-*.json

run() { # store pair which jar
  local file="$out/direct-$1-$2-$3.json"
  echo "== pair $2, $1, $3 ($4), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -jar "$bench_jar" direct --target child --store "$1" --server-jar "$4" --warmup "$warmup" \
      --duration "$duration" --json-out "$file" | grep -E '^(messages/s|latency|result)' || echo "run failed: $file"
}

for store in "${stores[@]}"; do
  for ((i = 1; i <= pairs; i++)); do
    if ((i % 2 == 1)); then
      run "$store" "$i" old "$old_jar"; run "$store" "$i" new "$new_jar"
    else
      run "$store" "$i" new "$new_jar"; run "$store" "$i" old "$old_jar"
    fi
  done
done

python3 - "$out" "$old_rev" "$new_rev" "$pairs" "${stores[@]}" <<'PY' | tee "$out/ratios.txt"
import json, math, os, sys
out, old, new, pairs, stores = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
def rate(store, i, which):
    path = os.path.join(out, f"direct-{store}-{i}-{which}.json")
    if not os.path.exists(path):
        return None
    report = json.load(open(path))
    return report["runs"][-1]["headline"] if report["passed"] else None
print(f"direct msgs/s, new ({new}) / old ({old}), {pairs} interleaved pairs per store, alternating order")
for store in stores:
    ratios, olds, news = [], [], []
    for i in range(1, pairs + 1):
        o, n = rate(store, i, "old"), rate(store, i, "new")
        if o and n:
            ratios.append(n / o); olds.append(o); news.append(n)
            print(f"  {store} pair {i} ({'old first' if i % 2 else 'new first'}): old {o:,.0f}  new {n:,.0f}  ratio {n / o:.3f}")
        else:
            print(f"  {store} pair {i}: a run failed, left out")
    if not ratios:
        continue
    mean = sum(ratios) / len(ratios)
    sd = math.sqrt(sum((r - mean) ** 2 for r in ratios) / (len(ratios) - 1)) if len(ratios) > 1 else float("nan")
    se = sd / math.sqrt(len(ratios))
    verdict = "within 10 %" if mean - 2 * se >= 0.90 else ("over 10 %" if mean + 2 * se < 0.90 else "undecided")
    print(f"{store}: ratio {mean:.3f} ± {se:.3f} (standard error; sd {sd:.3f}, n {len(ratios)}); "
          f"means old {sum(olds) / len(olds):,.0f}, new {sum(news) / len(news):,.0f} msgs/s; {verdict}")
PY
