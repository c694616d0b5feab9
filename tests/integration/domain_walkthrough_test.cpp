// domain_walkthrough_test.cpp - the customer's whole domain journey against
// real parts, in production mode (no TERN_DEV): POST /domains, publish
// exactly the records the API returned in a real DNS server (dnsmasq),
// POST /domains/{id}/verify, send, and check what arrived at the recipient's
// MX with independent verifiers: DKIM (dkimpy) against the published TXT,
// SPF (pyspf) for the envelope sender from the connecting address, and
// DMARC alignment of both with the From domain.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/integration/harness.hpp"
#include "tests/integration/scenario.hpp"
#include "tests/peers/dkim_verifier.hpp"

namespace tern::testing {
namespace {

constexpr const char* kDomain = "acme.test";

// split_255 - a TXT value as the character-strings a DNS console publishes.
std::vector<std::string> split_255(const std::string& value) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); i += 255) out.push_back(value.substr(i, 255));
  return out;
}

// header_value - the (unfolded) value of the first header of that name.
std::string header_value(const std::string& message, const std::string& name) {
  std::string head = message.substr(0, message.find("\r\n\r\n"));
  std::string needle = "\r\n" + name + ":";
  auto pos = ("\r\n" + head).find(needle);
  if (pos == std::string::npos) return {};
  std::string value;
  for (std::size_t i = pos + needle.size() - 2; i < head.size(); ++i) {
    if (head.compare(i, 2, "\r\n") == 0) {
      if (i + 2 >= head.size() || (head[i + 2] != ' ' && head[i + 2] != '\t')) break;
      ++i;
      continue;
    }
    value += head[i];
  }
  return value;
}

std::string dkim_tag(const std::string& signature, const std::string& tag) {
  std::string compact;
  for (char c : signature)
    if (c != ' ' && c != '\t') compact += c;
  auto pos = (";" + compact).find(";" + tag + "=");
  if (pos == std::string::npos) return {};
  pos += tag.size() + 1;
  return compact.substr(pos, compact.find(';', pos) - pos);
}

std::string domain_of(const std::string& address) { return address.substr(address.rfind('@') + 1); }

TEST(DomainWalkthrough, CreatePublishVerifySendArrivesDkimAndSpfAligned) {
  RedisServer redis;
  SmtpPeerOptions peer_options;
  peer_options.starttls = true;
  SmtpPeer peer(peer_options);
  Env env = base_env(redis.port());
  env.erase("TERN_DEV");  // production rules: only verified domains send
  env["TERN_MASTER_KEY"] = "walkthrough-master-key";
  env["TERN_SMTP_PORT"] = std::to_string(peer.port());
  const std::string token = create_api_key(redis.port());

  // 1. The customer adds the domain; no DNS is needed for that.
  nlohmann::json domain;
  {
    TernProcess api("api", env);
    auto created = api.post("/domains", token, std::string(R"({"name":")") + kDomain + R"("})");
    ASSERT_EQ(created.status, 201) << created.body;
    domain = created.json();
    auto refused = api.post("/emails", token,
                            R"({"from":"billing@acme.test","to":"ok@example.test","subject":"s","text":"t"})");
    EXPECT_EQ(refused.status, 403) << "not verified yet: " << refused.body;
  }
  ASSERT_TRUE(domain["records"].is_array());

  // 2. They publish exactly what the API listed (TXT values over 255 bytes
  //    as several strings), plus the DMARC record beside them.
  DnsZone zone = delivery_zone();
  zone.add_a("tern.test", "127.0.0.1");  // Tern's sending host, named by the SPF record
  std::map<std::string, std::string> dkim_txt;
  nlohmann::json published = domain["records"];
  published.push_back(domain["dmarc"]);
  for (const auto& record : published) {
    const std::string fqdn = record["name"].get<std::string>() + "." + kDomain;
    const std::string value = record["value"];
    if (record["type"] == "MX") {
      zone.add_mx(fqdn, uint16_t(record["priority"].get<int>()), value);
    } else {
      ASSERT_EQ(record["type"], "TXT") << record.dump();
      zone.add_txt(fqdn, split_255(value));
      if (record["record"] == "DKIM") dkim_txt[fqdn] = value;
    }
  }
  ASSERT_FALSE(dkim_txt.empty());
  DnsServer dns(zone);
  env["TERN_DNS_SERVERS"] = dns.server_spec();
  TernProcess tern("serve", env);

  // 3. Verify: every record is found as published.
  const std::string id = domain["id"];
  auto verified = tern.post("/domains/" + id + "/verify", token, "{}");
  ASSERT_EQ(verified.status, 200) << verified.body;
  nlohmann::json shown;
  ASSERT_TRUE(wait_until([&] {
    auto r = tern.get("/domains/" + id, token);
    shown = r.json();
    return r.status == 200 && shown["status"] == "verified";
  })) << shown.dump(2) << "\n" << dns.log();
  for (const auto& record : shown["records"]) EXPECT_EQ(record["status"], "verified") << record.dump();
  EXPECT_EQ(shown["dmarc"]["status"], "verified") << shown["dmarc"].dump();

  // 4. Send from the verified domain; it arrives at the recipient's MX.
  auto sent = tern.post("/emails", token,
                        R"({"from":"Acme Billing <billing@acme.test>","to":"ok@example.test",)"
                        R"("subject":"Your invoice","text":"Thanks."})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string email_id = sent.json()["id"];
  ASSERT_TRUE(tern.wait_for_last_event(email_id, token, "delivered")) << tern.log();
  ASSERT_TRUE(peer.wait_for_messages(1));
  const ReceivedMessage message = peer.messages().at(0);
  EXPECT_TRUE(message.tls) << "STARTTLS offered, so used";

  // DKIM: dkimpy verifies against the TXT record as published.
  std::string report;
  EXPECT_TRUE(dkim_verify(message.data, dkim_txt, report)) << report;
  const std::string signature = header_value(message.data, "DKIM-Signature");
  ASSERT_FALSE(signature.empty());
  // SPF: the envelope sender's domain authorises the address Tern sent from.
  EXPECT_TRUE(spf_verify(dns.port(), "127.0.0.1", message.mail_from, "tern.test", report)) << report;
  // DMARC: both identifiers align with the From domain (DKIM strictly, SPF relaxed).
  EXPECT_EQ(dkim_tag(signature, "d"), kDomain);
  const std::string bounce_domain = domain_of(message.mail_from);
  EXPECT_EQ(bounce_domain, std::string("send.") + kDomain) << message.mail_from;
  EXPECT_NE(message.mail_from.find(email_id), std::string::npos) << "VERP names the email";
}

}  // namespace
}  // namespace tern::testing
