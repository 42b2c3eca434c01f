#include "gkml/files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gkml {

namespace {

Error io_error(const std::filesystem::path& file, std::string what) {
    return Error{ErrorKind::io, what + ": " + std::strerror(errno), file.string(), 0};
}

}  // namespace

std::expected<std::string, Error> read_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        return std::unexpected(Error{ErrorKind::io, "is a folder, not a file", file.string(), 0});
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return std::unexpected(io_error(file, "cannot open"));
    std::string content;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) content.append(buffer, n);
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return std::unexpected(io_error(file, "cannot read"));
    return content;
}

std::expected<void, Error> write_atomically(const std::filesystem::path& file, std::string_view content) {
    auto folder = file.parent_path();
    if (folder.empty()) folder = ".";
    std::string temp = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
    int fd = ::mkstemp(temp.data());
    if (fd < 0) return std::unexpected(io_error(file, "cannot create a temporary file beside it"));
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto error = io_error(file, "cannot write");
            ::close(fd);
            ::unlink(temp.c_str());
            return std::unexpected(error);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
        auto error = io_error(file, "cannot flush");
        ::close(fd);
        ::unlink(temp.c_str());
        return std::unexpected(error);
    }
    ::close(fd);
    if (std::rename(temp.c_str(), file.c_str()) != 0) {
        auto error = io_error(file, "cannot replace");
        ::unlink(temp.c_str());
        return std::unexpected(error);
    }
    return {};
}

}  // namespace gkml
