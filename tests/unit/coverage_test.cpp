#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <sstream>

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

std::vector<gkml::Record> store_records(const fs::path& db, const std::string& unit) {
    return *gkml::Store::open_read_only(db)->records_of(unit);
}

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
    gkml::CoverageOptions options{*gkml::parse_period("2024"), 180, "", {}};

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
    CHECK(c.figures.blank == Ratio{0, 4});
    CHECK(c.figures.not_updated == Ratio{2, 4});
    CHECK(c.figures.timeliness == Ratio{4, 6});
    CHECK(ids(c.missing) == std::vector<std::string>{"20-005"});
    CHECK(c.missing[0].name == "申请受理");
    CHECK(c.blank.empty());
    // The policy column's newest is 2024-03-05, before 2024-06-30 (6 months); the news column's is
    // 2024-06-12, before 2024-12-17 (2 weeks). 20-001 (10-31) and 21-002 (11-25) are inside 180 days.
    REQUIRE(c.not_updated.size() == 2);
    CHECK(c.not_updated[0] == gkml::NotUpdated{{"20-003", "20", "临时救助", "政策文件"}, gkml::UpdateRule::policy, day("2024-03-05"), day("2024-06-30")});
    CHECK(c.not_updated[1].item.id == "21-001");
    CHECK(c.not_updated[1].rule == gkml::UpdateRule::news);
    CHECK(c.not_updated[1].since == day("2024-12-17"));
    CHECK_FALSE(c.veto.any());
    // 20-001 and 21-002 lack a required 要素, 21-001 its required channel (README.md of the fixtures).
    CHECK(ids(c.incomplete) == std::vector<std::string>{"20-001", "21-001", "21-002"});
    CHECK(ids(c.local) == std::vector<std::string>{"L-20-1"});
    CHECK(c.unmatched.empty());
}

TEST_CASE("an inferred standard item counts against no unit: the ones a unit lacks are listed to verify", "[coverage]") {
    County county;
    // 20-005 (兴隆镇 lacks it) and 20-001 (held, lacking a required 要素, published late once) inferred.
    for (auto& item : county.standard.fields[0].items)
        if (item.id == "20-005" || item.id == "20-001") item.evidence = {{}, "no published table shows it"};
    auto c = county.of_xinglong(county.xinglong);
    CHECK(c.figures.catalog == Ratio{3, 3});
    CHECK(c.missing.empty());
    CHECK(ids(c.to_verify) == std::vector<std::string>{"20-005"});
    CHECK(ids(c.incomplete) == std::vector<std::string>{"21-001", "21-002"});
    // The late 20-001 record is judged by the unit's own copy of the 时限: the unit took the item on.
    CHECK(c.late.size() == 2);

    county.options.include_inferred = true;
    auto counted = county.of_xinglong(county.xinglong);
    CHECK(counted.figures.catalog == Ratio{4, 5});
    CHECK(ids(counted.missing) == std::vector<std::string>{"20-005"});
    CHECK(counted.to_verify.empty());

    c.standard = county.standard.id;
    c.standard_version = county.standard.version;
    county.options.include_inferred = false;
    auto used = gkml::standards_used({c}, {county.standard}, county.options);
    REQUIRE(used.size() == 1);
    CHECK(used[0] == gkml::StandardUse{county.standard.id, county.standard.version, 7, 5, 2, false});
    CHECK(gkml::standard_text(used[0]).find("有出处 5 个；推定事项 2 个不计入") != std::string::npos);
}

TEST_CASE("兴隆镇 per field, and a record late by one day across 国庆", "[coverage]") {
    County county;
    auto c = county.of_xinglong(county.xinglong);
    REQUIRE(c.fields.size() == 2);
    CHECK(c.fields[0].code == "20");
    CHECK(c.fields[0].figures == gkml::Figures{{2, 3}, {3, 4}, {3, 3}, {0, 2}, {1, 2}, {3, 4}});
    CHECK(c.fields[1].figures == gkml::Figures{{2, 2}, {2, 3}, {1, 2}, {0, 2}, {1, 2}, {1, 2}});
    REQUIRE(c.late.size() == 2);
    CHECK(c.late[0] == gkml::LateRecord{"20-001", "办事指南", day("2024-09-27"), day("2024-10-31"), day("2024-10-30")});
    CHECK(c.late[1] == gkml::LateRecord{"21-001", "养老政策", day("2024-06-10"), day("2024-06-12"), day("2024-06-10")});
}

TEST_CASE("凤岗镇: a whole field not applicable, a quarterly item silent since July", "[coverage]") {
    County county;
    auto c = county.of_fenggang();
    CHECK(c.figures == gkml::Figures{{3, 4}, {4, 4}, {3, 4}, {0, 2}, {2, 2}, {4, 4}});
    CHECK(ids(c.missing) == std::vector<std::string>{"20-003"});
    // 20-001 (20 working days: the 180-day default) last published 2024-03-05; 20-004 (每季度) last on
    // 2024-07-09, nothing after the third quarter's due date 2024-09-30.
    REQUIRE(c.not_updated.size() == 2);
    CHECK(c.not_updated[0].rule == gkml::UpdateRule::other);
    CHECK(c.not_updated[0].since == day("2024-07-04"));
    CHECK(c.not_updated[1] == gkml::NotUpdated{{"20-004", "20", "临时救助", "救助对象"}, gkml::UpdateRule::periodic, day("2024-07-09"), day("2024-10-01")});
    CHECK(c.late.empty());
    REQUIRE(c.fields.size() == 1);
    CHECK(c.fields[0].figures == c.figures);
}

TEST_CASE("an imported catalog without ids is matched by name, what matches nothing is listed", "[coverage]") {
    County county;
    auto imported = county.xinglong;
    for (auto& item : imported.fields[0].items)
        if (item.id == "20-003" || item.id == "L-20-1") item.id.clear();
    auto c = county.of_xinglong(imported);
    CHECK(c.figures.catalog == Ratio{4, 5});
    CHECK(c.figures.elements == Ratio{5, 7});
    CHECK(c.figures.not_updated == Ratio{2, 4});
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
    county.options = {*gkml::parse_period("2024-Q4"), 180, "", {}};
    auto q4 = county.of_xinglong(county.xinglong);
    CHECK(q4.figures.timeliness == Ratio{1, 1});  // r9 (formed 12-20, due 2025-01-20) is the only Q4 record with a due date
    CHECK(q4.figures.not_updated == Ratio{2, 4});
    // By 2024-03-31 nothing was ever published for 21-001 and 21-002: blank. 20-001 has its record of
    // December 2023: a column with content, not blank, and inside 180 days.
    county.options = {*gkml::parse_period("2024-Q1"), 180, "", {}};
    auto q1 = county.of_xinglong(county.xinglong);
    CHECK(q1.figures.blank == Ratio{2, 4});
    CHECK(ids(q1.blank) == std::vector<std::string>{"21-001", "21-002"});
    CHECK(q1.figures.not_updated == Ratio{0, 2});
    CHECK_FALSE(q1.figures.timeliness.value());
}

TEST_CASE("the county roll-up sums numerators and denominators", "[coverage]") {
    County county;
    auto report = gkml::roll_up(county.options.period, {county.of_fenggang(), county.of_xinglong(county.xinglong)}, county.units);
    CHECK(report.units[0].code == "230522101000");
    gkml::Figures expected{{7, 9}, {9, 11}, {7, 9}, {0, 6}, {4, 6}, {8, 10}};
    CHECK(report.total == expected);
    CHECK(report.at_risk == 0);
    REQUIRE(report.areas.size() == 2);
    CHECK(report.areas[0].code == "230500");
    CHECK(report.areas[1] == gkml::AreaCoverage{"230522", "友谊县", gkml::Level::county, 2, 0, expected});

    auto json = nlohmann::json::parse(gkml::coverage_to_json(report));
    CHECK(json["units"][0]["catalog"] == nlohmann::json{{"ratio", 0.8}, {"num", 4}, {"den", 5}});
    CHECK(json["units"][0]["late"][0]["due"] == "2024-10-30");
    CHECK(json["units"][0]["late"][0]["name"] == "办事指南");
    CHECK(json["units"][0]["not_updated_items"][0] ==
          nlohmann::json{{"item", "20-003"}, {"rule", "policy"}, {"newest", "2024-03-05"}, {"since", "2024-06-30"}});
    CHECK(json["units"][1]["blank"] == nlohmann::json{{"ratio", 0.0}, {"num", 0}, {"den", 2}});
    CHECK(json["units"][1]["veto"]["any"] == false);
    CHECK(json["rollup"]["timeliness"]["num"] == 8);
    CHECK(gkml::coverage_to_json(report) == gkml::coverage_to_json(report));
    // Written a unit at a time, the document is byte for byte what one dump of the whole gives
    // (ordered_json keeps the keys' order), with units and without.
    for (const auto& r : {report, gkml::roll_up(county.options.period, {}, county.units)}) {
        auto written = gkml::coverage_to_json(r);
        CHECK(written == nlohmann::ordered_json::parse(written).dump(2) + "\n");
    }

    auto text = gkml::coverage_to_text(report);
    CHECK(text.find("230522103000 凤岗镇") < text.find("230522101000 兴隆镇"));  // 3/4 is worse than 4/5
    CHECK(text.find("  缺失事项      20-005 特困人员救助供养 / 申请受理\n") != std::string::npos);
    CHECK(text.find("  逾期公开      20-001 办事指南：形成 2024-09-27，应于 2024-10-30 前公开，实际 2024-10-31\n") != std::string::npos);
    CHECK(text.find("  应更新未更新  20-003 临时救助 / 政策文件：最近公开 2024-03-05") != std::string::npos);
    CHECK(text.find("合计 2 个单位，0 个有单项否决风险") != std::string::npos);
    auto csv = gkml::coverage_to_csv(report);
    CHECK(csv.find("230522101000,兴隆镇,township,,4,5,5,7,4,5,0,4,2,4,4,6,0\r\n") != std::string::npos);

    // Written as the units come (gkml coverage --format json|csv|text), the same bytes, from a report
    // holding figures only; nothing reaches the stream before finish().
    auto figures_only = report;
    for (auto& u : figures_only.units) {
        gkml::UnitCoverage kept;
        kept.code = u.code, kept.name = u.name, kept.level = u.level, kept.judged_on = u.judged_on, kept.figures = u.figures;
        kept.veto = u.veto, kept.standard = u.standard, kept.standard_version = u.standard_version;
        u = std::move(kept);
    }
    REQUIRE(figures_only.units[0].missing.empty());
    for (auto [format, whole] : {std::pair{gkml::CoverageFormat::json, gkml::coverage_to_json(report)},
                                 std::pair{gkml::CoverageFormat::csv, csv}, std::pair{gkml::CoverageFormat::text, text}}) {
        std::ostringstream out;
        gkml::CoverageWriter writer(out, format);
        for (const auto& u : report.units) writer.unit(u);
        CHECK(out.str().empty());
        REQUIRE(writer.finish(figures_only));
        CHECK(out.str() == whole);
    }
    {
        // A temporary file that cannot be made: said, exit 4, nothing written.
        const char* was = std::getenv("TMPDIR");
        std::string kept = was ? was : "";
        ::setenv("TMPDIR", "/proc", 1);
        std::ostringstream out;
        gkml::CoverageWriter writer(out, gkml::CoverageFormat::json);
        if (was) ::setenv("TMPDIR", kept.c_str(), 1); else ::unsetenv("TMPDIR");
        for (const auto& u : report.units) writer.unit(u);
        auto finished = writer.finish(figures_only);
        REQUIRE_FALSE(finished);
        CHECK(gkml::exit_code_of(finished.error().kind) == 4);
        CHECK(finished.error().message.find("临时文件") != std::string::npos);
        CHECK(out.str().empty());
    }

    // One township alone: no county line that only repeats it.
    auto one = gkml::roll_up(county.options.period, {county.of_xinglong(county.xinglong)}, county.units);
    auto alone = gkml::coverage_to_text(one);
    CHECK(alone.find("友谊县") == std::string::npos);
    CHECK(alone.find("合计") == std::string::npos);
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
            gkml::Ledger ledger{unit.code, county.xinglong_records, {}, {}};
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
    std::set<std::string> timeliness, blank;
    for (std::size_t k = 0; k < units.size(); ++k) {
        const auto& got = (*all)[k];
        CHECK(got.code == units[k].code);
        auto catalog = county.xinglong;
        catalog.meta.unit = gkml::UnitRef{units[k].code, units[k].name, gkml::Level::township};
        auto alone = gkml::coverage_of(units[k], catalog, county.standard, ledgers[k], county.calendar, county.options);
        CHECK(got.figures == alone.figures);
        CHECK(got.late.size() == alone.late.size());
        timeliness.insert(gkml::percent(got.figures.timeliness));
        blank.insert(gkml::percent(got.figures.blank));
    }
    CHECK(timeliness.size() > 1);  // the ledgers really differ
    CHECK(blank.size() > 1);       // without r3, 20-003 is blank
    // Handed over one at a time, the units come in the order asked, each as coverage_in_store gives it.
    std::vector<gkml::UnitCoverage> each;
    REQUIRE(gkml::for_each_coverage(*store, units, {county.standard}, county.calendar, county.options, gkml::latest_snapshot,
                                    [&](gkml::UnitCoverage&& u) { each.push_back(std::move(u)); }));
    CHECK(each == *all);
    fs::remove_all(dir);
}

TEST_CASE("coverage kept in the store is read back, and computed again whenever what it read changed", "[coverage][kept]") {
    County county;
    auto dir = fs::temp_directory_path() / ("gkml-kept-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto db = dir / "county.db";
    const auto& xinglong = county.unit("230522101000");
    const auto& fenggang = county.unit("230522103000");
    std::vector<gkml::Unit> units{xinglong, fenggang};
    {
        auto store = gkml::Store::open(db);
        REQUIRE(store);
        REQUIRE(store->put_units(county.units));
        REQUIRE(store->put_catalog(county.xinglong, "x.xml", "x1"));
        REQUIRE(store->put_ledger(gkml::Ledger{xinglong.code, county.xinglong_records, {}, {}}, "xl.xml", "xl1"));
        REQUIRE(store->put_catalog(county.fenggang, "f.xml", "f1"));
        REQUIRE(store->put_ledger(gkml::Ledger{fenggang.code, county.fenggang_records, {}, {}}, "fl.csv", "fl1"));
    }
    auto kept_rows = [&] { return SQLite::Database(db.string()).execAndGet("SELECT count(*) FROM coverage_kept").getInt(); };
    auto in_store = [&](const gkml::CoverageOptions& options, const gkml::Catalog& standard) {
        auto store = gkml::Store::open_read_only(db);
        REQUIRE(store);
        auto got = gkml::coverage_in_store(*store, units, {standard}, county.calendar, options);
        REQUIRE(got);
        REQUIRE(got->size() == 2);
        return *got;
    };
    auto computed = [&](const gkml::Catalog& catalog, const std::vector<gkml::Record>& records, const gkml::Unit& unit,
                        const gkml::CoverageOptions& options, const gkml::Catalog& standard) {
        auto out = gkml::coverage_of(unit, catalog, standard, records, county.calendar, options);
        out.standard = standard.id;
        out.standard_version = standard.version;
        return out;
    };

    auto first = in_store(county.options, county.standard);
    CHECK(first[0] == computed(county.xinglong, county.xinglong_records, xinglong, county.options, county.standard));
    CHECK(first[1] == computed(county.fenggang, county.fenggang_records, fenggang, county.options, county.standard));
    CHECK(kept_rows() == 2);
    CHECK(in_store(county.options, county.standard) == first);
    CHECK(kept_rows() == 2);

    SECTION("what was kept is what is read: a row swapped by hand shows") {
        SQLite::Database(db.string(), SQLite::OPEN_READWRITE)
            .exec("UPDATE coverage_kept SET coverage = (SELECT coverage FROM coverage_kept WHERE unit = '230522103000')");
        CHECK(in_store(county.options, county.standard)[0].code == "230522103000");
    }
    SECTION("a damaged row is computed again") {
        SQLite::Database(db.string(), SQLite::OPEN_READWRITE).exec("UPDATE coverage_kept SET coverage = x'0102'");
        CHECK(in_store(county.options, county.standard) == first);
    }
    SECTION("a new ledger of the unit") {
        auto more = county.xinglong_records;  // one more record, published long after its due date
        more.push_back(*std::ranges::find(more, "r5", &gkml::Record::id));  // 21-001, formed 2024-06-03
        more.back().published = gkml::Date{std::chrono::sys_days(more.back().formed) + std::chrono::days{60}};
        more.back().url = "https://example.gov.cn/late";
        {
            auto store = gkml::Store::open(db);
            REQUIRE(store->put_ledger(gkml::Ledger{xinglong.code, more, {}, {}}, "xl2.xml", "xl2"));
        }
        auto before = store_records(db, xinglong.code);
        auto now = in_store(county.options, county.standard);
        CHECK(now[0] == computed(county.xinglong, before, xinglong, county.options, county.standard));
        CHECK(now[0].figures != first[0].figures);
        CHECK(now[1] == first[1]);
        // Figures as of the first ingest are still those of then.
        auto store = gkml::Store::open_read_only(db);
        auto then = gkml::coverage_in_store(*store, units, {county.standard}, county.calendar, county.options, 4);
        REQUIRE(then);
        CHECK(*then == first);
    }
    SECTION("another period, the inferred items counted, the day judged on") {
        auto options = county.options;
        options.stale_days = 30;
        auto now = in_store(options, county.standard);
        CHECK(now[0] == computed(county.xinglong, county.xinglong_records, xinglong, options, county.standard));
        CHECK(now[0].not_updated.size() > first[0].not_updated.size());
        options.include_inferred = true;
        CHECK(in_store(options, county.standard)[0] == computed(county.xinglong, county.xinglong_records, xinglong, options, county.standard));
        options = county.options;
        options.judged_on = day("2024-06-30");
        CHECK(in_store(options, county.standard)[0] == computed(county.xinglong, county.xinglong_records, xinglong, options, county.standard));
        options.period = *gkml::parse_period("2024-Q4");
        options.judged_on.reset();
        CHECK(in_store(options, county.standard)[1] == computed(county.fenggang, county.fenggang_records, fenggang, options, county.standard));
        CHECK(in_store(county.options, county.standard) == first);  // and the first inputs are still kept
    }
    SECTION("a changed standard") {
        auto standard = county.standard;
        std::erase_if(standard.fields[0].items, [](const gkml::Item& i) { return i.id == "20-005"; });
        auto now = in_store(county.options, standard);
        CHECK(now[0] == computed(county.xinglong, county.xinglong_records, xinglong, county.options, standard));
        CHECK(now[0].missing.empty());
    }
    SECTION("a renamed unit in the registry") {
        auto renamed = county.units;
        for (auto& u : renamed)
            if (u.code == xinglong.code) u.name = "兴隆街道";
        {
            auto store = gkml::Store::open(db);
            REQUIRE(store->put_units(renamed));
        }
        units[0].name = "兴隆街道";
        CHECK(in_store(county.options, county.standard)[0].name == "兴隆街道");
    }
    SECTION("a writer holding the file: the figures are computed, not kept") {
        SQLite::Database(db.string(), SQLite::OPEN_READWRITE).exec("DELETE FROM coverage_kept");
        SQLite::Database writer(db.string(), SQLite::OPEN_READWRITE);
        writer.exec("BEGIN IMMEDIATE");
        CHECK(in_store(county.options, county.standard) == first);
        writer.exec("ROLLBACK");
        CHECK(kept_rows() == 0);
    }
    fs::remove_all(dir);
}

namespace {

// A standard of `n` proactive items with a standing rule (or `rule`), of which the unit holds all.
gkml::Catalog standing_items(int n, gkml::CatalogKind kind, gkml::RuleKind rule = gkml::Standing{}) {
    gkml::Catalog catalog;
    catalog.kind = kind;
    catalog.id = "veto-standard";
    catalog.version = "1";
    gkml::Field field{"20", "社会救助", {}, {}, {}};
    for (int i = 1; i <= n; ++i) {
        gkml::Item item;
        item.id = fmt::format("20-{:03}", i);
        item.levels = {gkml::Level::township};
        item.category = "栏目";
        item.name = fmt::format("事项{}", i);
        item.elements = {gkml::Element{"内容", gkml::ElementMark::required}};
        item.time_limit = gkml::TimeLimit{"长期", {gkml::Clause{"", rule, {}}}, false};
        item.mode = gkml::Mode{true, false};
        field.items.push_back(std::move(item));
    }
    catalog.fields.push_back(std::move(field));
    return catalog;
}

}  // namespace

TEST_CASE("five blank columns, five policy columns or ten stale ones put a unit at veto risk, one fewer does not", "[coverage]") {
    County county;
    auto standard = standing_items(12, gkml::CatalogKind::standard);
    auto catalog = standing_items(12, gkml::CatalogKind::unit);
    gkml::Unit unit{"230522203000", "建设乡", gkml::Level::township, "230522", {}};
    // Items 1–4 never published, the rest published on 2024-12-01.
    std::vector<gkml::Record> records;
    for (int i = 5; i <= 12; ++i)
        records.push_back(gkml::Record{"", fmt::format("20-{:03}", i), day("2024-12-01"), day("2024-12-01"), gkml::ChannelCode::website, "t", ""});
    auto four = gkml::coverage_of(unit, catalog, standard, records, county.calendar, county.options);
    CHECK(four.figures.blank == Ratio{4, 12});
    CHECK_FALSE(four.veto.any());
    records.erase(records.begin());  // item 5 is now blank too
    auto five = gkml::coverage_of(unit, catalog, standard, records, county.calendar, county.options);
    CHECK(five.figures.blank == Ratio{5, 12});
    CHECK(five.veto == gkml::VetoRisk{true, false, false});
    CHECK(gkml::veto_reasons(five) == "空白栏目 5 个（≥5）");

    // Every item published, all on 2024-05-01: more than 180 days before 2024-12-31.
    records.clear();
    for (int i = 1; i <= 12; ++i)
        records.push_back(gkml::Record{"", fmt::format("20-{:03}", i), day("2024-05-01"), day("2024-05-01"), gkml::ChannelCode::website, "t", ""});
    auto stale = gkml::coverage_of(unit, catalog, standard, std::vector(records.begin(), records.begin() + 9), county.calendar, county.options);
    CHECK(stale.figures.not_updated == Ratio{9, 9});
    CHECK_FALSE(stale.veto.not_updated);  // nine: under ten
    stale = gkml::coverage_of(unit, catalog, standard, records, county.calendar, county.options);
    CHECK(stale.veto == gkml::VetoRisk{false, false, true});
    // A later --stale-days clears them.
    auto lenient = county.options;
    lenient.stale_days = 365;
    CHECK(gkml::coverage_of(unit, catalog, standard, records, county.calendar, lenient).figures.not_updated == Ratio{0, 12});

    // Five of them policy columns (6 months): the short-cycle threshold.
    for (int i = 0; i < 5; ++i) standard.fields[0].items[static_cast<std::size_t>(i)].column_kind = gkml::ColumnKind::policy;
    auto policy = gkml::coverage_of(unit, catalog, standard, std::vector(records.begin(), records.begin() + 5), county.calendar, lenient);
    CHECK(policy.figures.not_updated == Ratio{5, 5});
    CHECK(policy.veto == gkml::VetoRisk{true, true, false});  // items 6–12 unpublished: blank as well
}

TEST_CASE("a mid-year self-check is judged at mid-year: blank and not updated as of the day it runs to", "[coverage]") {
    County county;
    county.options.judged_on = day("2024-06-30");
    auto c = county.of_xinglong(county.xinglong);
    CHECK(c.judged_on == day("2024-06-30"));
    // 21-002's only record is of November: nothing yet on 30 June. 20-001's newest by then is
    // 2023-12-05, before 2024-01-02 (180 days); 21-001 (news) last on 06-12, before 06-16 (2 weeks);
    // 20-003 (policy) on 03-05, inside the 6 months back to 2023-12-31.
    CHECK(ids(c.blank) == std::vector<std::string>{"21-002"});
    CHECK(c.figures.blank == Ratio{1, 4});
    CHECK(c.figures.not_updated == Ratio{2, 3});
    REQUIRE(c.not_updated.size() == 2);
    CHECK(c.not_updated[0].since == day("2024-01-02"));
    CHECK(c.not_updated[1].since == day("2024-06-16"));
    // Timeliness is of the period, whatever the day of judging.
    CHECK(c.figures.timeliness == Ratio{4, 6});
}

TEST_CASE("six months back from a month's end is the end of that month, and a half-yearly rule has half a year", "[coverage]") {
    County county;
    gkml::Unit unit{"230522203000", "建设乡", gkml::Level::township, "230522", {}};
    auto policy = standing_items(1, gkml::CatalogKind::standard);
    policy.fields[0].items[0].column_kind = gkml::ColumnKind::policy;
    auto catalog = standing_items(1, gkml::CatalogKind::unit);
    auto published = [](const char* date) {
        return std::vector{gkml::Record{"", "20-001", day(date), day(date), gkml::ChannelCode::website, "t", ""}};
    };
    county.options.judged_on = day("2024-06-30");
    auto at_june = gkml::coverage_of(unit, catalog, policy, published("2023-12-31"), county.calendar, county.options);
    CHECK(at_june.figures.not_updated == Ratio{0, 1});  // 31 Dec is inside "since 31 Dec"
    CHECK(gkml::coverage_of(unit, catalog, policy, published("2023-12-30"), county.calendar, county.options).figures.not_updated ==
          Ratio{1, 1});

    // 每年…2次: due 2024-07-01 (30 June a Sunday) and 2024-12-31; judged on 31 December, something must
    // have come out after 1 July.
    auto half_yearly = standing_items(1, gkml::CatalogKind::standard, gkml::Periodic{gkml::Period::year, 2, 0, 0});
    county.options.judged_on.reset();
    catalog = standing_items(1, gkml::CatalogKind::unit, gkml::Periodic{gkml::Period::year, 2, 0, 0});
    auto may = gkml::coverage_of(unit, catalog, half_yearly, published("2024-05-01"), county.calendar, county.options);
    REQUIRE(may.not_updated.size() == 1);
    CHECK(may.not_updated[0].rule == gkml::UpdateRule::periodic);
    CHECK(may.not_updated[0].since == day("2024-07-02"));
    CHECK(gkml::coverage_of(unit, catalog, half_yearly, published("2024-08-01"), county.calendar, county.options).figures.not_updated ==
          Ratio{0, 1});
}
