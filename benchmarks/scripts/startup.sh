#!/usr/bin/env bash
# Start to ready of the IM server, cold JVM each time: with and without the class-data archive the build writes
# (im-app/target/switchboard-im.jsa), on the memory store and on SQLite (a fresh data directory each start).
# Prints, per case, the median and the range of RUNS starts (wall time from exec to the ready line), and the
# framework's own "wired ... in N ms (scan M ms)" figures of the last start.
#
#   ./mvnw -B -q package -DskipTests -pl im-app -am && benchmarks/scripts/startup.sh
#
# Environment: RUNS (default 7), JAR, ARCHIVE. Nothing else should run on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-7}
jar=${JAR:-im-app/target/switchboard-im.jar}
archive=${ARCHIVE:-im-app/target/switchboard-im.jsa}
[ -f "$jar" ] || { echo "no $jar: build it first (see the header)" >&2; exit 2; }
[ -f "$archive" ] || { echo "no $archive: the build writes it unless -Dcds.skip" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/startup.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One start: prints its milliseconds to the ready line; the log goes to $work/last.log.
start_once() {
  local store=$1; shift
  local begin now line
  begin=$(date +%s%N)
  while IFS= read -r line; do
    echo "$line" >> "$work/last.log"
    if [[ $line == "Switchboard IM server ready"* ]]; then
      now=$(date +%s%N)
      echo $(( (now - begin) / 1000000 ))
    fi
  done < <(java "$@" -jar "$jar" server --host 127.0.0.1 --port 0 --store "$store" \
      --data-dir "$work/data-$RANDOM$RANDOM" --exit-when-ready 2>&1)
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-12s %8s %14s  %s\n' store archive median "min-max (ms)" "last start's wiring"
for store in memory sqlite; do
  for mode in without with; do
    opts=(-Xshare:auto)
    [ "$mode" = with ] && opts+=("-XX:SharedArchiveFile=$archive")
    times=()
    for _ in $(seq "$runs"); do
      : > "$work/last.log"
      times+=("$(start_once "$store" "${opts[@]}")")
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    wiring=$(grep -o 'wired: .*' "$work/last.log" | head -1 || true)
    printf '%-8s %-12s %8s %14s  %s\n' "$store" "$mode" "${sorted[$((runs / 2))]}" \
        "${sorted[0]}-${sorted[$((runs - 1))]}" "$wiring"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
