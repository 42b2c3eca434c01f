// Reading files whole, and the one place that writes them: atomically, never half-written.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "gkml/error.hpp"

namespace gkml {

std::expected<std::string, Error> read_file(const std::filesystem::path& file);

// Writes to a temporary file in the same folder, flushes it, then renames it over `file`.
std::expected<void, Error> write_atomically(const std::filesystem::path& file, std::string_view content);

}  // namespace gkml
