#include "worker/sender_identity.hpp"

#include <gtest/gtest.h>

#include "tests/peers/redis_runner.hpp"

namespace tern::worker {
namespace {

store::Domain domain_with_key(const SecretBox& box, dkim::KeyType type) {
  store::Domain d;
  d.id = "8a0f6c2e-1111-4222-8333-944455556666";
  d.team = "t";
  d.name = "acme.test";
  d.tls = "enforced";
  auto key = dkim::SigningKey::generate(type);
  EXPECT_TRUE(key);
  d.dkim_keys.push_back({"tern", dkim::to_string(type), key->public_key_base64(), *box.seal(key->private_pem(), d.id)});
  return d;
}

TEST(SenderIdentity, VerpEnvelopeKeysAndTlsFromTheDomain) {
  SecretBox box("master");
  auto d = domain_with_key(box, dkim::KeyType::ed25519);
  auto id = identity_for_domain(d, box, "e-1");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->envelope_from, "bounces+e-1@send.acme.test");
  EXPECT_EQ(id->tls, smtp::TlsMode::enforced);
  ASSERT_EQ(id->keys.size(), 1u);
  EXPECT_EQ(id->keys[0].second->public_key_base64(), d.dkim_keys[0].public_key);
  auto configs = id->signer_configs();
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(configs[0].domain, "acme.test");
  EXPECT_EQ(configs[0].selector, "tern");
}

TEST(SenderIdentity, CustomReturnPath) {
  SecretBox box("master");
  auto d = domain_with_key(box, dkim::KeyType::ed25519);
  d.custom_return_path = "bounce";
  EXPECT_EQ(identity_for_domain(d, box, "x")->envelope_from, "bounces+x@bounce.acme.test");
}

TEST(SenderIdentity, WrongMasterKeyIsAnErrorNotAnUnsignedSend) {
  SecretBox box("master");
  auto d = domain_with_key(box, dkim::KeyType::ed25519);
  auto id = identity_for_domain(d, SecretBox("another"), "e-1");
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().message.find("TERN_MASTER_KEY"), std::string::npos);
}

TEST(DomainSenderIdentities, ADomainIsReadOncePerTtlAndEachEmailGetsItsOwnVerp) {
  testing::RedisServer redis;
  store::RedisPool pool(redis.endpoint());
  store::DomainStore domains(pool);
  SecretBox box("master");
  auto d = domain_with_key(box, dkim::KeyType::ed25519);
  ASSERT_TRUE(domains.create(d));
  DomainSenderIdentities cached(domains, "master", std::chrono::hours(1));
  DomainSenderIdentities uncached(domains, "master", std::chrono::milliseconds(0));
  store::EmailContent email;
  email.team = "t";
  email.from = "Acme <billing@ACME.test>";
  for (const char* id : {"e-1", "e-2"}) {
    email.id = id;
    auto got = cached.identity(email);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->envelope_from, std::string("bounces+") + id + "@send.acme.test");
    EXPECT_EQ(got->keys.size(), 1u);
    EXPECT_EQ(got->tls, smtp::TlsMode::enforced);
  }
  ASSERT_TRUE(domains.remove("t", d.id));
  EXPECT_EQ(cached.identity(email)->keys.size(), 1u) << "still within the cache's ttl";
  auto gone = uncached.identity(email);
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->keys.empty()) << "a deleted domain sends unsigned, as From";
  EXPECT_EQ(gone->envelope_from, "billing@ACME.test");
  email.team = "other-team";
  EXPECT_TRUE(cached.identity(email)->keys.empty()) << "another team's domain is never used";
}

}  // namespace
}  // namespace tern::worker
