// cares_resolver.cpp - the production Resolver, on c-ares (the only file in
// Tern that includes ares.h).
//
// Every lookup opens its own ares channel, sends its queries (A and AAAA go
// out together), drives the channel with poll() until they complete and
// destroys it. Nothing is shared between calls but the read-only options, so
// the resolver is safe to use from several threads at once, and a slow name
// never holds up another caller.
//
// Only DNS is asked (ares_query, never the hosts file or the search list).
// c-ares statuses become LookupStatus classes: NXDOMAIN -> nxdomain, NOERROR
// without an answer of the type -> nodata, SERVFAIL/REFUSED/timeout/refused
// connection -> temporary, anything malformed -> error. Names come back
// without a trailing dot; a null MX (RFC 7505) has exchange ".".
#include "dnscheck/resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#include <cerrno>
#include <initializer_list>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tern::dns {
namespace {

constexpr int kClassIn = 1;
constexpr int kTypeA = 1;
constexpr int kTypeMx = 15;
constexpr int kTypeTxt = 16;
constexpr int kTypeAaaa = 28;
constexpr int kEdnsPayload = 1232;  // the DNS flag day 2020 recommendation
constexpr std::size_t kMaxNameLength = 253;

// init_library - ares_library_init exactly once per process.
int init_library() {
  static std::once_flag once;
  static int status = ARES_SUCCESS;
  std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
  return status;
}

// classify - which LookupStatus class a c-ares status belongs to.
LookupStatus classify(int status) {
  switch (status) {
    case ARES_SUCCESS: return LookupStatus::ok;
    case ARES_ENOTFOUND: return LookupStatus::nxdomain;
    case ARES_ENODATA: return LookupStatus::nodata;
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
    case ARES_ETIMEOUT:
    case ARES_ECONNREFUSED:
    case ARES_ENOMEM:
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION: return LookupStatus::temporary;
    default: return LookupStatus::error;  // EBADRESP, EFORMERR, ENOTIMP, EBADNAME...
  }
}

std::string describe(const char* type, std::string_view name, int status) {
  std::string text = type;
  text += " ";
  text += name;
  text += ": ";
  text += ares_strerror(status);
  return text;
}

// Answer - what one query came back with.
struct Answer {
  int status = ARES_ENOTINITIALIZED;
  std::vector<unsigned char> bytes;
  int* pending = nullptr;
};

void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* answer = static_cast<Answer*>(arg);
  answer->status = status;
  if (abuf != nullptr && alen > 0) answer->bytes.assign(abuf, abuf + alen);
  --*answer->pending;
}

// Channel - one ares channel for the duration of one lookup.
class Channel {
 public:
  Channel(const ResolverOptions& options, const std::string& servers_csv) {
    status_ = init_library();
    if (status_ != ARES_SUCCESS) return;
    ares_options opts{};
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_EDNS;
    opts.timeout = static_cast<int>(options.timeout.count());
    opts.tries = options.tries < 1 ? 1 : options.tries;
    opts.ednspsz = kEdnsPayload;
    const int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_EDNSPSZ;
    status_ = ares_init_options(&channel_, &opts, mask);
    if (status_ != ARES_SUCCESS) {
      channel_ = nullptr;
      return;
    }
    if (!servers_csv.empty()) status_ = ares_set_servers_ports_csv(channel_, servers_csv.c_str());
  }
  ~Channel() {
    if (channel_ != nullptr) ares_destroy(channel_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // status - ARES_SUCCESS when the channel is usable.
  int status() const { return status_; }

  void query(const std::string& name, int type, Answer& out) {
    out.pending = &pending_;
    ++pending_;
    ares_query(channel_, name.c_str(), kClassIn, type, on_answer, &out);
  }

  // run - drive the channel until every query sent has completed.
  void run() {
    while (pending_ > 0) {
      ares_socket_t socks[ARES_GETSOCK_MAXNUM];
      const int bits = ares_getsock(channel_, socks, ARES_GETSOCK_MAXNUM);
      std::vector<pollfd> fds;
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        short events = 0;
        if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
        if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
        if (events == 0) break;
        fds.push_back(pollfd{socks[i], events, 0});
      }
      timeval tv{};
      const timeval* wait = ares_timeout(channel_, nullptr, &tv);
      const int wait_ms = wait == nullptr ? 1000 : static_cast<int>(wait->tv_sec * 1000 + (wait->tv_usec + 999) / 1000);
      const int ready = ::poll(fds.data(), fds.size(), wait_ms);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) {
        ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
        continue;
      }
      for (const pollfd& p : fds) {
        const bool error = (p.revents & (POLLERR | POLLHUP)) != 0;
        const ares_socket_t read_fd = (p.revents & POLLIN) || error ? p.fd : ARES_SOCKET_BAD;
        const ares_socket_t write_fd = (p.revents & POLLOUT) || error ? p.fd : ARES_SOCKET_BAD;
        if (read_fd != ARES_SOCKET_BAD || write_fd != ARES_SOCKET_BAD) ares_process_fd(channel_, read_fd, write_fd);
      }
    }
  }

 private:
  ares_channel channel_ = nullptr;
  int status_ = ARES_SUCCESS;
  int pending_ = 0;
};

// strip_root - "mx.example.com." -> "mx.example.com"; the root itself -> ".".
std::string strip_root(const char* name) {
  std::string text = name == nullptr ? "" : name;
  while (!text.empty() && text.back() == '.') text.pop_back();
  return text.empty() ? "." : text;
}

MxLookup parse_mx(std::string_view name, const Answer& answer) {
  MxLookup out;
  int status = answer.status;
  ares_mx_reply* replies = nullptr;
  if (status == ARES_SUCCESS) {
    status = ares_parse_mx_reply(answer.bytes.data(), static_cast<int>(answer.bytes.size()), &replies);
  }
  out.status = classify(status);
  if (status != ARES_SUCCESS) {
    out.detail = describe("MX", name, status);
    return out;
  }
  for (const ares_mx_reply* r = replies; r != nullptr; r = r->next) {
    out.records.push_back(MxRecord{r->priority, strip_root(r->host)});
  }
  ares_free_data(replies);
  return out;
}

// parse_addresses - the A or AAAA literals of one answer, appended to out.
int parse_addresses(const Answer& answer, int type, std::vector<std::string>& out) {
  if (answer.status != ARES_SUCCESS) return answer.status;
  hostent* host = nullptr;
  const auto* data = answer.bytes.data();
  const int size = static_cast<int>(answer.bytes.size());
  const int status = type == kTypeA ? ares_parse_a_reply(data, size, &host, nullptr, nullptr)
                                    : ares_parse_aaaa_reply(data, size, &host, nullptr, nullptr);
  if (status != ARES_SUCCESS) return status;
  char text[INET6_ADDRSTRLEN] = {};
  for (char** addr = host->h_addr_list; addr != nullptr && *addr != nullptr; ++addr) {
    if (inet_ntop(host->h_addrtype, *addr, text, sizeof text) != nullptr) out.emplace_back(text);
  }
  ares_free_hostent(host);
  return ARES_SUCCESS;
}

// combine - one outcome from the A and AAAA halves of an address lookup:
// any address wins; else the most retryable failure speaks for both.
LookupStatus combine(LookupStatus a, LookupStatus aaaa) {
  for (LookupStatus s : {LookupStatus::temporary, LookupStatus::error, LookupStatus::nodata}) {
    if (a == s || aaaa == s) return s;
  }
  return LookupStatus::nxdomain;
}

TxtLookup parse_txt(std::string_view name, const Answer& answer) {
  TxtLookup out;
  int status = answer.status;
  ares_txt_ext* chunks = nullptr;
  if (status == ARES_SUCCESS) {
    status = ares_parse_txt_reply_ext(answer.bytes.data(), static_cast<int>(answer.bytes.size()), &chunks);
  }
  out.status = classify(status);
  if (status != ARES_SUCCESS) {
    out.detail = describe("TXT", name, status);
    return out;
  }
  // The strings of one record are joined without spaces (RFC 7208 §3.3,
  // RFC 6376 §3.6.2.2); record_start marks where the next record begins.
  for (const ares_txt_ext* c = chunks; c != nullptr; c = c->next) {
    if (c->record_start || out.records.empty()) out.records.emplace_back();
    out.records.back().append(reinterpret_cast<const char*>(c->txt), c->length);
  }
  ares_free_data(chunks);
  return out;
}

// check_name - why a name cannot even be asked about, or "" when it can.
std::string check_name(std::string_view name) {
  if (name.empty()) return "empty name";
  if (name.size() > kMaxNameLength + 1) return "name longer than 253 characters";
  if (name.find('\0') != std::string_view::npos) return "name contains NUL";
  return "";
}

class CaresResolver final : public Resolver {
 public:
  explicit CaresResolver(const ResolverOptions& options) : options_(options) {
    for (const std::string& server : options.servers) {
      if (!servers_csv_.empty()) servers_csv_ += ",";
      servers_csv_ += server;
    }
  }

  MxLookup mx(std::string_view domain) override {
    MxLookup out;
    Answer answer;
    if (!ask(domain, "MX", out.detail, {{kTypeMx, &answer}})) return out;
    return parse_mx(domain, answer);
  }

  AddressLookup addresses(std::string_view host) override {
    AddressLookup out;
    Answer a;
    Answer aaaa;
    if (!ask(host, "A/AAAA", out.detail, {{kTypeA, &a}, {kTypeAaaa, &aaaa}})) return out;
    const int a_status = parse_addresses(a, kTypeA, out.addresses);
    const int aaaa_status = parse_addresses(aaaa, kTypeAaaa, out.addresses);
    if (a_status != ARES_SUCCESS) out.detail = describe("A", host, a_status);
    if (aaaa_status != ARES_SUCCESS) {
      if (!out.detail.empty()) out.detail += "; ";
      out.detail += describe("AAAA", host, aaaa_status);
    }
    out.status = out.addresses.empty() ? combine(classify(a_status), classify(aaaa_status)) : LookupStatus::ok;
    return out;
  }

  TxtLookup txt(std::string_view name) override {
    TxtLookup out;
    Answer answer;
    if (!ask(name, "TXT", out.detail, {{kTypeTxt, &answer}})) return out;
    return parse_txt(name, answer);
  }

 private:
  // ask - send the queries for name on a fresh channel and wait for all of
  // them; false (with detail set, status left at error) when they could not
  // be sent at all.
  bool ask(std::string_view name, const char* what, std::string& detail,
           std::initializer_list<std::pair<int, Answer*>> queries) {
    if (std::string why = check_name(name); !why.empty()) {
      detail = std::string(what) + " lookup refused: " + why;
      return false;
    }
    Channel channel(options_, servers_csv_);
    if (channel.status() != ARES_SUCCESS) {
      detail = std::string("resolver setup failed: ") + ares_strerror(channel.status());
      return false;
    }
    const std::string owned(name);
    for (const auto& [type, answer] : queries) channel.query(owned, type, *answer);
    channel.run();
    return true;
  }

  ResolverOptions options_;
  std::string servers_csv_;
};

}  // namespace

std::unique_ptr<Resolver> make_cares_resolver(const ResolverOptions& options) {
  return std::make_unique<CaresResolver>(options);
}

}  // namespace tern::dns
