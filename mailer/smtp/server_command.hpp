// server_command.hpp - inbound SMTP command lines as a server reads them
// (RFC 5321 §4.1), for Tern's bounce listener and submission server.
//
// Pure: no I/O. parse_server_command splits a line (CRLF already removed)
// into an upper-cased verb and its argument; parse_path_argument reads the
// "FROM:<path> params" / "TO:<path> params" argument of MAIL and RCPT,
// tolerating a space after the colon (common, though not in the grammar)
// and returning the path without angle brackets plus an optional SIZE=.
// Errc::invalid_argument for a malformed path (missing brackets, control
// characters, over 256 octets: §4.5.3.1.3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/util/result.hpp"

namespace tern::smtp {

struct ServerCommand {
  std::string verb;      // "EHLO", "MAIL", "RCPT", ... (upper-case)
  std::string argument;  // the rest of the line, leading spaces removed
};

ServerCommand parse_server_command(std::string_view line);

struct PathArgument {
  std::string path;               // "" for the null reverse-path <>
  std::optional<uint64_t> size;   // RFC 1870 SIZE=n on MAIL FROM
  std::string params;             // every ESMTP parameter after the path, as written, trimmed
};

// parse_path_argument - `keyword` is "FROM" or "TO" (case-insensitive).
Result<PathArgument> parse_path_argument(std::string_view argument, std::string_view keyword);

}  // namespace tern::smtp
