// json_body.cpp - strict JSON parsing through nlohmann's parser callback.
//
// The callback sees every key and every object start/end, so a stack of key
// sets finds duplicates (which nlohmann would silently let the last one win)
// and the depth argument caps nesting. The callback aborts by throwing a
// local exception type, caught here and nowhere else.
#include "api/json_body.hpp"

#include <set>
#include <string>
#include <vector>

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

struct StrictnessViolation {
  std::string message;
};

bool is_blank(std::string_view body) {
  for (char c : body)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// StrictParser - state for one parse: the key sets of the open objects.
class StrictParser {
 public:
  bool on_event(int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxJsonDepth)
      throw StrictnessViolation{"The request body is nested too deeply (more than " +
                                std::to_string(kMaxJsonDepth) + " levels)."};
    switch (event) {
      case Json::parse_event_t::object_start: open_.emplace_back(); break;
      case Json::parse_event_t::object_end:
        if (!open_.empty()) open_.pop_back();
        break;
      case Json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!open_.empty() && !open_.back().insert(key).second)
          throw StrictnessViolation{"The request body has the key `" + key + "` more than once."};
        break;
      }
      default: break;
    }
    return true;
  }

 private:
  std::vector<std::set<std::string>> open_;
};

}  // namespace

ApiResult<Json> parse_json_value(std::string_view body) {
  if (is_blank(body)) return Json::object();
  StrictParser strict;
  try {
    return Json::parse(
        body.begin(), body.end(),
        [&strict](int depth, Json::parse_event_t event, Json& parsed) { return strict.on_event(depth, event, parsed); },
        /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const StrictnessViolation& violation) {
    return reject(validation_error(violation.message));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the bytes last read; never echo them, only the offset.
    if (std::string_view(e.what()).find("UTF-8") != std::string_view::npos)
      return reject(validation_error("The request body is not valid UTF-8 (error near byte " +
                                     std::to_string(e.byte) + ")."));
    return reject(validation_error("The request body is not valid JSON (error near byte " +
                                   std::to_string(e.byte) + ")."));
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond double's range ("1e999"): nlohmann throws out_of_range
    // (406), not parse_error. Found by tests/fuzz/json_body_fuzz.
    return reject(validation_error("The request body holds a number too large to represent."));
  }
}

ApiResult<Json> parse_json_object(std::string_view body) {
  auto value = parse_json_value(body);
  if (!value) return value;
  if (!value->is_object()) return reject(validation_error("The request body must be a JSON object."));
  return value;
}

const char* json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::binary: return "binary";
    case Json::value_t::discarded: return "discarded";
    default: return "number";
  }
}

}  // namespace tern::api
