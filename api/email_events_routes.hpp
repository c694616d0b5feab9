// email_events_routes.hpp - GET /emails/{id}/events, Tern's own path (no
// Resend twin): an email's event log, oldest first, for the web console's
// timeline. {"object":"list","data":[{"type","created_at","recipients":[],
// "reply":{"code","enhanced","text","host"}|null}]}; 404 when the email is
// not the caller's team's. Full access only.
#pragma once

#include <vector>

#include "api/router.hpp"

namespace tern::api {

void add_email_event_routes(std::vector<Route>& routes);

ApiResponse list_email_events(const ApiRequest& request, ApiServices& services);

}  // namespace tern::api
