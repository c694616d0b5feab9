#!/usr/bin/python3
# spf_check.py SERVER PORT IP MAIL_FROM HELO - an independent SPF verdict
# (pyspf, Debian python3-spf with python3-dnspython) for a message from IP
# with that envelope sender, asking only the test's DNS server. Prints the
# result and pyspf's explanation; exit 0 only on "pass".
import sys

import dns.resolver
import spf

server, port, ip, sender, helo = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = [server]
resolver.port = port
dns.resolver.default_resolver = resolver
result, explanation = spf.check2(i=ip, s=sender, h=helo)
print(result, explanation)
sys.exit(0 if result == "pass" else 1)
