// json_body_fuzz.cpp - libFuzzer target for api::parse_json_value and
// api::parse_json_object, the strict JSON reader every request body meets.
//
// Invariants: no exception escapes; an accepted value nests at most
// kMaxJsonDepth deep, has no duplicate key (so dump() and parse again give
// the same value), and parse_json_object accepts exactly the objects; a
// refusal is a 422 validation_error whose JSON body (to_body) is valid JSON
// and repeats the status.
#include <string>

#include <nlohmann/json.hpp>

#include "api/errors.hpp"
#include "api/json_body.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

int depth_of(const nlohmann::ordered_json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const auto& child : value) deepest = std::max(deepest, depth_of(child));
  return deepest + 1;
}

void check_error(const tern::api::ApiError& error) {
  FUZZ_CHECK(error.status == 422 && error.name == "validation_error", "not a 422 validation_error");
  const auto body = nlohmann::json::parse(tern::api::to_body(error), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!body.is_discarded(), "error body is not JSON");
  FUZZ_CHECK(body.value("statusCode", 0) == error.status, "statusCode differs from the status");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = tern::fuzz::as_view(data, size);
  auto value = tern::api::parse_json_value(body);
  auto object = tern::api::parse_json_object(body);
  if (!value) {
    check_error(value.error());
    FUZZ_CHECK(!object, "object accepted where the value was refused");
    check_error(object.error());
    return 0;
  }
  FUZZ_CHECK(depth_of(*value) <= tern::api::kMaxJsonDepth + 1, "nesting over the limit accepted");
  FUZZ_CHECK(object.has_value() == value->is_object(), "parse_json_object disagrees with is_object");
  if (!object) check_error(object.error());
  const std::string dumped = value->dump();
  auto again = tern::api::parse_json_value(dumped);
  FUZZ_CHECK(again.has_value() && *again == *value, "dump does not parse back to the same value");
  (void)tern::api::json_type_name(*value);
  return 0;
}
