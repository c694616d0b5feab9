// runtime.hpp - the long-running roles: `tern serve` (API and worker in one
// process), `tern api` and `tern worker`. Builds the Redis pool, resolver
// and clock from Config, checks Redis durability, starts the roles and
// waits for SIGTERM/SIGINT to stop them gracefully.
#pragma once

#include "store/util/config.hpp"

namespace tern::cli {

struct Roles {
  bool api = false;
  bool worker = false;
};

int run_roles(const Config& config, Roles roles);

}  // namespace tern::cli
