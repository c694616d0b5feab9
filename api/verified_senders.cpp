// verified_senders.cpp - SenderPolicy over the domain store.
#include "api/verified_senders.hpp"

#include <cctype>

#include "store/redis/domain_store.hpp"

namespace tern::api {

Result<void> VerifiedSenders::may_send_from(std::string_view team, std::string_view domain) {
  std::string name(domain);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!name.empty() && name.back() == '.') name.pop_back();
  store::DomainStore store(pool_);
  auto found = store.find_by_name(team, name);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(Errc::not_found, "The `" + name + "` domain is not added to this team.");
  if ((*found)->status != "verified")
    return fail(Errc::not_found, "The `" + name + "` domain is " + (*found)->status + ", not verified.");
  return {};
}

}  // namespace tern::api
