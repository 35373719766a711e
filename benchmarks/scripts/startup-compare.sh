#!/usr/bin/env bash
# Start to ready of several builds of the IM server, interleaved (one start of each in turn, RUNS rounds), so that
# a busy machine slows them alike. Each argument is a directory holding a switchboard-im.jar and the class-data
# archive recorded for it there (record it with the jar's absolute path: the archive names the jar by the path it
# was started with), optionally followed by =OPT,OPT for extra JVM options:
#
#   mkdir /tmp/a && cp im-app/target/switchboard-im.jar /tmp/a/ && java -XX:ArchiveClassesAtExit=/tmp/a/switchboard-im.jsa \
#       -jar /tmp/a/switchboard-im.jar server --host 127.0.0.1 --port 0 --data-dir /tmp/a/training --exit-when-ready
#   RUNS=9 STORE=sqlite benchmarks/scripts/startup-compare.sh /tmp/a /tmp/b /tmp/b=-Dguice_bytecode_gen_option=DISABLED
#
# Prints per build the median (min-max) of the wall time from exec to the ready line and of the framework's
# "wired ... in N ms", every start's figures, and the last start's wired line (its phases).
set -euo pipefail
runs=${RUNS:-7}
store=${STORE:-memory}
work=$(mktemp -d "${TMPDIR:-/tmp}/startup-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

start_once() {
  local dir=$1 opts=$2 begin now line
  begin=$(date +%s%N)
  # shellcheck disable=SC2086 # the options split on purpose
  while IFS= read -r line; do
    echo "$line" >> "$work/log"
    if [[ $line == "Switchboard IM server ready"* ]]; then
      now=$(date +%s%N)
      echo $(( (now - begin) / 1000000 ))
    fi
  done < <(java "-XX:SharedArchiveFile=$dir/switchboard-im.jsa" -Xshare:auto ${opts//,/ } -jar "$dir/switchboard-im.jar" \
      server --host 127.0.0.1 --port 0 --store "$store" --data-dir "$work/data-$RANDOM$RANDOM" --exit-when-ready 2>&1)
}

echo "store $store, $runs starts each; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A ready wired last
for _ in $(seq "$runs"); do
  for build in "$@"; do
    dir=${build%%=*}
    opts=
    [[ $build == *=* ]] && opts=${build#*=}
    : > "$work/log"
    ready[$build]+="$(start_once "$dir" "$opts") "
    if grep -q "Unable to use shared archive" "$work/log"; then
      echo "the archive of $dir was not used: record it with the jar's absolute path" >&2
      exit 2
    fi
    last[$build]=$(grep -o 'wired: .*' "$work/log" || true)
    wired[$build]+="$(sed -n 's/.*wired: .* in \([0-9]*\) ms.*/\1/p' "$work/log") "
  done
done
for build in "$@"; do
  r=($(printf '%s\n' ${ready[$build]} | sort -n))
  w=($(printf '%s\n' ${wired[$build]} | sort -n))
  echo "$build: ready ${r[$((runs / 2))]} ms (${r[0]}-${r[$((runs - 1))]}), wired ${w[$((runs / 2))]} ms (${w[0]}-${w[$((runs - 1))]})"
  echo "    ready: ${ready[$build]}| wired: ${wired[$build]}"
  echo "    last: ${last[$build]}"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
