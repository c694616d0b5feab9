#!/usr/bin/python3
"""dkim_check.py - verify the DKIM signature of one message file against a
public key in opendkim-genkey's zone-file format (the quoted strings of the
TXT record are joined), with dkimpy (python3-dkim) and no DNS.

usage: dkim_check.py MESSAGE_FILE SELECTOR_TXT_FILE
Exit 0 when the signature verifies, 1 otherwise. smtp-sink's dump adds its
own X-*-Args and Received lines above the signature; they are not signed
and do not affect verification.
"""
import re
import sys

import dkim


def main():
    with open(sys.argv[1], "rb") as f:
        message = f.read()
    with open(sys.argv[2]) as f:
        record = "".join(re.findall(r'"([^"]*)"', f.read())).encode()
    if b"\r\n" not in message:
        message = message.replace(b"\n", b"\r\n")
    ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
    print("pass" if ok else "fail")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
