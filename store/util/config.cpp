#include "store/util/config.hpp"

#include <charconv>
#include <functional>
#include <sstream>

#include <unistd.h>

extern char** environ;

namespace tern {
namespace {

using Setter = std::function<Result<void>(Config&, std::string_view)>;

struct Setting {
  const char* env;
  const char* flag;
  const char* default_value;  // nullptr: computed (see apply_defaults)
  const char* help;
  Setter set;
  bool secret = false;  // its value may hold a secret: never echoed in an error
};

Result<long long> parse_int(std::string_view text, long long lo, long long hi) {
  long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return fail(Errc::invalid_argument, "not an integer");
  if (v < lo || v > hi)
    return fail(Errc::invalid_argument, "out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

Result<bool> parse_bool(std::string_view text) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
  return fail(Errc::invalid_argument, "expected true/false");
}

std::string system_hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

bool valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.')) return false;
  return true;
}

bool valid_dkim_selector(std::string_view s) {
  if (s.empty() || s.size() > 60 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  return true;
}

// valid_spf_mechanism - one SPF term of a kind that authorises hosts
// ("a:host", "mx", "ip4:1.2.3.4", "include:_spf.example.net"), nothing
// that could end the record or add another term; domain verification looks
// for this exact term in the customer's record (directly or via include:).
bool valid_spf_mechanism(std::string_view term) {
  static constexpr std::string_view kKinds[] = {"a", "mx", "ip4:", "ip6:", "include:", "exists:"};
  if (term.empty() || term.size() > 200) return false;
  for (char c : term)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '/' || c == '_'))
      return false;
  for (std::string_view kind : kKinds) {
    if (term.substr(0, kind.size()) != kind) continue;
    std::string_view rest = term.substr(kind.size());
    if (kind == "a" || kind == "mx") return rest.empty() || rest[0] == ':' || rest[0] == '/';
    return !rest.empty();
  }
  return false;
}

// set_optional_address - an optional listener: empty turns it off.
Result<void> set_optional_address(std::optional<HostPort>& out, std::string_view v) {
  if (v.empty()) {
    out.reset();
    return {};
  }
  auto hp = parse_host_port(v);
  if (!hp) return tl::unexpected(hp.error());
  out = *hp;
  return {};
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> table = {
      {"TERN_HTTP_ADDR", "http-addr", "127.0.0.1:8080", "HTTP API listen address (host:port)",
       [](Config& c, std::string_view v) -> Result<void> {
         auto hp = parse_host_port(v);
         if (!hp) return tl::unexpected(hp.error());
         c.http = *hp;
         return {};
       }},
      {"TERN_REDIS_URL", "redis-url", "redis://127.0.0.1:6379/0", "Redis URL: redis://[:password@]host:port/db or unix:///path.sock",
       [](Config& c, std::string_view v) -> Result<void> {
         auto r = parse_redis_url(v);
         if (!r) return tl::unexpected(r.error());
         c.redis = *r;
         return {};
       },
       true},
      {"TERN_DNS_SERVERS", "dns-servers", "", "comma list of DNS servers ip:port (empty: the system resolver)",
       [](Config& c, std::string_view v) -> Result<void> {
         c.dns_servers.clear();
         std::string s(v);
         std::stringstream ss(s);
         std::string item;
         while (std::getline(ss, item, ',')) {
           if (item.empty()) continue;
           auto hp = parse_host_port(item);
           if (!hp) return tl::unexpected(hp.error());
           c.dns_servers.push_back(item);
         }
         return {};
       }},
      {"TERN_SMTP_PORT", "smtp-port", "25", "TCP port used when delivering to an MX",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1, 65535);
         if (!n) return tl::unexpected(n.error());
         c.delivery.smtp_port = uint16_t(*n);
         return {};
       }},
      {"TERN_RELAY_URL", "relay-url", "", "optional smarthost smtp://host:port; all mail goes there instead of MX",
       [](Config& c, std::string_view v) -> Result<void> {
         if (v.empty()) {
           c.delivery.relay.reset();
           return {};
         }
         if (v.substr(0, 7) != "smtp://") return fail(Errc::invalid_argument, "expected smtp://host:port");
         auto hp = parse_host_port(v.substr(7));
         if (!hp) return tl::unexpected(hp.error());
         c.delivery.relay = *hp;
         return {};
       }},
      {"TERN_HOSTNAME", "hostname", nullptr, "EHLO name, Message-ID domain, return-path host (default: the system host name)",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!valid_hostname(v)) return fail(Errc::invalid_argument, "not a host name");
         c.delivery.hostname = std::string(v);
         return {};
       }},
      {"TERN_RETRY_SCHEDULE", "retry-schedule", "1m,5m,30m,2h,6h,12h", "delays between delivery attempts; the last repeats",
       [](Config& c, std::string_view v) -> Result<void> {
         auto r = parse_retry_schedule(v, c.delivery.retry.max_queue_age);
         if (!r) return tl::unexpected(r.error());
         c.delivery.retry.steps = r->steps;
         return {};
       }},
      {"TERN_MAX_QUEUE_AGE", "max-queue-age", "72h", "give up on a recipient this long after acceptance",
       [](Config& c, std::string_view v) -> Result<void> {
         auto d = parse_duration(v);
         if (!d) return tl::unexpected(d.error());
         c.delivery.retry.max_queue_age = *d;
         return {};
       }},
      {"TERN_SMTP_TIMEOUT", "smtp-timeout", "", "override every SMTP command timeout (default: RFC 5321 values)",
       [](Config& c, std::string_view v) -> Result<void> {
         if (v.empty()) {
           c.delivery.timeouts = SmtpTimeouts{};
           return {};
         }
         auto d = parse_duration(v);
         if (!d) return tl::unexpected(d.error());
         c.delivery.timeouts = SmtpTimeouts::all(*d);
         return {};
       }},
      {"TERN_SMTP_CA_FILE", "smtp-ca-file", "", "PEM file of extra CAs trusted when TLS is enforced",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && access(std::string(v).c_str(), R_OK) != 0)
           return fail(Errc::invalid_argument, "file not readable");
         c.delivery.ca_file = std::string(v);
         return {};
       }},
      {"TERN_MX_ALLOW_PRIVATE", "mx-allow-private", "false", "deliver to MX hosts on loopback or private addresses",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = parse_bool(v);
         if (!b) return tl::unexpected(b.error());
         c.delivery.allow_private_mx = *b;
         return {};
       }},
      {"TERN_WORKER_CONCURRENCY", "worker-concurrency", "16", "parallel deliveries in one worker process",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1, 1024);
         if (!n) return tl::unexpected(n.error());
         c.delivery.concurrency = int(*n);
         return {};
       }},
      {"TERN_DESTINATION_CONCURRENCY", "destination-concurrency", "10",
       "deliveries at once to one destination (MX host set), shared by every worker; halves after failures",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1, 1000);
         if (!n) return tl::unexpected(n.error());
         c.delivery.destination_concurrency = int(*n);
         return {};
       }},
      {"TERN_CLAIM_TIMEOUT", "claim-timeout", "5m", "a job held this long by a silent worker is reclaimed",
       [](Config& c, std::string_view v) -> Result<void> {
         auto d = parse_duration(v);
         if (!d) return tl::unexpected(d.error());
         if (*d < Millis(100)) return fail(Errc::invalid_argument, "must be at least 100ms");
         c.delivery.claim_timeout = *d;
         return {};
       }},
      {"TERN_WEBHOOK_ALLOW_PRIVATE", "webhook-allow-private", "false", "allow webhook targets on private or loopback addresses",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = parse_bool(v);
         if (!b) return tl::unexpected(b.error());
         c.webhook_allow_private = *b;
         return {};
       }},
      {"TERN_MASTER_KEY", "master-key", "", "secret that encrypts DKIM private keys at rest",
       [](Config& c, std::string_view v) -> Result<void> {
         c.master_key = std::string(v);
         return {};
       },
       true},
      {"TERN_DKIM_SELECTOR", "dkim-selector", "tern", "DKIM selector of new domains (Ed25519 keys use <selector>-ed)",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!valid_dkim_selector(v)) return fail(Errc::invalid_argument, "not a DNS label of at most 60 characters");
         c.dkim_selector = std::string(v);
         return {};
       }},
      {"TERN_SPF_MECHANISM", "spf-mechanism", "", "the SPF term that authorises Tern's hosts in each domain's record, e.g. ip4:203.0.113.7 or include:_spf.example.net (default: a:<TERN_HOSTNAME>)",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && !valid_spf_mechanism(v))
           return fail(Errc::invalid_argument, "not one SPF mechanism (a, mx, ip4:, ip6:, include:, exists:)");
         c.spf_mechanism = std::string(v);
         return {};
       }},
      {"TERN_FEEDBACK_HOST", "feedback-host", "", "MX target of each domain's return-path subdomain, where bounces arrive (default: feedback-smtp.<TERN_HOSTNAME>)",
       [](Config& c, std::string_view v) -> Result<void> {
         if (!v.empty() && !valid_hostname(v)) return fail(Errc::invalid_argument, "not a host name");
         c.feedback_host = std::string(v);
         return {};
       }},
      {"TERN_DEV", "dev", "false", "dev mode: any from-domain may send (local demos only)",
       [](Config& c, std::string_view v) -> Result<void> {
         auto b = parse_bool(v);
         if (!b) return tl::unexpected(b.error());
         c.dev = *b;
         return {};
       }},
      {"TERN_LOG_LEVEL", "log-level", "info", "debug, info, warn or error",
       [](Config& c, std::string_view v) -> Result<void> {
         if (v != "debug" && v != "info" && v != "warn" && v != "error")
           return fail(Errc::invalid_argument, "expected debug, info, warn or error");
         c.log_level = std::string(v);
         return {};
       }},
      {"TERN_HTTP_THREADS", "http-threads", "64", "HTTP worker threads",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1, 4096);
         if (!n) return tl::unexpected(n.error());
         c.http_threads = int(*n);
         return {};
       }},
      {"TERN_RATE_LIMIT", "rate-limit", "off",
       "API requests per team: off, or <count>/<s|m|h>[,burst] such as 100/s; shared by every API process",
       [](Config& c, std::string_view v) -> Result<void> {
         auto r = parse_rate_limit(v);  // applied before TERN_RATE_LIMIT_BURST (table order)
         if (!r) return tl::unexpected(r.error());
         c.rate_limit = *r;
         return {};
       }},
      {"TERN_RATE_LIMIT_BURST", "rate-limit-burst", "0", "bucket size of the rate limit (0: the count)",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 0, 1000000);
         if (!n) return tl::unexpected(n.error());
         if (*n > 0) c.rate_limit.burst = int(*n);
         return {};
       }},
      {"TERN_BOUNCE_ADDR", "bounce-addr", "",
       "listen address (ip:port) of the SMTP listener for bounces and complaints to the return path; empty: off",
       [](Config& c, std::string_view v) { return set_optional_address(c.bounce_listen, v); }},
      {"TERN_METRICS_ADDR", "metrics-addr", "",
       "listen address (ip:port) of a separate GET /metrics listener (the only one a worker has); when set, "
       "/metrics leaves the API port; empty: /metrics on the API port only",
       [](Config& c, std::string_view v) { return set_optional_address(c.metrics_listen, v); }},
      {"TERN_SUBMISSION_ADDR", "submission-addr", "",
       "SMTP submission listener with STARTTLS (ip:port, conventionally 587); empty: off",
       [](Config& c, std::string_view v) -> Result<void> { return set_optional_address(c.submission.starttls_listen, v); }},
      {"TERN_SUBMISSION_TLS_ADDR", "submission-tls-addr", "",
       "SMTP submission listener with implicit TLS (ip:port, conventionally 465); empty: off",
       [](Config& c, std::string_view v) -> Result<void> { return set_optional_address(c.submission.tls_listen, v); }},
      {"TERN_TLS_CERT", "tls-cert", "", "PEM certificate chain of the submission listeners (required when one is on)",
       [](Config& c, std::string_view v) -> Result<void> {
         c.submission.tls_cert = std::string(v);
         return {};
       }},
      {"TERN_TLS_KEY", "tls-key", "", "PEM private key of TERN_TLS_CERT",
       [](Config& c, std::string_view v) -> Result<void> {
         c.submission.tls_key = std::string(v);
         return {};
       }},
      {"TERN_SUBMISSION_USER", "submission-user", "resend",
       "SMTP AUTH user name (the password is an API key); * accepts any user name",
       [](Config& c, std::string_view v) -> Result<void> {
         if (v.empty() || v.size() > 255) return fail(Errc::invalid_argument, "expected 1 to 255 characters");
         c.submission.user = std::string(v);
         return {};
       }},
      {"TERN_SUBMISSION_MAX_SIZE", "submission-max-size", "41943040", "largest message accepted over SMTP, in bytes",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1024, 1LL << 30);
         if (!n) return tl::unexpected(n.error());
         c.submission.max_message_bytes = std::size_t(*n);
         return {};
       }},
      {"TERN_SUBMISSION_MAX_CLIENT_SESSIONS", "submission-max-client-sessions", "20",
       "SMTP submission sessions at once from one client IP address",
       [](Config& c, std::string_view v) -> Result<void> {
         auto n = parse_int(v, 1, 10000);
         if (!n) return tl::unexpected(n.error());
         c.submission.max_client_sessions = int(*n);
         return {};
       }},
      {"TERN_SUBMISSION_TIMEOUT", "submission-timeout", "5m", "an SMTP submission client silent this long is disconnected",
       [](Config& c, std::string_view v) -> Result<void> {
         auto d = parse_duration(v);
         if (!d) return tl::unexpected(d.error());
         if (*d < Millis(100)) return fail(Errc::invalid_argument, "must be at least 100ms");
         c.submission.command_timeout = *d;
         return {};
       }},
  };
  return table;
}

// Settings whose parse depends on another (retry schedule on max age) are
// applied in table order after MAX_QUEUE_AGE; so apply age first.
std::vector<const Setting*> ordered_settings() {
  std::vector<const Setting*> out;
  for (const auto& s : settings())
    if (std::string_view(s.env) == "TERN_MAX_QUEUE_AGE") out.push_back(&s);
  for (const auto& s : settings())
    if (std::string_view(s.env) != "TERN_MAX_QUEUE_AGE") out.push_back(&s);
  return out;
}

}  // namespace

SmtpTimeouts SmtpTimeouts::all(Millis t) {
  SmtpTimeouts x;
  x.connect = x.greeting = x.ehlo = x.starttls = x.mail = x.rcpt = x.data_init = x.data_block = x.data_end =
      x.quit = t;
  return x;
}

Result<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return fail(Errc::invalid_argument, "empty duration");
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return fail(Errc::invalid_argument, "duration must start with a number, e.g. 30s, 5m, 2h");
  long long n = 0;
  std::from_chars(text.data(), text.data() + i, n);
  std::string_view unit = text.substr(i);
  long long ms_per;
  if (unit == "ms") ms_per = 1;
  else if (unit == "s") ms_per = 1000;
  else if (unit == "m") ms_per = 60'000;
  else if (unit == "h") ms_per = 3'600'000;
  else if (unit == "d") ms_per = 86'400'000;
  else return fail(Errc::invalid_argument, "unknown unit '" + std::string(unit) + "' (use ms, s, m, h or d)");
  if (n > (1LL << 40) / ms_per) return fail(Errc::invalid_argument, "duration too large");
  return Millis(n * ms_per);
}

Result<RateLimitConfig> parse_rate_limit(std::string_view text) {
  RateLimitConfig out;
  if (text.empty() || text == "off") return out;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail(Errc::invalid_argument, "expected off or <count>/<s|m|h>[,burst]");
  auto count = parse_int(text.substr(0, slash), 1, 1000000);
  if (!count) return fail(Errc::invalid_argument, "count: " + count.error().message);
  std::string_view rest = text.substr(slash + 1);
  const auto comma = rest.find(',');
  const std::string_view unit = rest.substr(0, comma);
  if (unit == "s") out.per = Seconds(1);
  else if (unit == "m") out.per = Seconds(60);
  else if (unit == "h") out.per = Seconds(3600);
  else return fail(Errc::invalid_argument, "unit must be s, m or h");
  out.count = int(*count);
  if (comma != std::string_view::npos) {
    auto burst = parse_int(rest.substr(comma + 1), 1, 1000000);
    if (!burst) return fail(Errc::invalid_argument, "burst: " + burst.error().message);
    out.burst = int(*burst);
  }
  return out;
}

Result<RetrySchedule> parse_retry_schedule(std::string_view text, Millis max_age) {
  RetrySchedule r;
  r.max_queue_age = max_age;
  std::string s(text);
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto d = parse_duration(item);
    if (!d) return fail(Errc::invalid_argument, "step '" + item + "': " + d.error().message);
    if (d->count() <= 0) return fail(Errc::invalid_argument, "steps must be positive");
    r.steps.push_back(*d);
  }
  if (r.steps.empty()) return fail(Errc::invalid_argument, "at least one step is required");
  return r;
}

Result<HostPort> parse_host_port(std::string_view text) {
  HostPort hp;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return fail(Errc::invalid_argument, "expected [addr]:port");
    hp.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return fail(Errc::invalid_argument, "expected host:port");
    hp.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  auto n = parse_int(port, 0, 65535);
  if (!n) return fail(Errc::invalid_argument, "bad port '" + std::string(port) + "'");
  hp.port = uint16_t(*n);
  return hp;
}

Result<RedisEndpoint> parse_redis_url(std::string_view text) {
  RedisEndpoint r;
  if (text.substr(0, 7) == "unix://") {
    std::string_view rest = text.substr(7);
    auto q = rest.find("?db=");
    r.unix_socket = std::string(rest.substr(0, q));
    if (q != std::string_view::npos) {
      auto db = parse_int(rest.substr(q + 4), 0, 15);
      if (!db) return fail(Errc::invalid_argument, "bad db number");
      r.db = int(*db);
    }
    if (r.unix_socket.empty()) return fail(Errc::invalid_argument, "empty socket path");
    return r;
  }
  if (text.substr(0, 8) != "redis://") return fail(Errc::invalid_argument, "expected redis://host:port/db");
  std::string_view rest = text.substr(8);
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    auto colon = auth.find(':');
    r.password = std::string(colon == std::string_view::npos ? auth : auth.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  auto slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (hostport.find(':') == std::string_view::npos) {
    r.host = std::string(hostport);
  } else {
    auto hp = parse_host_port(hostport);
    if (!hp) return tl::unexpected(hp.error());
    r.host = hp->host;
    r.port = hp->port;
  }
  if (r.host.empty()) return fail(Errc::invalid_argument, "empty host");
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    auto db = parse_int(rest.substr(slash + 1), 0, 15);
    if (!db) return fail(Errc::invalid_argument, "bad db number");
    r.db = int(*db);
  }
  return r;
}

std::map<std::string, std::string> environment_map() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<Config> parse_config(const std::map<std::string, std::string>& env, const std::vector<std::string>& args,
                            std::vector<std::string>& rest) {
  // Collect flag values first so that a flag overrides its env twin.
  std::map<std::string, std::string> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 3 || a.substr(0, 2) != "--") {
      rest.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    auto eq = name.find('=');
    bool known = false;
    std::string key = eq == std::string::npos ? name : name.substr(0, eq);
    for (const auto& s : settings())
      if (key == s.flag) known = true;
    if (!known) {
      rest.push_back(a);  // a subcommand's own flag (e.g. --name)
      continue;
    }
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail(Errc::invalid_argument, "--" + key + ": missing value");
    }
    flags[key] = value;
  }

  Config c;
  c.delivery.hostname = system_hostname();
  if (!valid_hostname(c.delivery.hostname)) c.delivery.hostname = "localhost";
  for (const Setting* s : ordered_settings()) {
    std::string value;
    bool given = false;
    if (auto f = flags.find(s->flag); f != flags.end()) {
      value = f->second;
      given = true;
    } else if (auto e = env.find(s->env); e != env.end()) {
      value = e->second;
      given = true;
    } else if (s->default_value) {
      value = s->default_value;
    }
    if (!given && !s->default_value) continue;
    auto r = s->set(c, value);
    if (!r)
      return fail(Errc::invalid_argument, std::string(s->env) + " (--" + s->flag + "): invalid value" +
                                              (s->secret ? std::string() : " '" + value + "'") + ": " +
                                              r.error().message);
  }
  return c;
}

std::string config_help() {
  std::string out;
  for (const auto& s : settings()) {
    out += "  ";
    out += s.env;
    out += " / --";
    out += s.flag;
    out += "  (default: ";
    out += s.default_value ? (*s.default_value ? s.default_value : "empty") : "computed";
    out += ")\n      ";
    out += s.help;
    out += "\n";
  }
  return out;
}

}  // namespace tern
