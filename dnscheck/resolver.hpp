// resolver.hpp - the DNS questions Tern asks, behind an interface we own.
//
// DNS outcomes are classes, not booleans (Postfix dns.h): NXDOMAIN and NODATA
// mean "the record is not there"; SERVFAIL, REFUSED or a timeout mean "try
// again later" and must never be reported as missing. Implementations are
// blocking and safe to call from several threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tern::dns {

enum class LookupStatus {
  ok,         // at least one record of the asked type
  nxdomain,   // the name does not exist
  nodata,     // the name exists, no record of this type
  temporary,  // SERVFAIL, REFUSED, timeout, network trouble: retry later
  error,      // malformed answer or name we could not even ask about
};
const char* to_string(LookupStatus status);

struct MxRecord {
  uint16_t preference = 0;
  std::string exchange;  // "." for a null MX (RFC 7505); no trailing dot otherwise
};

struct MxLookup {
  LookupStatus status = LookupStatus::error;
  std::vector<MxRecord> records;
  std::string detail;  // human text for logs and outcomes
};

struct AddressLookup {
  LookupStatus status = LookupStatus::error;
  std::vector<std::string> addresses;  // IPv4 and IPv6 literals, A first
  std::string detail;
};

struct TxtLookup {
  LookupStatus status = LookupStatus::error;
  std::vector<std::string> records;  // each record's strings joined without spaces
  std::string detail;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual MxLookup mx(std::string_view domain) = 0;
  virtual AddressLookup addresses(std::string_view host) = 0;  // A and AAAA
  virtual TxtLookup txt(std::string_view name) = 0;
};

struct ResolverOptions {
  std::vector<std::string> servers;  // "ip:port"; empty = the system resolver (/etc/resolv.conf)
  std::chrono::milliseconds timeout{3000};
  int tries = 2;
};

// make_cares_resolver - the production Resolver (c-ares).
std::unique_ptr<Resolver> make_cares_resolver(const ResolverOptions& options);

}  // namespace tern::dns
