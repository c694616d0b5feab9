// config.hpp - every TERN_* setting, parsed once at start-up.
//
// Each setting has an environment variable, a --flag twin (the flag wins),
// a default and a parser with bounds. A bad value is reported as one line
// naming the setting, and the program stops (Postfix msg_fatal style).
// Components receive only their own slice of Config, never the whole.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/util/result.hpp"

namespace tern {

using Seconds = std::chrono::seconds;
using Millis = std::chrono::milliseconds;

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  std::string unix_socket;  // redis+unix:///path/to.sock?db=N or unix:///path
  int db = 0;
  std::string password;
};

struct RetrySchedule {
  std::vector<Millis> steps;  // the last step repeats
  Millis max_queue_age{};
};

struct SmtpTimeouts {  // RFC 5321 §4.5.3.2 defaults
  Millis connect{std::chrono::seconds(30)};
  Millis greeting{std::chrono::minutes(5)};
  Millis ehlo{std::chrono::minutes(5)};
  Millis starttls{std::chrono::minutes(2)};
  Millis mail{std::chrono::minutes(5)};
  Millis rcpt{std::chrono::minutes(5)};
  Millis data_init{std::chrono::minutes(2)};
  Millis data_block{std::chrono::minutes(3)};
  Millis data_end{std::chrono::minutes(10)};
  Millis quit{std::chrono::seconds(10)};
  static SmtpTimeouts all(Millis t);  // every step the same (tests)
};

struct DeliveryConfig {
  std::string hostname;                 // EHLO name, Message-ID domain
  uint16_t smtp_port = 25;              // port used at the recipient's MX
  std::optional<HostPort> relay;        // smarthost: all mail goes there
  RetrySchedule retry;
  SmtpTimeouts timeouts;
  std::string ca_file;                  // extra trust anchors for enforced TLS
  bool allow_private_mx = false;        // deliver to MX on loopback/private addresses
  int concurrency = 16;                 // delivery threads in one worker process
  int destination_concurrency = 10;     // deliveries at once to one destination, across all workers
  Millis claim_timeout{std::chrono::minutes(5)};  // a job idle this long in another worker is reclaimed
};

// RateLimitConfig - a token bucket per team: `count` requests per `per`,
// bursting up to `burst`. count 0 = off (the default: a self-hosted Tern
// must not throttle a busy application unless asked to).
struct RateLimitConfig {
  int count = 0;
  Seconds per{1};
  int burst = 0;  // 0 = count
  bool enabled() const { return count > 0; }
};

// SubmissionConfig - SMTP submission (submission/server.hpp): each listener
// is off while its address is unset; AUTH needs TLS, so either listener
// needs the certificate and key (dev mode makes a self-signed pair).
struct SubmissionConfig {
  std::optional<HostPort> starttls_listen;  // TERN_SUBMISSION_ADDR (587)
  std::optional<HostPort> tls_listen;       // TERN_SUBMISSION_TLS_ADDR (465)
  std::string tls_cert;                     // TERN_TLS_CERT: PEM chain
  std::string tls_key;                      // TERN_TLS_KEY: PEM private key
  std::string user = "resend";              // TERN_SUBMISSION_USER; "*" = any
  std::size_t max_message_bytes = 40 * 1024 * 1024;  // TERN_SUBMISSION_MAX_SIZE
  int max_client_sessions = 20;             // TERN_SUBMISSION_MAX_CLIENT_SESSIONS, per client IP
  Millis command_timeout{std::chrono::minutes(5)};  // TERN_SUBMISSION_TIMEOUT
  bool enabled() const { return starttls_listen || tls_listen; }
};

struct Config {
  HostPort http{"127.0.0.1", 8080};
  RedisEndpoint redis;
  std::vector<std::string> dns_servers;  // "ip:port"; empty = the system resolver
  DeliveryConfig delivery;
  bool webhook_allow_private = false;
  std::string master_key;
  // DNS records new domains are told to publish (domains/domain_service.hpp);
  // empty spf_mechanism / feedback_host mean "a:<hostname>" /
  // "feedback-smtp.<hostname>".
  std::string dkim_selector = "tern";
  std::string spf_mechanism;
  std::string feedback_host;
  bool dev = false;
  std::string log_level = "info";
  int http_threads = 64;
  RateLimitConfig rate_limit;  // TERN_RATE_LIMIT, TERN_RATE_LIMIT_BURST
  std::optional<HostPort> bounce_listen;  // TERN_BOUNCE_ADDR: inbound SMTP for bounces; unset = off
  std::optional<HostPort> metrics_listen;  // TERN_METRICS_ADDR: GET /metrics on its own port; unset = API port only
  SubmissionConfig submission;
};

// parse_config - env first, then argv flags (--http-addr=X or --http-addr X).
// Leftover positional arguments are returned in `rest`.
Result<Config> parse_config(const std::map<std::string, std::string>& env, const std::vector<std::string>& args,
                            std::vector<std::string>& rest);

// environment_map - the process environment as a map (the only getenv user).
std::map<std::string, std::string> environment_map();

// config_help - the settings table, one per line, for `tern help`.
std::string config_help();

// Parsers reused by tests and by other settings.
Result<Millis> parse_duration(std::string_view text);          // 500ms, 30s, 5m, 2h, 3d
Result<RetrySchedule> parse_retry_schedule(std::string_view text, Millis max_age);
Result<HostPort> parse_host_port(std::string_view text);       // host:port, [v6]:port
Result<RedisEndpoint> parse_redis_url(std::string_view text);  // redis://[:pw@]host:port/db
// parse_rate_limit - "off" (or empty) | "<count>/<s|m|h>" with an optional
// ",<burst>": "100/s", "6000/m,200". Counts and bursts are 1..1000000.
Result<RateLimitConfig> parse_rate_limit(std::string_view text);

}  // namespace tern
