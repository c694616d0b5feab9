// mail_params_test.cpp - MAIL FROM's ESMTP parameters.
#include "submission/mail_params.hpp"

#include <gtest/gtest.h>

namespace tern::submission {
namespace {

TEST(MailParams, ReadsTheAdvertisedParameters) {
  auto p = parse_mail_params("size=2048 BODY=8bitmime SMTPUTF8 AUTH=<>");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->size, std::optional<uint64_t>(2048));
  EXPECT_TRUE(p->eight_bit_mime);
  EXPECT_TRUE(p->smtputf8);
  auto none = parse_mail_params("");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->size);
  EXPECT_FALSE(none->eight_bit_mime);
  auto seven = parse_mail_params("BODY=7BIT");
  ASSERT_TRUE(seven);
  EXPECT_FALSE(seven->eight_bit_mime);
}

TEST(MailParams, RefusesWhatIsNotAdvertised) {
  EXPECT_FALSE(parse_mail_params("BODY=BINARYMIME"));
  EXPECT_FALSE(parse_mail_params("RET=HDRS"));
  EXPECT_FALSE(parse_mail_params("SIZE=12x"));
  EXPECT_FALSE(parse_mail_params("SIZE="));
  EXPECT_FALSE(parse_mail_params("SIZE=1 SIZE=2"));
  EXPECT_FALSE(parse_mail_params("SMTPUTF8=yes"));
}

}  // namespace
}  // namespace tern::submission
