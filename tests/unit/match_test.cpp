#include <catch2/catch.hpp>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <random>

#include "gkml/match.hpp"
#include "gkml/text.hpp"
#include "gkml/xml.hpp"

namespace {

gkml::Item item(std::string id, std::string category, std::string name) {
    gkml::Item i;
    i.id = std::move(id);
    i.levels = {gkml::Level::township};
    i.category = std::move(category);
    i.name = std::move(name);
    return i;
}

gkml::Catalog catalog_of(std::vector<gkml::Item> items, std::string code = "20") {
    gkml::Catalog c;
    c.fields.push_back(gkml::Field{code, "社会救助", std::nullopt, std::move(items), {}});
    return c;
}

gkml::Catalog read(const std::string& name) {
    return *gkml::read_catalog(std::string(GKML_SOURCE_DIR) + "/tests/data/diff/" + name);
}

}  // namespace

TEST_CASE("names are compared with widths folded, punctuation and spaces ignored", "[match]") {
    CHECK(gkml::normalized_name("办事指南（ 申请条件 ）") == gkml::normalized_name("办事指南(申请条件)"));
    CHECK(gkml::normalized_name("《条例》、ＡＢＣ 123") == "条例abc123");
    CHECK(gkml::text_similarity("办事指南", "办事指南") == 1.0);
    CHECK(gkml::text_similarity("办事指南", "办事指南信息") == Approx(0.8));
    CHECK(gkml::text_similarity("政策文件", "审核信息") == 0.0);
}

// normalized_name's definition, as ICU states it: widths folded, then every character but punctuation,
// white space and pattern syntax kept, ASCII in lower case.
static std::string normalized_by_icu(std::string_view text) {
    std::string folded = gkml::fold_width(text), out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(folded.data());
    const auto length = static_cast<int32_t>(folded.size());
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || u_ispunct(c) || u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_PATTERN_SYNTAX)) continue;
        if (c < 0x80) out += static_cast<char>(u_tolower(c));
        else out.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
    }
    return out;
}

TEST_CASE("a name is normalized as ICU says, for every code point and for malformed bytes", "[match]") {
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char buffer[4];
        int32_t n = 0;
        U8_APPEND_UNSAFE(buffer, n, c);
        const std::string one(buffer, static_cast<std::size_t>(n)), text = "甲" + one + "Ａ" + one;
        if (gkml::normalized_name(text) != normalized_by_icu(text)) FAIL("U+" << std::hex << c);
    }
    // Random bytes, mostly malformed UTF-8 around real characters.
    std::mt19937 random(20261204);
    const std::string pieces[] = {"\xE4", "\xB8", "\xAD", "\xEF\xBC\xA1", "\xE3\x80\x80", "a", " ", "、", "\xF0\x9F", "\x80", std::string(1, '\0')};
    for (int round = 0; round < 20'000; ++round) {
        std::string text;
        for (int k = static_cast<int>(random() % 12); k > 0; --k) text += pieces[random() % std::size(pieces)];
        REQUIRE(gkml::normalized_name(text) == normalized_by_icu(text));
    }
}

TEST_CASE("an id pairs by id only in the standard's form or as a local L- id", "[match]") {
    for (const char* id : {"20-001", "01-999", "L-1", "L-20-1", "L-a_B-9", "L--abc", "L-----", "L-0123456789012345678901234567890123456789"})
        CHECK(gkml::has_usable_id(item(id, "", "")));
    for (const char* id : {"", "20-01", "2-0001", "20_001", "20-0010", "a0-001", "L-", "L-备用", "L-a b", "l-1", "X-1",
                           "L-01234567890123456789012345678901234567890"})
        CHECK_FALSE(gkml::has_usable_id(item(id, "", "")));
}

TEST_CASE("items with ids pair by id, across fields", "[match]") {
    auto old_catalog = read("standard-v1.xml");
    auto new_catalog = read("standard-v2.xml");
    auto m = gkml::match_items(old_catalog, new_catalog);
    REQUIRE(m.pairs.size() == 4);
    CHECK(m.pairs[0].kind == gkml::MatchKind::id);
    SECTION("an item moved to another field with a new id and the same content is a rename") {
        const auto& moved = m.pairs[3];
        CHECK(gkml::item_at(old_catalog, moved.old_item).id == "20-004");
        CHECK(gkml::item_at(new_catalog, moved.new_item).id == "21-001");
        CHECK(moved.kind == gkml::MatchKind::renamed);
    }
    CHECK(m.only_old.empty());
    CHECK(m.only_new.size() == 2);
    CHECK(m.ambiguous.empty());
}

TEST_CASE("an imported table without ids pairs by name with a score", "[match]") {
    auto standard = catalog_of({item("20-001", "最低生活保障", "办事指南"), item("20-002", "最低生活保障", "审核信息"),
                                item("20-003", "临时救助", "政策文件")});
    auto imported = catalog_of({item("", "最低生活保障", "办事指南（申请）"), item("", "临时救助", "政策 文件"),
                                item("", "特困供养", "供养标准")});
    auto m = gkml::match_items(standard, imported);
    REQUIRE(m.pairs.size() == 2);
    CHECK(m.pairs[0].kind == gkml::MatchKind::name);
    CHECK(m.pairs[0].score < 1.0);
    CHECK(m.pairs[0].score >= 0.8);
    CHECK(gkml::item_at(imported, m.pairs[1].new_item).name == "政策 文件");
    CHECK(m.pairs[1].score == 1.0);
    CHECK(m.only_old.size() == 1);
    CHECK(m.only_new.size() == 1);
}

TEST_CASE("two equally close candidates are reported, never paired silently", "[match]") {
    auto standard = catalog_of({item("20-001", "最低生活保障", "办事指南"), item("20-002", "最低生活保障", "办事指南")});
    auto imported = catalog_of({item("", "最低生活保障", "办事指南")});
    auto m = gkml::match_items(standard, imported);
    CHECK(m.pairs.empty());
    REQUIRE(m.ambiguous.size() == 1);
    CHECK_FALSE(m.ambiguous[0].in_old);
    CHECK(m.ambiguous[0].candidates.size() == 2);
    CHECK(m.only_new.size() == 1);
}
