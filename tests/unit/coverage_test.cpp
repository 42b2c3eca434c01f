#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <set>

#include "gkml/coverage.hpp"
#include "gkml/files.hpp"
#include "gkml/store.hpp"
#include "gkml/xml.hpp"

namespace fs = std::filesystem;
using gkml::Ratio;

namespace {

fs::path source(const std::string& name) { return fs::path(GKML_SOURCE_DIR) / name; }
fs::path fixture(const std::string& name) { return source("tests/data/coverage/" + name); }
gkml::Date day(const char* text) { return *gkml::parse_date(text); }

// The county of tests/data/coverage, as its README describes it.
struct County {
    std::vector<gkml::Unit> units = *gkml::read_units(fixture("units.xml"));
    gkml::Catalog standard = *gkml::read_catalog(fixture("standard/cov-standard.xml"));
    gkml::Catalog xinglong = *gkml::read_catalog(fixture("xinglong-catalog.xml"));
    gkml::Catalog fenggang = *gkml::read_catalog(fixture("fenggang-catalog.xml"));
    std::vector<gkml::Record> xinglong_records =
        gkml::parse_ledger_xml(*gkml::read_file(fixture("xinglong-ledger.xml")), "x")->records;
    std::vector<gkml::Record> fenggang_records =
        gkml::parse_ledger_csv(*gkml::read_file(fixture("fenggang-ledger.csv")), "f")->front().records;
    gkml::Calendar calendar = *gkml::load_calendar(source("catalogs/calendar"));
    gkml::CoverageOptions options{*gkml::parse_period("2024"), 90, ""};

    const gkml::Unit& unit(const char* code) const { return *std::ranges::find(units, code, &gkml::Unit::code); }
    gkml::UnitCoverage of_xinglong(const gkml::Catalog& catalog) const {
        return gkml::coverage_of(unit("230522101000"), catalog, standard, xinglong_records, calendar, options);
    }
    gkml::UnitCoverage of_fenggang() const {
        return gkml::coverage_of(unit("230522103000"), fenggang, standard, fenggang_records, calendar, options);
    }
};

std::vector<std::string> ids(const std::vector<gkml::ItemRef>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
}

}  // namespace

TEST_CASE("兴隆镇: not-applicable with a reason leaves the denominator, the local item is listed apart", "[coverage]") {
    County county;
    auto c = county.of_xinglong(county.xinglong);
    CHECK(c.figures.catalog == Ratio{4, 5});
    CHECK(c.figures.elements == Ratio{5, 7});
    CHECK(c.figures.channels == Ratio{4, 5});
    CHECK(c.figures.disclosure == Ratio{3, 4});
    CHECK(c.figures.timeliness == Ratio{4, 6});
    CHECK(c.figures.stale == Ratio{1, 2});
    CHECK(ids(c.missing) == std::vector<std::string>{"20-005"});
    CHECK(c.missing[0].name == "申请受理");
    CHECK(ids(c.undisclosed) == std::vector<std::string>{"20-001"});
    CHECK(ids(c.stale) == std::vector<std::string>{"20-003"});
    // 20-001 and 21-002 lack a required 要素, 21-001 its required channel (README.md of the fixtures).
    CHECK(ids(c.incomplete) == std::vector<std::string>{"20-001", "21-001", "21-002"});
    CHECK(ids(c.local) == std::vector<std::string>{"L-20-1"});
    CHECK(c.unmatched.empty());
}

TEST_CASE("兴隆镇 per field, and a record late by one day across 国庆", "[coverage]") {
    County county;
    auto c = county.of_xinglong(county.xinglong);
    REQUIRE(c.fields.size() == 2);
    CHECK(c.fields[0].code == "20");
    CHECK(c.fields[0].figures == gkml::Figures{{2, 3}, {3, 4}, {3, 3}, {1, 2}, {3, 4}, {1, 1}});
    CHECK(c.fields[1].figures == gkml::Figures{{2, 2}, {2, 3}, {1, 2}, {2, 2}, {1, 2}, {0, 1}});
    REQUIRE(c.late.size() == 2);
    CHECK(c.late[0] == gkml::LateRecord{"20-001", day("2024-09-27"), day("2024-10-31"), day("2024-10-30")});
    CHECK(c.late[1] == gkml::LateRecord{"21-001", day("2024-06-10"), day("2024-06-12"), day("2024-06-10")});
}

TEST_CASE("凤岗镇: a whole field not applicable, a quarterly item with three of four records", "[coverage]") {
    County county;
    auto c = county.of_fenggang();
    CHECK(c.figures == gkml::Figures{{3, 4}, {4, 4}, {3, 4}, {1, 2}, {4, 4}, {0, 0}});
    CHECK(ids(c.missing) == std::vector<std::string>{"20-003"});
    CHECK(ids(c.undisclosed) == std::vector<std::string>{"20-004"});
    CHECK(c.late.empty());
    CHECK_FALSE(c.figures.stale.value());
    REQUIRE(c.fields.size() == 1);
    CHECK(c.fields[0].figures == c.figures);
}

TEST_CASE("an imported catalog without ids is matched by name; what matches nothing is listed", "[coverage]") {
    County county;
    auto imported = county.xinglong;
    for (auto& item : imported.fields[0].items)
        if (item.id == "20-003" || item.id == "L-20-1") item.id.clear();
    auto c = county.of_xinglong(imported);
    CHECK(c.figures.catalog == Ratio{4, 5});
    CHECK(c.figures.elements == Ratio{5, 7});
    CHECK(c.figures.stale == Ratio{1, 2});
    CHECK(c.figures.timeliness == Ratio{3, 5});
    CHECK(c.local.empty());
    REQUIRE(c.unmatched.size() == 1);
    CHECK(c.unmatched[0].name == "本镇临时救助备用金");
}

TEST_CASE("one field only, and a quarter as the period", "[coverage]") {
    County county;
    county.options.field = "21";
    auto c = county.of_xinglong(county.xinglong);
    CHECK(c.figures.catalog == Ratio{2, 2});
    CHECK(c.figures.timeliness == Ratio{1, 2});
    CHECK(c.missing.empty());
    county.options = {*gkml::parse_period("2024-Q4"), 90, ""};
    auto q4 = county.of_xinglong(county.xinglong);
    CHECK(q4.figures.timeliness == Ratio{1, 1});  // r9 (formed 12-20, due 2025-01-20) is the only Q4 record with a due date
    CHECK(q4.figures.disclosure == Ratio{2, 3});  // 20-001 unmet, 20-003 and 21-002 met, 21-001 has no Q4 event
}

TEST_CASE("the county roll-up sums numerators and denominators", "[coverage]") {
    County county;
    auto report = gkml::roll_up(county.options.period, {county.of_fenggang(), county.of_xinglong(county.xinglong)}, county.units);
    CHECK(report.units[0].code == "230522101000");
    gkml::Figures expected{{7, 9}, {9, 11}, {7, 9}, {4, 6}, {8, 10}, {1, 2}};
    CHECK(report.total == expected);
    REQUIRE(report.areas.size() == 2);
    CHECK(report.areas[0].code == "230500");
    CHECK(report.areas[1] == gkml::AreaCoverage{"230522", "友谊县", gkml::Level::county, 2, expected});

    auto json = nlohmann::json::parse(gkml::coverage_to_json(report));
    CHECK(json["units"][0]["catalog"] == nlohmann::json{{"ratio", 0.8}, {"num", 4}, {"den", 5}});
    CHECK(json["units"][0]["late"][0]["due"] == "2024-10-30");
    CHECK(json["units"][1]["stale"]["ratio"].is_null());
    CHECK(json["rollup"]["timeliness"]["num"] == 8);
    CHECK(gkml::coverage_to_json(report) == gkml::coverage_to_json(report));

    auto text = gkml::coverage_to_text(report);
    CHECK(text.find("230522103000 凤岗镇") < text.find("230522101000 兴隆镇"));  // 3/4 is worse than 4/5
    CHECK(text.find("missing     20-005 特困人员救助供养 / 申请受理") != std::string::npos);
    auto csv = gkml::coverage_to_csv(report);
    CHECK(csv.find("230522101000,兴隆镇,township,,4,5,5,7,4,5,3,4,4,6,1,2\r\n") != std::string::npos);
}

TEST_CASE("periods are a year or a quarter", "[coverage]") {
    CHECK(gkml::parse_period("2024-Q1") == gkml::CoveragePeriod{day("2024-01-01"), day("2024-03-31"), "2024-Q1"});
    CHECK(gkml::parse_period("2024-Q4")->to == day("2024-12-31"));
    CHECK_FALSE(gkml::parse_period("2024-Q5"));
    CHECK_FALSE(gkml::parse_period("24"));
    CHECK_FALSE(gkml::parse_period("2024-03"));
}

TEST_CASE("a county of forty townships gives, unit by unit, what each unit alone gives", "[coverage]") {
    // Enough units that the work is spread over threads; each township's ledger differs a little.
    County county;
    auto dir = fs::temp_directory_path() / ("gkml-coverage-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::vector<gkml::Unit> units;
    std::vector<std::vector<gkml::Record>> ledgers;
    {
        auto store = gkml::Store::open(dir / "county.db");
        REQUIRE(store);
        auto batch = store->batch();
        for (int k = 0; k < 40; ++k) {
            gkml::Unit unit{"2305221" + std::to_string(10 + k) + "000", "第" + std::to_string(k) + "镇",
                            gkml::Level::township, "230522", {}};
            auto catalog = county.xinglong;
            catalog.meta.unit = gkml::UnitRef{unit.code, unit.name, gkml::Level::township};
            gkml::Ledger ledger{unit.code, county.xinglong_records};
            ledger.records.erase(ledger.records.begin(), ledger.records.begin() + k % 4);
            REQUIRE(store->put_catalog(catalog, "c.xml", gkml::content_hash(unit.code)));
            REQUIRE(store->put_ledger(ledger, "l.xml", gkml::content_hash(unit.code)));
            units.push_back(unit);
            ledgers.push_back(ledger.records);
        }
        REQUIRE(batch.commit());
    }
    auto store = gkml::Store::open_read_only(dir / "county.db");
    REQUIRE(store);
    auto all = gkml::coverage_in_store(*store, units, {county.standard}, county.calendar, county.options);
    REQUIRE(all);
    REQUIRE(all->size() == units.size());
    std::set<std::string> timeliness;
    for (std::size_t k = 0; k < units.size(); ++k) {
        const auto& got = (*all)[k];
        CHECK(got.code == units[k].code);
        auto catalog = county.xinglong;
        catalog.meta.unit = gkml::UnitRef{units[k].code, units[k].name, gkml::Level::township};
        auto alone = gkml::coverage_of(units[k], catalog, county.standard, ledgers[k], county.calendar, county.options);
        for (std::size_t f = 0; f < 5; ++f) CHECK(gkml::scored(got.figures)[f].second == gkml::scored(alone.figures)[f].second);
        CHECK(got.late.size() == alone.late.size());
        timeliness.insert(gkml::percent(got.figures.timeliness));
    }
    CHECK(timeliness.size() > 1);  // the ledgers really differ
    fs::remove_all(dir);
}
