// idna.hpp - IDN domains as A-labels (RFC 3492 Punycode, RFC 5891 "xn--").
//
// Tern keeps an IDN domain as the user gave it (address.hpp) and turns it
// into ASCII only where it goes on the wire: headers here, RCPT/MAIL paths in
// the SMTP client. Scope: each non-ASCII label is Punycode-encoded as given;
// ASCII letters are lowercased. The UTS #46 mapping (NFC, case folding of
// non-ASCII letters) is NOT applied, so callers should pass lowercase NFC
// text (what every IDN-aware client sends); libidn2 would add the mapping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern::mailer {

// punycode_encode - RFC 3492 §6.3 on UTF-8 text; nullopt on invalid UTF-8
// or overflow. "bücher" -> "bcher-kva".
std::optional<std::string> punycode_encode(std::string_view utf8);

// domain_to_ascii - "bücher.Example" -> "xn--bcher-kva.example"; ASCII
// domains are only lowercased. nullopt when a label cannot be encoded.
std::optional<std::string> domain_to_ascii(std::string_view domain);

// address_to_ascii - the same applied to the domain of "local@domain"; the
// address comes back unchanged when it has no '@' or cannot be converted.
std::string address_to_ascii(std::string_view address);

}  // namespace tern::mailer
