#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <set>

#include "run.hpp"

using gkml::test::quote;
using gkml::test::run_gkml;
namespace fs = std::filesystem;

namespace {

const std::string data = "tests/data/coverage/";
const std::vector<std::string> county_files{data + "xinglong-catalog.xml", data + "xinglong-ledger.xml",
                                            data + "fenggang-catalog.xml", data + "fenggang-ledger.csv"};

struct Workspace {
    fs::path dir = fs::temp_directory_path() / ("gkml-coverage-" + std::to_string(::getpid()));
    std::string db = (dir / "county.db").string();
    Workspace() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Workspace() { fs::remove_all(dir); }

    gkml::test::Run ingest(std::vector<std::string> files) const {
        std::vector<std::string> args{"ingest", "--db", db, "--units", data + "units.xml", "--standard", data + "standard"};
        args.insert(args.end(), files.begin(), files.end());
        return run_gkml(args);
    }
    gkml::test::Run coverage(std::vector<std::string> more = {}) const {
        std::vector<std::string> args{"coverage", "--db", db, "--standard", data + "standard", "--period", "2024"};
        args.insert(args.end(), more.begin(), more.end());
        return run_gkml(args);
    }
};

nlohmann::json ratio(int num, int den) { return {{"ratio", double(num) / den}, {"num", num}, {"den", den}}; }

}  // namespace

TEST_CASE("the county office ingests its townships and reads the figures of the fixture README", "[cli][coverage]") {
    Workspace ws;
    auto ingest = ws.ingest(county_files);
    INFO(ingest.err);
    REQUIRE(ingest.exit_code == 0);
    CHECK(ingest.err.find("4 files: 4 snapshots added, 0 unchanged, 0 invalid") != std::string::npos);

    auto run = ws.coverage({"--format", "json"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto json = nlohmann::json::parse(run.out);
    REQUIRE(json["units"].size() == 2);
    const auto& xinglong = json["units"][0];
    CHECK(xinglong["code"] == "230522101000");
    CHECK(xinglong["name"] == "兴隆镇");
    CHECK(xinglong["level"] == "township");
    CHECK(xinglong["catalog"] == ratio(4, 5));
    CHECK(xinglong["elements"] == ratio(5, 7));
    CHECK(xinglong["channels"] == ratio(4, 5));
    CHECK(xinglong["blank"] == ratio(0, 4));
    CHECK(xinglong["not_updated"] == ratio(2, 4));
    CHECK(xinglong["timeliness"] == ratio(4, 6));
    CHECK(xinglong["missing"] == nlohmann::json{"20-005"});
    CHECK(xinglong["late"][0] == nlohmann::json{{"item", "20-001"}, {"name", "办事指南"}, {"formed", "2024-09-27"},
                                                {"published", "2024-10-31"}, {"due", "2024-10-30"}});
    CHECK(xinglong["fields"][1]["code"] == "21");
    CHECK(xinglong["fields"][1]["channels"] == ratio(1, 2));
    const auto& fenggang = json["units"][1];
    CHECK(fenggang["catalog"] == ratio(3, 4));
    CHECK(fenggang["not_updated"] == ratio(2, 2));
    CHECK(fenggang["timeliness"] == ratio(4, 4));
    CHECK(json["rollup"]["catalog"] == ratio(7, 9));
    CHECK(json["rollup"]["areas"][1]["name"] == "友谊县");
    CHECK(json["rollup"]["areas"][1]["timeliness"] == ratio(8, 10));

    auto text = ws.coverage();
    CHECK(text.out.find("  缺失事项      20-003 临时救助 / 政策文件\n") != std::string::npos);
    CHECK(ws.coverage({"--format", "csv", "--unit", "230522103000"}).out ==
          "code,name,level,field,catalog_num,catalog_den,elements_num,elements_den,channels_num,channels_den,"
          "blank_num,blank_den,not_updated_num,not_updated_den,timeliness_num,timeliness_den,veto\r\n"
          "230522103000,凤岗镇,township,,3,4,4,4,3,4,0,2,2,2,4,4,0\r\n"
          "230522103000,凤岗镇,township,20,3,4,4,4,3,4,0,2,2,2,4,4,\r\n");
    // One township: its findings in Chinese, named; no county line that would only repeat it.
    auto one = ws.coverage({"--unit", "230522103000"}).out;
    CHECK(one.find("230522103000 凤岗镇（乡级）\n") != std::string::npos);
    CHECK(one.find("  应更新未更新  20-004 临时救助 / 救助对象：最近公开 2024-07-09，应有 2024-10-01 以后的公开（定期公开") != std::string::npos);
    CHECK(one.find("友谊县") == std::string::npos);
    CHECK(one.find("合计") == std::string::npos);
    // A county takes every unit under it; an unknown code is a usage error, not an empty table.
    auto county = nlohmann::json::parse(ws.coverage({"--format", "json", "--unit", "230522"}).out);
    CHECK(county["units"].size() == json["units"].size());
    CHECK(ws.coverage({"--unit", "999999"}).exit_code == 3);
}

TEST_CASE("ingesting the same files again changes nothing", "[cli][coverage]") {
    Workspace ws;
    REQUIRE(ws.ingest(county_files).exit_code == 0);
    auto before = ws.coverage({"--format", "json"});
    auto again = ws.ingest(county_files);
    CHECK(again.exit_code == 0);
    CHECK(again.err.find("0 snapshots added, 4 unchanged") != std::string::npos);
    CHECK(ws.coverage({"--format", "json"}).out == before.out);
    auto history = nlohmann::json::parse(run_gkml({"history", "--db", ws.db, "--standard", data + "standard", "--period", "2024", "--format", "json"}).out);
    CHECK(history.size() == 4);
}

TEST_CASE("an invalid file is reported and skipped, the rest goes in", "[cli][coverage]") {
    Workspace ws;
    auto broken = (ws.dir / "broken-ledger.csv").string();
    std::ofstream(broken) << "单位代码,事项编号,形成日期,发布日期,发布渠道\n230522101000,20-001,2024-02-30,2024-03-01,政府网站\n";
    auto files = county_files;
    files.push_back(broken);
    files.push_back("tests/data/invalid/not-well-formed.xml");
    auto run = ws.ingest(files);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("broken-ledger.csv:2: 不是日期：\"2024-02-30\"") != std::string::npos);
    CHECK(run.err.find("4 snapshots added, 0 unchanged, 2 invalid") != std::string::npos);
    CHECK(nlohmann::json::parse(ws.coverage({"--format", "json"}).out)["units"].size() == 2);
}

TEST_CASE("the options --fail-under and --baseline make the figures a gate", "[cli][coverage]") {
    Workspace ws;
    REQUIRE(ws.ingest(county_files).exit_code == 0);
    auto under = ws.coverage({"--fail-under", "0.8"});
    CHECK(under.exit_code == 1);
    CHECK(under.err.find("230522103000 凤岗镇: catalog 0.750 (3/4) is under 0.8") != std::string::npos);
    CHECK(ws.coverage({"--fail-under", "0.5"}).exit_code == 0);

    // 兴隆镇 drops 21-002 from its catalog: catalog coverage falls from 4/5 to 3/5 since snapshot 4.
    std::string catalog = gkml::test::slurp(gkml::test::source(data + "xinglong-catalog.xml"));
    auto start = catalog.find("    <item id=\"21-002\"");
    catalog.erase(start, catalog.find("</item>", start) + 8 - start);
    auto worse = (ws.dir / "xinglong-catalog.xml").string();
    std::ofstream(worse) << catalog;
    REQUIRE(ws.ingest({worse}).exit_code == 0);
    CHECK(ws.coverage({"--baseline", "5"}).exit_code == 0);
    auto fell = ws.coverage({"--baseline", "4"});
    CHECK(fell.exit_code == 1);
    CHECK(fell.err.find("230522101000 兴隆镇: catalog fell from 0.800 (4/5) at snapshot 4 to 0.600 (3/5)") != std::string::npos);

    auto history = run_gkml({"history", "--db", ws.db, "--standard", data + "standard", "--period", "2024", "--unit", "230522101000"});
    CHECK(history.exit_code == 0);
    CHECK(history.out.find("catalog") != std::string::npos);
    CHECK(history.out.find("4/5") != std::string::npos);
    CHECK(history.out.find("3/5") != std::string::npos);
}

TEST_CASE("two gkml ingest processes into one database at once lose nothing", "[cli][coverage]") {
    Workspace ws;
    REQUIRE(ws.ingest({data + "xinglong-catalog.xml", data + "fenggang-catalog.xml"}).exit_code == 0);
    for (const char* unit : {"230522101000", "230522103000"}) {
        auto folder = ws.dir / unit;
        fs::create_directories(folder);
        for (int i = 1; i <= 30; ++i) {
            char formed[16];
            std::snprintf(formed, sizeof formed, "2024-%02d-%02d", 1 + i % 12, 1 + i % 28);
            std::ofstream(folder / ("ledger-" + std::to_string(i) + ".csv"))
                << "unit,item,formed,published,channel,title\n" << unit << ",20-001," << formed << "," << formed << ",website,r" << i << "\n";
        }
    }
    std::string gkml = quote(GKML_BINARY) + " ingest --db " + quote(ws.db) + " ";
    std::string both = "cd " + quote(GKML_SOURCE_DIR) + " && GKML_HOME=" + quote(GKML_SOURCE_DIR) + " && (" + gkml +
                       quote((ws.dir / "230522101000").string()) + " 2>/dev/null & " + gkml +
                       quote((ws.dir / "230522103000").string()) + " 2>/dev/null & wait)";
    REQUIRE(std::system(both.c_str()) == 0);
    auto json = nlohmann::json::parse(ws.coverage({"--format", "json"}).out);
    CHECK(json["units"][0]["timeliness"] == ratio(30, 30));
    CHECK(json["units"][1]["timeliness"] == ratio(30, 30));
}

TEST_CASE("the worked county is measured against the attested items, and says so, unless asked to count the inferred ones",
          "[cli][coverage]") {
    Workspace ws;
    const std::string county = "examples/youyi/";
    auto db = (ws.dir / "youyi.db").string();
    REQUIRE(run_gkml({"ingest", "--db", db, "--units", county + "units.xml", county + "catalogs", county + "ledgers"}).exit_code == 0);
    auto attested = nlohmann::json::parse(run_gkml({"coverage", "--db", db, "--format", "json"}).out);
    auto counted = nlohmann::json::parse(run_gkml({"coverage", "--db", db, "--format", "json", "--include-inferred"}).out);
    REQUIRE(attested["standards"].size() == 1);
    const auto& standard = attested["standards"][0];
    CHECK(standard["id"] == "gkml-standard");
    CHECK(standard["inferred"].get<int>() > 0);
    CHECK(standard["attested"].get<int>() + standard["inferred"].get<int>() == standard["items"].get<int>());
    CHECK(standard["inferred_counted"] == false);
    CHECK(counted["standards"][0]["inferred_counted"] == true);
    int to_verify = 0;
    for (std::size_t u = 0; u < attested["units"].size(); ++u) {
        const auto& a = attested["units"][u];
        const auto& c = counted["units"][u];
        INFO(a["code"]);
        CHECK(a["standard"]["id"] == "gkml-standard");
        CHECK(c["to_verify"].empty());
        to_verify += static_cast<int>(a["to_verify"].size());
        // What the inferred items add: to the denominator all of them, to the numerator the ones held.
        CHECK(c["catalog"]["den"].get<int>() - a["catalog"]["den"].get<int>() >= static_cast<int>(a["to_verify"].size()));
        CHECK(c["missing"].size() == a["missing"].size() + a["to_verify"].size());
    }
    CHECK(to_verify > 0);
    auto text = run_gkml({"coverage", "--db", db, "--unit", "230522203000"}).out;
    CHECK(text.find("依据标准 gkml-standard 2019.1：事项 " + std::to_string(standard["items"].get<int>()) + " 个，有出处 " +
                    std::to_string(standard["attested"].get<int>()) + " 个；推定事项") != std::string::npos);
    CHECK(text.find("待核实（推定）") != std::string::npos);
    auto summary = run_gkml({"coverage", "--db", db, "--summary"}).out;
    CHECK(summary.find("待核实") != std::string::npos);
}

TEST_CASE("coverage usage and database errors have their exit codes", "[cli][coverage]") {
    Workspace ws;
    REQUIRE(ws.ingest(county_files).exit_code == 0);
    CHECK(ws.coverage({"--period", "2024-Q5"}).exit_code == 3);
    CHECK(ws.coverage({"--unit", "110000"}).exit_code == 3);
    CHECK(run_gkml({"coverage", "--db", (ws.dir / "no/such/dir/x.db").string()}).exit_code == 4);
    CHECK(run_gkml({"coverage", "--db", ws.db}).exit_code == 2);  // based on cov-standard, not among the bundled standards
}

TEST_CASE("coverage and the report, with no room for their temporary file, say so and write nothing", "[cli][coverage]") {
    // They are written a unit at a time through an unnamed temporary file in TMPDIR; /proc takes none.
    Workspace ws;
    REQUIRE(ws.ingest(county_files).exit_code == 0);
    for (std::string format : {"json", "csv", "text"}) {
        auto good = ws.coverage({"--format", format});
        REQUIRE(good.exit_code == 0);
        REQUIRE_FALSE(good.out.empty());
        std::vector<std::string> args{"coverage", "--db", ws.db, "--standard", data + "standard", "--period", "2024", "--format", format};
        auto full = run_gkml(args, "TMPDIR=/proc");
        INFO(format << ": " << full.err);
        CHECK(full.exit_code == 4);
        CHECK(full.out.empty());
        CHECK(full.err.find("临时文件") != std::string::npos);
    }
    auto page = ws.dir / "report.html";
    gkml::test::spit(page, "the office's earlier report");
    auto report = run_gkml({"report", "--db", ws.db, "--standard", data + "standard", "--period", "2024", "-o", page.string()},
                           "TMPDIR=/proc");
    CHECK(report.exit_code == 4);
    CHECK(gkml::test::slurp(page) == "the office's earlier report");
    for (const auto& entry : fs::directory_iterator(ws.dir))  // no scratch file left beside the page
        CHECK(entry.path().filename().string().rfind(".report.html.", 0) == std::string::npos);
}

TEST_CASE("the worked county: the year-end round restates the mid-year one, and every figure tells units apart", "[cli][coverage]") {
    Workspace ws;
    const std::string county = "examples/youyi/";
    auto ingest = [&](const std::string& db, const std::string& label, const std::string& folder) {
        return run_gkml({"ingest", "--db", db, "--units", county + "units.xml", "--label", label, county + folder + "catalogs",
                         county + folder + "ledgers"});
    };
    auto both = (ws.dir / "both.db").string(), year_end = (ws.dir / "year-end.db").string();
    // The worked county has warnings (missing required channels), no errors.
    REQUIRE(ingest(both, "2025年中自查", "2025-06/").exit_code == 0);
    REQUIRE(ingest(both, "2025年终", "").exit_code == 0);
    REQUIRE(ingest(year_end, "2025年终", "").exit_code == 0);
    auto figures = [&](const std::string& db) { return run_gkml({"coverage", "--db", db, "--format", "json"}).out; };
    auto after_both = figures(both);
    CHECK(after_both == figures(year_end));

    auto json = nlohmann::json::parse(after_both);
    REQUIRE(json["units"].size() == 18);
    int at_risk = 0;
    for (const char* figure : {"catalog", "elements", "channels", "blank", "not_updated", "timeliness"}) {
        std::set<std::pair<int, int>> values;
        for (const auto& unit : json["units"]) values.emplace(unit[figure]["num"], unit[figure]["den"]);
        INFO(figure);
        CHECK(values.size() >= 3);
    }
    for (const auto& unit : json["units"]) at_risk += unit["veto"]["any"].get<bool>();
    CHECK(at_risk >= 1);
    CHECK(at_risk < 18);
    CHECK(json["rollup"]["at_risk"] == at_risk);

    // The mid-year snapshot is still there, with the figures of the mid-year round alone (judged on
    // 30 June, the day its ledgers run to).
    auto history = nlohmann::json::parse(run_gkml({"history", "--db", both, "--unit", "230522203000", "--format", "json"}).out);
    REQUIRE(history.size() == 4);
    CHECK(history[1]["source"] == county + "2025-06/ledgers/230522203000-2025-06.xml");
    auto midyear = (ws.dir / "midyear.db").string();
    REQUIRE(ingest(midyear, "2025年中自查", "2025-06/").exit_code == 0);
    auto alone = nlohmann::json::parse(run_gkml({"coverage", "--db", midyear, "--unit", "230522203000", "--format", "json"}).out);
    CHECK(alone["period"]["judged_on"] == "2025-06-30");
    for (const char* figure : {"catalog", "elements", "channels", "blank", "not_updated", "timeliness"}) {
        INFO(figure);
        CHECK(history[1][figure] == alone["units"][0][figure]);
    }
}

TEST_CASE("a township's 整改清单 lists exactly the findings of its coverage, as a workbook LibreOffice opens and as a notice",
          "[cli][rectify]") {
    Workspace ws;
    const std::string county = "examples/youyi/";
    REQUIRE(run_gkml({"ingest", "--db", ws.db, "--units", county + "units.xml", county + "catalogs", county + "ledgers"}).exit_code == 0);
    auto json = nlohmann::json::parse(run_gkml({"coverage", "--db", ws.db, "--unit", "230522203000", "--format", "json"}).out);
    REQUIRE(json["units"].size() == 1);
    const auto& unit = json["units"][0];
    // What the coverage names, as (类别, 事项编号) pairs, in its order.
    std::vector<std::pair<std::string, std::string>> expected;
    for (const auto& id : unit["missing"]) expected.emplace_back("缺失事项", id);
    for (const auto& id : unit["incomplete"]) expected.emplace_back("要素渠道不全", id);
    for (const auto& id : unit["blank_items"]) expected.emplace_back("空白栏目", id);
    for (const auto& n : unit["not_updated_items"]) expected.emplace_back("应更新未更新", n["item"]);
    for (const auto& l : unit["late"]) expected.emplace_back("逾期公开", l["item"]);
    for (const auto& id : unit["to_verify"]) expected.emplace_back("待核实", id);
    REQUIRE(expected.size() > 20);

    auto page = (ws.dir / "jsx.html").string();
    auto run = run_gkml({"rectify", "--db", ws.db, "--unit", "230522203000", "--issuer", "友谊县政务公开办", "-o", page});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto html = gkml::test::slurp(page);
    std::vector<std::pair<std::string, std::string>> listed;
    std::regex row(R"(<tr><td class="n">\d+</td><td>([^<]*)</td><td class="n">([^<]*)</td>)");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), row); it != std::sregex_iterator(); ++it)
        listed.emplace_back((*it)[1], (*it)[2]);
    CHECK(listed == expected);
    CHECK(html.find("整改单位：建设乡（230522203000）") != std::string::npos);
    CHECK(html.find("友谊县政务公开办") != std::string::npos);
    CHECK(html.find("缺少必选公开渠道：") != std::string::npos);  // an incomplete item says what it lacks
    CHECK(html.find("@page{size:A4 landscape") != std::string::npos);

    auto book = (ws.dir / "jsx.xlsx").string();
    REQUIRE(run_gkml({"rectify", "--db", ws.db, "--unit", "230522203000", "-o", book}).exit_code == 0);
    if (std::system("command -v libreoffice >/dev/null 2>&1") != 0) {
        WARN("libreoffice is not installed: the workbook check is skipped");
        return;
    }
    auto dir = ws.dir / "lo";
    // CSV of the first sheet in UTF-8 (filter options: comma, double quote, code 76).
    std::string command = "libreoffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir " +
                          gkml::test::quote(dir.string()) + " " + gkml::test::quote(book) + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream csv(dir / "jsx.csv");
    std::vector<std::pair<std::string, std::string>> in_sheet;
    for (std::string line; std::getline(csv, line);) {
        std::vector<std::string> cells;
        std::stringstream split(line);
        for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
        if (cells.size() > 2 && !cells[0].empty() && std::isdigit(static_cast<unsigned char>(cells[0][0])))
            in_sheet.emplace_back(cells[1], cells[2]);
    }
    CHECK(in_sheet == expected);
}

TEST_CASE("the county's 整改清单: a sheet or a page per unit, and a bad output name is a usage error", "[cli][rectify]") {
    Workspace ws;
    REQUIRE(run_gkml({"ingest", "--db", ws.db, "--units", "examples/youyi/units.xml", "examples/youyi/catalogs",
                      "examples/youyi/ledgers"}).exit_code == 0);
    auto page = (ws.dir / "county.html").string();
    auto run = run_gkml({"rectify", "--db", ws.db, "-o", page, "--within", "15", "--date", "2026-01-05"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto html = gkml::test::slurp(page);
    std::regex notice(R"(<section class="notice" id="u-)");
    CHECK(std::distance(std::sregex_iterator(html.begin(), html.end(), notice), std::sregex_iterator()) == 18);
    CHECK(html.find("请于 2026-01-26 前完成整改") != std::string::npos);  // 15 working days after 5 January
    CHECK(run.err.find("18 个单位") != std::string::npos);
    CHECK(run_gkml({"rectify", "--db", ws.db, "-o", (ws.dir / "x.pdf").string()}).exit_code == 3);
    CHECK(run_gkml({"rectify", "--db", ws.db, "--date", "05/01/2026", "-o", page}).exit_code == 3);
}
