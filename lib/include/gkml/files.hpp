// Reading files whole, and the one place that writes them: atomically, never half-written.
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "gkml/error.hpp"

namespace gkml {

// Bigger than any one unit's catalog, ledger or workbook (a province's corpus is 1.3 GB in 4 000 files).
inline constexpr std::size_t max_input_bytes = std::size_t{1} << 30;

// The whole file; a device (/dev/zero), or more than max_input_bytes (a pipe that never ends), is refused.
std::expected<std::string, Error> read_file(const std::filesystem::path& file);

// A temporary file `prefix`XXXXXX`suffix` in `folder`, locked while open and removed when dropped
// (unless `path` was cleared after a rename). Creating one first removes the unlocked files of the
// same prefix more than a minute old: what a killed run left behind.
struct ScratchFile {
    std::string path;
    int fd = -1;
    ScratchFile() = default;
    ScratchFile(ScratchFile&& other) noexcept;
    ScratchFile& operator=(ScratchFile&&) = delete;
    ~ScratchFile();
};
std::expected<ScratchFile, Error> scratch_file(const std::filesystem::path& folder, std::string_view prefix,
                                               std::string_view suffix);

// Writes to a temporary file in the same folder, flushes it, then renames it over `file`. The file
// keeps its permissions (a new one gets 0666 less the umask); a symlink is followed to its target.
std::expected<void, Error> write_atomically(const std::filesystem::path& file, std::string_view content);
// The same, the content written to `out` by `write` as it is made (a province's report is 100 MB);
// when `write` fails, the target is left as it was and its error returned.
std::expected<void, Error> write_atomically(const std::filesystem::path& file,
                                            const std::function<std::expected<void, Error>(std::ostream&)>& write);

}  // namespace gkml
