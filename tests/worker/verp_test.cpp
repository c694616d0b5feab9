// verp_test.cpp - return-path addresses.
#include "worker/verp.hpp"

#include <gtest/gtest.h>

namespace tern::worker {
namespace {

const std::string kId = "0b6c7d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";

TEST(Verp, RoundTrips) {
  const std::string address = verp_address(kId, "mail.tern.test");
  EXPECT_EQ(address, "bounces+" + kId + "@mail.tern.test");
  EXPECT_EQ(parse_verp(address), std::optional<std::string>(kId));
}

TEST(Verp, AcceptsAnyDomainAndCase) {
  EXPECT_EQ(parse_verp("Bounces+0B6C7D2E-3F4A-4B5C-8D6E-7F8091A2B3C4@other.example"), std::optional<std::string>(kId));
}

TEST(Verp, RefusesEverythingElse) {
  EXPECT_FALSE(parse_verp("postmaster@mail.tern.test"));
  EXPECT_FALSE(parse_verp("bounces@mail.tern.test"));
  EXPECT_FALSE(parse_verp("bounces+@mail.tern.test"));
  EXPECT_FALSE(parse_verp("bounces+not-a-uuid@mail.tern.test"));
  EXPECT_FALSE(parse_verp("bounces+" + kId));
  EXPECT_FALSE(parse_verp("bounces+" + kId + "@"));
  EXPECT_FALSE(parse_verp("xbounces+" + kId + "@h"));
}

}  // namespace
}  // namespace tern::worker
