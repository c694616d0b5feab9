// keys_command.hpp - `tern keys create --name N [--team T] [--permission P]`:
// prints the new token once; only its SHA-256 is stored.
#pragma once

#include <string>
#include <vector>

#include "store/util/config.hpp"

namespace tern::cli {

int keys_command(const Config& config, const std::vector<std::string>& args);

}  // namespace tern::cli
