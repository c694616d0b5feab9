#include "store/util/config.hpp"

#include <gtest/gtest.h>

namespace tern {
namespace {

Result<Config> parse(std::map<std::string, std::string> env, std::vector<std::string> args = {}) {
  std::vector<std::string> rest;
  return parse_config(env, args, rest);
}

TEST(Config, DefaultsFollowDesign) {
  auto c = parse({});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->http.port, 8080);
  EXPECT_EQ(c->delivery.smtp_port, 25);
  EXPECT_EQ(c->delivery.retry.steps.size(), 6u);
  EXPECT_EQ(c->delivery.retry.steps[0], std::chrono::minutes(1));
  EXPECT_EQ(c->delivery.retry.max_queue_age, std::chrono::hours(72));
  EXPECT_FALSE(c->delivery.relay.has_value());
  EXPECT_FALSE(c->dev);
}

TEST(Config, FlagOverridesEnvironment) {
  auto c = parse({{"TERN_SMTP_PORT", "2525"}}, {"--smtp-port", "2600"});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->delivery.smtp_port, 2600);
  auto d = parse({{"TERN_SMTP_PORT", "2525"}}, {"--smtp-port=2700"});
  EXPECT_EQ(d->delivery.smtp_port, 2700);
}

TEST(Config, BadValueNamesTheSetting) {
  auto c = parse({{"TERN_SMTP_PORT", "70000"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("TERN_SMTP_PORT"), std::string::npos);
  auto r = parse({{"TERN_RETRY_SCHEDULE", "1m,5x"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("TERN_RETRY_SCHEDULE"), std::string::npos);
  EXPECT_FALSE(parse({{"TERN_REDIS_URL", "http://x"}}));
  EXPECT_FALSE(parse({{"TERN_DEV", "maybe"}}));
  EXPECT_FALSE(parse({{"TERN_HTTP_ADDR", "nocolon"}}));
  EXPECT_FALSE(parse({{"TERN_RELAY_URL", "127.0.0.1:25"}}));
  EXPECT_FALSE(parse({}, {"--smtp-port"}));
}

TEST(Config, DomainRecordSettingsAreCheckedBeforeAnyCustomerPublishesThem) {
  auto defaults = parse({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->dkim_selector, "tern");
  EXPECT_EQ(defaults->spf_mechanism, "");
  for (const char* good : {"ip4:203.0.113.0/24", "ip6:2001:db8::1", "include:_spf.mail.example.net", "a", "mx:mx.example.net"})
    EXPECT_TRUE(parse({{"TERN_SPF_MECHANISM", good}})) << good;
  auto c = parse({{"TERN_DKIM_SELECTOR", "mail2026"},
                  {"TERN_SPF_MECHANISM", "include:_spf.mail.example.net"},
                  {"TERN_FEEDBACK_HOST", "bounces.example.net"}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->dkim_selector, "mail2026");
  EXPECT_EQ(c->feedback_host, "bounces.example.net");
  for (const char* bad : {"v=spf1 -all", "ip4:1.2.3.4; rm", "all", "ip4:", "a mx", "redirect=_spf.x", "+all", "ip4:1.2.3.4\r\n"}) {
    auto r = parse({{"TERN_SPF_MECHANISM", bad}});
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("TERN_SPF_MECHANISM"), std::string::npos);
  }
  for (const std::string& bad : {std::string(), std::string("bad_sel"), std::string("-tern"), std::string("a.b"),
                                std::string(61, 'a')})
    EXPECT_FALSE(parse({{"TERN_DKIM_SELECTOR", bad}})) << bad;
  EXPECT_FALSE(parse({{"TERN_FEEDBACK_HOST", "bad host"}}));
}

TEST(Config, SecretsAreNeverEchoedInErrors) {
  auto c = parse({{"TERN_REDIS_URL", "redis://:hunter2@redis:notaport/0"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("TERN_REDIS_URL"), std::string::npos);
  EXPECT_EQ(c.error().message.find("hunter2"), std::string::npos) << c.error().message;
}

TEST(Config, MetricsListenerIsOptional) {
  auto off = parse({});
  ASSERT_TRUE(off);
  EXPECT_FALSE(off->metrics_listen.has_value());
  auto on = parse({{"TERN_METRICS_ADDR", "0.0.0.0:9090"}});
  ASSERT_TRUE(on) << on.error().message;
  ASSERT_TRUE(on->metrics_listen.has_value());
  EXPECT_EQ(on->metrics_listen->port, 9090);
  EXPECT_FALSE(parse({{"TERN_METRICS_ADDR", "9090"}}));
}

TEST(Config, UnknownFlagsAreLeftForTheSubcommand) {
  std::vector<std::string> rest;
  auto c = parse_config({}, {"keys", "create", "--name", "n", "--dev", "true"}, rest);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->dev);
  EXPECT_EQ(rest, (std::vector<std::string>{"keys", "create", "--name", "n"}));
}

TEST(Config, ParsesUrlsAndDurations) {
  auto r = parse_redis_url("redis://:secret@10.0.0.1:6380/3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->host, "10.0.0.1");
  EXPECT_EQ(r->port, 6380);
  EXPECT_EQ(r->db, 3);
  EXPECT_EQ(r->password, "secret");
  EXPECT_EQ(parse_redis_url("unix:///tmp/r.sock?db=2")->unix_socket, "/tmp/r.sock");
  EXPECT_EQ(*parse_duration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(*parse_duration("3d"), std::chrono::hours(72));
  EXPECT_FALSE(parse_duration("5"));
  EXPECT_FALSE(parse_duration("m"));
  auto hp = parse_host_port("[::1]:25");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "::1");
  auto relay = parse({{"TERN_RELAY_URL", "smtp://127.0.0.1:2525"}});
  ASSERT_TRUE(relay);
  EXPECT_EQ(relay->delivery.relay->port, 2525);
}

TEST(Config, RateLimitIsOffByDefaultAndParsed) {
  std::vector<std::string> rest;
  auto defaults = parse_config({}, {}, rest);
  ASSERT_TRUE(defaults);
  EXPECT_FALSE(defaults->rate_limit.enabled());
  auto limited = parse_config({{"TERN_RATE_LIMIT", "100/s"}, {"TERN_RATE_LIMIT_BURST", "250"}}, {}, rest);
  ASSERT_TRUE(limited) << limited.error().message;
  EXPECT_EQ(limited->rate_limit.count, 100);
  EXPECT_EQ(limited->rate_limit.per, Seconds(1));
  EXPECT_EQ(limited->rate_limit.burst, 250);
  auto per_minute = parse_rate_limit("6000/m,200");
  ASSERT_TRUE(per_minute);
  EXPECT_EQ(per_minute->count, 6000);
  EXPECT_EQ(per_minute->per, Seconds(60));
  EXPECT_EQ(per_minute->burst, 200);
  EXPECT_EQ(parse_rate_limit("5/h")->per, Seconds(3600));
  EXPECT_FALSE(parse_rate_limit("off")->enabled());
  for (const char* bad : {"100", "100/x", "0/s", "-1/s", "10/s,", "10/s,0", "ten/s"})
    EXPECT_FALSE(parse_rate_limit(bad)) << bad;
  auto refused = parse_config({{"TERN_RATE_LIMIT", "fast"}}, {}, rest);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("TERN_RATE_LIMIT"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace tern
