// verp.hpp - Tern's return-path addresses (VERP): every email is sent with
// the envelope sender bounces+<email-id>@<return-path host>, so a bounce or
// a feedback report names the email it is about in its recipient.
//
// Pure. parse_verp accepts only "bounces+<uuid>@<any domain>" (the local
// part's "bounces" case-insensitive) and returns the email id lower-cased;
// anything else is nullopt, which the bounce listener refuses with 550.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tern::worker {

inline constexpr std::string_view kVerpPrefix = "bounces+";

std::string verp_address(std::string_view email_id, std::string_view return_path_host);
std::optional<std::string> parse_verp(std::string_view address);

}  // namespace tern::worker
