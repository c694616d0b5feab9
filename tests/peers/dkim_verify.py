#!/usr/bin/python3
"""dkim_verify.py - verify every DKIM-Signature of a message with dkimpy.

An independent verifier for Tern's tests (Debian python3-dkim, plus
python3-nacl for Ed25519). Run it with /usr/bin/python3: the python3 on
PATH may be a pyenv build without the module.

usage: dkim_verify.py MESSAGE_FILE NAME=TXT [NAME=TXT ...]
  NAME is "selector._domainkey.domain" (a trailing dot is optional); TXT is
  the record's value with its strings already joined. DNS is never used:
  names not given resolve to nothing.

Exit status: 0 only if the message has at least one DKIM-Signature and
every one verifies; 1 otherwise, with the reason on stdout; 2 for bad usage.
"""
import io
import logging
import sys

import dkim
from dkim.util import InvalidTagValueList, parse_tag_value


def parse_records(args):
    records = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name:
            raise ValueError("record %r is not NAME=TXT" % arg)
        name = name.lower().rstrip(".") + "."
        records[name.encode("ascii")] = value.encode("ascii")
    return records


def describe(signature_value):
    try:
        tags = parse_tag_value(signature_value)
    except InvalidTagValueList as e:
        return "unparsable: %s" % e
    return " ".join("%s=%s" % (t, tags.get(t.encode(), b"").decode("ascii", "replace"))
                    for t in ("a", "d", "s"))


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    try:
        records = parse_records(argv[2:])
    except ValueError as e:
        print(e)
        return 2
    with open(argv[1], "rb") as f:
        message = f.read()

    def dnsfunc(name, timeout=5):
        key = name if isinstance(name, bytes) else name.encode("ascii")
        return records.get(key.lower())

    log_text = io.StringIO()
    logger = logging.getLogger("dkim_verify")
    logger.addHandler(logging.StreamHandler(log_text))
    logger.setLevel(logging.DEBUG)

    verifier = dkim.DKIM(message, logger=logger)
    signatures = [value for name, value in verifier.headers if name.lower() == b"dkim-signature"]
    count = len(signatures)
    if count == 0:
        print("FAIL: no DKIM-Signature header")
        return 1
    failures = 0
    for idx in range(count):
        try:
            ok = verifier.verify(idx=idx, dnsfunc=dnsfunc)
            reason = "" if ok else "signature did not verify"
        except dkim.DKIMException as e:
            ok, reason = False, "%s: %s" % (type(e).__name__, e)
        if ok:
            print("signature %d: pass (%s)" % (idx, describe(signatures[idx])))
        else:
            failures += 1
            print("signature %d: FAIL: %s" % (idx, reason))
    if failures:
        print("dkimpy log:")
        print(log_text.getvalue())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
