// reply_parser.cpp - incremental SMTP reply parsing (see reply_parser.hpp).
#include "mailer/smtp/reply_parser.hpp"

#include <utility>

namespace tern::smtp {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// excerpt - a short printable rendering of peer bytes for error messages.
std::string excerpt(std::string_view bytes) {
  constexpr std::size_t kMax = 40;
  std::string out;
  for (char c : bytes.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (bytes.size() > kMax) out += "...";
  return out;
}

// read_digits - 1 to 3 digits at text[pos]; advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t& pos) {
  int value = 0;
  std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == start || (pos < text.size() && is_digit(text[pos]))) return std::nullopt;
  return value;
}

}  // namespace

std::optional<EnhancedCode> parse_enhanced_code(std::string_view text) {
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') {
    return std::nullopt;
  }
  EnhancedCode code;
  code.klass = text[0] - '0';
  std::size_t pos = 2;
  std::optional<int> subject = read_digits(text, pos);
  if (!subject || pos >= text.size() || text[pos] != '.') return std::nullopt;
  ++pos;
  std::optional<int> detail = read_digits(text, pos);
  if (!detail || (pos < text.size() && text[pos] != ' ')) return std::nullopt;
  code.subject = *subject;
  code.detail = *detail;
  return code;
}

void ReplyParser::feed(std::string_view bytes) {
  while (!bytes.empty() && !error_) {
    std::size_t newline = bytes.find('\n');
    std::string_view piece = bytes.substr(0, newline);
    // Check before appending so a flood never grows the buffer past the limit.
    if (partial_line_.size() + piece.size() + (newline == std::string_view::npos ? 0 : 1) >
        limits_.max_line_octets) {
      set_error("reply line longer than " + std::to_string(limits_.max_line_octets) + " octets");
      partial_line_.clear();
      return;
    }
    partial_line_.append(piece);
    if (newline == std::string_view::npos) return;
    bytes.remove_prefix(newline + 1);
    std::string line = std::move(partial_line_);
    partial_line_.clear();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    parse_line(line);
  }
}

void ReplyParser::parse_line(std::string_view line) {
  bool code_ok = line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && is_digit(line[1]) && is_digit(line[2]);
  if (!code_ok || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
    set_error("malformed reply line \"" + excerpt(line) + "\"");
    return;
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  bool last = line.size() == 3 || line[3] == ' ';
  std::string text(line.size() > 4 ? line.substr(4) : std::string_view{});

  if (!partial_reply_) {
    partial_reply_ = Reply{};
    partial_reply_->code = code;
    partial_reply_->enhanced = parse_enhanced_code(text);
  } else if (partial_reply_->code != code) {
    set_error("multi-line reply changes code from " + std::to_string(partial_reply_->code) + " to " +
              std::to_string(code));
    return;
  }
  partial_reply_->lines.push_back(std::move(text));
  if (partial_reply_->lines.size() > limits_.max_lines) {
    set_error("reply has more than " + std::to_string(limits_.max_lines) + " lines");
    return;
  }
  if (last) {
    ready_.push_back(std::move(*partial_reply_));
    partial_reply_.reset();
  }
}

void ReplyParser::set_error(std::string message) {
  error_ = Error{Errc::protocol, std::move(message)};
  partial_reply_.reset();
}

Result<std::optional<Reply>> ReplyParser::next() {
  if (!ready_.empty()) {
    Reply reply = std::move(ready_.front());
    ready_.pop_front();
    return reply;
  }
  if (error_) return tl::unexpected<Error>(*error_);
  return std::optional<Reply>{};
}

bool ReplyParser::idle() const {
  return partial_line_.empty() && !partial_reply_ && ready_.empty() && !error_;
}

}  // namespace tern::smtp
