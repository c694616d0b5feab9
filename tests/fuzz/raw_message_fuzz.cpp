// raw_message_fuzz.cpp - libFuzzer target for the checks and completion of
// a client-built message (mailer/raw_message.hpp, SMTP submission).
//
// Invariants: accepted facts never hold CR, LF or NUL (they reach headers
// and JSON); the completed message passes the same inspection again, now
// with a Date and a Message-ID, and holds no Bcc field; a refusal is
// invalid_argument.
#include <string>

#include "mailer/raw_message.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool has_line_break_or_nul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool has_bcc_field(std::string_view message) {
  std::string head = "\r\n" + std::string(message.substr(0, message.find("\r\n\r\n")));
  for (char& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
  return head.find("\r\nbcc:") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message = tern::fuzz::as_view(data, size);
  auto facts = tern::mailer::inspect_raw_message(message);
  if (!facts) {
    FUZZ_CHECK(facts.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
    return 0;
  }
  FUZZ_CHECK(!has_line_break_or_nul(facts->from), "From fact with a line break");
  FUZZ_CHECK(!has_line_break_or_nul(facts->from_address), "address fact with a line break");
  FUZZ_CHECK(!has_line_break_or_nul(facts->subject), "Subject fact with a line break");
  if (facts->message_id) FUZZ_CHECK(!has_line_break_or_nul(*facts->message_id), "Message-ID with a line break");

  const std::string completed =
      tern::mailer::complete_raw_message(message, std::chrono::system_clock::time_point{}, "<fuzz@tern.test>");
  auto again = tern::mailer::inspect_raw_message(completed);
  FUZZ_CHECK(again.has_value(), "the completed message no longer passes inspection");
  FUZZ_CHECK(again->has_date, "completed message without Date");
  FUZZ_CHECK(again->message_id.has_value(), "completed message without Message-ID");
  FUZZ_CHECK(again->from_address == facts->from_address, "completion changed the From address");
  FUZZ_CHECK(!has_bcc_field(completed), "Bcc left in the completed message");
  return 0;
}
