// address_fuzz.cpp - libFuzzer target for mailer::parse_mailbox and the IDN
// conversion that follows it onto the wire.
//
// Invariants for an accepted mailbox: no CR, LF or NUL anywhere; the address
// is a valid addr-spec that splits at its last '@' into a non-empty local
// part (at most 64 octets, ASCII) and a non-empty domain; it parses again on
// its own to the same address; normalize_address is idempotent; its A-label
// form is ASCII.
#include <string>

#include "mailer/address.hpp"
#include "mailer/idna.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

bool is_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

void check_mailbox(const tern::mailer::Mailbox& mailbox) {
  using tern::fuzz::has_any_of;
  using tern::fuzz::kCrLfNul;
  FUZZ_CHECK(!has_any_of(mailbox.address, kCrLfNul), "CR, LF or NUL in an accepted address");
  FUZZ_CHECK(!has_any_of(mailbox.display_name, kCrLfNul), "CR, LF or NUL in an accepted display name");
  FUZZ_CHECK(tern::mailer::is_valid_address(mailbox.address), "accepted address fails is_valid_address");
  const std::string_view local = mailbox.local_part(), domain = mailbox.domain();
  FUZZ_CHECK(!local.empty() && !domain.empty(), "empty local part or domain");
  FUZZ_CHECK(local.size() <= 64, "local part over 64 octets");
  FUZZ_CHECK(is_ascii(local), "non-ASCII local part accepted");
  FUZZ_CHECK(std::string(local) + "@" + std::string(domain) == mailbox.address, "address does not split at '@'");

  auto again = tern::mailer::parse_mailbox(mailbox.address);
  FUZZ_CHECK(again.has_value(), "an accepted address does not parse on its own");
  FUZZ_CHECK(again->address == mailbox.address && again->display_name.empty(), "re-parse changed the address");

  const std::string normalized = tern::mailer::normalize_address(mailbox.address);
  FUZZ_CHECK(tern::mailer::normalize_address(normalized) == normalized, "normalize_address not idempotent");
  FUZZ_CHECK(tern::mailer::is_valid_address(normalized), "normalized address invalid");
  FUZZ_CHECK(is_ascii(tern::mailer::address_to_ascii(mailbox.address)), "A-label form not ASCII");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = tern::fuzz::as_view(data, size);
  auto mailbox = tern::mailer::parse_mailbox(input);
  if (mailbox) {
    check_mailbox(*mailbox);
  } else {
    FUZZ_CHECK(mailbox.error().code == tern::Errc::invalid_argument, "parse errors are invalid_argument");
    FUZZ_CHECK(!mailbox.error().message.empty(), "parse error without a message");
  }
  (void)tern::mailer::is_valid_address(input);
  if (auto ascii = tern::mailer::domain_to_ascii(input)) {
    FUZZ_CHECK(is_ascii(*ascii), "domain_to_ascii gave non-ASCII");
  }
  return 0;
}
