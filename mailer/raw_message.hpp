// raw_message.hpp - a message as the client built it (SMTP submission):
// what Tern checks and records at acceptance, and the completion it gets
// before it is signed and sent.
//
// inspect_raw_message promises: the message is CRLF text whose header
// section splits into fields (dkim::split_message); it holds no NUL and no
// bare CR anywhere (a bare CR would become a line break on the way out:
// header injection); no header line is over 998 octets (RFC 5322 §2.1.1);
// it has exactly one From field holding one valid address (DKIM signs
// exactly one From, RFC 6376 §5.4), at most one Subject and Message-ID.
// Errc::invalid_argument with a sentence saying which rule failed.
// The facts are unfolded, so they never hold CR or LF; subject and
// display name are RFC 2047-decoded when that gives valid UTF-8, else kept
// as written (non-UTF-8 bytes replaced by '?' so they can be stored as JSON).
//
// complete_raw_message promises: the same bytes, except that every Bcc field
// is removed and a Date and a Message-ID field are added on top when the
// message has none. Pure: no I/O, never fails (its input was inspected).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::mailer {

struct RawMessageFacts {
  std::string from;                       // "Name <a@b>" or "a@b", for the email record
  std::string from_address;               // a@b
  std::string subject;                    // UTF-8
  std::optional<std::string> message_id;  // "<...>" as written, when present
  bool has_date = false;
};

Result<RawMessageFacts> inspect_raw_message(std::string_view message);

std::string complete_raw_message(std::string_view message, std::chrono::system_clock::time_point date,
                                 std::string_view message_id);

}  // namespace tern::mailer
