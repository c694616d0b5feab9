// submission_fuzz.cpp - libFuzzer target for the pure parsers of the SMTP
// submission server: SASL (submission/sasl.hpp) and the MAIL FROM
// parameters (submission/mail_params.hpp). The first byte picks the parser.
//
// Invariants: a decoded response is bounded; PLAIN credentials are plain
// values (bounded, no NUL, CR or LF: they become a lookup key and may reach
// a log); a mechanism is upper case without spaces; refusals are
// invalid_argument.
#include <string>

#include "submission/mail_params.hpp"
#include "submission/sasl.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace tern::submission;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input = tern::fuzz::as_view(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto r = decode_response(input);
      if (!r) {
        FUZZ_CHECK(r.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
      } else if (!r->cancelled) {
        // A response may be a whole PLAIN message (NUL-separated): only bounded here.
        FUZZ_CHECK(r->value.size() <= 3 * kMaxSaslValue + 2, "a decoded response over the bound");
      }
      break;
    }
    case 1: {
      auto c = decode_plain(input);
      if (!c) {
        FUZZ_CHECK(c.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
      } else {
        FUZZ_CHECK(is_plain_value(c->user) && is_plain_value(c->password), "PLAIN credentials not plain values");
      }
      break;
    }
    case 2: {
      AuthArgument a = parse_auth_argument(input);
      for (char ch : a.mechanism) FUZZ_CHECK(!(ch >= 'a' && ch <= 'z') && ch != ' ', "mechanism not upper case");
      break;
    }
    default: {
      auto p = parse_mail_params(input);
      if (!p) FUZZ_CHECK(p.error().code == tern::Errc::invalid_argument, "refusals are invalid_argument");
      break;
    }
  }
  return 0;
}
