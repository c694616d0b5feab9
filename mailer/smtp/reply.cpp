// reply.cpp - text forms of an SMTP reply (see reply.hpp).
#include "mailer/smtp/reply.hpp"

namespace tern::smtp {

std::string EnhancedCode::to_string() const {
  return std::to_string(klass) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

std::string Reply::text() const {
  std::string joined;
  for (const std::string& line : lines) {
    if (!joined.empty() && !line.empty()) joined += ' ';
    joined += line;
  }
  return joined;
}

std::string Reply::to_string() const {
  std::string out = std::to_string(code);
  std::string body = text();
  if (!body.empty()) out += " " + body;
  return out;
}

}  // namespace tern::smtp
