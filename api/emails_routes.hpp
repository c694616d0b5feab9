// emails_routes.hpp - the /emails resource.
//
//   POST /emails       (sending or full access) validate, check the sender
//                      policy, store content + state + queue entry in one
//                      transaction, then 200 {"id"}. Nothing is answered
//                      200 before the store says the email is durable; a
//                      Redis failure is 500 application_error and, since the
//                      write is one MULTI/EXEC, nothing half-written.
//   GET  /emails/:id   (full access) the email object, 422 invalid_parameter
//                      for a non-UUID id, 404 "Email not found." when it does
//                      not exist or belongs to another team.
//   GET  /emails       (full access) newest first; limit 1-100 (default
//                      20), after/before cursors (pagination.hpp), has_more.
//   PATCH /emails/:id  (full access) {"scheduled_at"}: reschedule, only
//                      while the email is still scheduled, else 422.
//   POST /emails/:id/cancel (full access) only while scheduled -> last_event
//                      "canceled", never sent; else 422.
//   POST /emails/batch (sending or full access) see batch.hpp.
// POST /emails and /emails/batch honour Idempotency-Key (idempotency.hpp).
// A sending_access key limited to one domain may only send from it (403
// validation_error otherwise).
#pragma once

#include <vector>

#include "api/router.hpp"
#include "api/send_request.hpp"
#include "store/redis/email_store.hpp"

namespace tern::api {

void add_email_routes(std::vector<Route>& routes);

ApiResponse send_email(const ApiRequest& request, ApiServices& services);
ApiResponse get_email(const ApiRequest& request, ApiServices& services);

ApiResponse list_emails(const ApiRequest& request, ApiServices& services);
ApiResponse update_email(const ApiRequest& request, ApiServices& services);
ApiResponse cancel_email(const ApiRequest& request, ApiServices& services);

// check_sender - the sender policy's verdict as the API answers it.
ApiResult<void> check_sender(SenderPolicy& senders, const RequestContext& context, std::string_view domain);

// key_domain - the name of the domain a sending_access key is limited to,
// or "" when it is not limited (a vanished domain allows nothing: "\x01").
ApiResult<std::string> key_domain(ApiServices& services, const RequestContext& context);

// check_key_domain - from_domain against key_domain()'s answer (pure).
ApiResult<void> check_key_domain(std::string_view allowed, std::string_view from_domain);

// first_event - "email.sent" (or "email.scheduled") for every recipient at acceptance.
store::EmailEvent first_event(const store::EmailContent& content, const store::EmailState& state);

// new_email - the stored form of a validated request, ids and Message-ID
// made here; the request's attachments are moved out.
store::NewEmail new_email(SendRequest& request, const RequestContext& context, const ApiOptions& options,
                          TimePoint now);

}  // namespace tern::api
