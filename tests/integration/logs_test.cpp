// Structured logs: every line tern writes is one JSON object; a delivery is
// logged with its email id, team, destination, MX and the remote reply;
// TERN_LOG_LEVEL filters; no API key or master key ever appears.
#include "tests/integration/scenario.hpp"

#include <sstream>

namespace tern::testing {
namespace {

constexpr const char* kMasterKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

std::vector<nlohmann::json> json_lines(const std::string& log) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_object()) << "not one JSON object: " << line;
    if (parsed.is_object()) lines.push_back(std::move(parsed));
  }
  return lines;
}

const char* kEmail = R"({"from":"support@acme.test","to":"alice@example.test","subject":"Logged","text":"hi"})";

TEST_F(DeliveryScenario, EveryLineIsJsonAndADeliveryCarriesItsFacts) {
  start({}, {{"TERN_MASTER_KEY", kMasterKey}});
  const std::string id = send(kEmail);
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  // The event line is written right after the state it reports is stored.
  ASSERT_TRUE(wait_until([&] { return tern->log().find("\"event\":\"email.delivered\"") != std::string::npos; }))
      << tern->log();

  const std::string log = tern->log();
  const nlohmann::json* delivered = nullptr;
  const auto lines = json_lines(log);
  for (const auto& line : lines) {
    EXPECT_TRUE(line.contains("ts") && line.contains("level") && line.contains("msg")) << line.dump();
    if (line.value("event", "") == "email.delivered" && line.value("email_id", "") == id) delivered = &line;
  }
  ASSERT_NE(delivered, nullptr) << log;
  EXPECT_EQ(delivered->value("level", ""), "info");
  EXPECT_EQ(delivered->value("team", ""), "team-a");
  EXPECT_EQ(delivered->value("destination", ""), "example.test");
  EXPECT_FALSE(delivered->value("mx", "").empty()) << delivered->dump();
  EXPECT_EQ(delivered->value("reply", "").substr(0, 3), "250") << delivered->dump();

  EXPECT_EQ(log.find(token), std::string::npos) << "the API key is never logged";
  EXPECT_EQ(log.find(token.substr(3)), std::string::npos);
  EXPECT_EQ(log.find(kMasterKey), std::string::npos) << "the master key is never logged";
}

TEST_F(DeliveryScenario, LogLevelWarnKeepsOnlyWarningsAndErrors) {
  start({}, {{"TERN_LOG_LEVEL", "warn"}});
  const std::string id = send(kEmail);
  ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
  for (const auto& line : json_lines(tern->log())) {
    const std::string level = line.value("level", "");
    EXPECT_TRUE(level == "warn" || level == "error") << line.dump();
  }
  EXPECT_EQ(tern->log().find(id), std::string::npos) << "the delivery is logged at info";
}

}  // namespace
}  // namespace tern::testing
