#!/usr/bin/python3
"""latency.py - accept -> 250 latency at low load: one email at a time is
POSTed to Tern, and its arrival is timed at an in-process aiosmtpd sink
(Debian's python3-aiosmtpd) that Tern's worker relays to.

usage: latency.py --api-port P --api-key K --sink-port S --count N
                  [--gap-ms 20] [--domain-json FILE] [--from ADDR]

t0 is taken just before the POST is written; the arrival time is taken in
the sink's DATA handler, i.e. when the whole message is in and the 250 is
about to go out. A message that does not arrive within 10 s counts as lost
(and ends the run: the worker is evidently stuck).

After the timed loop (so it costs nothing during it) every received message
is checked for a DKIM-Signature, and when --domain-json holds the domain's
DNS records (the POST /domains answer), each one is verified with dkimpy
against the published key.

Prints key=value lines: sent, received, lost, p50_ms, p90_ms, p99_ms,
max_ms, accept_p50_ms, accept_p99_ms, signed, dkim_checked, dkim_pass.
"""
import argparse
import http.client
import json
import re
import statistics
import threading
import time
import uuid

from aiosmtpd.controller import Controller

SUBJECT = re.compile(rb"^Subject: (lat-\d+-[0-9a-f]+)\r?$", re.M)


class Sink:
    def __init__(self):
        self.lock = threading.Lock()
        self.arrivals = {}  # subject -> (monotonic time, raw bytes)
        self.waiters = {}   # subject -> Event

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        data = envelope.original_content or envelope.content
        head = data.split(b"\r\n\r\n", 1)[0]
        m = SUBJECT.search(head)
        if m:
            key = m.group(1).decode()
            with self.lock:
                self.arrivals[key] = (now, data)
                event = self.waiters.get(key)
            if event:
                event.set()
        return "250 2.0.0 Ok"

    def expect(self, key):
        event = threading.Event()
        with self.lock:
            self.waiters[key] = event
            if key in self.arrivals:
                event.set()
        return event


def percentile(values, p):
    if not values:
        return -1.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def dkim_txt_records(path):
    """selector -> TXT value, from the POST /domains answer's records."""
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for r in doc.get("records", []):
        name = r.get("name", "")
        if "_domainkey" in name and r.get("type", "").upper() == "TXT":
            out[name.split("._domainkey")[0]] = r.get("value", "")
    return out


def check_dkim(messages, records):
    signed = sum(1 for m in messages if b"\nDKIM-Signature:" in b"\n" + m.split(b"\r\n\r\n", 1)[0])
    if not records:
        return signed, 0, 0
    import dkim  # python3-dkim (dkimpy)

    def dnsfunc(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        value = records.get(name.split("._domainkey")[0], "")
        return value.encode()

    passed = sum(1 for m in messages if dkim.verify(m, dnsfunc=dnsfunc))
    return signed, len(messages), passed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api-port", type=int, required=True)
    ap.add_argument("--api-key", required=True)
    ap.add_argument("--sink-port", type=int, required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--gap-ms", type=float, default=20)
    ap.add_argument("--domain-json")
    ap.add_argument("--from", dest="sender", default="Bench <bench@bench.example.com>")
    args = ap.parse_args()

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=args.sink_port, decode_data=False)
    controller.start()
    conn = http.client.HTTPConnection("127.0.0.1", args.api_port, timeout=10)
    headers = {"Authorization": "Bearer " + args.api_key, "Content-Type": "application/json"}
    nonce = uuid.uuid4().hex[:8]
    latencies, accepts, lost = [], [], 0
    try:
        for i in range(args.count):
            key = "lat-%d-%s" % (i, nonce)
            body = json.dumps({"from": args.sender, "to": "latency@sink.example.net", "subject": key,
                               "text": "Latency probe %d.\n" % i + "x" * 1500})
            event = sink.expect(key)
            t0 = time.monotonic()
            conn.request("POST", "/emails", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            accepts.append((time.monotonic() - t0) * 1000)
            if resp.status // 100 != 2:
                lost += 1
                continue
            if not event.wait(10):
                lost += 1
                break
            latencies.append((sink.arrivals[key][0] - t0) * 1000)
            time.sleep(args.gap_ms / 1000.0)
    finally:
        controller.stop()

    messages = [data for _, data in sink.arrivals.values()]
    records = dkim_txt_records(args.domain_json) if args.domain_json else {}
    signed, checked, passed = check_dkim(messages, records)
    print("sent=%d" % len(accepts))
    print("received=%d" % len(latencies))
    print("lost=%d" % lost)
    for p in (50, 90, 99):
        print("p%d_ms=%.2f" % (p, percentile(latencies, p)))
    print("max_ms=%.2f" % (max(latencies) if latencies else -1))
    print("mean_ms=%.2f" % (statistics.mean(latencies) if latencies else -1))
    print("accept_p50_ms=%.2f" % percentile(accepts, 50))
    print("accept_p99_ms=%.2f" % percentile(accepts, 99))
    print("signed=%d" % signed)
    print("dkim_checked=%d" % checked)
    print("dkim_pass=%d" % passed)


if __name__ == "__main__":
    main()
