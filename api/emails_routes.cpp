// emails_routes.cpp - thin handlers: parse -> validate (pure) -> store -> serialise.
#include "api/emails_routes.hpp"

#include <cctype>

#include "api/batch.hpp"
#include "api/email_view.hpp"
#include "api/idempotency.hpp"
#include "api/json_body.hpp"
#include "api/pagination.hpp"
#include "api/schedule_parse.hpp"
#include "api/send_request.hpp"
#include "mailer/message.hpp"
#include "store/redis/domain_store.hpp"
#include "store/redis/email_store.hpp"
#include "store/util/ids.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

constexpr std::size_t kDefaultEmailPage = 20;  // resend-api.md §1.5

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// schedule_change_response - {"object":"email","id"} or why not.
ApiResponse schedule_change_response(const Result<store::ScheduleChange>& changed, const std::string& raw_id,
                                     std::string_view verb) {
  if (!changed) {
    log::error("changing an email's schedule failed", {{"email_id", raw_id}, {"error", changed.error().message}});
    return error_response(from_error(changed.error()));
  }
  switch (*changed) {
    case store::ScheduleChange::not_found: return error_response(not_found("Email not found."));
    case store::ScheduleChange::not_scheduled:
      return error_response(validation_error("Only scheduled emails can be " + std::string(verb) +
                                             ", and this email is no longer scheduled."));
    case store::ScheduleChange::done: break;
  }
  return json_response(200, nlohmann::ordered_json{{"object", "email"}, {"id", lowercase(raw_id)}});
}

}  // namespace

void add_email_routes(std::vector<Route>& routes) {
  routes.push_back(Route{"POST", "/emails", Access::sending, [](const ApiRequest& request, ApiServices& services) {
                           return with_idempotency(request, services, "POST /emails", send_email);
                         }});
  routes.push_back(Route{"POST", "/emails/batch", Access::sending, [](const ApiRequest& request, ApiServices& services) {
                           return with_idempotency(request, services, "POST /emails/batch", send_batch);
                         }});
  routes.push_back(Route{"GET", "/emails", Access::full, list_emails});
  routes.push_back(Route{"GET", "/emails/:id", Access::full, get_email});
  routes.push_back(Route{"PATCH", "/emails/:id", Access::full, update_email});
  routes.push_back(Route{"POST", "/emails/:id/cancel", Access::full, cancel_email});
}

store::EmailEvent first_event(const store::EmailContent& content, const store::EmailState& state) {
  store::EmailEvent event;
  event.type = content.scheduled_at ? "email.scheduled" : "email.sent";
  event.at = content.created_at;
  for (const auto& recipient : state.recipients) event.recipients.push_back(recipient.address);
  return event;
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

ApiResult<std::string> key_domain(ApiServices& services, const RequestContext& context) {
  if (context.permission != store::Permission::sending_access || context.domain_id.empty()) return std::string();
  store::DomainStore domains(services.pool);
  auto domain = domains.get(context.team, context.domain_id);
  if (!domain) {
    log::error("reading the key's domain failed", {{"team", context.team}, {"error", domain.error().message}});
    return reject(from_error(domain.error()));
  }
  if (!*domain) return std::string("\x01");  // the domain was deleted: nothing matches
  return lowercase((*domain)->name);
}

ApiResult<void> check_key_domain(std::string_view allowed, std::string_view from_domain) {
  if (allowed.empty() || lowercase(from_domain) == allowed) return {};
  return reject(validation_error("This API key may only send from its own domain, not from `" +
                                     std::string(from_domain) + "`.",
                                 403));
}

store::NewEmail new_email(SendRequest& request, const RequestContext& context, const ApiOptions& options,
                          TimePoint now) {
  std::vector<store::Attachment> attachments = std::move(request.attachments);
  request.attachments.clear();
  std::string id = new_uuid();
  std::string message_id = mailer::make_message_id(id, options.hostname);
  store::NewEmail email;
  email.content = to_email_content(request, context.team, std::move(id), std::move(message_id), now);
  email.content.attachments = std::move(attachments);
  email.state = store::initial_state(email.content);
  email.first_event = first_event(email.content, email.state);
  return email;
}

ApiResponse send_email(const ApiRequest& request, ApiServices& services) {
  auto send = parse_send_request(request.body);
  if (!send) return error_response(send.error());
  const TimePoint now = services.clock.now();
  if (auto ok = check_schedule(*send, now); !ok) return error_response(ok.error());
  auto allowed = key_domain(services, request.context);
  if (!allowed) return error_response(allowed.error());
  if (auto ok = check_key_domain(*allowed, send->from_domain); !ok) return error_response(ok.error());
  if (auto ok = check_sender(services.senders, request.context, send->from_domain); !ok)
    return error_response(ok.error());

  store::NewEmail email = new_email(*send, request.context, services.options, now);
  const std::string& id = email.content.id;
  store::EmailStore emails(services.pool);
  if (auto stored = emails.create(email.content, email.state, email.first_event); !stored) {
    log::error("storing email failed", {{"email_id", id}, {"team", request.context.team},
                                        {"error", stored.error().message}});
    return error_response(from_error(stored.error()));
  }
  log::debug("email accepted", {{"email_id", id}, {"team", request.context.team},
                                {"recipients", std::to_string(email.state.recipients.size())}});
  if (services.metrics) services.metrics->emails_accepted.inc();
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

ApiResponse list_emails(const ApiRequest& request, ApiServices& services) {
  auto page = parse_page_request(request.query);
  if (!page) return error_response(page.error());
  store::EmailPageRequest wanted{static_cast<int>(page->limit.value_or(kDefaultEmailPage)), lowercase(page->after),
                                 lowercase(page->before)};
  store::EmailStore emails(services.pool);
  auto found = emails.list(request.context.team, wanted);
  if (!found) {
    log::error("listing emails failed", {{"team", request.context.team}, {"error", found.error().message}});
    return error_response(from_error(found.error()));
  }
  nlohmann::ordered_json data = nlohmann::ordered_json::array();
  for (const auto& email : found->emails) data.push_back(email_list_item(email));
  return json_response(200, nlohmann::ordered_json{{"object", "list"}, {"has_more", found->has_more}, {"data", data}});
}

ApiResponse update_email(const ApiRequest& request, ApiServices& services) {
  const std::string& raw_id = request.params.at(0);
  if (!is_uuid(raw_id)) return error_response(invalid_uuid_parameter("id"));
  auto body = parse_json_object(request.body);
  if (!body) return error_response(body.error());
  auto it = body->find("scheduled_at");
  if (it == body->end() || it->is_null()) return error_response(missing_required_field("scheduled_at"));
  if (!it->is_string()) return error_response(validation_error("The `scheduled_at` field must be a string."));
  const TimePoint now = services.clock.now();
  auto at = parse_schedule_at(it->get_ref<const std::string&>(), now);
  if (!at) return error_response(validation_error(at.error().message));
  if (*at > now + kMaxScheduleAhead)
    return error_response(validation_error("The `scheduled_at` date must be at most 30 days in the future."));
  store::EmailStore emails(services.pool);
  auto changed = emails.reschedule(request.context.team, lowercase(raw_id), *at);
  return schedule_change_response(changed, raw_id, "updated");
}

ApiResponse cancel_email(const ApiRequest& request, ApiServices& services) {
  const std::string& raw_id = request.params.at(0);
  if (!is_uuid(raw_id)) return error_response(invalid_uuid_parameter("id"));
  store::EmailStore emails(services.pool);
  auto changed = emails.cancel(request.context.team, lowercase(raw_id), services.clock.now());
  return schedule_change_response(changed, raw_id, "canceled");
}

}  // namespace tern::api
