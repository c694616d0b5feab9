#!/usr/bin/python3
"""report.py - print the benchmark table from the key=value results file
that bench/run.sh's sections append to.

usage: report.py RESULTS_FILE

Keys are dotted: meta.*, accept.<server>.*, deliv.<run>.*, postfix.*,
openssl.*, latency.*. A missing figure prints as "-"; a ratio with a missing
side prints as "-". Targets come from issue 7 and are marked ok / MISS.
"""
import sys


def load(path):
    r = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                r[k] = v
    return r


def num(r, key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if digits == 0 or abs(v) >= 1000:
        return "{:,.0f}".format(v)
    return "{:,.{d}f}".format(v, d=digits)


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def verdict(value, target, higher_is_better=True):
    if value is None:
        return "-"
    ok = value >= target if higher_is_better else value <= target
    return "ok" if ok else "MISS"


def table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out)


def accept_section(r):
    rows = []
    for name, label in (("tern", "tern api (Redis AOF, appendfsync always)"), ("bare", "bare cpp-httplib, no backend")):
        p = "accept.%s." % name
        errors = None
        if num(r, p + "http_errors") is not None:
            errors = num(r, p + "http_errors") + (num(r, p + "socket_errors") or 0)
        cpu = "-"
        if num(r, p + "api_cpu_ms_per_req") is not None:
            cpu = "%s + %s" % (fmt(num(r, p + "api_cpu_ms_per_req"), 3), fmt(num(r, p + "redis_cpu_ms_per_req"), 3))
        rows.append([label, fmt(num(r, p + "rps")), fmt(num(r, p + "p50_ms"), 2), fmt(num(r, p + "p99_ms"), 2),
                     fmt(num(r, p + "p999_ms"), 2), fmt(errors, 0), fmt(num(r, p + "queued"), 0), cpu])
    rt = ratio(num(r, "accept.tern.rps"), num(r, "accept.bare.rps"))
    rows.append(["ratio tern / bare", fmt(rt, 2), "", "", "", "", "", ""])
    head = ["server", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "queued", "CPU ms/req (api + redis)"]
    checks = [("accept ≥ 0.6 × bare", fmt(rt, 2), verdict(rt, 0.6)),
              ("accept p99 ≤ 20 ms", fmt(num(r, "accept.tern.p99_ms"), 2),
               verdict(num(r, "accept.tern.p99_ms"), 20, False)),
              ("accept errors = 0", fmt(rows[0][5]), verdict(num(r, "accept.tern.http_errors"), 0, False))]
    return table(head, rows), checks


DELIVERY_HEAD = ["run", "N", "delivered", "DKIM", "msg/s", "seconds", "CPU ms/msg", "Redis CPU ms/msg",
                 "peak RSS MB"]
QUEUE_HEAD = ["run", "enqueue/s", "errors", "API CPU ms/email", "Redis CPU ms/email", "Redis B/queued email",
              "Redis B/delivered email", "Redis cmds/accept", "Redis cmds/delivery"]


def delivery_runs(r):
    return [k[len("deliv."):-len(".label")] for k in r if k.startswith("deliv.") and k.endswith(".label")]


def delivery_rows(r):
    rows = []
    for run in delivery_runs(r):
        p = "deliv.%s." % run
        delivered = num(r, p + "delivered")
        complete = r.get(p + "complete") == "1"
        hwm = num(r, p + "spawned_hwm_kb")
        rows.append([r[p + "label"], fmt(num(r, p + "accepted"), 0),
                     fmt(delivered, 0) + ("" if complete else " (timeout)"), r.get(p + "dkim", "-"),
                     fmt(num(r, p + "rate")), fmt(num(r, p + "seconds")),
                     fmt(num(r, p + "spawned_cpu_ms_per_msg"), 2), fmt(num(r, p + "redis_cpu_ms_per_msg"), 2),
                     fmt(hwm / 1024 if hwm is not None else None)])
    if "postfix.label" in r:
        complete = r.get("postfix.complete") == "1"
        cpu = None
        if num(r, "postfix.postfix_cpu_ms_per_msg") is not None:
            cpu = "%s + %s" % (fmt(num(r, "postfix.postfix_cpu_ms_per_msg"), 2),
                               fmt(num(r, "postfix.opendkim_cpu_ms_per_msg"), 2))
        rows.append([r["postfix.label"], fmt(num(r, "postfix.target"), 0),
                     fmt(num(r, "postfix.delivered"), 0) + ("" if complete else " (timeout)"),
                     r.get("postfix.dkim", "-"), fmt(num(r, "postfix.rate")), fmt(num(r, "postfix.seconds")),
                     cpu or "-", "", ""])
    return rows


def queue_rows(r):
    rows = []
    for run in delivery_runs(r):
        p = "deliv.%s." % run
        rows.append([r[p + "label"], fmt(num(r, p + "enqueue_rate")), fmt(num(r, p + "enqueue_failed"), 0), fmt(num(r, p + "enqueue_api_cpu_ms_per_msg"), 3),
                     fmt(num(r, p + "enqueue_redis_cpu_ms_per_msg"), 3), fmt(num(r, p + "redis_bytes_per_queued"), 0),
                     fmt(num(r, p + "redis_bytes_per_delivered"), 0), fmt(num(r, p + "redis_ops_per_accept")),
                     fmt(num(r, p + "redis_ops_per_delivery"))])
    return rows


def delivery_checks(r):
    small = num(r, "deliv.2k.rate")
    large = num(r, "deliv.100k.rate")
    postfix = num(r, "postfix.rate")
    limit2 = num(r, "openssl.sign_parallel")
    vs_postfix = ratio(small, postfix)
    return [("delivery 2 KB ≥ 2,000 msg/s", fmt(small), verdict(small, 2000)),
            ("delivery 2 KB ≥ 10 × Postfix+OpenDKIM", fmt(vs_postfix, 2), verdict(vs_postfix, 10)),
            ("delivery 100 KB ≥ 800 msg/s", fmt(large), verdict(large, 800)),
            ("tern 2 KB / RSA-2048 signing limit (all cores)", fmt(ratio(small, limit2), 3), ""),
            ("worker peak RSS ≤ 150 MB", fmt((num(r, "deliv.2k.spawned_hwm_kb") or 0) / 1024 or None),
             verdict((num(r, "deliv.2k.spawned_hwm_kb") or 0) / 1024 or None, 150, False)),
            ("Redis ≤ 3 KB per queued 2 KB email", fmt(num(r, "deliv.2k.redis_bytes_per_queued"), 0),
             "(2 KB body; the target is for small bodies)"),
            ("Redis ≤ 1 KB per delivered email", fmt(num(r, "deliv.2k.redis_bytes_per_delivered"), 0),
             verdict(num(r, "deliv.2k.redis_bytes_per_delivered"), 1024, False)),
            ("two workers > one (2 KB)", fmt(ratio(num(r, "deliv.2k_w2.rate"), small), 2),
             verdict(ratio(num(r, "deliv.2k_w2.rate"), small), 1.0))]


def latency_section(r):
    p = "latency."
    head = ["messages", "received", "lost", "p50 ms", "p90 ms", "p99 ms", "max ms", "POST p50 ms", "DKIM signed",
            "DKIM verified"]
    verified = "-"
    if num(r, p + "dkim_checked"):
        verified = "%s/%s" % (fmt(num(r, p + "dkim_pass"), 0), fmt(num(r, p + "dkim_checked"), 0))
    row = [fmt(num(r, p + "sent"), 0), fmt(num(r, p + "received"), 0), fmt(num(r, p + "lost"), 0),
           fmt(num(r, p + "p50_ms"), 2), fmt(num(r, p + "p90_ms"), 2), fmt(num(r, p + "p99_ms"), 2),
           fmt(num(r, p + "max_ms"), 2), fmt(num(r, p + "accept_p50_ms"), 2), fmt(num(r, p + "signed"), 0), verified]
    checks = [("latency p50 ≤ 10 ms", fmt(num(r, p + "p50_ms"), 2), verdict(num(r, p + "p50_ms"), 10, False))]
    return table(head, [row]), checks


def main():
    r = load(sys.argv[1])
    print()
    print("Tern benchmarks: %s, %s CPUs (%s), tern %s" % (r.get("meta.date", "?"), r.get("meta.cpus", "?"),
                                                       r.get("meta.cpu_model", "?"), r.get("meta.tern_version", "?")))
    print("load average at start %s, at end %s%s" % (r.get("meta.load_start", "?"), r.get("meta.load_end", "?"),
                                                     r.get("meta.note", "")))
    checks = []
    if any(k.startswith("accept.") for k in r):
        text, c = accept_section(r)
        checks += c
        print("\n1. Accept: wrk -t2 -c%s -d%ss, POST /emails with a %s-byte JSON email, one recipient" % (
            r.get("meta.accept_connections", "64"), r.get("meta.accept_seconds", "15"),
            r.get("meta.accept_body_bytes", "~1000")))
        print(text)
    rows = delivery_rows(r)
    if rows:
        print("\n2. Delivery: queued first, then delivered to Postfix smtp-sink on loopback "
              "(Tern: TERN_RELAY_URL; Postfix: relayhost); CPU ms/msg is the worker's, for Postfix "
              "'postfix + opendkim'")
        print(table(DELIVERY_HEAD, rows))
        queue = queue_rows(r)
        if queue:
            print("Filling the queue (the enqueue step of the runs above: %s connections, POST /emails):" %
                  r.get("meta.enqueue_connections", "32"))
            print(table(QUEUE_HEAD, queue))
        checks += delivery_checks(r)
    if "openssl.sign_single" in r:
        print("RSA-2048 sign/s (openssl speed): 1 process %s, %s processes in parallel %s (the signing limit)" % (
            fmt(num(r, "openssl.sign_single")), r.get("openssl.parallel_processes", "?"),
            fmt(num(r, "openssl.sign_parallel"))))
    if any(k.startswith("latency.") for k in r):
        text, c = latency_section(r)
        checks += c
        print("\n3. Latency: one email at a time (%s ms apart), POST -> DATA complete at an aiosmtpd sink" %
              r.get("meta.latency_gap_ms", "20"))
        print(text)
    if checks:
        print("\nTargets (issue 7)")
        print(table(["target", "measured", "verdict"], checks))


if __name__ == "__main__":
    main()
