#include "mailer/idna.hpp"

#include <gtest/gtest.h>

namespace tern::mailer {
namespace {

TEST(Punycode, Rfc3492SampleStrings) {
  // RFC 3492 §7.1 (A) Arabic, (B) Chinese simplified, (L) Japanese "3年B組金八先生".
  EXPECT_EQ(punycode_encode("\xD9\x84\xD9\x8A\xD9\x87\xD9\x85\xD8\xA7\xD8\xA8\xD8\xAA\xD9\x83\xD9\x84\xD9\x85\xD9\x88"
                            "\xD8\xB4\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\x9F"),
            "egbpdaj6bu4bxfgehfvwxn");
  EXPECT_EQ(punycode_encode("\xE4\xBB\x96\xE4\xBB\xAC\xE4\xB8\xBA\xE4\xBB\x80\xE4\xB9\x88\xE4\xB8\x8D\xE8\xAF\xB4"
                            "\xE4\xB8\xAD\xE6\x96\x87"),
            "ihqwcrb4cv8a8dqg056pqjye");
  EXPECT_EQ(punycode_encode("3\xE5\xB9\xB4" "B\xE7\xB5\x84\xE9\x87\x91\xE5\x85\xAB\xE5\x85\x88\xE7\x94\x9F"),
            "3B-ww4c5e180e575a65lsy2b");
}

TEST(Punycode, SmallCases) {
  EXPECT_EQ(punycode_encode("b\xC3\xBC" "cher"), "bcher-kva");
  EXPECT_EQ(punycode_encode("m\xC3\xBCnchen"), "mnchen-3ya");
  EXPECT_EQ(punycode_encode("abc"), "abc-");
  EXPECT_EQ(punycode_encode(""), "");
  EXPECT_FALSE(punycode_encode("bad\xFF"));
}

TEST(DomainToAscii, MixedLabels) {
  EXPECT_EQ(domain_to_ascii("b\xC3\xBC" "cher.Example.COM"), "xn--bcher-kva.example.com");
  EXPECT_EQ(domain_to_ascii("Example.com"), "example.com");
  EXPECT_EQ(domain_to_ascii("\xF0\x9F\x98\x80.test"), "xn--e28h.test");
}

TEST(AddressToAscii, OnlyTheDomainChanges) {
  EXPECT_EQ(address_to_ascii("User@b\xC3\xBC" "cher.example"), "User@xn--bcher-kva.example");
  EXPECT_EQ(address_to_ascii("User@Example.com"), "User@Example.com");  // ASCII is left alone
  EXPECT_EQ(address_to_ascii("no-at"), "no-at");
}

}  // namespace
}  // namespace tern::mailer
