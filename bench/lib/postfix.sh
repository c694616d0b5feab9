# postfix.sh - a private Postfix + OpenDKIM relay for the delivery benchmark
# (sourced by bench/run.sh).
#
# Everything lives in $BENCH_TMP/postfix: its own config directory (postfix
# -c), queue_directory and data_directory, so the system Postfix (if any)
# is never touched. smtpd listens on 127.0.0.1:$POSTFIX_PORT only, every
# service runs unchrooted, and all mail is relayed to relayhost
# [127.0.0.1]:<sink port>. OpenDKIM signs over a unix-socket milter with
# Mode s, relaxed/simple, OversignHeaders From and a 2048-bit key from
# opendkim-genkey, the setup peer-figures.md measured.

POSTFIX_SERVICES='
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
'

# setup_opendkim - key, config and a foreground opendkim on a unix socket;
# sets OPENDKIM_DIR, OPENDKIM_PID and OPENDKIM_SOCKET. OpenDKIM refuses a
# config file under a world-writable directory such as /tmp, so its files
# live in a private directory under /run (removed by cleanup_all).
setup_opendkim() {
  local dir
  dir=$(mktemp -d -p /run tern-bench-dkim.XXXXXX) || die "cannot create a directory under /run"
  OPENDKIM_DIR=$dir
  chmod 755 "$dir"
  mkdir -p "$dir/keys" "$dir/run"
  opendkim-genkey -b 2048 -d "$BENCH_DOMAIN" -s bench -D "$dir/keys" >/dev/null 2>&1 ||
    die "opendkim-genkey failed"
  chown -R opendkim:opendkim "$dir/keys" "$dir/run"
  chmod 700 "$dir/keys"
  chmod 755 "$dir/run"  # smtpd (user postfix) must reach the socket
  OPENDKIM_SOCKET="$dir/run/opendkim.sock"
  cat >"$dir/opendkim.conf" <<EOF
Syslog                  no
UMask                   000
Mode                    s
Canonicalization        relaxed/simple
OversignHeaders         From
Domain                  $BENCH_DOMAIN
Selector                bench
KeyFile                 $dir/keys/bench.private
Socket                  local:$OPENDKIM_SOCKET
PidFile                 $dir/run/opendkim.pid
UserID                  opendkim:opendkim
InternalHosts           127.0.0.1
EOF
  bg_start "$dir/opendkim.log" opendkim -f -x "$dir/opendkim.conf"
  OPENDKIM_PID=$BG_PID
  for _ in $(seq 100); do
    [[ -S $OPENDKIM_SOCKET ]] && return 0
    kill -0 "$OPENDKIM_PID" 2>/dev/null || break
    sleep 0.05
  done
  die "opendkim did not open its socket (see $dir/opendkim.log)"
}

# setup_postfix DIR SINK_PORT - config + start; sets POSTFIX_PORT,
# POSTFIX_CONF_DIR and POSTFIX_MASTER_PID. No system user or group is
# changed: the milter socket is world-connectable inside its private
# directory instead.
setup_postfix() {
  local dir=$1 sink_port=$2
  POSTFIX_CONF_DIR="$dir/etc"
  POSTFIX_PORT=$(free_port)
  mkdir -p "$POSTFIX_CONF_DIR" "$dir/queue" "$dir/data"
  chown postfix "$dir/data"
  cat >"$POSTFIX_CONF_DIR/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.example
mydomain = bench.example
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$sink_port
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_tls_security_level = none
smtp_tls_security_level = none
smtp_dns_support_level = disabled
smtpd_milters = unix:$OPENDKIM_SOCKET
non_smtpd_milters = unix:$OPENDKIM_SOCKET
milter_default_action = tempfail
milter_protocol = 6
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
biff = no
alias_maps =
alias_database =
local_recipient_maps =
append_dot_mydomain = no
EOF
  {
    echo "127.0.0.1:$POSTFIX_PORT inet n - n - - smtpd"
    echo "$POSTFIX_SERVICES"
  } >"$POSTFIX_CONF_DIR/master.cf"
  postfix -c "$POSTFIX_CONF_DIR" start >"$dir/start.log" 2>&1 || die "postfix did not start (see $dir/start.log)"
  wait_tcp "$POSTFIX_PORT" 20 || die "postfix smtpd is not listening (see $dir/maillog)"
  POSTFIX_MASTER_PID=$(head -1 "$dir/queue/pid/master.pid" | tr -d ' ')
  [[ -n $POSTFIX_MASTER_PID ]] || die "no postfix master pid"
}

# postfix_set_relay PORT - point the private Postfix at another sink.
postfix_set_relay() {
  postconf -c "$POSTFIX_CONF_DIR" -e "relayhost = [127.0.0.1]:$1"
  postfix -c "$POSTFIX_CONF_DIR" reload >/dev/null 2>&1
}
