// dsn_parse.hpp - read the reports that come back after delivery: a
// delivery status notification (RFC 3464, multipart/report;
// report-type=delivery-status) and an abuse feedback report (RFC 5965 ARF,
// multipart/report; report-type=feedback-report).
//
// Pure and bounded (bytes in, value out; safe to fuzz): a message over
// limits.max_bytes, MIME nesting deeper than limits.max_depth, more than
// limits.max_parts parts or limits.max_recipients recipient blocks is
// refused, never partially read. The multipart/report may be the top-level
// entity or nested inside other multiparts (some MTAs wrap it).
//
// What is kept: per DSN recipient the Final-Recipient and
// Original-Recipient addresses (address-type "rfc822;" removed), Action,
// Status ("5.1.1", first token only), Diagnostic-Code (type and text) and
// Remote-MTA; for an ARF report the Feedback-Type, every Original-Rcpt-To
// and the Original-Mail-From. For both, the Message-ID of the returned
// message (third part: message/rfc822 or text/rfc822-headers) when present.
//
// Field values never hold a control character other than tab (a bare CR or
// NUL from the remote side becomes a space).
//
// Errors: Errc::invalid_argument for anything that is not a readable
// report (too large, not multipart/report, no status part, a DSN without
// recipients, an ARF report without Feedback-Type).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "store/util/result.hpp"

namespace tern::mailer {

struct ReportLimits {
  std::size_t max_bytes = 4 * 1024 * 1024;
  int max_depth = 4;  // multipart nesting
  std::size_t max_parts = 64;
  std::size_t max_recipients = 1000;
  std::size_t max_header_fields = 1000;  // per header block
};

enum class DsnAction { failed, delayed, delivered, relayed, expanded, unknown };
const char* to_string(DsnAction action);

struct DsnRecipient {
  std::string final_recipient;     // "user@example.com"
  std::string original_recipient;  // empty when absent
  DsnAction action = DsnAction::unknown;
  std::string status;              // "5.1.1"; empty when absent or malformed
  std::string diagnostic_type;     // "smtp"
  std::string diagnostic_code;     // "550 5.1.1 <user@example.com>: Recipient address rejected"
  std::string remote_mta;          // "mx.example.com" (type removed)
};

enum class ReportKind { delivery_status, feedback };

struct ParsedReport {
  ReportKind kind = ReportKind::delivery_status;
  std::string reporting_mta;                 // DSN: Reporting-MTA (type removed)
  std::vector<DsnRecipient> recipients;      // DSN
  std::string feedback_type;                 // ARF: "abuse", "fraud", ... (lower-case)
  std::vector<std::string> original_rcpt_to; // ARF
  std::string original_mail_from;            // ARF
  std::string original_message_id;           // "<...>" of the returned message, or empty
};

Result<ParsedReport> parse_report(std::string_view message, const ReportLimits& limits = {});

}  // namespace tern::mailer
