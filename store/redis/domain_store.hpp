// domain_store.hpp - sending domains: their DNS records and verification
// state, and their DKIM keys (private halves sealed with SecretBox, never
// stored or returned in clear).
//
// A domain name is registered once across all teams (Resend: "has been
// registered already"). Every lookup by id is scoped to the team; another
// team's id answers nullopt (the API turns that into 404).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/redis/redis_connection.hpp"
#include "store/util/time_format.hpp"

namespace tern::store {

struct StoredDnsRecord {
  std::string record;  // "SPF", "DKIM" (Resend's enum); "DMARC" only for the advice
  std::string name;    // relative to the domain
  std::string type;    // "MX", "TXT"
  std::string value;
  std::optional<int> priority;
  std::string ttl = "Auto";
  std::string status = "not_started";  // not_started | pending | verified | failed | temporary_failure
  std::string found;                   // what DNS returned at the last check
  std::string problem;                 // what is wrong and how to fix it; empty when verified
};

struct DkimKeyRecord {
  std::string selector;
  std::string key_type;     // "rsa" | "ed25519"
  std::string public_key;   // p= value
  std::string sealed_private_key;  // SecretBox(master).seal(PEM, domain id)
};

struct Domain {
  std::string id;
  std::string team;
  std::string name;                       // lower-case
  std::string status = "not_started";     // not_started | pending | verified | partially_verified | failed
  std::string region = "us-east-1";
  std::string custom_return_path = "send";
  std::string tls = "opportunistic";      // opportunistic | enforced
  bool open_tracking = false;
  bool click_tracking = false;
  TimePoint created_at{};
  std::optional<TimePoint> verification_started_at;
  std::optional<TimePoint> last_checked_at;
  std::optional<TimePoint> next_check_at;
  std::vector<StoredDnsRecord> records;
  StoredDnsRecord dmarc;
  std::vector<DkimKeyRecord> dkim_keys;
};

// The stored document (every field, sealed keys included) and back (pure).
std::string domain_to_json(const Domain& domain);
Result<Domain> domain_from_json(std::string_view text);

// domain_event_json - the `event` field of a domain.* entry in the event
// stream: {"type","at_ms","data"} where data is the webhook payload's
// {id,name,status,created_at,region,capabilities,records} (resend-api.md
// §8.3). Keys and check diagnostics are never included.
std::string domain_event_json(std::string_view type, const Domain& domain, TimePoint at);

class DomainStore {
 public:
  explicit DomainStore(RedisPool& pool) : pool_(pool) {}

  // create - Errc::conflict when the name is registered already (any team).
  Result<void> create(const Domain& domain);
  Result<std::optional<Domain>> get(std::string_view team, std::string_view id);
  // find_by_name - the domain of this name within the team, or nullopt.
  Result<std::optional<Domain>> find_by_name(std::string_view team, std::string_view name);
  Result<std::vector<Domain>> list(std::string_view team);  // newest first
  Result<void> update(const Domain& domain);                 // whole record; same team and name
  // update - the same; publish_event false skips domain.updated (a
  // background re-check that changed nothing a customer would care about).
  // Errc::not_found when the domain is gone or belongs to another team.
  Result<void> update(const Domain& domain, bool publish_event);
  Result<bool> remove(std::string_view team, std::string_view id);
  // due_for_check - {team, id} of domains whose next_check_at has passed,
  // oldest first. Each one returned is claimed for kRecheckLease (its
  // next_check_at moves on), so several workers do not check it at once;
  // the checker's update() then sets the real next time.
  Result<std::vector<std::pair<std::string, std::string>>> due_for_check(TimePoint now, int max);

  static constexpr std::chrono::minutes kRecheckLease{5};

 private:
  RedisPool& pool_;
};

}  // namespace tern::store
