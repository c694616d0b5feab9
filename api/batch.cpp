// batch.cpp - validate every email, check who may send what, store all in
// one transaction, answer in input order.
#include "api/batch.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/emails_routes.hpp"
#include "api/json_body.hpp"
#include "store/util/log.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

ApiResult<SendRequest> validate_item(const Json& item, TimePoint now) {
  if (item.is_object()) {
    auto attachments = item.find("attachments");
    if (attachments != item.end() && !attachments->is_null() && !(attachments->is_array() && attachments->empty()))
      return reject(invalid_attachment(
          "Attachments are not supported in batch emails. Send emails with attachments one by one with POST /emails."));
  }
  auto request = validate_send_request(item);
  if (!request) return reject(request.error());
  if (auto ok = check_schedule(*request, now); !ok) return reject(ok.error());
  return request;
}

// check_rights - the key's domain limit and the sender policy, per email.
ApiResult<void> check_rights(ApiServices& services, const RequestContext& context, const std::string& key_domain_name,
                             const SendRequest& request) {
  if (auto ok = check_key_domain(key_domain_name, request.from_domain); !ok) return ok;
  return check_sender(services.senders, context, request.from_domain);
}

// is_fault - an error that is ours (Redis, policy backend), not the email's.
bool is_fault(const ApiError& error) { return error.status >= 500; }

}  // namespace

ApiResult<BatchValidation> read_batch_validation(const ApiRequest& request) {
  auto value = request_header(request, "x-batch-validation");
  if (!value || value->empty() || *value == "strict") return BatchValidation::strict;
  if (*value == "permissive") return BatchValidation::permissive;
  return reject(validation_error("The `x-batch-validation` header must be `strict` or `permissive`."));
}

ApiResult<ParsedBatch> parse_batch(std::string_view body, BatchValidation mode, TimePoint now) {
  auto parsed = parse_json_value(body);
  if (!parsed) return reject(parsed.error());
  if (!parsed->is_array()) return reject(validation_error("The request body must be a JSON array of emails."));
  if (parsed->empty()) return reject(validation_error("The batch must hold at least one email."));
  if (parsed->size() > kMaxBatchEmails)
    return reject(validation_error("The batch may hold at most " + std::to_string(kMaxBatchEmails) +
                                   " emails, not " + std::to_string(parsed->size()) + "."));
  ParsedBatch out;
  for (std::size_t i = 0; i < parsed->size(); ++i) {
    auto request = validate_item((*parsed)[i], now);
    if (request) {
      out.valid.emplace_back(i, std::move(*request));
    } else if (mode == BatchValidation::strict) {
      return reject(request.error());
    } else {
      out.errors.push_back(BatchItemError{i, request.error()});
    }
  }
  return out;
}

ApiResponse send_batch(const ApiRequest& request, ApiServices& services) {
  auto mode = read_batch_validation(request);
  if (!mode) return error_response(mode.error());
  const TimePoint now = services.clock.now();
  auto batch = parse_batch(request.body, *mode, now);
  if (!batch) return error_response(batch.error());
  auto allowed = key_domain(services, request.context);
  if (!allowed) return error_response(allowed.error());

  std::vector<store::NewEmail> emails;
  std::vector<BatchItemError> errors = std::move(batch->errors);
  for (auto& [index, send] : batch->valid) {
    if (auto ok = check_rights(services, request.context, *allowed, send); !ok) {
      if (*mode == BatchValidation::strict || is_fault(ok.error())) return error_response(ok.error());
      errors.push_back(BatchItemError{index, ok.error()});
      continue;
    }
    emails.push_back(new_email(send, request.context, services.options, now));
  }
  store::EmailStore store(services.pool);
  if (auto stored = store.create_batch(emails); !stored) {
    log::error("storing email batch failed", {{"team", request.context.team}, {"error", stored.error().message}});
    return error_response(from_error(stored.error()));
  }
  Json data = Json::array();
  for (const auto& email : emails) data.push_back(Json{{"id", email.content.id}});
  Json body{{"data", std::move(data)}};
  if (*mode == BatchValidation::permissive) {
    std::sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    Json list = Json::array();
    for (const auto& e : errors) list.push_back(Json{{"index", e.index}, {"message", e.error.message}});
    body["errors"] = std::move(list);
  }
  log::debug("email batch accepted", {{"team", request.context.team}, {"emails", std::to_string(emails.size())}});
  if (services.metrics) services.metrics->emails_accepted.inc(double(emails.size()));
  return json_response(200, body);
}

}  // namespace tern::api
