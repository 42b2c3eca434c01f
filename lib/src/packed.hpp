// A ledger snapshot's records as the store keeps them: one block per snapshot, written once and read
// whole. Column by column (every record's item, then every formed date, …), each value its length
// (LEB128) and its bytes, the whole compressed with zstd. A province's 4 million records are then a
// few thousand rows to write and read, not millions, and a ninth of the bytes. A catalog field's
// canonical XML is compressed the same way (pack_text), a sixth of its bytes.
//
// By hand, not cereal (which packs kept coverage): a reader here takes views into one buffer, where
// cereal would allocate seven strings per record.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gkml::packed {

enum Column : std::size_t { item, formed, published, channel, title, url, record_id, columns };

using Row = std::array<std::string_view, columns>;

// Packs records added in order.
class Packer {
public:
    void add(const Row& row);
    std::size_t size() const { return count_; }
    // The compressed block. Throws std::runtime_error if zstd fails (out of memory).
    std::string finish() const;

private:
    std::array<std::string, columns> data_;
    std::size_t count_ = 0;
};

// A block unpacked: each record's values, as views into the block's bytes.
class Records {
public:
    // Throws std::runtime_error when `block` is not one Packer made (a damaged database).
    explicit Records(std::string_view block);
    // The views point into bytes_, which a move of a short string would not keep in place.
    Records(const Records&) = delete;
    Records& operator=(const Records&) = delete;
    std::size_t size() const { return count_; }
    std::string_view at(std::size_t record, Column column) const { return values_[column][record]; }

private:
    std::string bytes_;
    std::size_t count_ = 0;
    std::array<std::vector<std::string_view>, columns> values_;
};

// One text (a catalog field's canonical XML) compressed the same way, with zstd's checksum.
std::string pack_text(std::string_view text);
// Throws std::runtime_error when `block` is not one pack_text made.
std::string unpack_text(std::string_view block);

}  // namespace gkml::packed
