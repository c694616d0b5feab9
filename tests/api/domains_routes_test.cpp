// domains_routes_test.cpp - the /domains resource over HTTP against a real
// redis-server, and verification against a real dnsmasq serving exactly the
// records the API told the customer to publish.
#include "api/domains_routes.hpp"

#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/http_server.hpp"
#include "api/verified_senders.hpp"
#include "dnscheck/domain_records.hpp"
#include "store/redis/api_key_store.hpp"
#include "store/redis/domain_store.hpp"
#include "store/redis/keys.hpp"
#include "store/util/ids.hpp"
#include "tests/peers/dns_server.hpp"
#include "tests/peers/process.hpp"
#include "tests/peers/redis_runner.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::json;

constexpr const char* kSpfMechanism = "ip4:192.0.2.10";

// SwappableResolver - the server is built before the test knows which
// records to publish; the DNS server (and so the real c-ares resolver
// pointing at it) is plugged in afterwards.
class SwappableResolver final : public dns::Resolver {
 public:
  void use(std::unique_ptr<dns::Resolver> inner) {
    std::lock_guard lock(mutex_);
    inner_ = std::move(inner);
  }
  dns::MxLookup mx(std::string_view d) override { return target().mx(d); }
  dns::AddressLookup addresses(std::string_view h) override { return target().addresses(h); }
  dns::TxtLookup txt(std::string_view n) override { return target().txt(n); }

 private:
  dns::Resolver& target() {
    std::lock_guard lock(mutex_);
    if (!inner_) throw std::runtime_error("no DNS server plugged in");
    return *inner_;
  }
  std::mutex mutex_;
  std::unique_ptr<dns::Resolver> inner_;
};

class DomainsRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { redis_ = std::make_unique<testing::RedisServer>(); }
  static void TearDownTestSuite() { redis_.reset(); }

  void SetUp() override {
    pool_ = std::make_unique<store::RedisPool>(redis_->endpoint());
    ASSERT_TRUE(store::run(*pool_, {"FLUSHALL"}));
    senders_ = std::make_unique<VerifiedSenders>(*pool_);
    ApiOptions options;
    options.hostname = "mail.tern.test";
    options.threads = 4;
    options.master_key = "domains-routes-test-master-key";
    options.spf_mechanism = kSpfMechanism;
    server_ = std::make_unique<HttpServer>(*pool_, clock_, *senders_, options, &resolver_);
    auto port = server_->bind("127.0.0.1", 0);
    ASSERT_TRUE(port);
    thread_ = std::thread([this] { server_->run(); });
    ASSERT_TRUE(testing::wait_until([this] { return server_->is_running(); }));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    store::ApiKeyStore keys(*pool_);
    token_ = keys.create("full", "team-a", store::Permission::full_access).value().token;
    other_token_ = keys.create("other", "team-b", store::Permission::full_access).value().token;
    sending_token_ = keys.create("send", "team-a", store::Permission::sending_access).value().token;
  }

  void TearDown() override {
    client_.reset();
    server_->stop();
    thread_.join();
    server_.reset();
  }

  static httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  static Json check(const httplib::Result& res, int status) {
    EXPECT_TRUE(res) << "no response: " << httplib::to_string(res.error());
    if (!res) return Json();
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u);
    EXPECT_TRUE(Json::accept(res->body)) << res->body;
    return Json::accept(res->body) ? Json::parse(res->body) : Json();
  }

  static void expect_error(const Json& body, int status, std::string_view name) {
    EXPECT_EQ(body.value("statusCode", 0), status) << body.dump();
    EXPECT_EQ(body.value("name", ""), name) << body.dump();
    EXPECT_FALSE(body.value("message", "").empty()) << body.dump();
  }

  Json create(const Json& body, int status = 201, const std::string& token = "") {
    return check(client_->Post("/domains", auth(token.empty() ? token_ : token), body.dump(), "application/json"),
                 status);
  }
  Json get(const std::string& path, int status = 200, const std::string& token = "") {
    return check(client_->Get(path, auth(token.empty() ? token_ : token)), status);
  }
  Json verify(const std::string& id, int status = 200) {
    return check(client_->Post("/domains/" + id + "/verify", auth(token_), "", "application/json"), status);
  }
  Json send_from(const std::string& domain, int status) {
    Json body{{"from", "Acme <hello@" + domain + ">"},
              {"to", "someone@example.org"},
              {"subject", "hi"},
              {"text", "hello"}};
    return check(client_->Post("/emails", auth(token_), body.dump(), "application/json"), status);
  }

  // publish - serve these records (the API's records and DMARC advice) for
  // the domain, TXT values split into <=255-byte strings.
  void publish(const std::string& domain, const std::vector<Json>& records) {
    testing::DnsZone zone;
    for (const auto& r : records) {
      const std::string fqdn = r.at("name").get<std::string>() + "." + domain;
      if (r.at("type") == "MX")
        zone.add_mx(fqdn, static_cast<uint16_t>(r.at("priority").get<int>()), r.at("value").get<std::string>());
      else
        zone.add_txt(fqdn, dns::split_txt(r.at("value").get<std::string>()));
    }
    dns_ = std::make_unique<testing::DnsServer>(zone);
    resolver_.use(dns::make_cares_resolver(dns::ResolverOptions{{dns_->server_spec()}, std::chrono::seconds(2), 2}));
  }

  static std::vector<Json> all_records(const Json& created) {
    std::vector<Json> out(created.at("records").begin(), created.at("records").end());
    out.push_back(created.at("dmarc"));
    return out;
  }

  static inline std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<store::RedisPool> pool_;
  SystemClock clock_;
  SwappableResolver resolver_;
  std::unique_ptr<VerifiedSenders> senders_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::unique_ptr<testing::DnsServer> dns_;
  std::string token_, other_token_, sending_token_;
};

TEST_F(DomainsRoutesTest, CreateAnswersResendsShapeWithDmarcBesideTheRecords) {
  Json d = create({{"name", "Example.TEST"}});
  EXPECT_FALSE(d.contains("object")) << d.dump();  // Resend's create has none
  EXPECT_TRUE(is_uuid(d.value("id", "")));
  EXPECT_EQ(d["name"], "example.test");
  EXPECT_EQ(d["status"], "not_started");
  EXPECT_EQ(d["region"], "us-east-1");
  EXPECT_EQ(d["capabilities"], (Json{{"sending", "enabled"}, {"receiving", "disabled"}}));
  EXPECT_TRUE(d["created_at"].is_string());

  const Json& records = d.at("records");
  ASSERT_EQ(records.size(), 3u) << records.dump(2);
  for (const auto& r : records) {
    EXPECT_TRUE(r["ttl"].is_string()) << r.dump();
    EXPECT_EQ(r["ttl"], "Auto");
    EXPECT_EQ(r["status"], "not_started");
    EXPECT_TRUE(r["record"] == "SPF" || r["record"] == "DKIM") << r.dump();
    EXPECT_FALSE(r.contains("problem"));
    EXPECT_EQ(r.contains("priority"), r["type"] == "MX") << r.dump();
  }
  EXPECT_EQ(records[0], (Json{{"record", "SPF"}, {"name", "send"}, {"type", "MX"}, {"ttl", "Auto"},
                              {"status", "not_started"}, {"value", "feedback-smtp.mail.tern.test"}, {"priority", 10}}));
  EXPECT_EQ(records[1]["name"], "send");
  EXPECT_EQ(records[1]["type"], "TXT");
  EXPECT_EQ(records[1]["value"], std::string("v=spf1 ") + kSpfMechanism + " ~all");
  EXPECT_EQ(records[2]["record"], "DKIM");
  EXPECT_EQ(records[2]["name"], "tern._domainkey");
  const std::string dkim = records[2]["value"];
  EXPECT_NE(dkim.find("k=rsa"), std::string::npos) << dkim;
  const auto p = dkim.find("p=");
  ASSERT_NE(p, std::string::npos) << dkim;
  // A 2048-bit SubjectPublicKeyInfo is 294 bytes: 392 base64 characters.
  EXPECT_EQ(dkim.size() - p - 2, 392u) << dkim;
  EXPECT_GT(dkim.size(), 255u);

  ASSERT_TRUE(d.contains("dmarc"));
  EXPECT_EQ(d["dmarc"]["name"], "_dmarc");
  EXPECT_EQ(d["dmarc"]["type"], "TXT");
  EXPECT_EQ(d["dmarc"]["value"].get<std::string>().rfind("v=DMARC1", 0), 0u);
  for (const auto& r : records) EXPECT_NE(r["record"], "DMARC");

  // No private key anywhere: not in the answer, not in clear in Redis.
  const std::string body = d.dump();
  EXPECT_EQ(body.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(body.find("sealed"), std::string::npos);
  auto doc = store::run(*pool_, {"HGET", store::keys::domain(d["id"].get<std::string>()), "doc"});
  ASSERT_TRUE(doc);
  EXPECT_NE(doc->str.find("sealed_private_key"), std::string::npos);
  EXPECT_EQ(doc->str.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(DomainsRoutesTest, Ed25519KeyIsPublishedUnderItsOwnSelector) {
  Json d = create({{"name", "ed.test"}, {"dkim_ed25519", true}, {"custom_return_path", "bounce"},
                   {"region", "eu-west-1"}, {"tls", "enforced"}});
  EXPECT_EQ(d["region"], "eu-west-1");
  EXPECT_EQ(d["tls"], "enforced");
  const Json& records = d.at("records");
  ASSERT_EQ(records.size(), 4u) << records.dump(2);
  EXPECT_EQ(records[0]["name"], "bounce");
  EXPECT_EQ(records[3]["name"], "tern-ed._domainkey");
  const std::string value = records[3]["value"];
  EXPECT_NE(value.find("k=ed25519"), std::string::npos) << value;
  EXPECT_EQ(value.size() - value.find("p=") - 2, 44u) << value;  // 32 bytes in base64
}

TEST_F(DomainsRoutesTest, BadRequestsAreRefusedWithResendsNames) {
  expect_error(create(Json::object(), 422), 422, "missing_required_field");
  expect_error(create({{"name", 42}}, 422), 422, "validation_error");
  expect_error(create({{"name", "localhost"}}, 422), 422, "validation_error");
  expect_error(create({{"name", "exa_mple.test"}}, 422), 422, "validation_error");
  expect_error(create({{"name", "ok.test"}, {"region", "mars-1"}}, 422), 422, "invalid_region");
  expect_error(create({{"name", "ok.test"}, {"custom_return_path", "1bad"}}, 422), 422, "validation_error");
  expect_error(create({{"name", "ok.test"}, {"tls", "always"}}, 422), 422, "validation_error");
  expect_error(create({{"name", "ok.test"}, {"open_tracking", "yes"}}, 422), 422, "validation_error");
  auto res = client_->Post("/domains", auth(token_), "{not json", "application/json");
  expect_error(check(res, 422), 422, "validation_error");
  Json list = get("/domains");
  EXPECT_TRUE(list["data"].empty()) << list.dump();
}

TEST_F(DomainsRoutesTest, ANameIsRegisteredOnceAcrossTeams) {
  create({{"name", "example.test"}});
  for (const auto& token : {token_, other_token_}) {
    Json again = create({{"name", "EXAMPLE.test"}}, 403, token);
    expect_error(again, 403, "validation_error");
    EXPECT_EQ(again["message"], "The `example.test` domain has been registered already.");
  }
}

TEST_F(DomainsRoutesTest, SendingKeysAreRestricted) {
  expect_error(create({{"name", "x.test"}}, 401, sending_token_), 401, "restricted_api_key");
  expect_error(get("/domains", 401, sending_token_), 401, "restricted_api_key");
}

TEST_F(DomainsRoutesTest, ListIsNewestFirstWithoutRecordsAndPaginates) {
  create({{"name", "one.test"}});
  create({{"name", "two.test"}});
  create({{"name", "three.test"}});
  create({{"name", "theirs.test"}}, 201, other_token_);
  Json list = get("/domains");
  EXPECT_EQ(list["object"], "list");
  EXPECT_EQ(list["has_more"], false);
  ASSERT_EQ(list["data"].size(), 3u) << list.dump();
  EXPECT_EQ(list["data"][0]["name"], "three.test");
  EXPECT_EQ(list["data"][2]["name"], "one.test");
  for (const auto& d : list["data"]) {
    EXPECT_FALSE(d.contains("records"));
    EXPECT_TRUE(d.contains("capabilities"));
    EXPECT_EQ(d["status"], "not_started");
  }
  Json first = get("/domains?limit=2");
  ASSERT_EQ(first["data"].size(), 2u);
  EXPECT_EQ(first["has_more"], true);
  Json rest = get("/domains?limit=2&after=" + first["data"][1]["id"].get<std::string>());
  ASSERT_EQ(rest["data"].size(), 1u);
  EXPECT_EQ(rest["data"][0]["name"], "one.test");
  EXPECT_EQ(rest["has_more"], false);
  expect_error(get("/domains?limit=0", 422), 422, "validation_error");
  expect_error(get("/domains?limit=101", 422), 422, "validation_error");
}

TEST_F(DomainsRoutesTest, GetShowsTheDomainToItsTeamOnly) {
  Json created = create({{"name", "example.test"}});
  const std::string id = created["id"];
  Json d = get("/domains/" + id);
  EXPECT_EQ(d["object"], "domain");
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["records"], created["records"]);
  EXPECT_EQ(d["dmarc"], created["dmarc"]);
  expect_error(get("/domains/" + id, 404, other_token_), 404, "not_found");
  expect_error(get("/domains/7d8f3e2a-1b4c-4d5e-8f9a-0b1c2d3e4f5a", 404), 404, "not_found");
  expect_error(get("/domains/not-a-uuid", 422), 422, "invalid_parameter");
}

TEST_F(DomainsRoutesTest, PatchChangesTlsAndTracking) {
  const std::string id = create({{"name", "example.test"}})["id"];
  Json body{{"tls", "enforced"}, {"click_tracking", true}, {"open_tracking", nullptr}};
  Json reply = check(client_->Patch("/domains/" + id, auth(token_), body.dump(), "application/json"), 200);
  EXPECT_EQ(reply, (Json{{"object", "domain"}, {"id", id}}));
  Json d = get("/domains/" + id);
  EXPECT_EQ(d["tls"], "enforced");
  EXPECT_EQ(d["click_tracking"], true);
  EXPECT_EQ(d["open_tracking"], false);
  expect_error(check(client_->Patch("/domains/" + id, auth(token_), R"({"tls":"maybe"})", "application/json"), 422),
               422, "validation_error");
  expect_error(check(client_->Patch("/domains/" + id, auth(other_token_), "{}", "application/json"), 404), 404,
               "not_found");
}

TEST_F(DomainsRoutesTest, DeleteRemovesTheDomainAndFreesItsName) {
  const std::string id = create({{"name", "example.test"}})["id"];
  expect_error(check(client_->Delete("/domains/" + id, auth(other_token_)), 404), 404, "not_found");
  Json reply = check(client_->Delete("/domains/" + id, auth(token_)), 200);
  EXPECT_EQ(reply, (Json{{"object", "domain"}, {"id", id}, {"deleted", true}}));
  expect_error(get("/domains/" + id, 404), 404, "not_found");
  expect_error(check(client_->Delete("/domains/" + id, auth(token_)), 404), 404, "not_found");
  create({{"name", "example.test"}}, 201, other_token_);
}

TEST_F(DomainsRoutesTest, PublishedRecordsVerifyAndUnlockSending) {
  Json created = create({{"name", "example.test"}});
  const std::string id = created["id"];
  expect_error(send_from("example.test", 403), 403, "validation_error");
  publish("example.test", all_records(created));

  Json reply = verify(id);
  EXPECT_EQ(reply["object"], "domain");
  EXPECT_EQ(reply["id"], id);
  EXPECT_EQ(reply["status"], "verified") << reply.dump(2) << dns_->log();
  for (const auto& r : reply["records"]) {
    EXPECT_EQ(r["status"], "verified") << r.dump();
    EXPECT_FALSE(r.contains("problem")) << r.dump();
  }
  EXPECT_EQ(reply["dmarc"]["status"], "verified") << reply["dmarc"].dump();

  Json d = get("/domains/" + id);
  EXPECT_EQ(d["status"], "verified");
  EXPECT_EQ(get("/domains")["data"][0]["status"], "verified");
  // Verified: off the re-check schedule.
  auto scheduled = store::run(*pool_, {"ZSCORE", std::string(store::keys::kDomainRecheckSet), id});
  ASSERT_TRUE(scheduled);
  EXPECT_TRUE(scheduled->is_nil());

  Json sent = send_from("example.test", 200);
  EXPECT_TRUE(sent.contains("id")) << sent.dump();
  send_from("EXAMPLE.test", 200);
  expect_error(send_from("other.test", 403), 403, "validation_error");
  expect_error(send_from("sub.example.test", 403), 403, "validation_error");
}

TEST_F(DomainsRoutesTest, AMissingDkimRecordFailsWithAReasonAndKeepsTheDomainPending) {
  Json created = create({{"name", "example.test"}});
  const std::string id = created["id"];
  std::vector<Json> without_dkim;
  for (const auto& r : all_records(created))
    if (r["record"] != "DKIM") without_dkim.push_back(r);
  publish("example.test", without_dkim);

  Json reply = verify(id);
  EXPECT_EQ(reply["status"], "pending") << reply.dump(2);
  ASSERT_EQ(reply["records"].size(), 3u);
  EXPECT_EQ(reply["records"][0]["status"], "verified") << reply.dump(2);
  EXPECT_EQ(reply["records"][1]["status"], "verified") << reply.dump(2);
  const Json& dkim = reply["records"][2];
  EXPECT_EQ(dkim["status"], "failed") << dkim.dump();
  EXPECT_NE(dkim.value("problem", "").find("tern._domainkey.example.test"), std::string::npos) << dkim.dump();

  Json d = get("/domains/" + id);
  EXPECT_EQ(d["status"], "pending");
  EXPECT_EQ(d["records"][2]["status"], "failed");
  EXPECT_FALSE(d["records"][2].value("problem", "").empty());
  // Pending: the background re-check is scheduled.
  auto scheduled = store::run(*pool_, {"ZSCORE", std::string(store::keys::kDomainRecheckSet), id});
  ASSERT_TRUE(scheduled);
  EXPECT_FALSE(scheduled->is_nil());
  expect_error(send_from("example.test", 403), 403, "validation_error");
}

TEST_F(DomainsRoutesTest, VerifyOfAnUnknownOrForeignDomainIsNotFound) {
  const std::string id = create({{"name", "example.test"}})["id"];
  publish("example.test", {});
  expect_error(check(client_->Post("/domains/" + id + "/verify", auth(other_token_), "", "application/json"), 404),
               404, "not_found");
  expect_error(verify("not-a-uuid", 422), 422, "invalid_parameter");
}

}  // namespace
}  // namespace tern::api
