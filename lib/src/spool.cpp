#include "spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <algorithm>
#include <vector>

namespace gkml {

namespace {

constexpr std::size_t buffered = std::size_t{1} << 20;

}  // namespace

std::expected<Spool, Error> Spool::make() {
    std::error_code ec;
    auto folder = std::filesystem::temp_directory_path(ec);
    if (ec) folder = "/tmp";
    std::string name = (folder / "gkml-spool-XXXXXX").string();
    int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(Error{ErrorKind::io,
                                     "无法在临时目录建立临时文件，请检查 TMPDIR 是否可写 / cannot make a temporary file: " +
                                         std::string(std::strerror(errno)),
                                     folder.string(), 0});
    ::unlink(name.c_str());
    return Spool(fd, folder.string());
}

Spool::Spool(Spool&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), folder_(std::move(other.folder_)), buffer_(std::move(other.buffer_)),
      written_(other.written_), end_(other.end_) {}

Spool::~Spool() {
    if (fd_ >= 0) ::close(fd_);
}

Error Spool::failed(std::string_view doing) const {
    return Error{ErrorKind::io,
                 "临时文件" + std::string(doing) + "失败（磁盘已满？可用 TMPDIR 指定别的目录） / the temporary file could not be " +
                     (doing == "写入" ? "written" : "read") + ": " + std::strerror(errno),
                 folder_, 0};
}

std::expected<void, Error> Spool::flush() {
    for (std::size_t done = 0; done < buffer_.size();) {
        auto n = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done, static_cast<off_t>(written_ + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::unexpected(failed("写入"));
        done += static_cast<std::size_t>(n);
    }
    written_ += buffer_.size();
    buffer_.clear();
    return {};
}

std::expected<Spool::Piece, Error> Spool::append(std::string_view text) {
    Piece piece{end_, text.size()};
    buffer_ += text;
    end_ += text.size();
    if (buffer_.size() >= buffered)
        if (auto done = flush(); !done) return std::unexpected(done.error());
    return piece;
}

std::expected<void, Error> Spool::copy(Piece piece, std::ostream& out) {
    if (piece.offset + piece.size > written_)
        if (auto done = flush(); !done) return std::unexpected(done.error());
    std::vector<char> chunk(std::min<std::uint64_t>(piece.size, buffered));
    for (std::uint64_t at = piece.offset, left = piece.size; left > 0;) {
        auto n = ::pread(fd_, chunk.data(), std::min<std::uint64_t>(left, chunk.size()), static_cast<off_t>(at));
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = EIO;  // shorter than what was written to it
        if (n <= 0) return std::unexpected(failed("读取"));
        out.write(chunk.data(), n);
        at += static_cast<std::uint64_t>(n);
        left -= static_cast<std::uint64_t>(n);
    }
    return {};
}

}  // namespace gkml
