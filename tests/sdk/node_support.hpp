// node_support.hpp - what the node-driven tests share: finding node on PATH
// and installing tests/sdk/node_modules (`npm ci`, from package-lock.json)
// only when a package is missing, so runs after the first need no network.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>

namespace tern::testing {

inline const std::string kSdkDir = std::string(TERN_SOURCE_DIR) + "/tests/sdk";

// find_in_path - the full path of an executable on PATH, or "".
inline std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = dir + "/" + name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// ensure_node_modules - `npm ci` when tests/sdk/node_modules lacks `package`.
inline bool ensure_node_modules(const std::string& package) {
  if (access((kSdkDir + "/node_modules/" + package + "/package.json").c_str(), R_OK) == 0) return true;
  const std::string command = "npm ci --prefix '" + kSdkDir + "' --no-audit --no-fund >&2";
  return std::system(command.c_str()) == 0;
}

}  // namespace tern::testing
