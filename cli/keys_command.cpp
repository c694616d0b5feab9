#include "cli/keys_command.hpp"

#include <cstdio>

#include "store/redis/api_key_store.hpp"

namespace tern::cli {
namespace {

constexpr const char* kUsage =
    "usage: tern keys create --name NAME [--team TEAM] [--permission full_access|sending_access]\n"
    "       tern keys list [--team TEAM]\n";

// option - the value after --name (or --name=value); empty when absent.
bool option(const std::vector<std::string>& args, const std::string& name, std::string& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--" + name && i + 1 < args.size()) {
      out = args[i + 1];
      return true;
    }
    if (args[i].rfind("--" + name + "=", 0) == 0) {
      out = args[i].substr(name.size() + 3);
      return true;
    }
  }
  return false;
}

}  // namespace

int keys_command(const Config& config, const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "create" && args[0] != "list")) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string team = "default";
  option(args, "team", team);
  store::RedisPool pool(config.redis);
  store::ApiKeyStore keys(pool);

  if (args[0] == "list") {
    auto list = keys.list(team);
    if (!list) {
      std::fprintf(stderr, "tern: %s\n", list.error().message.c_str());
      return 1;
    }
    for (const auto& k : *list)
      std::printf("%s  %-14s  %s\n", k.id.c_str(), store::to_string(k.permission), k.name.c_str());
    return 0;
  }

  std::string name, permission_text = "full_access";
  if (!option(args, "name", name) || name.empty() || name.size() > 50) {
    std::fputs("tern keys create: --name is required (1 to 50 characters)\n", stderr);
    return 2;
  }
  option(args, "permission", permission_text);
  auto permission = store::parse_permission(permission_text);
  if (!permission) {
    std::fputs("tern keys create: --permission must be full_access or sending_access\n", stderr);
    return 2;
  }
  auto created = keys.create(name, team, *permission);
  if (!created) {
    std::fprintf(stderr, "tern: %s\n", created.error().message.c_str());
    return 1;
  }
  std::printf("%s\n", created->token.c_str());
  std::fprintf(stderr, "created API key %s (%s, team %s); the token above is shown only once\n",
               created->key.id.c_str(), permission_text.c_str(), team.c_str());
  return 0;
}

}  // namespace tern::cli
