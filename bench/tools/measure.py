#!/usr/bin/python3
"""measure.py - time a delivery run: start the given commands, poll a
Postfix smtp-sink's `-c` counter until it reaches the target (or the
timeout), and report CPU and memory of the processes that did the work.

usage: measure.py --sink-out FILE --target N --timeout SECONDS
                  [--spawn 'CMD ARGS'] ... [--watch NAME:PID] ...
                  [--watch-tree NAME:PID] ... [--log FILE]

--spawn      started at t=0 (inherits the environment); its CPU (utime +
             stime of all threads) and peak RSS (VmHWM) are reported summed
             as "spawned"; still running at the end: SIGTERM (then SIGKILL).
--watch      an already running process: CPU used during the run.
--watch-tree a process and all its descendants (e.g. Postfix's master):
             CPU used during the run, children already reaped by it included
             (cutime + cstime).

Prints key=value lines on stdout: delivered, seconds, rate, first_s,
complete (1/0), and per measured group <name>_cpu_ms, <name>_cpu_ms_per_msg,
plus spawned_hwm_kb (sum) and spawned_hwm_kb_max. Exit 0 even on timeout:
the caller reports what was delivered.
"""
import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
COUNTER = re.compile(rb"mesg=(\d+)")


def sink_count(path):
    """The last `mesg=N` smtp-sink -c printed (0 before the first)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 200))
            found = COUNTER.findall(f.read())
            return int(found[-1]) if found else 0
    except FileNotFoundError:
        return 0


def stat_fields(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        data = f.read()
    return data[data.rindex(b")") + 2:].split()


def cpu_ticks(pid, with_children=False):
    try:
        f = stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0
    ticks = int(f[11]) + int(f[12])
    if with_children:
        ticks += int(f[13]) + int(f[14])
    return ticks


def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid = int(stat_fields(int(name))[1])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(name))
    return kids


def tree_ticks(root):
    """CPU of root (with reaped children) plus every live descendant."""
    kids = children_map()
    total = cpu_ticks(root, with_children=True)
    stack = list(kids.get(root, []))
    while stack:
        pid = stack.pop()
        total += cpu_ticks(pid)
        stack.extend(kids.get(pid, []))
    return total


def hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def parse_named(values):
    out = []
    for v in values or []:
        name, pid = v.rsplit(":", 1)
        out.append((name, int(pid)))
    return out


def stop(procs):
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + 5
    for p in procs:
        try:
            p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sink-out", required=True)
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--timeout", type=float, required=True)
    ap.add_argument("--spawn", action="append")
    ap.add_argument("--watch", action="append")
    ap.add_argument("--watch-tree", action="append")
    ap.add_argument("--log", default=os.devnull, help="stdout and stderr of spawned commands")
    args = ap.parse_args()
    watches = parse_named(args.watch)
    trees = parse_named(args.watch_tree)

    procs = []
    signal.signal(signal.SIGTERM, lambda *_: (stop(procs), sys.exit(1)))
    before = {n: cpu_ticks(p) for n, p in watches}
    before.update({n: tree_ticks(p) for n, p in trees})

    start = time.monotonic()
    log = open(args.log, "ab")
    procs = [subprocess.Popen(shlex.split(cmd), stdout=log, stderr=log, stdin=subprocess.DEVNULL)
             for cmd in args.spawn or []]
    first = None
    count = 0
    while True:
        count = sink_count(args.sink_out)
        now = time.monotonic()
        if count > 0 and first is None:
            first = now - start
        if count >= args.target or now - start > args.timeout:
            break
        time.sleep(0.005)
    elapsed = time.monotonic() - start

    spawned_ticks = sum(cpu_ticks(p.pid) for p in procs if p.poll() is None)
    hwms = [hwm_kb(p.pid) for p in procs if p.poll() is None]
    after = {n: cpu_ticks(p) for n, p in watches}
    after.update({n: tree_ticks(p) for n, p in trees})
    stop(procs)

    print("delivered=%d" % count)
    print("target=%d" % args.target)
    print("complete=%d" % (1 if count >= args.target else 0))
    print("seconds=%.3f" % elapsed)
    print("rate=%.1f" % (count / elapsed if elapsed > 0 else 0))
    print("first_s=%.3f" % (first if first is not None else -1))
    groups = dict((n, after[n] - before[n]) for n in after)
    if procs:
        groups["spawned"] = spawned_ticks
        print("spawned_hwm_kb=%d" % sum(hwms))
        print("spawned_hwm_kb_max=%d" % (max(hwms) if hwms else 0))
    for name, ticks in groups.items():
        ms = ticks * 1000.0 / HZ
        print("%s_cpu_ms=%.0f" % (name, ms))
        print("%s_cpu_ms_per_msg=%.3f" % (name, ms / count if count else 0))


if __name__ == "__main__":
    main()
