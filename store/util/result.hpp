// result.hpp - Tern's error and result types.
//
// Verdicts (a record is missing, a recipient bounced) are values of their own
// enums; Error is only for failing to compute something: bad input, I/O
// trouble, a peer speaking nonsense. Result<T> is tl::expected so it can move
// to std::expected once the toolchain has C++23.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace tern {

enum class Errc {
  invalid_argument,   // the caller's input is wrong (maps to 4xx)
  not_found,          // the thing asked for does not exist
  conflict,           // exists already / state forbids it
  unavailable,        // a backend (Redis, DNS, peer) could not be reached or timed out
  protocol,           // a peer answered something we cannot understand
  internal,           // a bug or an impossible state
};

struct Error {
  Errc code = Errc::internal;
  std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

// fail - build the unexpected half of a Result.
inline tl::unexpected<Error> fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

const char* to_string(Errc code);

}  // namespace tern
