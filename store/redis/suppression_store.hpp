// suppression_store.hpp - the team-wide suppression list: addresses Tern
// will not send to, because they hard-bounced, complained, or were added by
// hand (resend-api.md §9).
//
// Promises:
//   - An address is kept as given with its domain lower-cased, and compared
//     case-insensitively on the whole address ("Bob@X.org" == "bob@x.org").
//   - add() is idempotent: adding an address already listed returns the
//     existing entry (created == false) and publishes nothing.
//   - is_suppressed() and suppressed_among() are one Redis round trip each
//     (the worker asks per email before sending).
//   - Every add and remove that changes the list publishes
//     suppression.added / suppression.removed to keys::kEventStream
//     (fields type, team, subject_id = suppression id, event =
//     {"type","at_ms","data":{id,email,origin,source_id,created_at}}) in the
//     same atomic step as the change.
//   - Everything is scoped by team; another team's id or address is simply
//     not found.
// Errors: Errc::unavailable for Redis trouble; Errc::invalid_argument for a
// batch over kMaxBatch or a bad page request. An unknown cursor gives an
// empty page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/redis/redis_connection.hpp"
#include "store/util/result.hpp"
#include "store/util/time_format.hpp"

namespace tern::store {

enum class SuppressionOrigin { bounce, complaint, manual };
const char* to_string(SuppressionOrigin origin);
std::optional<SuppressionOrigin> parse_suppression_origin(std::string_view text);

struct Suppression {
  std::string id;
  std::string email;  // domain lower-cased
  SuppressionOrigin origin = SuppressionOrigin::manual;
  std::optional<std::string> source_id;  // the email that caused it; none for manual
  TimePoint created_at{};
};

// normalize_suppressed_address - trimmed, domain lower-cased (pure).
std::string normalize_suppressed_address(std::string_view address);
// suppression_lookup_key - the whole address lower-cased: the comparison key.
std::string suppression_lookup_key(std::string_view address);

// The stored document and back; the public object (no "object" field) as
// the API and the webhook payload show it (pure).
std::string suppression_to_json(const Suppression& entry);
Result<Suppression> suppression_from_json(std::string_view text);
std::string suppression_event_json(std::string_view type, const Suppression& entry, TimePoint at);

struct AddedSuppression {
  Suppression entry;
  bool created = false;  // false: the address was listed already
};

struct SuppressionPageRequest {
  int limit = 20;                      // 1..100
  std::optional<std::string> after;    // older than this id
  std::optional<std::string> before;   // newer than this id (not both)
  std::optional<SuppressionOrigin> origin;
};

struct SuppressionPage {
  std::vector<Suppression> data;  // newest first
  bool has_more = false;
};

class SuppressionStore {
 public:
  static constexpr std::size_t kMaxBatch = 100;

  explicit SuppressionStore(RedisPool& pool) : pool_(pool) {}

  Result<AddedSuppression> add(std::string_view team, std::string_view address, SuppressionOrigin origin,
                               std::optional<std::string> source_id, TimePoint now);
  // add_batch - every address added (idempotently) in one round trip; the
  // results are in input order.
  Result<std::vector<AddedSuppression>> add_batch(std::string_view team, const std::vector<std::string>& addresses,
                                                  SuppressionOrigin origin, std::optional<std::string> source_id,
                                                  TimePoint now);

  Result<std::optional<Suppression>> is_suppressed(std::string_view team, std::string_view address);
  // suppressed_among - one entry (or nullopt) per address, in input order.
  Result<std::vector<std::optional<Suppression>>> suppressed_among(std::string_view team,
                                                                   const std::vector<std::string>& addresses);

  Result<std::optional<Suppression>> get_by_id(std::string_view team, std::string_view id);
  Result<std::optional<Suppression>> get_by_email(std::string_view team, std::string_view address);
  Result<SuppressionPage> list(std::string_view team, const SuppressionPageRequest& request);

  // remove_* - the removed entry, or nullopt when there was none.
  Result<std::optional<Suppression>> remove_by_id(std::string_view team, std::string_view id, TimePoint now);
  Result<std::optional<Suppression>> remove_by_email(std::string_view team, std::string_view address, TimePoint now);
  // remove_batch_* - the entries actually removed (unknown ones skipped), in input order.
  Result<std::vector<Suppression>> remove_batch_by_ids(std::string_view team, const std::vector<std::string>& ids,
                                                       TimePoint now);
  Result<std::vector<Suppression>> remove_batch_by_emails(std::string_view team,
                                                          const std::vector<std::string>& addresses, TimePoint now);

 private:
  Result<std::vector<Suppression>> remove_found(std::string_view team, const std::vector<Suppression>& found,
                                                TimePoint now);

  RedisPool& pool_;
};

}  // namespace tern::store
