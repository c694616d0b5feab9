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

// DomainWalkthrough - Redis, the recipient's MX (an SmtpPeer), and a domain
// taken from POST /domains through publishing (dnsmasq) to verified, with
// `tern serve` running against that DNS.
class DomainWalkthrough : public ::testing::Test {
 protected:
  void bring_up_verified_domain(SmtpPeerOptions peer_options) {
    peer = std::make_unique<SmtpPeer>(peer_options);
    env = base_env(redis.port());
    env.erase("TERN_DEV");  // production rules: only verified domains send
    env["TERN_MASTER_KEY"] = "walkthrough-master-key";
    env["TERN_SMTP_PORT"] = std::to_string(peer->port());
    token = create_api_key(redis.port());

    // 1. The customer adds the domain; no DNS is needed for that.
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
    dns = std::make_unique<DnsServer>(zone);
    env["TERN_DNS_SERVERS"] = dns->server_spec();
    tern = std::make_unique<TernProcess>("serve", env);

    // 3. Verify: every record is found as published.
    id = domain["id"];
    auto verified = tern->post("/domains/" + id + "/verify", token, "{}");
    ASSERT_EQ(verified.status, 200) << verified.body;
    nlohmann::json shown;
    ASSERT_TRUE(wait_until([&] {
      auto r = tern->get("/domains/" + id, token);
      shown = r.json();
      return r.status == 200 && shown["status"] == "verified";
    })) << shown.dump(2) << "\n" << dns->log();
    for (const auto& record : shown["records"]) EXPECT_EQ(record["status"], "verified") << record.dump();
    EXPECT_EQ(shown["dmarc"]["status"], "verified") << shown["dmarc"].dump();
  }

  std::string send_invoice() {
    auto sent = tern->post("/emails", token,
                           R"({"from":"Acme Billing <billing@acme.test>","to":"ok@example.test",)"
                           R"("subject":"Your invoice","text":"Thanks."})");
    EXPECT_EQ(sent.status, 200) << sent.body;
    return sent.json().value("id", "");
  }

  RedisServer redis;
  std::unique_ptr<SmtpPeer> peer;
  Env env;
  std::string token;
  nlohmann::json domain;
  std::string id;
  std::map<std::string, std::string> dkim_txt;  // "sel._domainkey.acme.test" -> TXT as published
  std::unique_ptr<DnsServer> dns;
  std::unique_ptr<TernProcess> tern;
};

TEST_F(DomainWalkthrough, CreatePublishVerifySendArrivesDkimAndSpfAligned) {
  SmtpPeerOptions peer_options;
  peer_options.starttls = true;
  ASSERT_NO_FATAL_FAILURE(bring_up_verified_domain(peer_options));

  // 4. Send from the verified domain; it arrives at the recipient's MX.
  const std::string email_id = send_invoice();
  ASSERT_TRUE(tern->wait_for_last_event(email_id, token, "delivered")) << tern->log();
  ASSERT_TRUE(peer->wait_for_messages(1));
  const ReceivedMessage message = peer->messages().at(0);
  EXPECT_TRUE(message.tls) << "STARTTLS offered, so used";

  // DKIM: dkimpy verifies against the TXT record as published.
  std::string report;
  EXPECT_TRUE(dkim_verify(message.data, dkim_txt, report)) << report;
  const std::string signature = header_value(message.data, "DKIM-Signature");
  ASSERT_FALSE(signature.empty());
  // SPF: the envelope sender's domain authorises the address Tern sent from.
  EXPECT_TRUE(spf_verify(dns->port(), "127.0.0.1", message.mail_from, "tern.test", report)) << report;
  // DMARC: both identifiers align with the From domain (DKIM strictly, SPF relaxed).
  EXPECT_EQ(dkim_tag(signature, "d"), kDomain);
  EXPECT_EQ(domain_of(message.mail_from), std::string("send.") + kDomain) << message.mail_from;
  EXPECT_NE(message.mail_from.find(email_id), std::string::npos) << "VERP names the email";
}

// A domain set to `tls: enforced` is never sent in clear: an MX without
// STARTTLS gets nothing, and the email waits (delivery_delayed) saying why.
TEST_F(DomainWalkthrough, EnforcedTlsDefersInsteadOfSendingInClear) {
  ASSERT_NO_FATAL_FAILURE(bring_up_verified_domain(SmtpPeerOptions{}));  // no STARTTLS offered
  auto patched = tern->patch("/domains/" + id, token, R"({"tls":"enforced"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  const std::string email_id = send_invoice();
  ASSERT_TRUE(tern->wait_for_last_event(email_id, token, "delivery_delayed")) << tern->log();
  auto events = tern->get("/emails/" + email_id + "/events", token);
  ASSERT_EQ(events.status, 200) << events.body;
  EXPECT_NE(events.body.find("STARTTLS not offered"), std::string::npos) << events.body;
  EXPECT_TRUE(peer->messages().empty()) << "nothing was sent in clear";
  for (const auto& lines : peer->transcripts())
    for (const auto& line : lines) EXPECT_NE(line.rfind("MAIL FROM", 0), 0u) << "no transaction began: " << line;
}

}  // namespace
}  // namespace tern::testing
