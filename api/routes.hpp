// routes.hpp - the table of every endpoint the API serves (kumomta's
// make_router): one add_*_routes() per resource file, listed in routes.cpp.
#pragma once

#include <vector>

#include "api/router.hpp"
#include "api/services.hpp"

namespace tern::api {

// make_routes - every route; /metrics and /console as options say.
std::vector<Route> make_routes(const ApiOptions& options = {});

}  // namespace tern::api
