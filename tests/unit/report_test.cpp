#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "gkml/report.hpp"

namespace {

gkml::UnitCoverage township(std::string code, std::string name, int held, int applicable) {
    gkml::UnitCoverage u;
    u.code = std::move(code);
    u.name = std::move(name);
    u.level = gkml::Level::township;
    u.figures.catalog = {held, applicable};
    u.fields.push_back({"20", {}});
    u.fields.back().figures.catalog = {held, applicable};
    return u;
}

gkml::ReportInput sample() {
    gkml::ReportInput input;
    input.title = "友谊县基层政务公开标准目录落实情况";
    input.as_of = "2025-12-31";
    input.coverage.period = *gkml::parse_period("2025");
    input.coverage.judged_on = input.coverage.period.to;
    auto good = township("230522100000", "友谊镇", 10, 10);
    auto poor = township("230522203000", "建设乡", 4, 10);
    poor.missing.push_back({"20-007", "20", "特困人员救助供养", "审核信息"});
    poor.fields.push_back({"21", {}});
    poor.fields.back().figures.catalog = {1, 2};
    poor.to_verify.push_back({"20-012", "20", "临时救助", "推定的事项"});
    poor.late.push_back({"20-003", "政策法规文件", std::chrono::year{2025} / 1 / 24, std::chrono::year{2025} / 3 / 14,
                         std::chrono::year{2025} / 2 / 28});
    poor.figures.blank = {6, 40};
    poor.veto.blank = true;
    poor.not_updated.push_back({{"20-011", "20", "临时救助", "政策法规文件"}, gkml::UpdateRule::policy, std::chrono::year{2025} / 3 / 2,
                                std::chrono::year{2025} / 6 / 30});
    input.coverage.units = {good, poor};
    input.coverage.standards = {{"gkml-standard", "2019.1", 360, 207, 153, false}};
    input.coverage.at_risk = 1;
    input.coverage.total = good.figures;
    input.coverage.total += poor.figures;
    input.fields = {{"20", "shehuijiuzhu", "社会救助", "Social assistance", {}, {}, {}, {}},
                    {"21", "yanglaofuwu", "养老服务", "Elderly care", {}, {}, {}, {}},
                    {"22", "hujiguanli", "户籍管理", "Household registration", {}, {}, {}, {}}};
    input.trend = {{"2025-06-30", input.coverage.total}, {"2025-12-31", input.coverage.total}};
    return input;
}

}  // namespace

TEST_CASE("the report puts the unit that needs chasing first, with what it misses and what was late", "[report]") {
    auto html = gkml::report_html(sample());
    auto poor = html.find("建设乡");
    auto good = html.find("友谊镇", html.find("id=\"summary\""));
    REQUIRE(poor != std::string::npos);
    CHECK(poor < good);
    CHECK(html.find("20-007") != std::string::npos);
    CHECK(html.find("2025-02-28") != std::string::npos);  // the due date of the late record
    CHECK(html.find(">40.0%<") != std::string::npos);
    // 建设乡 ranks 2nd of 2 by catalog coverage, 30 points under the county's 14/20 = 70 %.
    CHECK(html.find(R"(<tr><td class="num">2</td><td><a href="#u-230522203000">建设乡</a>)") != std::string::npos);
    CHECK(html.find(R"(<td class="num">-30.0</td>)") != std::string::npos);
    CHECK(html.find(R"(<td class="num">+30.0</td>)") != std::string::npos);
    // The comparison chart: a bar per unit, the county's rate dashed.
    CHECK(html.find(R"(<svg class="units")") != std::string::npos);
    CHECK(html.find("全县 70.0%") != std::string::npos);
}

TEST_CASE("the heat map has one cell per unit and field, grey where nothing applies", "[report]") {
    auto html = gkml::report_html(sample());
    std::regex cell(R"(data-unit="[0-9]+" data-field="[0-9]{2}")");
    auto cells = std::distance(std::sregex_iterator(html.begin(), html.end(), cell), std::sregex_iterator());
    CHECK(cells == 2 * 2);
    CHECK(html.find(R"(class="cell na" data-unit="230522100000" data-field="21")") != std::string::npos);
    // A field no unit counts in gets no column, and is named once.
    CHECK(html.find(R"(data-field="22")") == std::string::npos);
    CHECK(html.find("以下领域在这些单位中没有适用事项，不列入热力图：22 户籍管理。") != std::string::npos);
}

TEST_CASE("the report is one self-contained page: no script, no link, no remote address", "[report]") {
    auto html = gkml::report_html(sample());
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("@page{size:A4 landscape") != std::string::npos);
    CHECK(gkml::report_html(sample()) == html);
}

TEST_CASE("the report flags the unit at veto risk, names what is not updated, and defines every figure", "[report]") {
    auto html = gkml::report_html(sample());
    auto unit = html.find(R"(id="u-230522203000")");
    REQUIRE(unit != std::string::npos);
    CHECK(html.find("<b>单项否决风险：</b>空白栏目 6 个（≥5）", unit) != std::string::npos);
    CHECK(html.find("<td>2025-03-02</td><td>2025-06-30</td><td>政策文件类，6个月</td>", unit) != std::string::npos);
    CHECK(html.find("<td>政策法规文件</td>", unit) != std::string::npos);  // the late record's item by name
    CHECK(html.find("<b>1 个单位</b>") != std::string::npos);
    CHECK(html.find("依据标准 gkml-standard 2019.1：事项 360 个，有出处 207 个；推定事项 153 个不计入") != std::string::npos);
    CHECK(html.find("<b>待核实：标准中的推定事项，未见已公开目录，本单位没有（1，不计入覆盖率）</b>", unit) != std::string::npos);
    for (const auto& figure : gkml::figure_info) CHECK(html.find("<dt>" + std::string(figure.name_zh) + "</dt><dd>") != std::string::npos);
}

TEST_CASE("the report written a unit at a time is the same page, from figures only", "[report]") {
    // gkml report: each unit's section is written as it is computed; the summary, heat map and bars
    // come from what was kept of it, not from the input's units (which hold figures only).
    auto whole = sample();
    auto figures_only = whole;
    for (auto& u : figures_only.coverage.units) {
        gkml::UnitCoverage kept;
        kept.code = u.code, kept.name = u.name, kept.level = u.level, kept.figures = u.figures, kept.veto = u.veto;
        u = std::move(kept);
    }
    gkml::ReportWriter writer(whole.fields);
    for (const auto& u : whole.coverage.units) writer.unit(u);
    std::ostringstream out;
    REQUIRE(writer.finish(out, figures_only));
    CHECK(out.str() == gkml::report_html(whole));
    CHECK(out.str().find("20-007") != std::string::npos);     // a finding, from the section written early
    CHECK(out.str().find("建设乡 · 养老服务 1/2\">50.0%") != std::string::npos);  // its heat cell, from what was kept
}
