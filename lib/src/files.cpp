#include "gkml/files.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ostream>
#include <streambuf>
#include <utility>
#include <vector>

namespace gkml {

namespace {

Error io_error(const std::filesystem::path& file, std::string what) {
    return Error{ErrorKind::io, what + ": " + std::strerror(errno), file.string(), 0};
}

}  // namespace

std::expected<std::string, Error> read_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        return std::unexpected(Error{ErrorKind::io, "这是文件夹，不是文件 / is a folder, not a file", file.string(), 0});
    auto type = std::filesystem::status(file, ec).type();
    if (type == std::filesystem::file_type::character || type == std::filesystem::file_type::block)
        return std::unexpected(Error{ErrorKind::invalid_input, "是设备文件，不是目录、台账或表格文件 / a device, not a file", file.string(), 0});
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return std::unexpected(io_error(file, "cannot open"));
    std::string content;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
        content.append(buffer, n);
        if (content.size() > max_input_bytes) {
            std::fclose(f);
            return std::unexpected(Error{ErrorKind::invalid_input,
                                         "文件超过 " + std::to_string(max_input_bytes >> 30) + " GB，不是一个单位的目录、台账或表格；请按单位拆分 / larger than " +
                                             std::to_string(max_input_bytes >> 30) + " GiB",
                                         file.string(), 0});
        }
    }
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return std::unexpected(io_error(file, "cannot read"));
    return content;
}

ScratchFile::ScratchFile(ScratchFile&& other) noexcept
    : path(std::exchange(other.path, {})), fd(std::exchange(other.fd, -1)) {}

ScratchFile::~ScratchFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
}

namespace {

// What a new file gets: 0666 less the process's umask, read without changing it (umask(2) would,
// for every thread at once).
mode_t new_file_mode() {
    mode_t mask = 022;
    if (std::FILE* status = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, status))
            if (std::strncmp(line, "Umask:", 6) == 0) mask = static_cast<mode_t>(std::strtoul(line + 6, nullptr, 8));
        std::fclose(status);
    }
    return 0666 & ~mask;
}

// A scratch file whose writer died (kill -9, power cut) is not locked any more: the next writer in
// the folder removes it. One just created, not yet locked, is spared by its age.
void remove_stale(const std::filesystem::path& folder, std::string_view prefix) {
    std::error_code ec;
    const auto now = std::filesystem::file_time_type::clock::now();
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (!name.starts_with(prefix) || name.size() < prefix.size() + 6 || !it->is_regular_file(ec)) continue;
        auto modified = it->last_write_time(ec);
        if (ec || now - modified < std::chrono::minutes(1)) continue;
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(it->path().c_str());
        ::close(fd);
    }
}

}  // namespace

std::expected<ScratchFile, Error> scratch_file(const std::filesystem::path& folder, std::string_view prefix, std::string_view suffix) {
    auto dir = folder.empty() ? std::filesystem::path(".") : folder;
    remove_stale(dir, prefix);
    std::string name = (dir / (std::string(prefix) + "XXXXXX" + std::string(suffix))).string();
    int fd = ::mkostemps(name.data(), static_cast<int>(suffix.size()), O_CLOEXEC);
    if (fd < 0) return std::unexpected(io_error(dir, "cannot create a temporary file"));
    ScratchFile out;
    out.path = name;
    out.fd = fd;
    ::flock(fd, LOCK_EX);  // held until the file is closed: the mark of a live writer
    return out;
}

namespace {

// An output stream's buffer over a file descriptor; the first failed write is kept (errno) and
// everything after it dropped.
class FdBuffer : public std::streambuf {
public:
    explicit FdBuffer(int fd) : fd_(fd), buffer_(std::size_t{1} << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
    int failed() const { return failed_; }
    bool drain() {
        const char* at = pbase();
        while (!failed_ && at < pptr()) {
            ssize_t n = ::write(fd_, at, static_cast<std::size_t>(pptr() - at));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) failed_ = n < 0 ? errno : EIO;
            else at += n;
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return !failed_;
    }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    int fd_;
    std::vector<char> buffer_;
    int failed_ = 0;
};

}  // namespace

std::expected<void, Error> write_atomically(const std::filesystem::path& file, std::string_view content) {
    return write_atomically(file, [&](std::ostream& out) -> std::expected<void, Error> {
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        return {};
    });
}

std::expected<void, Error> write_atomically(const std::filesystem::path& file,
                                            const std::function<std::expected<void, Error>(std::ostream&)>& write) {
    // A symlink is followed: the file it points to is replaced, the link stays.
    std::error_code ec;
    auto target = file;
    if (std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::symlink) {
        target = std::filesystem::weakly_canonical(file, ec);
        if (ec) return std::unexpected(Error{ErrorKind::io, "无法解析符号链接 / cannot follow the link: " + ec.message(), file.string(), 0});
    }
    struct stat existing{};
    mode_t mode = ::stat(target.c_str(), &existing) == 0 ? existing.st_mode & 07777 : new_file_mode();
    auto scratch = scratch_file(target.parent_path(), "." + target.filename().string() + ".", "");
    if (!scratch) return std::unexpected(Error{ErrorKind::io, "无法在目标旁边建临时文件（检查文件夹权限和磁盘空间） / cannot create a temporary file beside it", file.string(), 0});
    FdBuffer buffer(scratch->fd);
    std::ostream out(&buffer);
    if (auto made = write(out); !made) return made;  // the scratch file goes with `scratch`
    if (!buffer.drain()) {
        errno = buffer.failed();
        return std::unexpected(io_error(file, "cannot write"));
    }
    if (::fchmod(scratch->fd, mode) != 0 || ::fsync(scratch->fd) != 0) return std::unexpected(io_error(file, "cannot flush"));
    if (std::rename(scratch->path.c_str(), target.c_str()) != 0) return std::unexpected(io_error(file, "cannot replace"));
    scratch->path.clear();  // renamed: nothing to remove
    return {};
}

}  // namespace gkml
