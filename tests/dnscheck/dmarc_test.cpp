// dmarc_test.cpp - the DMARC record parser: valid and invalid records,
// RFC 9989 leniency (unknown tags, optional p=) and its warnings.
#include "dnscheck/dmarc.hpp"

#include <gtest/gtest.h>

#include <random>

namespace tern::dns {
namespace {

std::string warnings_of(const DmarcRecord& record) {
  std::string all;
  for (const std::string& w : record.warnings) all += w + "\n";
  return all;
}

TEST(DmarcParse, FullRecord) {
  auto record = parse_dmarc(
      "v=DMARC1; p=Reject; sp=quarantine; np=none; adkim=s; aspf=r; "
      "rua=mailto:agg@example.com,mailto:other@example.net; ruf=mailto:forensic@example.com; fo=0:d; t=n; psd=u");
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->p, DmarcPolicy::reject);
  EXPECT_EQ(record->sp, DmarcPolicy::quarantine);
  EXPECT_EQ(record->np, DmarcPolicy::none);
  EXPECT_EQ(record->adkim, 's');
  EXPECT_EQ(record->aspf, 'r');
  EXPECT_EQ(record->rua, (std::vector<std::string>{"mailto:agg@example.com", "mailto:other@example.net"}));
  EXPECT_EQ(record->ruf, std::vector<std::string>{"mailto:forensic@example.com"});
  EXPECT_FALSE(record->testing);
  EXPECT_TRUE(record->warnings.empty()) << warnings_of(*record);
}

TEST(DmarcParse, ValidRecords) {
  const char* valid[] = {
      "v=DMARC1; p=none",
      "v=DMARC1;p=none;",
      "v = DMARC1 ; p = quarantine ;",
      "v=DMARC1; p=none; future=whatever",     // unknown tags ignored (RFC 9989)
      "v=DMARC1; rua=mailto:a@example.com; p=reject",  // p need not be second
      "v=DMARC1",                               // p optional in RFC 9989
      "v=DMARC1; p=none; pct=0",
      "v=DMARC1; p=none; pct=100",
  };
  for (const char* text : valid) {
    auto record = parse_dmarc(text);
    EXPECT_TRUE(record) << text << ": " << (record ? "" : record.error().message);
  }
}

TEST(DmarcParse, InvalidRecords) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"p=none; v=DMARC1", "v=DMARC1"},
      {"v=DMARC2; p=none", "v=DMARC1"},
      {"v=dmarc1; p=none", "v=DMARC1"},
      {"v=DMARC1; p=block", "not a policy"},
      {"v=DMARC1; p=", "not a policy"},
      {"v=DMARC1; p=none; sp=maybe", "sp=maybe"},
      {"v=DMARC1; p=none; np=x", "np=x"},
      {"v=DMARC1; p=none; adkim=strict", "alignment"},
      {"v=DMARC1; p=none; aspf=x", "alignment"},
      {"v=DMARC1; p=none; pct=101", "0 to 100"},
      {"v=DMARC1; p=none; pct=-1", "0 to 100"},
      {"v=DMARC1; p=none; pct=fifty", "0 to 100"},
      {"v=DMARC1; p=none; rua=agg@example.com", "mailto:"},
      {"v=DMARC1; p=none; rua=https://example.com/r", "mailto:"},
      {"v=DMARC1; p=none; ruf=mailto:", "email address"},
      {"v=DMARC1; p=none; rua=mailto:a@example.com,", "mailto:"},
      {"v=DMARC1; p=none; p=reject", "twice"},
      {"v=DMARC1; p=none; P=reject", "twice"},
      {"v=DMARC1; v=DMARC1; p=none", "twice"},
      {"v=DMARC1; p=none; fo=2", "fo="},
      {"v=DMARC1; p=none; t=maybe", "t="},
      {"v=DMARC1; p=none; psd=x", "psd="},
      {"v=DMARC1; p=none; bogus", "name=value"},
  };
  for (const Case& c : cases) {
    auto record = parse_dmarc(c.text);
    ASSERT_FALSE(record) << c.text;
    EXPECT_NE(record.error().message.find(c.reason), std::string::npos) << c.text << " -> " << record.error().message;
  }
}

TEST(DmarcParse, Warnings) {
  struct Case {
    const char* text;
    const char* warning;
  } cases[] = {
      {"v=DMARC1; p=none; pct=50", "pct= was removed in RFC 9989"},
      {"v=DMARC1; p=none; rf=afrf", "rf= was removed"},
      {"v=DMARC1; p=none; ri=86400", "ri= was removed"},
      {"v=DMARC1; p=none; rua=mailto:a@example.com!10m", "obsolete"},
      {"v=DMARC1; p=reject; t=y", "testing"},
      {"v=DMARC1; rua=mailto:a@example.com", "no p="},
  };
  for (const Case& c : cases) {
    auto record = parse_dmarc(c.text);
    ASSERT_TRUE(record) << c.text << ": " << record.error().message;
    EXPECT_NE(warnings_of(*record).find(c.warning), std::string::npos) << c.text << " -> " << warnings_of(*record);
  }
  auto sized = parse_dmarc("v=DMARC1; p=none; rua=mailto:a@example.com!10m");
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->rua, std::vector<std::string>{"mailto:a@example.com!10m"});
  EXPECT_EQ(parse_dmarc("v=DMARC1; p=none; pct=50")->pct, 50);
  EXPECT_TRUE(parse_dmarc("v=DMARC1; p=none; t=y")->testing);
}

TEST(DmarcParse, RecordDetection) {
  EXPECT_TRUE(is_dmarc_record("v=DMARC1"));
  EXPECT_TRUE(is_dmarc_record("v=DMARC1;p=none"));
  EXPECT_TRUE(is_dmarc_record(" v = DMARC1 ; p=none"));
  EXPECT_FALSE(is_dmarc_record("v=DMARC10; p=none"));
  EXPECT_FALSE(is_dmarc_record("v=spf1 -all"));
  EXPECT_FALSE(is_dmarc_record(""));
  EXPECT_EQ(to_string(DmarcPolicy::quarantine), std::string("quarantine"));
}

// Bytes in, values out: arbitrary input from the record alphabet never
// crashes the parser.
TEST(DmarcParse, SurvivesArbitraryBytes) {
  static constexpr std::string_view kAlphabet = "v=DMARC1; pspnadkimaspfrsct=yu0123456789!mailto:@,.\t\x01\xff";
  std::mt19937 rng(9989);
  int parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = i % 2 ? "v=DMARC1; " : "";
    const std::size_t size = rng() % 40;
    for (std::size_t j = 0; j < size; ++j) text += kAlphabet[rng() % kAlphabet.size()];
    parsed += parse_dmarc(text).has_value();
  }
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace tern::dns
