#include <catch2/catch.hpp>

#include <cstdlib>

#include "run.hpp"

using gkml::test::run_gkml;

namespace {

std::string scratch(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("gkml-tab-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

}  // namespace

TEST_CASE("a township starts from the standard, fills in the workbook, and imports it back unchanged", "[cli][xlsx]") {
    auto unit = scratch("unit.xml"), back = scratch("back.xml");
    auto init = run_gkml({"init", "--unit", "230522101000", "--name", "兴隆镇", "--level", "township", "-o", unit});
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
    CHECK(run_gkml({"validate", unit}).exit_code == 0);
    for (std::string format : {"xlsx", "csv", "html"}) {
        auto file = scratch("unit." + format);
        REQUIRE(run_gkml({"export", "--format", format, unit, "-o", file}).exit_code == 0);
        auto imported = run_gkml({"import", "--from", format, file, "-o", back});
        INFO(format << imported.out << imported.err);
        REQUIRE(imported.exit_code == 0);
        CHECK(gkml::test::slurp(back) == gkml::test::slurp(unit));
    }
    CHECK(run_gkml({"export", unit, "-o", scratch("unit.md")}).exit_code == 0);
}

TEST_CASE("a published page is imported with its unmatched rows listed", "[cli][html]") {
    auto out = scratch("page.xml");
    auto run = run_gkml({"import", "tests/data/tabular/county-page.html", "--unit", "230522101000", "--name", "兴隆镇",
                         "-o", out});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.find("L-20-1") != std::string::npos);
    CHECK(run.out.find("GKML-W103") != std::string::npos);
}

TEST_CASE("bad files exit 2 with a message and leave no output", "[cli][xlsx][html]") {
    for (std::string name : {"truncated.xlsx", "zip-bomb.xlsx", "million-rows.xlsx", "no-table.html"}) {
        auto out = scratch("bad.xml");
        auto run = run_gkml({"import", "tests/data/tabular/" + name, "-o", out});
        INFO(name << run.err);
        CHECK(run.exit_code == 2);
        CHECK_FALSE(run.err.empty());
        CHECK_FALSE(std::filesystem::exists(out));
    }
}

TEST_CASE("a template made from a unit catalog starts a new unit", "[cli][template]") {
    auto unit = scratch("t-unit.xml"), tpl = scratch("template.xml"), next = scratch("next.xml");
    REQUIRE(run_gkml({"init", "--unit", "230522101000", "--name", "兴隆镇", "--level", "township", "-o", unit}).exit_code == 0);
    REQUIRE(run_gkml({"template", unit, "-o", tpl}).exit_code == 0);
    CHECK(run_gkml({"validate", tpl}).exit_code == 0);
    auto run = run_gkml({"init", "--template", tpl, "--unit", "230522102000", "--name", "红光镇", "--level", "township", "-o", next});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    CHECK(run_gkml({"validate", next}).exit_code == 0);
}

TEST_CASE("the workbook opens in LibreOffice without complaint", "[cli][xlsx][libreoffice]") {
    if (std::system("command -v libreoffice >/dev/null 2>&1") != 0) {
        WARN("libreoffice is not installed: the conversion check is skipped (apt-get install libreoffice-calc to run it)");
        return;
    }
    auto book = scratch("lo.xlsx");
    REQUIRE(run_gkml({"export", "catalogs/standard/21-yanglaofuwu.xml", "-o", book}).exit_code == 0);
    auto dir = std::filesystem::path(book).parent_path() / "lo";
    std::string command = "libreoffice --headless --convert-to xlsx --outdir " + gkml::test::quote(dir.string()) + " " +
                          gkml::test::quote(book) + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    auto saved = (dir / "lo.xlsx").string(), back = scratch("lo.xml");
    REQUIRE(std::filesystem::exists(saved));
    auto run = run_gkml({"import", saved, "-o", back});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.empty());
}

TEST_CASE("7, 9, 10. validate reads a clerk's workbook and answers at its cells, in Chinese, and an .xls is told how to convert",
          "[cli][xlsx]") {
    auto unit = scratch("jsx.xml"), book = scratch("建设乡.xlsx");
    REQUIRE(run_gkml({"init", "--unit", "230522203000", "--name", "建设乡", "--level", "township", "-o", unit}).exit_code == 0);
    // An element taken out of 20-001 before export: in the workbook, the clerk changed a locked cell.
    auto xml = gkml::test::slurp(unit);
    auto item = xml.find("<item id=\"20-001\"");
    auto element = xml.find("<element ", item);
    xml.erase(element, xml.find("</element>", element) + std::string("</element>").size() - element);
    auto edited = scratch("edited.xml");
    gkml::test::spit(edited, xml);
    REQUIRE(run_gkml({"export", edited, "-o", book}).exit_code == 0);
    auto run = run_gkml({"validate", book});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("建设乡.xlsx:20 社会救助!E4: warning GKML-W105: 标准事项 20-001 的公开内容（要素）不能修改") != std::string::npos);
    CHECK(run.out.find(".xml:") == std::string::npos);
    CHECK(run.err.find("检查了 1 个文件：0 个错误，1 个警告") != std::string::npos);
    auto xls = scratch("建设乡.xls");
    gkml::test::spit(xls, "\xD0\xCF\x11\xE0");
    auto old = run_gkml({"import", xls, "-o", scratch("xls.xml")});
    CHECK(old.exit_code == 2);
    CHECK(old.err.find("在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入") != std::string::npos);
}
