// dns_server.hpp - a real DNS server (Debian's dnsmasq) for one test.
//
// DnsZone lists the records a test needs; DnsServer writes them into a
// dnsmasq.conf in a temp dir, starts dnsmasq in the foreground on
// 127.0.0.1:<free port> (UDP and TCP), waits until it answers a query and
// kills it in the destructor. Only loopback, never any upstream server:
//   - every name under the zone suffix ("test" by default) that no record
//     mentions answers NXDOMAIN; a name with records of other types answers
//     NOERROR/NODATA (but see add_mx with "." below);
//   - names outside the suffix answer REFUSED;
//   - names under add_unresponsive domains are forwarded to a loopback UDP
//     socket that never answers, so the client times out.
// Throws std::runtime_error when dnsmasq cannot be started.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/peers/process.hpp"

namespace tern::testing {

class DnsZone {
 public:
  explicit DnsZone(std::string suffix = "test") : suffix_(std::move(suffix)) {}

  // add_mx - an MX record. exchange "." (or "") publishes a null MX
  // (RFC 7505); dnsmasq serves that as a raw record, so a name holding only
  // a null MX answers NXDOMAIN (not NODATA) for other types.
  DnsZone& add_mx(const std::string& name, uint16_t preference, const std::string& exchange);
  DnsZone& add_a(const std::string& name, const std::string& ipv4);
  DnsZone& add_aaaa(const std::string& name, const std::string& ipv6);
  // add_txt - one TXT record made of these character-strings (each at most
  // 255 bytes; dnsmasq splits longer ones at 255).
  DnsZone& add_txt(const std::string& name, const std::vector<std::string>& strings);
  // add_unresponsive - queries for domain and names below it time out.
  DnsZone& add_unresponsive(const std::string& domain);

  const std::string& suffix() const { return suffix_; }
  const std::vector<std::string>& config_lines() const { return lines_; }
  const std::vector<std::string>& unresponsive() const { return unresponsive_; }

 private:
  std::string suffix_;
  std::vector<std::string> lines_;  // dnsmasq.conf record lines
  std::vector<std::string> unresponsive_;
};

class DnsServer {
 public:
  explicit DnsServer(const DnsZone& zone);
  ~DnsServer();
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  // replace_zone - serve `zone` instead, on the same port (a running Tern
  // keeps its TERN_DNS_SERVERS): dnsmasq reads records only at start, so it
  // is restarted. Throws std::runtime_error when it cannot be.
  void replace_zone(const DnsZone& zone);

  uint16_t port() const { return port_; }
  std::string server_spec() const;  // "127.0.0.1:PORT", for ResolverOptions::servers
  std::string log() const;          // dnsmasq's query log, for failure messages

 private:
  bool start(const DnsZone& zone, std::string& failure, uint16_t port = 0);  // 0: a free port
  bool answers() const;

  TempDir dir_;
  std::string suffix_;
  int black_hole_fd_ = -1;  // bound UDP socket that never reads
  uint16_t black_hole_port_ = 0;
  uint16_t port_ = 0;
  ChildProcess process_;
};

}  // namespace tern::testing
