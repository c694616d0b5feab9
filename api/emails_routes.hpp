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
#pragma once

#include <vector>

#include "api/router.hpp"

namespace tern::api {

void add_email_routes(std::vector<Route>& routes);

ApiResponse send_email(const ApiRequest& request, ApiServices& services);
ApiResponse get_email(const ApiRequest& request, ApiServices& services);

// check_sender - the sender policy's verdict as the API answers it.
ApiResult<void> check_sender(SenderPolicy& senders, const RequestContext& context, std::string_view domain);

}  // namespace tern::api
