// mail_params.hpp - the ESMTP parameters of MAIL FROM that the submission
// server advertises: SIZE=n (RFC 1870), BODY=7BIT|8BITMIME (RFC 6152),
// SMTPUTF8 (RFC 6531), and AUTH=<...> (RFC 4954 §5, accepted and ignored).
//
// Pure: no I/O. Parameter names are case-insensitive. Anything else (an
// unknown parameter, BODY=BINARYMIME, a malformed SIZE, a duplicate) is
// Errc::invalid_argument, answered 555 5.5.4 (RFC 5321 §4.1.1.11).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::submission {

struct MailParams {
  std::optional<uint64_t> size;
  bool eight_bit_mime = false;
  bool smtputf8 = false;
};

Result<MailParams> parse_mail_params(std::string_view params);

}  // namespace tern::submission
