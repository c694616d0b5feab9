// sasl_test.cpp - AUTH arguments, responses and PLAIN messages.
#include "submission/sasl.hpp"

#include <gtest/gtest.h>

#include "store/util/encoding.hpp"

namespace tern::submission {
namespace {

using namespace std::string_literals;

TEST(Sasl, SplitsMechanismAndInitialResponse) {
  auto a = parse_auth_argument("plain  AHJlc2VuZAByZV9rZXk=");
  EXPECT_EQ(a.mechanism, "PLAIN");
  EXPECT_EQ(a.initial, std::optional<std::string>("AHJlc2VuZAByZV9rZXk="));
  auto b = parse_auth_argument("LOGIN");
  EXPECT_EQ(b.mechanism, "LOGIN");
  EXPECT_FALSE(b.initial);
}

TEST(Sasl, DecodesPlainWithAndWithoutAuthzid) {
  auto r = decode_response(base64_encode("\0resend\0re_secret"s));
  ASSERT_TRUE(r);
  auto c = decode_plain(r->value);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "resend");
  EXPECT_EQ(c->password, "re_secret");
  auto same = decode_plain("resend\0resend\0pw"s);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->password, "pw");
}

TEST(Sasl, RefusesProxyAuthorisationAndMalformedPlain) {
  EXPECT_FALSE(decode_plain("admin\0resend\0pw"s)) << "acting as another identity is not offered";
  EXPECT_FALSE(decode_plain("no separators"));
  EXPECT_FALSE(decode_plain("\0only-user"s));
  EXPECT_FALSE(decode_plain("\0user\0pass\r\nRCPT TO:<x@y>"s)) << "no CR/LF may come out of a credential";
  EXPECT_FALSE(decode_plain("\0user\0"s + std::string(kMaxSaslValue + 1, 'x')));
}

TEST(Sasl, CancelEmptyAndGarbageResponses) {
  auto cancel = decode_response("*");
  ASSERT_TRUE(cancel);
  EXPECT_TRUE(cancel->cancelled);
  auto empty = decode_response("=");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->cancelled);
  EXPECT_EQ(empty->value, "");
  EXPECT_FALSE(decode_response("not base64!"));
  EXPECT_FALSE(decode_response(std::string(10000, 'A'))) << "bounded";
}

TEST(Sasl, PlainValuesHoldNoControlCharacters) {
  EXPECT_TRUE(is_plain_value("resend"));
  EXPECT_FALSE(is_plain_value("a\nb"));
  EXPECT_FALSE(is_plain_value("a\0b"s));
  EXPECT_FALSE(is_plain_value(std::string(kMaxSaslValue + 1, 'k')));
}

}  // namespace
}  // namespace tern::submission
