// ids.hpp - identifiers: UUID v4 for resources (Resend's shape) and checks.
#pragma once

#include <string>
#include <string_view>

namespace tern {

std::string new_uuid();                 // "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"
bool is_uuid(std::string_view text);    // 8-4-4-4-12 lower or upper hex

}  // namespace tern
