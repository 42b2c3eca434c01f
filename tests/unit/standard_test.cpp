#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>

#include "gkml/xml.hpp"

namespace {

const gkml::Catalog& standard() {
    static auto sets = gkml::read_catalog_dir(std::filesystem::path(GKML_SOURCE_DIR) / "catalogs/standard");
    REQUIRE(sets);
    REQUIRE(sets->size() == 1);
    return sets->front();
}

}  // namespace

TEST_CASE("the standard holds all 26 fields of the registry, in code order", "[standard]") {
    auto registry = gkml::read_fields(std::filesystem::path(GKML_SOURCE_DIR) / "catalogs/fields.xml");
    REQUIRE(registry);
    REQUIRE(registry->size() == 26);
    const auto& s = standard();
    REQUIRE(s.fields.size() == 26);
    for (std::size_t i = 0; i < 26; ++i) {
        char code[3];
        std::snprintf(code, sizeof code, "%02zu", i + 1);
        CHECK(s.fields[i].code == code);
        CHECK((*registry)[i].code == code);
        CHECK(s.fields[i].name == (*registry)[i].name);
    }
}

TEST_CASE("every standard item carries every national column and its evidence", "[standard]") {
    for (const auto& field : standard().fields) {
        CHECK(field.items.size() >= 4);
        for (const auto& item : field.items) {
            INFO(item.id);
            CHECK_FALSE(item.category.empty());
            CHECK_FALSE(item.name.empty());
            CHECK_FALSE(item.elements.empty());
            CHECK_FALSE(item.basis.empty());
            REQUIRE(item.time_limit);
            CHECK(item.time_limit->parsed());
            CHECK_FALSE(item.subject.empty());
            CHECK_FALSE(item.channels.empty());
            REQUIRE(item.audience);
            CHECK((item.audience->everyone || item.audience->specific));
            REQUIRE(item.mode);
            CHECK((item.mode->proactive || item.mode->on_request));
            CHECK_FALSE(item.levels.empty());
            CHECK_FALSE(item.evidence.empty());
        }
    }
}

TEST_CASE("item ids are unique and pinned: a silent renumbering fails", "[standard]") {
    std::ifstream pinned(std::filesystem::path(GKML_SOURCE_DIR) / "tests/data/standard-ids.tsv");
    std::map<std::string, std::pair<std::string, std::string>> expected;
    for (std::string line; std::getline(pinned, line);) {
        if (line.empty() || line[0] == '#') continue;
        auto a = line.find('\t'), b = line.find('\t', a + 1);
        expected[line.substr(0, a)] = {line.substr(a + 1, b - a - 1), line.substr(b + 1)};
    }
    REQUIRE(expected.size() >= 300);
    std::set<std::string> ids;
    for (const auto& field : standard().fields)
        for (const auto& item : field.items) {
            INFO(item.id);
            CHECK(ids.insert(item.id).second);
            auto it = expected.find(item.id);
            REQUIRE(it != expected.end());
            CHECK(item.category == it->second.first);
            CHECK(item.name == it->second.second);
        }
    CHECK(ids.size() == expected.size());
}
