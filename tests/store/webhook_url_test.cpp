// webhook_url_test.cpp - endpoint URL parsing: accepted shapes and every
// refusal rule, as tables.
#include "store/redis/webhook_url.hpp"

#include <gtest/gtest.h>

namespace tern::store {
namespace {

struct Good {
  const char* url;
  bool https;
  const char* host;
  bool is_ip;
  uint16_t port;
  const char* target;
  const char* host_header;
};

TEST(WebhookUrl, AcceptsHttpAndHttpsUrls) {
  const Good cases[] = {
      {"https://example.com/handler", true, "example.com", false, 443, "/handler", "example.com"},
      {"HTTPS://Example.COM", true, "example.com", false, 443, "/", "example.com"},
      {"http://hooks.example.com:8080/a/b?x=1&y=2#frag", false, "hooks.example.com", false, 8080, "/a/b?x=1&y=2",
       "hooks.example.com:8080"},
      {"https://example.com?x=1", true, "example.com", false, 443, "/?x=1", "example.com"},
      {"http://127.0.0.1:9000/hook", false, "127.0.0.1", true, 9000, "/hook", "127.0.0.1:9000"},
      {"https://[2001:DB8::1]:8443/h", true, "2001:db8::1", true, 8443, "/h", "[2001:db8::1]:8443"},
      {"https://[::1]/", true, "::1", true, 443, "/", "[::1]"},
      {"https://example.com./x", true, "example.com.", false, 443, "/x", "example.com."},
      {"http://example.com:80/", false, "example.com", false, 80, "/", "example.com"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.url);
    auto url = parse_webhook_url(c.url);
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(url->https, c.https);
    EXPECT_EQ(url->host, c.host);
    EXPECT_EQ(url->host_is_ip, c.is_ip);
    EXPECT_EQ(url->port, c.port);
    EXPECT_EQ(url->target, c.target);
    EXPECT_EQ(url->host_header(), c.host_header);
  }
}

TEST(WebhookUrl, RefusesWhatCouldMisleadOrSmuggle) {
  const char* bad[] = {
      "",
      "example.com/handler",                 // no scheme
      "ftp://example.com/",                  // other scheme
      "javascript:alert(1)",
      "https://user:pw@example.com/",        // userinfo
      "https://user@example.com/",
      "https://evil.com@127.0.0.1/",
      "https:///path",                       // empty host
      "https://exa mple.com/",               // whitespace
      "https://example.com/a b",
      "https://example.com/\r\nX: y",        // header injection attempt
      "https://example.com:0/",              // bad ports
      "https://example.com:65536/",
      "https://example.com:abc/",
      "https://example.com:/",
      "https://127.1/",                      // numeric forms other parsers read as IPv4
      "https://2130706433/",
      "https://0x7f.0.0.1/",
      "https://[fe80::1%25eth0]/",           // zone id
      "https://[::1/",
      "https://[not-v6]/",
      "https://exa$mple.com/",
      "https://ex..ample.com/",
      "https://bücher.example/",             // raw non-ASCII (must be punycode)
  };
  for (const char* u : bad) {
    SCOPED_TRACE(u);
    auto url = parse_webhook_url(u);
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().code, Errc::invalid_argument);
  }
  EXPECT_FALSE(parse_webhook_url("https://example.com/" + std::string(kMaxWebhookUrlLength, 'a')));
}

}  // namespace
}  // namespace tern::store
