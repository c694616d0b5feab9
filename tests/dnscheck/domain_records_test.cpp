// domain_records_test.cpp - the records a customer is told to publish.
#include "dnscheck/domain_records.hpp"

#include <gtest/gtest.h>

#include "dnscheck/dkim_record.hpp"
#include "dnscheck/dmarc.hpp"
#include "dnscheck/spf.hpp"
#include "tests/dnscheck/dkim_test_keys.hpp"

namespace tern::dns {
namespace {

DomainRecordInput input() {
  DomainRecordInput in;
  in.domain = "example.test";
  in.feedback_host = "feedback-smtp.tern.test";
  in.spf_mechanism = "include:_spf.tern.test";
  in.dkim = {{"tern", "rsa", test_keys::rsa2048_a()}, {"tern-ed", "ed25519", test_keys::ed25519().raw_base64}};
  return in;
}

TEST(RecordsToPublish, MxSpfAndOneDkimPerKey) {
  const std::vector<DnsRecordSpec> records = records_to_publish(input());
  ASSERT_EQ(records.size(), 4u);

  EXPECT_EQ(records[0].record, "SPF");
  EXPECT_EQ(records[0].name, "send");
  EXPECT_EQ(records[0].type, "MX");
  EXPECT_EQ(records[0].value, "feedback-smtp.tern.test");
  EXPECT_EQ(records[0].priority, 10);
  EXPECT_EQ(records[0].ttl, "Auto");

  EXPECT_EQ(records[1].record, "SPF");
  EXPECT_EQ(records[1].name, "send");
  EXPECT_EQ(records[1].type, "TXT");
  EXPECT_EQ(records[1].value, "v=spf1 include:_spf.tern.test ~all");
  EXPECT_FALSE(records[1].priority);
  EXPECT_TRUE(parse_spf(records[1].value));

  EXPECT_EQ(records[2].record, "DKIM");
  EXPECT_EQ(records[2].name, "tern._domainkey");
  EXPECT_EQ(records[2].value, "v=DKIM1; k=rsa; p=" + test_keys::rsa2048_a());
  EXPECT_EQ(records[3].name, "tern-ed._domainkey");
  EXPECT_EQ(records[3].value, "v=DKIM1; k=ed25519; p=" + test_keys::ed25519().raw_base64);
  for (int i : {2, 3}) {
    auto key = parse_dkim_key(records[i].value);
    ASSERT_TRUE(key) << key.error().message;
    EXPECT_FALSE(key->revoked);
  }
}

TEST(RecordsToPublish, CustomReturnPath) {
  DomainRecordInput in = input();
  in.return_path = "bounces";
  const std::vector<DnsRecordSpec> records = records_to_publish(in);
  EXPECT_EQ(records[0].name, "bounces");
  EXPECT_EQ(records[1].name, "bounces");
  in.return_path = "";
  EXPECT_EQ(records_to_publish(in)[0].name, "send");
}

TEST(DmarcAdvice, IsAValidMonitoringPolicyWithRelaxedAlignment) {
  const DnsRecordSpec advice = dmarc_advice("example.test");
  EXPECT_EQ(advice.record, "DMARC");
  EXPECT_EQ(advice.name, "_dmarc");
  EXPECT_EQ(advice.type, "TXT");
  auto record = parse_dmarc(advice.value);
  ASSERT_TRUE(record) << record.error().message;
  EXPECT_EQ(record->p, DmarcPolicy::none);
  EXPECT_EQ(record->aspf, 'r');
  EXPECT_EQ(record->adkim, 'r');
  EXPECT_TRUE(record->warnings.empty());
}

TEST(DkimTxtValue, DefaultsToRsa) {
  EXPECT_EQ(dkim_txt_value({"s", "", "QUJD"}), "v=DKIM1; k=rsa; p=QUJD");
  EXPECT_EQ(dkim_txt_value({"s", "ed25519", "QUJD"}), "v=DKIM1; k=ed25519; p=QUJD");
}

TEST(SplitTxt, ChunksOf255JoinBack) {
  EXPECT_EQ(split_txt(""), std::vector<std::string>{""});
  for (std::size_t size : {1u, 254u, 255u, 256u, 510u, 511u, 1000u}) {
    std::string value;
    for (std::size_t i = 0; i < size; ++i) value += static_cast<char>('a' + i % 26);
    const std::vector<std::string> strings = split_txt(value);
    EXPECT_EQ(strings.size(), (size + 254) / 255) << size;
    std::string joined;
    for (const std::string& s : strings) {
      EXPECT_LE(s.size(), 255u);
      EXPECT_FALSE(s.empty());
      joined += s;
    }
    EXPECT_EQ(joined, value);
  }
  const std::string dkim = dkim_txt_value({"tern", "rsa", test_keys::rsa2048_a()});
  EXPECT_GT(dkim.size(), 255u);
  EXPECT_EQ(split_txt(dkim).size(), 2u);
}

}  // namespace
}  // namespace tern::dns
