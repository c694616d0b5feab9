// dns_server.cpp - DnsServer: dnsmasq on a free loopback port.
//
// Records go into dnsmasq.conf rather than the command line because only
// the config-file parser understands quoted TXT strings. The port is chosen
// by binding UDP and TCP to it and letting go; if dnsmasq loses the race and
// exits, another port is tried.
#include "tests/peers/dns_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace tern::testing {
namespace {

constexpr const char* kDnsmasq = "/usr/sbin/dnsmasq";
constexpr int kStartAttempts = 5;
constexpr auto kReadyDeadline = std::chrono::seconds(15);

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

// bind_loopback - a socket of this type bound to 127.0.0.1:port, or -1.
int bind_loopback(int type, uint16_t port) {
  const int fd = ::socket(AF_INET, type, 0);
  if (fd < 0) return -1;
  sockaddr_in addr = loopback(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

uint16_t bound_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// free_udp_tcp_port - a port free on 127.0.0.1 for both UDP and TCP.
uint16_t free_udp_tcp_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int udp = bind_loopback(SOCK_DGRAM, 0);
    if (udp < 0) break;
    const uint16_t port = bound_port(udp);
    const int tcp = bind_loopback(SOCK_STREAM, port);
    ::close(udp);
    if (tcp >= 0) {
      ::close(tcp);
      return port;
    }
  }
  throw std::runtime_error("no free UDP+TCP loopback port");
}

// quote - a dnsmasq.conf quoted string.
std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// probe_query - a DNS query for "probe.<suffix>" type A, id 0x7e57.
std::string probe_query(const std::string& suffix) {
  std::string packet("\x7e\x57\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  std::string name = "probe." + suffix;
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    packet += static_cast<char>(dot - start);
    packet += name.substr(start, dot - start);
    start = dot + 1;
  }
  packet += std::string("\x00\x00\x01\x00\x01", 5);
  return packet;
}

}  // namespace

DnsZone& DnsZone::add_mx(const std::string& name, uint16_t preference, const std::string& exchange) {
  if (exchange.empty() || exchange == ".") {
    // RDATA: preference 0x0000 then the root name (one zero byte).
    lines_.push_back("dns-rr=" + name + ",15,000000");
  } else {
    lines_.push_back("mx-host=" + name + "," + exchange + "," + std::to_string(preference));
  }
  return *this;
}

DnsZone& DnsZone::add_a(const std::string& name, const std::string& ipv4) {
  lines_.push_back("host-record=" + name + "," + ipv4);
  return *this;
}

DnsZone& DnsZone::add_aaaa(const std::string& name, const std::string& ipv6) {
  lines_.push_back("host-record=" + name + "," + ipv6);
  return *this;
}

DnsZone& DnsZone::add_txt(const std::string& name, const std::vector<std::string>& strings) {
  std::string line = "txt-record=" + name;
  for (const std::string& s : strings) line += "," + quote(s);
  lines_.push_back(line);
  return *this;
}

DnsZone& DnsZone::add_unresponsive(const std::string& domain) {
  unresponsive_.push_back(domain);
  return *this;
}

DnsServer::DnsServer(const DnsZone& zone) {
  black_hole_fd_ = bind_loopback(SOCK_DGRAM, 0);
  if (black_hole_fd_ < 0) throw std::runtime_error("cannot bind the black-hole UDP socket");
  black_hole_port_ = bound_port(black_hole_fd_);
  suffix_ = zone.suffix();
  std::string failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (start(zone, failure)) return;
  }
  ::close(black_hole_fd_);
  throw std::runtime_error("dnsmasq did not start: " + failure);
}

DnsServer::~DnsServer() {
  process_.stop();
  if (black_hole_fd_ >= 0) ::close(black_hole_fd_);
}

void DnsServer::replace_zone(const DnsZone& zone) {
  process_.stop();
  suffix_ = zone.suffix();
  std::string failure;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (start(zone, failure, port_)) return;
  }
  throw std::runtime_error("dnsmasq did not restart on port " + std::to_string(port_) + ": " + failure);
}

std::string DnsServer::server_spec() const { return "127.0.0.1:" + std::to_string(port_); }

std::string DnsServer::log() const {
  std::ifstream in(dir_.path() + "/queries.log");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// start - write the config for a fresh port, run dnsmasq and wait until it
// answers; false (with failure set) if it exited or stayed silent.
bool DnsServer::start(const DnsZone& zone, std::string& failure, uint16_t port) {
  port_ = port != 0 ? port : free_udp_tcp_port();
  const std::string conf_path = dir_.path() + "/dnsmasq.conf";
  {
    std::ofstream conf(conf_path, std::ios::trunc);
    conf << "no-resolv\nno-hosts\nbind-interfaces\nlisten-address=127.0.0.1\n"
         << "port=" << port_ << "\ncache-size=0\nlog-queries\n"
         << "log-facility=" << dir_.path() << "/queries.log\n"
         << "local=/" << zone.suffix() << "/\n";
    if (::geteuid() == 0) conf << "user=root\ngroup=root\n";  // else it drops to nobody
    for (const std::string& domain : zone.unresponsive()) {
      conf << "server=/" << domain << "/127.0.0.1#" << black_hole_port_ << "\n";
    }
    for (const std::string& line : zone.config_lines()) conf << line << "\n";
  }
  process_ = ChildProcess({kDnsmasq, "--keep-in-foreground", "--conf-file=" + conf_path,
                           "--pid-file=" + dir_.path() + "/dnsmasq.pid"},
                          dir_.path() + "/dnsmasq.out");
  const auto deadline = std::chrono::steady_clock::now() + kReadyDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) {
      failure = process_.log();
      return false;
    }
    if (answers()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // ICMP refusals return at once
  }
  failure = "no answer within the deadline; " + process_.log();
  process_.stop();
  return false;
}

// answers - one probe query gets a reply within 200 ms.
bool DnsServer::answers() const {
  const int fd = bind_loopback(SOCK_DGRAM, 0);
  if (fd < 0) return false;
  const std::string query = probe_query(suffix_);
  sockaddr_in server = loopback(port_);
  bool ok = ::sendto(fd, query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&server), sizeof server) > 0;
  if (ok) {
    pollfd p{fd, POLLIN, 0};
    char reply[512];
    ok = ::poll(&p, 1, 200) == 1 && ::recv(fd, reply, sizeof reply, 0) >= 12 && reply[0] == query[0] &&
         reply[1] == query[1];
  }
  ::close(fd);
  return ok;
}

}  // namespace tern::testing
