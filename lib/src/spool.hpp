// An unnamed temporary file that text is appended to and copied back out of, piece by piece and in
// any order: what a writer keeps instead of a province's worth of output while it waits for the
// last unit (a document's head, or its order, depends on all of them).
#pragma once

#include <cstdint>
#include <expected>
#include <ostream>
#include <string>
#include <string_view>

#include "gkml/error.hpp"

namespace gkml {

class Spool {
public:
    struct Piece {
        std::uint64_t offset = 0, size = 0;
    };
    // In the temporary folder (TMPDIR, else /tmp), removed from it at once: no exit leaves it behind.
    static std::expected<Spool, Error> make();
    Spool(Spool&& other) noexcept;
    Spool& operator=(Spool&&) = delete;
    ~Spool();

    std::expected<Piece, Error> append(std::string_view text);
    std::expected<void, Error> copy(Piece piece, std::ostream& out);
    // Everything appended, in order.
    std::expected<void, Error> copy_all(std::ostream& out) { return copy({0, end_}, out); }

private:
    Spool(int fd, std::string folder) : fd_(fd), folder_(std::move(folder)) {}
    std::expected<void, Error> flush();
    Error failed(std::string_view doing) const;

    int fd_ = -1;
    std::string folder_;  // for messages
    std::string buffer_;  // appended, not yet written
    std::uint64_t written_ = 0, end_ = 0;
};

}  // namespace gkml
