#!/usr/bin/env python3
"""Where a server's threads spend a benchmark: on a core, waiting for one, in disk wait, or asleep.

CPU figures (top, JFR) say how much a thread ran, not whether it wanted to run more. On a machine where the
server shares two cores with the load generator, the difference decides what a result means. This samples the
state of every thread of one process from /proc (Linux) and prints, per thread that did anything:
  R  running or runnable (waiting for a core)  -- R minus the CPU share is the time it waited for a core
  D  uninterruptible sleep: disk I/O such as SQLite's WAL writes and fsync
  other  sleeping: waiting for work, a lock or the network
and the CPU share over the window, plus the CPU of the processes named by --also.

  benchmarks/scripts/thread-states.py --after 8 --seconds 10 &
  java -jar benchmarks/load/target/switchboard-bench.jar direct --target child --store sqlite --duration 20s

The sampler itself costs some CPU (a read per thread every --interval); keep the interval at 5 ms or more.
"""
import argparse
import glob
import os
import subprocess
import sys
import time


def find(pattern, wait):
    deadline = time.time() + wait
    while time.time() < deadline:
        found = subprocess.run(['pgrep', '-f', pattern], capture_output=True, text=True).stdout.split()
        found = [pid for pid in found if int(pid) != os.getpid()]
        if found:
            return found
        time.sleep(0.1)
    return []


def fields(path):
    with open(path) as stat:
        text = stat.read()
    return text[text.rindex(')') + 2:].split()  # after the command name, which may hold spaces


def cpu_ticks(path):
    f = fields(path)
    return int(f[11]) + int(f[12])  # utime + stime


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--match', default=r'switchboard-im[.]jar .* server --host',
                        help='pgrep -f pattern of the process to sample (default: a child IM server of bench)')
    parser.add_argument('--also', default=r'switchboard-bench[.]jar',
                        help='pgrep -f pattern of processes whose total CPU is reported too (default: bench)')
    parser.add_argument('--after', type=float, default=0, help='seconds to wait once the process is found')
    parser.add_argument('--seconds', type=float, default=10, help='how long to sample')
    parser.add_argument('--interval', type=float, default=0.005, help='seconds between samples')
    args = parser.parse_args()

    pids = find(args.match, 30)
    if not pids:
        sys.exit(f'no process matches {args.match!r}')
    pid = pids[0]
    time.sleep(args.after)
    names = {}
    for task in glob.glob(f'/proc/{pid}/task/*'):
        try:
            with open(task + '/comm') as comm:
                names[task.rsplit('/', 1)[1]] = comm.read().strip()
        except OSError:
            pass  # ended meanwhile
    others = find(args.also, 0.1) if args.also else []
    hz = os.sysconf('SC_CLK_TCK')

    start_cpu = {}
    for tid in names:
        try:
            start_cpu[tid] = cpu_ticks(f'/proc/{pid}/task/{tid}/stat')
        except OSError:
            pass
    others_cpu = {p: cpu_ticks(f'/proc/{p}/stat') for p in others}
    counts = {tid: {'R': 0, 'D': 0, 'other': 0} for tid in start_cpu}
    started = time.time()
    while time.time() - started < args.seconds:
        for tid in counts:
            try:
                state = fields(f'/proc/{pid}/task/{tid}/stat')[0]
            except OSError:
                continue
            counts[tid][state if state in ('R', 'D') else 'other'] += 1
        time.sleep(args.interval)
    elapsed = time.time() - started

    print(f'process {pid}, {elapsed:.1f} s')
    total = 0.0
    for tid, count in counts.items():
        try:
            cpu = (cpu_ticks(f'/proc/{pid}/task/{tid}/stat') - start_cpu[tid]) / hz / elapsed
        except OSError:
            continue
        total += cpu
        samples = sum(count.values())
        if samples and (cpu > 0.03 or count['R'] > samples * 0.05):
            print(f"  {names[tid]:<16} R {100 * count['R'] / samples:5.1f} %  D {100 * count['D'] / samples:5.1f} %"
                  f"  other {100 * count['other'] / samples:5.1f} %  cpu {100 * cpu:5.1f} % of a core")
    print(f'  all its threads: cpu {100 * total:5.1f} % of a core')
    for p, ticks in others_cpu.items():
        try:
            print(f'process {p} (--also): cpu {100 * (cpu_ticks(f"/proc/{p}/stat") - ticks) / hz / elapsed:5.1f} %'
                  ' of a core')
        except OSError:
            pass


if __name__ == '__main__':
    main()
