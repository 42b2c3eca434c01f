#include <catch2/catch.hpp>

#include "gkml/csv.hpp"
#include "gkml/units.hpp"

namespace {

std::filesystem::path fixture(const char* name) { return std::filesystem::path(GKML_SOURCE_DIR) / "tests/data/coverage" / name; }

}  // namespace

TEST_CASE("the county office reads its registry from XML or CSV, and both say the same", "[units]") {
    auto xml = gkml::read_units(fixture("units.xml"));
    auto csv = gkml::read_units(fixture("units.csv"));
    REQUIRE(xml);
    REQUIRE(csv);
    REQUIRE(xml->size() == 6);
    CHECK((*xml)[0] == gkml::Unit{"230000", "黑龙江省", std::nullopt, "", {}});
    CHECK((*xml)[3] == gkml::Unit{"230522101000", "兴隆镇", gkml::Level::township, "230522", {}});
    CHECK((*xml)[5].fields == std::vector<std::string>{"20", "21"});
    auto without_fields = *xml;
    without_fields[5].fields.clear();
    CHECK(*csv == without_fields);
}

TEST_CASE("a township rolls up to its county, city and province", "[units]") {
    auto units = gkml::read_units(fixture("units.xml"));
    REQUIRE(units);
    std::vector<std::string> chain;
    for (const auto* u : gkml::lineage(*units, "230522103000")) chain.push_back(u->code);
    CHECK(chain == std::vector<std::string>{"230522103000", "230522", "230500", "230000"});
    CHECK(gkml::lineage(*units, "999999").empty());
}

TEST_CASE("a registry CSV with an unknown level or no code column is refused with its line", "[units]") {
    auto bad_level = gkml::parse_units_csv("code,name,level,parent\n230522,友谊县,county,\n230522101000,兴隆镇,hamlet,230522\n", "u.csv");
    REQUIRE_FALSE(bad_level);
    CHECK(bad_level.error().line == 3);
    CHECK_FALSE(gkml::parse_units_csv("name,level\n友谊县,county\n", "u.csv"));
}

TEST_CASE("CSV text is UTF-8 when it is valid UTF-8, else GB18030", "[units][ledger]") {
    CHECK(gkml::decode_text("\xEF\xBB\xBF兴隆镇", "f") == "兴隆镇");
    CHECK(gkml::decode_text("\xD0\xCB\xC2\xA1\xD5\xF2", "f") == "兴隆镇");  // 兴隆镇 in GB18030
    CHECK_FALSE(gkml::decode_text("\x81\x20", "f"));
}

TEST_CASE("quoted CSV cells keep commas, quotes and line breaks", "[units][ledger]") {
    auto rows = gkml::parse_csv("a,\"b,\"\"c\"\"\nd\"\r\n\n e ,\n", "f");
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].cells == std::vector<std::string>{"a", "b,\"c\"\nd"});
    CHECK((*rows)[1].line == 4);
    CHECK((*rows)[1].cells == std::vector<std::string>{" e ", ""});
    auto open = gkml::parse_csv("a,\"b\n", "f");
    REQUIRE_FALSE(open);
    CHECK(open.error().line == 1);
}
