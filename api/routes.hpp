// routes.hpp - the table of every endpoint the API serves (kumomta's
// make_router): one add_*_routes() per resource file, listed in routes.cpp.
#pragma once

#include <vector>

#include "api/router.hpp"

namespace tern::api {

std::vector<Route> make_routes();

}  // namespace tern::api
