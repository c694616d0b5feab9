// email_events_routes.cpp - the event log as JSON.
#include "api/email_events_routes.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "store/redis/email_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"
#include "store/util/time_format.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

Json event_json(const store::EmailEvent& e) {
  Json reply = nullptr;
  if (e.reply)
    reply = Json{{"code", e.reply->code}, {"enhanced", e.reply->enhanced}, {"text", e.reply->text},
                 {"host", e.reply->host}};
  return Json{{"type", e.type}, {"created_at", format_resend_timestamp(e.at)}, {"recipients", e.recipients},
              {"reply", reply}};
}

}  // namespace

void add_email_event_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"GET", "/emails/:id/events", Access::full, list_email_events});
}

ApiResponse list_email_events(const ApiRequest& request, ApiServices& services) {
  std::string id = request.params.at(0);
  if (!is_uuid(id)) return error_response(invalid_uuid_parameter("id"));
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  store::EmailStore emails(services.pool);
  auto found = emails.get(request.context.team, id);  // the team check
  if (!found) return error_response(from_error(found.error()));
  if (!*found) return error_response(not_found("Email not found."));
  auto events = emails.events(id);
  if (!events) {
    log::error("reading email events failed", {{"email_id", id}, {"error", events.error().message}});
    return error_response(from_error(events.error()));
  }
  Json data = Json::array();
  for (const auto& e : *events) data.push_back(event_json(e));
  return json_response(200, Json{{"object", "list"}, {"data", data}});
}

}  // namespace tern::api
