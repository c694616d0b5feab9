// address.hpp - RFC 5321/5322 mailboxes as Tern accepts them from the API.
//
// Accepted input forms:  "user@example.com"
//                        "Display Name <user@example.com>"
//                        "\"Quoted, Name\" <user@example.com>"
// The display name is kept as UTF-8 text (encoded later by the MIME builder);
// the address is an addr-spec: dot-atom or quoted-string local part and a
// domain of LDH labels (or a UTF-8 IDN, kept as given). CR, LF and NUL are
// refused everywhere.
#pragma once

#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::mailer {

struct Mailbox {
  std::string display_name;  // UTF-8, may be empty
  std::string address;       // local@domain

  std::string_view local_part() const;
  std::string_view domain() const;
};

// parse_mailbox - one mailbox in any accepted form; Errc::invalid_argument
// with a human message on anything else.
Result<Mailbox> parse_mailbox(std::string_view text);

// is_valid_address - addr-spec check only (no display name).
bool is_valid_address(std::string_view address);

// lowercase_domain - "User@Example.COM" -> "User@example.com" (local part kept).
std::string normalize_address(std::string_view address);

}  // namespace tern::mailer
