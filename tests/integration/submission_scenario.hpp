// submission_scenario.hpp - the stage of SMTP submission scenarios: the
// delivery stage (Redis, dnsmasq, the SMTP peer as every MX) plus a test
// PKI, and `tern serve` with both submission listeners on free loopback
// ports. Also a tiny line-based SMTP client over plain TCP for the checks
// that happen before TLS, and a runner for swaks.
#pragma once

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "tests/integration/scenario.hpp"
#include "tests/peers/test_tls.hpp"

namespace tern::testing {

// PlainSmtp - a blocking SMTP client over plain TCP; every read is bounded
// by a receive timeout so a broken server fails the test instead of hanging.
class PlainSmtp {
 public:
  explicit PlainSmtp(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{20, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~PlainSmtp() { ::close(fd_); }
  PlainSmtp(const PlainSmtp&) = delete;
  PlainSmtp& operator=(const PlainSmtp&) = delete;

  bool connected() const { return connected_; }
  void send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // reply - the next complete reply, all lines joined by "\n"; "" on EOF.
  std::string reply() {
    std::string out;
    for (;;) {
      auto nl = buffer_.find("\r\n");
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 2);
        out += (out.empty() ? "" : "\n") + line;
        if (line.size() < 4 || line[3] != '-') return out;
        continue;
      }
      char chunk[4096];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return out;
      buffer_.append(chunk, std::size_t(n));
    }
  }
  std::string command(const std::string& line) {
    send(line + "\r\n");
    return reply();
  }
  // closed - the server ended the connection (EOF within the receive timeout).
  bool closed() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

struct CommandResult {
  int status = -1;
  std::string output;
};

// run_command - a program to completion (at most 120 s); exit status and output.
inline CommandResult run_command(const std::vector<std::string>& argv, const Env& env = {}) {
  TempDir dir;
  ChildProcess p(argv, dir.path() + "/out.log", env);
  wait_until([&] { return !p.running(); }, std::chrono::seconds(120));
  CommandResult r;
  r.status = p.stop();
  r.output = p.log();
  return r;
}

// queued_id - the id in "250 2.0.0 Ok: queued as <id>", or "".
inline std::string queued_id(const std::string& transcript) {
  std::smatch m;
  static const std::regex re("250 2\\.0\\.0 Ok: queued as ([0-9a-f-]{36})");
  return std::regex_search(transcript, m, re) ? m[1].str() : "";
}

class SubmissionScenario : public DeliveryScenario {
 protected:
  void start_submission(Env extra = {}) {
    pki = make_test_pki(dir.path());
    const std::string cert = dir.path() + "/server.pem", key = dir.path() + "/server.key";
    std::ofstream(cert) << pki.server_cert_pem;
    std::ofstream(key) << pki.server_key_pem;
    starttls_port = free_loopback_port();
    tls_port = free_loopback_port();
    extra["TERN_SUBMISSION_ADDR"] = "127.0.0.1:" + std::to_string(starttls_port);
    extra["TERN_SUBMISSION_TLS_ADDR"] = "127.0.0.1:" + std::to_string(tls_port);
    extra["TERN_TLS_CERT"] = cert;
    extra["TERN_TLS_KEY"] = key;
    extra.emplace("TERN_MASTER_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    start({}, extra);
  }

  // swaks - swaks through the STARTTLS listener (or implicit TLS), AUTH
  // auth_mechanism as auth_user with `password`, plus any further arguments.
  CommandResult swaks(const std::string& password, std::vector<std::string> more, bool implicit_tls = false) {
    std::vector<std::string> argv = {"/usr/bin/swaks", "--server", "127.0.0.1", "--port",
                                     std::to_string(implicit_tls ? tls_port : starttls_port),
                                     implicit_tls ? "--tls-on-connect" : "--tls", "--auth", auth_mechanism,
                                     "--auth-user", auth_user, "--auth-password", password, "--timeout", "60"};
    argv.insert(argv.end(), more.begin(), more.end());
    return run_command(argv);
  }

  std::string auth_mechanism = "PLAIN";
  std::string auth_user = "resend";
  TempDir dir;
  TestPki pki;
  uint16_t starttls_port = 0;
  uint16_t tls_port = 0;
};

}  // namespace tern::testing
