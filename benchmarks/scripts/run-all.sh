#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md and renders its results table.
#   benchmarks/scripts/run-all.sh            # full run, about 14 minutes; ends with the issue-10 targets table
#   QUICK=1 benchmarks/scripts/run-all.sh    # shorter runs, for trying the script
# Results (JSON per run, JMH output, the rendered table) go to target/bench-results/; paste the table into
# docs/benchmarks.md. Nothing else should run on the machine meanwhile: the server and the load generator share it.
# What the conversations change costs a plain send is benchmarks/scripts/send-cost.sh (two jars, paired runs).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=target/bench-results
mkdir -p "$out"
rm -f "$out"/*.json

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q package -DskipTests
fi
im_jar=im-app/target/switchboard-im.jar
bench_jar=benchmarks/load/target/switchboard-bench.jar
if [ "${QUICK:-0}" = 1 ]; then
  time=(--warmup 2s --duration 4s); jmh=(-wi 1 -i 2 -w 1 -r 1 -f 1); history_messages=100000
else
  time=(--warmup 5s --duration 15s); jmh=(-wi 3 -i 5 -w 1 -r 2 -f 1); history_messages=1000000
fi
bench() { local name=$1; shift; echo "== $name: bench $*"; java -jar "$bench_jar" "$@" --server-jar "$im_jar" --json-out "$out/$name.json" | tee "$out/$name.txt"; }

# Latency at half of the maximum rate, measured right after each maximum (issue 10).
half_of() { python3 -c "import json;r=json.load(open('$out/$1.json'))['runs'][-1];print(int(r['headline']/2))"; }
bench direct-memory direct --target child --store memory --compare "${time[@]}"
bench direct-half-rate direct --target child --store memory --rate "$(half_of direct-memory)" "${time[@]}"
bench direct-sqlite direct --target child --store sqlite --compare "${time[@]}"
bench direct-sqlite-half-rate direct --target child --store sqlite --rate "$(half_of direct-sqlite)" "${time[@]}"
bench group-memory group --target child --store memory --members 1000 --senders 1 --window 16 --compare "${time[@]}"
bench group-sqlite group --target child --store sqlite --members 1000 --senders 1 --window 16 --compare "${time[@]}"
# 15,000: the file-descriptor hard limit here is 20,000 per process (see docs/benchmarks.md).
bench connections connections --target child --store memory --connections 15000 --duration 10s
bench logins logins --target child --store memory --compare --warmup 3s --duration 5s
# History and conversation lists (issue 12), each with plain direct sends on the same server as the yardstick.
# Seeding goes through the protocol and is timed apart (1,000,000 messages: a minute or more on SQLite). The memory
# store keeps the newest 1,000 messages per conversation, so its history run reads a conversation of 1,000.
bench history-sqlite history --target child --store sqlite --messages "$history_messages" "${time[@]}"
bench history-memory history --target child --store memory --messages 1000 "${time[@]}"
bench conversations-sqlite conversations --target child --store sqlite --conversations 1000 "${time[@]}"
bench conversations-memory conversations --target child --store memory --conversations 1000 "${time[@]}"

echo "== JMH"
java -jar benchmarks/jmh/target/switchboard-jmh.jar "${jmh[@]}" -e StartupBenchmark -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
java -jar benchmarks/jmh/target/switchboard-jmh.jar StartupBenchmark -f 5 -rf json -rff "$out/jmh-startup.json" | tee "$out/jmh-startup.txt"

# With the class-data archive the build writes beside the jar (the README's run command), if it is there.
archive=im-app/target/switchboard-im.jsa
cds=(); [ -f "$archive" ] && cds=(-XX:SharedArchiveFile="$archive")
echo "== server start to ready (memory store), three cold starts${cds:+ with $archive}"
rm -f "$out/startup.txt"
for i in 1 2 3; do
  java "${cds[@]}" -jar "$im_jar" server --port 0 --store memory > "$out/start.out" 2> "$out/start.err" &
  pid=$!
  begin=$(date +%s%N)
  until grep -q ready "$out/start.out"; do sleep 0.01; done
  echo "ready after $(( ($(date +%s%N) - begin) / 1000000 )) ms; $(grep -o 'wired.*' "$out/start.err")" | tee -a "$out/startup.txt"
  kill "$pid"; wait "$pid" || true
done

python3 benchmarks/scripts/render.py "$out" | tee "$out/results.md"
