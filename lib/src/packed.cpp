#include "packed.hpp"

#include <zstd.h>

#include <memory>
#include <stdexcept>

namespace gkml::packed {

namespace {

constexpr char format = 1;  // the first byte of every block before compression
// zstd's level 1. On a township's block of the bench corpus (194 kB unpacked, `zstd -b1 -e5`):
// level 1 packs 6.8× at 840 MB/s, level 3 7.1× at 720 MB/s, level 5 7.5× at 225 MB/s. The writer
// thread is ingest's bottleneck; the province's 490 MB of records are 55 MB at level 1.
constexpr int level = 1;
// No block unpacks to more than this: a damaged length is refused instead of allocated.
constexpr unsigned long long largest_block = 1ULL << 31;

void put_length(std::string& out, std::size_t n) {
    while (n >= 0x80) {
        out += static_cast<char>((n & 0x7f) | 0x80);
        n >>= 7;
    }
    out += static_cast<char>(n);
}

struct Reader {
    std::string_view rest;

    [[noreturn]] static void damaged() { throw std::runtime_error("库中保存的数据已损坏，请从备份恢复数据库 / stored data is damaged (a block does not unpack): restore the database from a backup"); }

    std::size_t length() {
        std::size_t n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (rest.empty()) damaged();
            auto byte = static_cast<unsigned char>(rest.front());
            rest.remove_prefix(1);
            n |= static_cast<std::size_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) return n;
        }
        damaged();
    }

    std::string_view value() {
        auto n = length();
        if (n > rest.size()) damaged();
        auto out = rest.substr(0, n);
        rest.remove_prefix(n);
        return out;
    }
};

struct FreeCompressor {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct FreeDecompressor {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

}  // namespace

void Packer::add(const Row& row) {
    for (std::size_t c = 0; c < columns; ++c) {
        put_length(data_[c], row[c].size());
        data_[c] += row[c];
    }
    ++count_;
}

std::string Packer::finish() const {
    std::string raw(1, format);
    put_length(raw, count_);
    std::size_t total = raw.size();
    for (const auto& column : data_) total += column.size();
    raw.reserve(total);
    for (const auto& column : data_) raw += column;
    return pack_text(raw);
}

std::string pack_text(std::string_view text) {
    thread_local std::unique_ptr<ZSTD_CCtx, FreeCompressor> context(ZSTD_createCCtx());
    if (!context) throw std::runtime_error("zstd: no memory for a compressor");
    std::string out(ZSTD_compressBound(text.size()), '\0');
    // With zstd's checksum of the content: a block damaged on disk is refused, not read as other text.
    auto n = ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, level);
    if (!ZSTD_isError(n)) n = ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1);
    if (!ZSTD_isError(n)) n = ZSTD_compress2(context.get(), out.data(), out.size(), text.data(), text.size());
    if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

std::string unpack_text(std::string_view block) {
    auto size = ZSTD_getFrameContentSize(block.data(), block.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > largest_block) Reader::damaged();
    std::string out(static_cast<std::size_t>(size), '\0');
    thread_local std::unique_ptr<ZSTD_DCtx, FreeDecompressor> context(ZSTD_createDCtx());
    if (!context) throw std::runtime_error("zstd: no memory for a decompressor");
    auto n = ZSTD_decompressDCtx(context.get(), out.data(), out.size(), block.data(), block.size());
    if (ZSTD_isError(n) || n != out.size()) Reader::damaged();
    return out;
}

Records::Records(std::string_view block) : bytes_(unpack_text(block)) {
    Reader in{bytes_};
    if (in.rest.empty() || in.rest.front() != format) Reader::damaged();
    in.rest.remove_prefix(1);
    count_ = in.length();
    if (count_ > in.rest.size()) Reader::damaged();  // every value takes at least its length's byte
    for (auto& column : values_) {
        column.reserve(count_);
        for (std::size_t r = 0; r < count_; ++r) column.push_back(in.value());
    }
    if (!in.rest.empty()) Reader::damaged();
}

}  // namespace gkml::packed
