// signer_test.cpp - DKIM signing: the RFC 8463 Appendix A vector reproduced
// exactly, header selection and oversigning, refusals, and every signature
// the tests make (RSA and Ed25519, hand-written and build_message messages)
// verified by independent verifiers (tests/peers/dkim_verifier.hpp): dkimpy
// for both, and Mail::DKIM for RSA where it is installed.
#include "mailer/dkim/signer.hpp"

#include <gtest/gtest.h>

#include <map>

#include "mailer/dkim/signature.hpp"
#include "mailer/message.hpp"
#include "store/util/encoding.hpp"
#include "tests/peers/dkim_verifier.hpp"

namespace tern::dkim {
namespace {

using std::chrono::system_clock;

// RFC 8463 Appendix A (printed with LF; CRLF here; two spaces after "game.").
constexpr const char* kRfcMessage =
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
    "\r\n"
    "Hi.\r\n"
    "\r\n"
    "We lost the game.  Are you hungry yet?\r\n"
    "\r\n"
    "Joe.\r\n";
constexpr const char* kRfcEd25519Signature =
    "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
    " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n";
constexpr const char* kRfcRsaSignature =
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
    " date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
    " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
    " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n";
constexpr const char* kRfcSeed = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
const std::map<std::string, std::string> kRfcRecords = {
    {"brisbane._domainkey.football.example.com",
     "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="},
    {"test._domainkey.football.example.com",
     "v=DKIM1; k=rsa; "
     "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/"
     "byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/"
     "K4w3QIDAQAB"},
};

system_clock::time_point fixed_now() { return system_clock::time_point(std::chrono::seconds(1767322800)); }

SigningKey rfc_ed25519_key() { return std::move(*SigningKey::from_ed25519_seed(*base64_decode(kRfcSeed))); }

// ---------------------------------------------------------------------------
// RFC 8463 Appendix A

TEST(Rfc8463, BodyHash) {
  auto split = split_message(kRfcMessage);
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(body_hash(split->body), "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
}

TEST(Rfc8463, Ed25519SignatureReproducedExactly) {
  auto split = split_message(kRfcMessage);
  auto published = parse_header_field(kRfcEd25519Signature);
  ASSERT_TRUE(split && published);
  HeaderField unsigned_field{published->name, without_b_value(published->value)};
  std::vector<std::string> h = {"from", "to", "subject", "date", "message-id", "from", "subject", "date"};
  std::string input = header_hash_input(split->headers, h, unsigned_field);
  EXPECT_EQ(input.substr(input.rfind("\r\n") + 2),
            "dkim-signature:v=1; a=ed25519-sha256; c=relaxed/relaxed; d=football.example.com; "
            "i=@football.example.com; q=dns/txt; s=brisbane; t=1528637909; h=from : to : subject : date : "
            "message-id : from : subject : date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=");
  SigningKey key = rfc_ed25519_key();
  auto b = sign_header_hash_input(input, key);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==");
}

TEST(Rfc8463, PublishedMessageVerifiesWithDkimpyAndTamperingFails) {
  if (!testing::dkimpy_available()) GTEST_SKIP() << "install python3-dkim and python3-nacl";
  std::string signed_message = std::string(kRfcEd25519Signature) + kRfcRsaSignature + kRfcMessage;
  std::string output;
  EXPECT_TRUE(testing::dkim_verify(signed_message, kRfcRecords, output)) << output;
  std::string tampered = signed_message;
  tampered.replace(tampered.find("Joe."), 4, "Jo.");
  EXPECT_FALSE(testing::dkim_verify(tampered, kRfcRecords, output)) << output;
  EXPECT_NE(output.find("body hash mismatch"), std::string::npos) << output;
  if (testing::mail_dkim_available()) {
    EXPECT_TRUE(testing::dkim_verify_mail_dkim(signed_message, kRfcRecords, output)) << output;
    EXPECT_FALSE(testing::dkim_verify_mail_dkim(tampered, kRfcRecords, output)) << output;
  }
}

// ---------------------------------------------------------------------------
// Header selection

std::vector<HeaderField> fields(std::string_view block) { return split_message(block)->headers; }

TEST(SignedHeaderNames, OversignsPresentHeadersOnceMore) {
  auto headers = fields("From: a@x\r\nTo: b@y\r\nTo: c@z\r\nSubject: s\r\nX-Other: o\r\n\r\n");
  EXPECT_EQ(signed_header_names(headers, default_signed_headers()),
            (std::vector<std::string>{"from", "to", "to", "subject", "from", "to", "subject"}));
}

TEST(SignedHeaderNames, NamesAreLowercasedAndNotRepeated) {
  auto headers = fields("FROM: a@x\r\nsubject: s\r\n\r\n");
  EXPECT_EQ(signed_header_names(headers, {"From", "SUBJECT", "from"}),
            (std::vector<std::string>{"from", "subject", "from", "subject"}));
}

TEST(HeaderHashInput, TakesInstancesBottomUpAndSkipsMissingOnes) {
  auto headers = fields("To: first\r\nFrom: f\r\nTo: second\r\n\r\n");
  HeaderField sig{"DKIM-Signature", " v=1; b="};
  EXPECT_EQ(header_hash_input(headers, {"to", "to", "to", "from", "cc"}, sig),
            "to:second\r\nto:first\r\nfrom:f\r\ndkim-signature:v=1; b=");
  EXPECT_EQ(header_hash_input(headers, {"to"}, sig, Canon::simple), "To: second\r\nDKIM-Signature: v=1; b=");
}

// ---------------------------------------------------------------------------
// dkim_signature_header

constexpr const char* kSimpleMessage =
    "From: Acme <hello@example.com>\r\n"
    "To: user@example.net\r\n"
    "Subject: Welcome\r\n"
    "Date: Fri, 2 Jan 2026 03:00:00 +0000\r\n"
    "Message-ID: <m1@tern.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello.\r\n";

TEST(DkimSignatureHeader, TagsForAFixedTime) {
  SigningKey key = rfc_ed25519_key();
  auto header = dkim_signature_header(kSimpleMessage, {"example.com", "ed1", &key}, fixed_now());
  ASSERT_TRUE(header.has_value()) << header.error().message;
  auto field = parse_header_field(*header);
  ASSERT_TRUE(field.has_value());
  std::string relaxed = canon_header_relaxed(field->name, without_b_value(field->value));
  std::string h = "h=from:to:subject:date:message-id:mime-version:content-type:from:to:subject:date:message-id:"
                  "mime-version:content-type;";
  std::string compact = relaxed;
  std::erase(compact, ' ');
  EXPECT_EQ(compact, "dkim-signature:v=1;a=ed25519-sha256;c=relaxed/relaxed;d=example.com;s=ed1;t=1767322800;" + h +
                         "bh=" + body_hash("Hello.\r\n") + ";b=");
  EXPECT_EQ(header->find("l="), std::string::npos);
}

TEST(DkimSignatureHeader, Ed25519IsDeterministic) {
  SigningKey key = rfc_ed25519_key();
  auto a = dkim_signature_header(kSimpleMessage, {"example.com", "ed1", &key}, fixed_now());
  auto b = dkim_signature_header(kSimpleMessage, {"example.com", "ed1", &key}, fixed_now());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
}

TEST(DkimSignatureHeader, RefusesZeroOrSeveralFromHeaders) {
  SigningKey key = rfc_ed25519_key();
  SignerConfig config{"example.com", "ed1", &key};
  auto none = dkim_signature_header("To: a@b\r\n\r\nbody\r\n", config, fixed_now());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, Errc::invalid_argument);
  auto two = dkim_signature_header("From: a@b\r\nfrom: c@d\r\n\r\nbody\r\n", config, fixed_now());
  ASSERT_FALSE(two.has_value());
  EXPECT_EQ(two.error().code, Errc::invalid_argument);
}

TEST(DkimSignatureHeader, RefusesBadConfig) {
  SigningKey key = rfc_ed25519_key();
  EXPECT_FALSE(dkim_signature_header(kSimpleMessage, {"example.com", "s", nullptr}, fixed_now()).has_value());
  EXPECT_FALSE(dkim_signature_header(kSimpleMessage, {"", "s", &key}, fixed_now()).has_value());
  EXPECT_FALSE(dkim_signature_header(kSimpleMessage, {"example.com", "a;b=", &key}, fixed_now()).has_value());
  EXPECT_FALSE(dkim_signature_header(" bad\r\n\r\n", {"example.com", "s", &key}, fixed_now()).has_value());
}

TEST(SignMessage, PrependsInConfigOrder) {
  SigningKey ed = rfc_ed25519_key();
  auto rsa = SigningKey::generate(KeyType::rsa);
  ASSERT_TRUE(rsa.has_value());
  auto signed_message =
      sign_message(kSimpleMessage, {{"example.com", "rsa1", &*rsa}, {"example.com", "ed1", &ed}}, fixed_now());
  ASSERT_TRUE(signed_message.has_value());
  EXPECT_EQ(signed_message->rfind("DKIM-Signature: v=1; a=rsa-sha256;", 0), 0u);
  std::size_t second = signed_message->find("\r\nDKIM-Signature: v=1; a=ed25519-sha256;");
  std::size_t body = signed_message->find(kSimpleMessage);
  EXPECT_NE(second, std::string::npos);
  EXPECT_LT(second, body);
  EXPECT_EQ(signed_message->substr(body), kSimpleMessage);
}


// ---------------------------------------------------------------------------
// Independent verification: dkimpy against the keys as published in DNS.

class DkimpyVerifies : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new SigningKey(std::move(*SigningKey::generate(KeyType::rsa)));
    ed_ = new SigningKey(std::move(*SigningKey::generate(KeyType::ed25519)));
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ed_;
  }
  void SetUp() override {
    if (!testing::dkimpy_available()) GTEST_SKIP() << "install python3-dkim and python3-nacl";
  }

  static std::map<std::string, std::string> records() {
    return {{"rsa1._domainkey.example.com", "v=DKIM1; k=rsa; p=" + rsa_->public_key_base64()},
            {"ed1._domainkey.example.com", "v=DKIM1; k=ed25519; p=" + ed_->public_key_base64()}};
  }
  static std::vector<SignerConfig> configs() {
    return {{"example.com", "rsa1", rsa_}, {"example.com", "ed1", ed_}};
  }

  // expect_verifies - signed with both keys, both signatures pass dkimpy.
  static std::string expect_verifies(std::string_view message) {
    auto signed_message = sign_message(message, configs(), system_clock::now());
    EXPECT_TRUE(signed_message.has_value()) << signed_message.error().message;
    if (!signed_message) return {};
    std::string output;
    EXPECT_TRUE(testing::dkim_verify(*signed_message, records(), output)) << output << "\n" << *signed_message;
    EXPECT_NE(output.find("signature 1: pass"), std::string::npos) << output;
    if (testing::mail_dkim_available()) {
      EXPECT_TRUE(testing::dkim_verify_mail_dkim(*signed_message, records(), output)) << output;
      EXPECT_NE(output.find("signature 0: pass (a=rsa-sha256"), std::string::npos) << output;
    }
    return *signed_message;
  }

  static inline SigningKey* rsa_ = nullptr;
  static inline SigningKey* ed_ = nullptr;
};

TEST_F(DkimpyVerifies, SimpleMessage) { expect_verifies(kSimpleMessage); }

TEST_F(DkimpyVerifies, EmptyBodyAndHeadersOnly) {
  expect_verifies("From: a@example.com\r\nTo: b@example.net\r\nSubject: empty\r\n\r\n");
  expect_verifies("From: a@example.com\r\nTo: b@example.net\r\nSubject: no body at all\r\n");
}

TEST_F(DkimpyVerifies, WhitespaceDotsAndLongLines) {
  std::string long_line(3000, 'w');
  expect_verifies(
      "From: a@example.com\r\n"
      "To: b@example.net\r\n"
      "Subject:   spaced    out\t subject  \r\n"
      "\r\n"
      "trailing spaces   \r\n"
      "\ttab led\t\tand  inner   runs\t\r\n"
      ".\r\n"
      "..double dot\r\n"
      ". dot space\r\n" +
      long_line + "\r\n"
      "\r\n"
      "  \r\n"
      "\r\n\r\n");
}

TEST_F(DkimpyVerifies, MissingFinalCrlf) {
  expect_verifies("From: a@example.com\r\nTo: b@example.net\r\n\r\nno final newline");
}

TEST_F(DkimpyVerifies, FoldedHeadersCaseAndRepeats) {
  expect_verifies(
      "FROM: \"Sixpack, Joe\" <joe@example.com>\r\n"
      "to: a@example.net,\r\n"
      "\tb@example.net,\r\n"
      "    c@example.net\r\n"
      "To: d@example.net\r\n"
      "cc: e@example.net\r\n"
      "Reply-To: f@example.com\r\n"
      "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\n"
      " =?UTF-8?Q?_=E2=9C=93_und_mehr?=\r\n"
      "DATE: Fri, 2 Jan 2026 03:00:00 +0000\r\n"
      "Message-Id: <x@tern.test>\r\n"
      "X-Custom: kept but not signed\r\n"
      "\r\n"
      "Body.\r\n");
}

TEST_F(DkimpyVerifies, Multipart) {
  expect_verifies(
      "From: Acme <hello@example.com>\r\n"
      "To: user@example.net\r\n"
      "Subject: Multipart\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative;\r\n"
      " boundary=\"=_b1\"\r\n"
      "\r\n"
      "--=_b1\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n"
      "Gr=C3=BC=C3=9Fe  \r\n"
      "--=_b1\r\n"
      "Content-Type: text/html; charset=utf-8\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "\r\n"
      "PHA+R3LDvMOfZTwvcD4=\r\n"
      "--=_b1--\r\n");
}

TEST_F(DkimpyVerifies, TamperedSubjectOrAddedFromFails) {
  std::string signed_message = expect_verifies(kSimpleMessage);
  ASSERT_FALSE(signed_message.empty());
  std::string output;
  std::string tampered = signed_message;
  tampered.replace(tampered.find("Subject: Welcome"), 16, "Subject: Welcomf");
  EXPECT_FALSE(testing::dkim_verify(tampered, records(), output)) << output;
  if (testing::mail_dkim_available()) {
    EXPECT_FALSE(testing::dkim_verify_mail_dkim(tampered, records(), output)) << output;
  }
  // Oversigning: a second From added below the signed one breaks the signature.
  std::string added = signed_message;
  added.insert(added.find("To: user@example.net"), "From: evil@example.org\r\n");
  EXPECT_FALSE(testing::dkim_verify(added, records(), output)) << output;
  // A key that is not ours fails too.
  auto other = records();
  other["rsa1._domainkey.example.com"] = "v=DKIM1; k=rsa; p=" + SigningKey::generate(KeyType::rsa)->public_key_base64();
  EXPECT_FALSE(testing::dkim_verify(signed_message, other, output)) << output;
}

mailer::OutgoingMessage built_message() {
  mailer::OutgoingMessage m;
  m.from = {"Zoë Ångström", "hello@example.com"};
  m.to = {{"", "user@example.net"}, {"Jörg Müller", "joerg@example.net"}};
  m.cc = {{"", "cc@example.net"}};
  m.reply_to = {{"Support", "support@example.com"}};
  m.subject = "Grüße aus Köln ✓ — a rather long subject line that must be folded by the builder somewhere";
  m.text = "Hello Zoë,\n\nA line with trailing spaces   \n.\n.. and dots\n" + std::string(1500, 'x') + "\n";
  m.html = "<p>Hello Zo&euml;</p>\n<p>" + std::string(1200, 'y') + "</p>\n";
  m.headers = {{"X-Entity-Ref-ID", "abc-123"}};
  m.message_id = "<built@tern.test>";
  m.date = fixed_now();
  return m;
}

TEST_F(DkimpyVerifies, BuildMessageOutput) {
  mailer::OutgoingMessage m = built_message();
  expect_verifies(mailer::build_message(m));
  m.html.reset();
  expect_verifies(mailer::build_message(m));
}

}  // namespace
}  // namespace tern::dkim
