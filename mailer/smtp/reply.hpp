// reply.hpp - an SMTP reply as received, kept intact from session to webhook.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tern::smtp {

struct EnhancedCode {  // RFC 3463 class.subject.detail
  int klass = 0;
  int subject = 0;
  int detail = 0;
  std::string to_string() const;  // "5.1.1"
};

struct Reply {
  int code = 0;                          // 3-digit basic code
  std::optional<EnhancedCode> enhanced;  // from the first line, when present
  std::vector<std::string> lines;        // text of each line, code and separator removed
  std::string text() const;              // lines joined with " " (enhanced code left in the first)
  std::string to_string() const;         // "550 5.1.1 user unknown"
  bool positive() const { return code >= 200 && code < 400; }
  bool transient() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500 && code < 600; }
};

}  // namespace tern::smtp
