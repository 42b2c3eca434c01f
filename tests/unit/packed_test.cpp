#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "../../lib/src/packed.hpp"

using gkml::packed::Packer;
using gkml::packed::Records;
using gkml::packed::Row;

TEST_CASE("a ledger's records unpack as they were packed, in order, whatever bytes they hold", "[store][packed]") {
    // Values a clerk's export really has: empty columns, Chinese text, a title long enough for a
    // length of three bytes, and bytes the store must keep exact (a NUL, a unit separator).
    const std::string long_title(20'000, 'x');
    const std::string odd("a\0b\x1f" "c", 5);
    const std::vector<Row> rows{
        {"20-01", "2025-03-01", "2025-03-05", "website", "关于2025年春耕补贴的公示", "http://example.gov.cn/1.html", "r1"},
        {"", "", "", "", "", "", ""},
        {"20-02", "2025-03-02", "2025-03-09", "board", long_title, "", odd},
    };
    Packer packer;
    for (const auto& row : rows) packer.add(row);
    CHECK(packer.size() == 3);
    const auto block = packer.finish();
    CHECK(block.size() < long_title.size() / 10);  // compressed: the long title is mostly repeats

    const Records records(block);
    REQUIRE(records.size() == rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t c = 0; c < gkml::packed::columns; ++c) CHECK(records.at(r, static_cast<gkml::packed::Column>(c)) == rows[r][c]);

    const Records none(Packer{}.finish());
    CHECK(none.size() == 0);
}

TEST_CASE("a damaged block is refused with an error, not read past its end", "[store][packed]") {
    Packer packer;
    packer.add({"20-01", "2025-03-01", "2025-03-05", "website", "标题", "http://example.gov.cn/1.html", "r1"});
    const auto block = packer.finish();

    CHECK_THROWS_AS(Records(""), std::runtime_error);
    CHECK_THROWS_AS(Records("not a block at all"), std::runtime_error);
    CHECK_THROWS_AS(Records(std::string_view(block).substr(0, block.size() - 1)), std::runtime_error);
    // A flipped byte is refused (zstd's checksum of the content) or, in the frame's header, changes
    // nothing read; none crashes and none reads as other text.
    int refused = 0;
    for (std::size_t at = 0; at < block.size(); ++at) {
        auto flipped = block;
        flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
        try {
            const Records records(flipped);
            REQUIRE(records.size() == 1);
            CHECK(records.at(0, gkml::packed::title) == "标题");
            CHECK(records.at(0, gkml::packed::url) == "http://example.gov.cn/1.html");
        } catch (const std::runtime_error&) {
            ++refused;
        }
    }
    CHECK(refused >= static_cast<int>(block.size()) - 8);
}
