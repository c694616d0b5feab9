#!/usr/bin/python3
"""mail_catcher.py - a local SMTP server that keeps every message it receives.

Used by the dev run (scripts/run.sh) as the relay target, and by the
integration tests as a real, independent SMTP implementation (Debian's
python3-aiosmtpd). Each accepted message is written byte for byte, as it
arrived after dot-unstuffing, to DIR/<n>.eml, with its envelope in
DIR/<n>.env (line 1: MAIL FROM, then one RCPT TO per line). Files appear
atomically (written to a temp name, then renamed).

usage: /usr/bin/python3 mail_catcher.py --listen 127.0.0.1:2525 --dir DIR
                                        [--port-file FILE]
"""
import argparse
import asyncio
import itertools
import os
import signal

from aiosmtpd.controller import Controller


class SaveHandler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        base = os.path.join(self.directory, "%06d" % n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(base + ".tmp", "wb") as f:
            f.write(data)
        with open(base + ".envtmp", "w") as f:
            f.write((envelope.mail_from or "") + "\n")
            for rcpt in envelope.rcpt_tos:
                f.write(rcpt + "\n")
        os.rename(base + ".envtmp", base + ".env")
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Ok: kept as %06d" % n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:2525")
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(SaveHandler(args.dir), hostname=host, port=int(port),
                            decode_data=False, enable_SMTPUTF8=True)
    controller.start()
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(controller.port))
        os.rename(args.port_file + ".tmp", args.port_file)
    stop = asyncio.new_event_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.call_soon_threadsafe(stop.stop))
    try:
        stop.run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
