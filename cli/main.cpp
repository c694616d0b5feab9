// main.cpp - `tern`: subcommand dispatch. The composition root: the only
// code that sees both the api and the worker.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/domains_command.hpp"
#include "cli/keys_command.hpp"
#include "cli/runtime.hpp"
#include "store/util/config.hpp"
#include "store/util/log.hpp"

namespace {

constexpr const char* kUsage =
    "usage: tern <command> [--setting value ...]\n"
    "commands:\n"
    "  serve           API and delivery worker in one process\n"
    "  api             the HTTP API only\n"
    "  worker          the delivery worker only\n"
    "  keys create     create an API key (prints the token once)\n"
    "  keys list       list API keys of a team\n"
    "  domains add NAME     add a sending domain; prints the DNS records to publish\n"
    "  domains verify NAME  check a domain's DNS records now (✓/✗ per record)\n"
    "  domains list         list a team's domains\n"
    "  version         print the version\n"
    "  help            this text and every setting\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> rest;
  auto config = tern::parse_config(tern::environment_map(), args, rest);
  if (!config) {
    std::fprintf(stderr, "tern: %s\n", config.error().message.c_str());
    return 2;
  }
  // Dev mode needs no secrets: DKIM keys made in dev are sealed with a fixed,
  // public key, which is exactly as safe as dev mode itself.
  if (config->dev && config->master_key.empty()) config->master_key = "tern-dev-mode-master-key-not-secret";
  tern::log::Level level = tern::log::Level::info;
  tern::log::parse_level(config->log_level, level);
  tern::log::set_level(level);

  const std::string command = rest.empty() ? "help" : rest[0];
  const std::vector<std::string> sub(rest.begin() + (rest.empty() ? 0 : 1), rest.end());
  const bool takes_arguments = command == "keys" || command == "domains" || command == "help";
  if (!takes_arguments && !sub.empty()) {
    std::fprintf(stderr, "tern %s: unknown argument '%s' (see tern help)\n", command.c_str(), sub[0].c_str());
    return 2;
  }
  if (command == "serve") return tern::cli::run_roles(*config, {true, true});
  if (command == "api") return tern::cli::run_roles(*config, {true, false});
  if (command == "worker") return tern::cli::run_roles(*config, {false, true});
  if (command == "keys") return tern::cli::keys_command(*config, sub);
  if (command == "domains") return tern::cli::domains_command(*config, sub);
  if (command == "version") {
    std::printf("tern %s\n", TERN_VERSION);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    std::printf("settings (environment variable / flag):\n%s", tern::config_help().c_str());
    return 0;
  }
  std::fprintf(stderr, "tern: unknown command '%s'\n%s", command.c_str(), kUsage);
  return 2;
}
