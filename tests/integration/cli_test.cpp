// The `tern` binary's own surface: version, keys create, and a bad setting
// that stops it with one line naming the setting.
#include <gtest/gtest.h>

#include "store/redis/api_key_store.hpp"
#include "tests/integration/harness.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::testing {
namespace {

TEST(Cli, VersionPrints) {
  std::string out;
  EXPECT_EQ(run_tern({"version"}, {}, out), 0);
  EXPECT_EQ(out.rfind("tern ", 0), 0u) << out;
}

TEST(Cli, BadSettingStopsWithOneLineNamingIt) {
  std::string out;
  EXPECT_EQ(run_tern({"serve"}, {{"TERN_SMTP_PORT", "not-a-port"}}, out), 2);
  EXPECT_NE(out.find("TERN_SMTP_PORT"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_EQ(run_tern({"serve", "--retry-schedule", "1m,bad"}, {}, out), 2);
  EXPECT_NE(out.find("TERN_RETRY_SCHEDULE"), std::string::npos) << out;
  EXPECT_EQ(run_tern({"serve", "--no-such-flag"}, {}, out), 2);
}

TEST(Cli, KeysCreatePrintsTokenOnceAndStoresOnlyItsHash) {
  RedisServer redis;
  std::string out;
  Env env{{"TERN_REDIS_URL", redis.url()}};
  ASSERT_EQ(run_tern({"keys", "create", "--name", "ci", "--team", "t1"}, env, out), 0) << out;
  auto pos = out.find("re_");
  ASSERT_NE(pos, std::string::npos) << out;
  std::string token = out.substr(pos, out.find('\n', pos) - pos);
  EXPECT_GE(token.size(), 40u);
  std::string listing;
  ASSERT_EQ(run_tern({"keys", "list", "--team", "t1"}, env, listing), 0) << listing;
  EXPECT_NE(listing.find("ci"), std::string::npos);
  // The token itself is nowhere in Redis: read every key and every value.
  store::RedisPool pool(redis.endpoint());
  auto keys = store::run(pool, {"KEYS", "*"});
  ASSERT_TRUE(keys);
  ASSERT_FALSE(keys->elements.empty());
  for (const auto& k : keys->elements) {
    EXPECT_EQ(k.str.find(token), std::string::npos);
    auto type = store::run(pool, {"TYPE", k.str});
    ASSERT_TRUE(type);
    std::vector<std::string> read = type->str == "hash" ? std::vector<std::string>{"HGETALL", k.str}
                                  : type->str == "set"  ? std::vector<std::string>{"SMEMBERS", k.str}
                                                        : std::vector<std::string>{"GET", k.str};
    auto value = store::run(pool, read);
    ASSERT_TRUE(value);
    EXPECT_EQ(value->str.find(token), std::string::npos);
    for (const auto& e : value->elements) EXPECT_EQ(e.str.find(token), std::string::npos);
  }
  EXPECT_TRUE(store::run(pool, {"EXISTS", "tern:api_key:" + store::token_hash_hex(token)})->integer == 1);
  EXPECT_EQ(run_tern({"keys", "create"}, env, out), 2);
}

TEST(Cli, RefusesRedisThatEvicts) {
  RedisServer redis;
  std::string out;
  Env env{{"TERN_REDIS_URL", redis.url()}, {"TERN_HTTP_ADDR", "127.0.0.1:0"}};
  // Configure eviction through a second tern-independent path: redis-cli.
  std::string cli = find_program("redis-cli");
  ASSERT_FALSE(cli.empty());
  ChildProcess set({cli, "-p", std::to_string(redis.port()), "CONFIG", "SET", "maxmemory-policy", "allkeys-lru"},
                   "/dev/null");
  wait_until([&] { return !set.running(); });
  EXPECT_EQ(run_tern({"serve"}, env, out), 1);
  EXPECT_NE(out.find("noeviction"), std::string::npos) << out;
}

}  // namespace
}  // namespace tern::testing
