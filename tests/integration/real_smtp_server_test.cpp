// Delivery to independent SMTP implementations, not our own test peer:
// Debian's python3-aiosmtpd (scripts/mail_catcher.py, also the dev-mode
// catcher) through TERN_RELAY_URL, and Postfix's smtp-sink as an MX.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/scenario.hpp"

namespace tern::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_with(const std::string& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RealSmtpServer, AiosmtpdThroughRelayReceivesTheMessage) {
  RedisServer redis;
  TempDir mail;
  const uint16_t port = free_loopback_port();
  ChildProcess catcher({"/usr/bin/python3", std::string(TERN_SOURCE_DIR) + "/scripts/mail_catcher.py", "--listen",
                        "127.0.0.1:" + std::to_string(port), "--dir", mail.path() + "/box"},
                       mail.path() + "/catcher.log");
  ASSERT_TRUE(wait_until([&] { return can_connect(port); })) << catcher.log();

  Env env = base_env(redis.port());
  env["TERN_RELAY_URL"] = "smtp://127.0.0.1:" + std::to_string(port);
  const std::string token = create_api_key(redis.port());
  TernProcess tern("serve", env);
  auto r = tern.post("/emails", token,
                     R"({"from":"Ünï <a@acme.test>","to":["x@anywhere.example","y@elsewhere.example"],)"
                     R"("subject":"hello","text":"line one\n.line two\n","html":"<b>hi</b>"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = r.json()["id"];
  ASSERT_TRUE(tern.wait_for_last_event(id, token, "delivered")) << tern.log() << catcher.log();

  auto emls = files_with(mail.path() + "/box", ".eml");
  ASSERT_EQ(emls.size(), 2u) << "one transaction per recipient domain";
  const std::string data = read_file(emls[0]);
  EXPECT_NE(data.find("Subject: hello\r\n"), std::string::npos) << data;
  EXPECT_NE(data.find("From: =?UTF-8?"), std::string::npos) << data;
  // A line starting with "." arrives as ".line two" (dot-stuffing undone by
  // the server) or quoted-printable "=2Eline two"; never as "..line two".
  EXPECT_TRUE(data.find("\r\n.line two") != std::string::npos || data.find("=2Eline two") != std::string::npos)
      << data;
  EXPECT_EQ(data.find("..line two"), std::string::npos) << data;
  auto env_lines = read_file(fs::path(emls[0]).replace_extension(".env"));
  EXPECT_EQ(env_lines.substr(0, env_lines.find('\n')), "a@acme.test");
}

TEST(RealSmtpServer, PostfixSmtpSinkAsMx) {
  const std::string sink_bin = find_program("smtp-sink");
  ASSERT_FALSE(sink_bin.empty()) << "smtp-sink missing: apt-get install postfix";
  RedisServer redis;
  TempDir dir;
  DnsServer dns(delivery_zone());
  const uint16_t port = free_loopback_port();
  // -u nobody: smtp-sink refuses to run as root without a user to become.
  ChildProcess sink({sink_bin, "-u", "nobody", "-c", "127.0.0.1:" + std::to_string(port), "10"},
                    dir.path() + "/sink.log");
  ASSERT_TRUE(wait_until([&] { return can_connect(port); })) << sink.log();

  Env env = base_env(redis.port());
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  env["TERN_SMTP_PORT"] = std::to_string(port);
  const std::string token = create_api_key(redis.port());
  TernProcess tern("serve", env);
  auto r = tern.post("/emails", token, R"({"from":"a@acme.test","to":"x@example.test","subject":"s","text":"t"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(tern.wait_for_last_event(r.json()["id"], token, "delivered")) << tern.log() << sink.log();
}

}  // namespace
}  // namespace tern::testing
