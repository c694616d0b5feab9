// embedded_file.hpp - a file compiled into the binary (cmake/embed_files.cmake),
// so `tern` serves its web console with nothing installed beside it.
#pragma once

#include <string_view>
#include <vector>

namespace tern {

struct EmbeddedFile {
  std::string_view name;  // relative path, e.g. "app.js"
  std::string_view content;
};

}  // namespace tern
