// dsn_parse_fuzz.cpp - libFuzzer target for mailer::parse_report, which
// reads bounce (RFC 3464) and abuse (RFC 5965) reports a remote MTA sends.
//
// Small limits make the bounds reachable. Invariants: a refusal is
// invalid_argument with a reason; an accepted DSN has 1..max_recipients
// recipients, an accepted feedback report a Feedback-Type; no kept field
// holds LF (they end up in webhooks and logs). A bare CR inside a field is
// kept by the parser today; see regressions/dsn_parse/bare_cr_in_remote_mta.
#include <string>

#include "mailer/dsn_parse.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

void check_text(const std::string& text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(!((u < 0x20 && c != '\t') || u == 0x7f), "control character (CR, LF, NUL...) in a parsed report field");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tern::mailer::ReportLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_parts = 16;
  limits.max_recipients = 8;
  limits.max_header_fields = 64;
  auto report = tern::mailer::parse_report(tern::fuzz::as_view(data, size), limits);
  if (!report) {
    FUZZ_CHECK(report.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
    FUZZ_CHECK(!report.error().message.empty(), "refusal without a reason");
    return 0;
  }
  if (report->kind == tern::mailer::ReportKind::delivery_status) {
    FUZZ_CHECK(!report->recipients.empty() && report->recipients.size() <= limits.max_recipients,
               "DSN recipient count out of range");
  } else {
    FUZZ_CHECK(!report->feedback_type.empty(), "feedback report without a type");
  }
  check_text(report->reporting_mta);
  check_text(report->feedback_type);
  check_text(report->original_mail_from);
  check_text(report->original_message_id);
  for (const auto& rcpt : report->original_rcpt_to) check_text(rcpt);
  for (const auto& r : report->recipients) {
    for (const auto* field : {&r.final_recipient, &r.original_recipient, &r.status, &r.diagnostic_type,
                              &r.diagnostic_code, &r.remote_mta}) {
      check_text(*field);
    }
  }
  return 0;
}
