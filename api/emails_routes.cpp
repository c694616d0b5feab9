// emails_routes.cpp - thin handlers: parse -> validate (pure) -> store -> serialise.
#include "api/emails_routes.hpp"

#include <cctype>

#include "api/email_view.hpp"
#include "api/send_request.hpp"
#include "mailer/message.hpp"
#include "store/redis/email_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

store::EmailEvent first_event(const store::EmailContent& content, const store::EmailState& state) {
  store::EmailEvent event;
  event.type = content.scheduled_at ? "email.scheduled" : "email.sent";
  event.at = content.created_at;
  for (const auto& recipient : state.recipients) event.recipients.push_back(recipient.address);
  return event;
}

}  // namespace

void add_email_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/emails", Access::sending, send_email});
  routes.push_back(Route{"GET", "/emails/:id", Access::full, get_email});
}

ApiResult<void> check_sender(SenderPolicy& senders, const RequestContext& context, std::string_view domain) {
  auto allowed = senders.may_send_from(context.team, domain);
  if (allowed) return {};
  const Errc code = allowed.error().code;
  if (code == Errc::unavailable || code == Errc::internal || code == Errc::protocol) {
    log::error("sender policy failed", {{"team", context.team}, {"error", allowed.error().message}});
    return reject(application_error());
  }
  return reject(domain_not_verified(domain));
}

ApiResponse send_email(const ApiRequest& request, ApiServices& services) {
  auto send = parse_send_request(request.body);
  if (!send) return error_response(send.error());
  const TimePoint now = services.clock.now();
  if (auto ok = check_schedule(*send, now); !ok) return error_response(ok.error());
  if (auto ok = check_sender(services.senders, request.context, send->from_domain); !ok)
    return error_response(ok.error());

  std::string id = new_uuid();
  std::string message_id = mailer::make_message_id(id, services.options.hostname);
  store::EmailContent content = to_email_content(*send, request.context.team, id, std::move(message_id), now);
  store::EmailState state = store::initial_state(content);
  store::EmailStore emails(services.pool);
  if (auto stored = emails.create(content, state, first_event(content, state)); !stored) {
    log::error("storing email failed", {{"email_id", id}, {"team", request.context.team},
                                        {"error", stored.error().message}});
    return error_response(from_error(stored.error()));
  }
  log::debug("email accepted", {{"email_id", id}, {"team", request.context.team},
                                {"recipients", std::to_string(state.recipients.size())}});
  return json_response(200, nlohmann::ordered_json{{"id", id}});
}

ApiResponse get_email(const ApiRequest& request, ApiServices& services) {
  const std::string& raw_id = request.params.at(0);
  if (!is_uuid(raw_id)) return error_response(invalid_uuid_parameter("id"));
  store::EmailStore emails(services.pool);
  auto found = emails.get(request.context.team, lowercase(raw_id));
  if (!found) {
    log::error("reading email failed", {{"email_id", raw_id}, {"error", found.error().message}});
    return error_response(from_error(found.error()));
  }
  if (!*found) return error_response(not_found("Email not found."));
  return json_response(200, email_view(**found));
}

}  // namespace tern::api
