// A locality's own standard: published as a Word document (merged cells), imported as a standard
// based on the national one, set against it, and the county audited against it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "run.hpp"

namespace fs = std::filesystem;
using gkml::test::quote;
using gkml::test::run_gkml;
using gkml::test::slurp;
using gkml::test::source;

namespace {

fs::path scratch(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("gkml-standard-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

// tests/fixtures/published_table.py with Debian's python3 and python3-docx.
int fixture(const std::string& args) {
    auto command = "/usr/bin/python3 " + quote(source("tests/fixtures/published_table.py").string()) + " " + args;
    return std::system(command.c_str());
}

const std::string city_dir = "examples/youyi/city-standard/";
const std::string city = city_dir + "230500-standard.xml";
const std::string city_id = "230500-example-standard";
const std::string city_source = "双鸭山市基层政务公开标准目录（gkml示例）.docx";
const std::string city_locality = "黑龙江省双鸭山市（gkml 示例）";

}  // namespace

TEST_CASE("every published table reads the same as a web page and as a Word document with merged cells", "[cli][docx]") {
    auto dir = scratch("published");
    fs::create_directories(dir);
    std::string tables;
    int count = 0;
    // tests/data/published: rows of published catalogs, one locality and field per file (README.md there).
    for (const auto& entry : fs::directory_iterator(source("tests/data/published")))
        if (entry.path().extension() == ".tsv") tables += " " + quote(entry.path().string()), ++count;
    REQUIRE(count >= 90);
    REQUIRE(fixture(quote(dir.string()) + tables) == 0);
    int imported = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".html") continue;
        auto page = entry.path(), word = fs::path(page).replace_extension(".docx");
        auto from_page = fs::path(page).replace_extension(".page.xml"), from_word = fs::path(page).replace_extension(".word.xml");
        auto as_standard = [&](const fs::path& in, const fs::path& out) {
            return run_gkml({"import", in.string(), "--as-standard", "t-standard", "--source", "published", "-o", out.string()});
        };
        auto a = as_standard(page, from_page), b = as_standard(word, from_word);
        INFO(page.filename() << "\n" << a.err << "\n" << b.err);
        CHECK(a.exit_code == b.exit_code);
        if (a.exit_code != 0 || b.exit_code != 0) continue;
        ++imported;
        CHECK(slurp(from_page) == slurp(from_word));
        CHECK(run_gkml({"validate", from_word.string()}).exit_code == 0);
    }
    // Those that do not import lack a 二级事项 or name no 其他 channel: said at their cells, in both forms.
    CHECK(imported * 10 >= count * 8);

    // The 一级事项 merged down over its rows (w:vMerge) is every row's 一级事项.
    auto gaizhou = dir / "shehuijiuzhu__gaizhou";
    if (fs::exists(fs::path(gaizhou).replace_extension(".docx"))) {
        auto xml = slurp(fs::path(gaizhou).replace_extension(".word.xml"));
        CHECK(xml.find("<category>综合业务</category>\n      <name>监督检查</name>") != std::string::npos);
    }
}

TEST_CASE("a binary .doc is told to save as .docx, a damaged .docx is refused with its name", "[cli][docx]") {
    auto doc = scratch("标准目录.doc"), fake = scratch("fake.docx"), out = scratch("out.xml");
    gkml::test::spit(doc, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 binary");
    gkml::test::spit(fake, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 binary");
    auto run = run_gkml({"import", doc.string(), "-o", out.string()});
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("另存为”Word 文档（*.docx）") != std::string::npos);
    run = run_gkml({"import", fake.string(), "-o", out.string()});
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("这是旧版 Word 文档（.doc）") != std::string::npos);
    gkml::test::spit(fake, "PK\x03\x04 not really a zip");
    run = run_gkml({"import", fake.string(), "-o", out.string()});
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("不是有效的 docx 文档") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("the worked city standard: through Word and back unchanged, set against the national one, the county audited by it",
          "[cli][docx][coverage]") {
    // The city publishes its standard as a Word document: made here from the XML (page, then Word).
    auto page = scratch("city.html"), word = scratch(city_source), back = scratch("city-back.xml");
    REQUIRE(run_gkml({"export", "--format", "html", city, "-o", page.string()}).exit_code == 0);
    REQUIRE(fixture("--from-html " + quote(page.string()) + " " + quote(word.string())) == 0);
    auto imported = run_gkml({"import", word.string(), "--as-standard", city_id, "--version", "2026", "--source", city_source,
                              "--locality", city_locality, "-o", back.string()});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(slurp(back) == slurp(source(city)));

    // How it departs from the national standard: two items left out, two of its own.
    auto diff = run_gkml({"diff", "--no-provenance", "catalogs/standard", city});
    CHECK(diff.exit_code == 1);
    CHECK(diff.out.find("- 18-018  国（境）外人员入境就业 / 外国人来华工作许可") != std::string::npos);
    CHECK(diff.out.find("+ L-230500-example-standard-20-1  最低生活保障 / 低保边缘家庭认定结果") != std::string::npos);
    CHECK(diff.out.find("0 changed") != std::string::npos);

    // The county's 民政局 carries its catalog onto the city standard (a clean merge); a township holding
    // 18-018, which the city left out, has to decide about it.
    auto mzj = scratch("230522-mzj.xml");
    auto merged = run_gkml({"merge", "catalogs/standard", "examples/youyi/catalogs/230522-mzj.xml", city, "-o", mzj.string(),
                            "--standard", city_dir});
    INFO(merged.out << merged.err);
    REQUIRE(merged.exit_code == 0);
    CHECK(slurp(mzj).find("based-on=\"" + city_id + "\" based-on-version=\"2026\"") != std::string::npos);
    // The merge carries the city's own items into the 民政局's catalog, to fill in.
    CHECK(slurp(mzj).find("<item id=\"L-230500-example-standard-20-1\"") != std::string::npos);
    CHECK(slurp(mzj).find("<item id=\"L-230500-example-standard-21-1\"") != std::string::npos);
    auto township = run_gkml({"merge", "catalogs/standard", "examples/youyi/catalogs/230522203000.xml", city, "-o",
                              scratch("jsx.xml").string(), "--standard", city_dir});
    CHECK(township.exit_code == 1);
    CHECK(township.out.find("CONFLICT 18-018 item: changed by ours, removed by theirs") != std::string::npos);

    // A township starting afresh from the city standard holds the city's items; a folder with both
    // standards is ambiguous for init, and said so.
    auto fresh = scratch("fresh.xml");
    REQUIRE(run_gkml({"init", "--standard", city, "--unit", "230522203000", "--units", "examples/youyi/units.xml", "-o",
                      fresh.string()}).exit_code == 0);
    CHECK(slurp(fresh).find("based-on=\"" + city_id + "\"") != std::string::npos);
    CHECK(slurp(fresh).find("<item id=\"L-230500-example-standard-21-1\"") != std::string::npos);
    CHECK(slurp(fresh).find("<item id=\"18-018\"") == std::string::npos);
    CHECK(run_gkml({"validate", "--standard", city_dir, fresh.string()}).exit_code == 0);

    // Audited: the 民政局 against the city standard (its two items counted), the others against the
    // national one, each as its catalog's based-on says; both standards in one folder.
    auto standards = scratch("standards");
    fs::create_directories(standards);
    for (const auto& entry : fs::directory_iterator(source("catalogs/standard"))) fs::copy_file(entry.path(), standards / entry.path().filename());
    fs::copy_file(source(city), standards / "230500-standard.xml");
    auto catalogs = scratch("catalogs");
    fs::create_directories(catalogs);
    for (const auto& entry : fs::directory_iterator(source("examples/youyi/catalogs")))
        if (entry.path().filename() != "230522-mzj.xml") fs::copy_file(entry.path(), catalogs / entry.path().filename());
    fs::copy_file(mzj, catalogs / "230522-mzj.xml");
    auto ambiguous = run_gkml({"init", "--standard", standards.string(), "--unit", "230522203000", "--level", "township", "-o",
                               scratch("no.xml").string()});
    CHECK(ambiguous.exit_code == 3);
    CHECK(ambiguous.err.find("个标准目录（") != std::string::npos);
    auto db = scratch("youyi.db").string();
    auto ingest = run_gkml({"ingest", "--db", db, "--standard", standards.string(), "--units", "examples/youyi/units.xml",
                            catalogs.string(), "examples/youyi/ledgers"});
    INFO(ingest.err);
    REQUIRE(ingest.exit_code == 0);
    auto json = nlohmann::json::parse(run_gkml({"coverage", "--db", db, "--standard", standards.string(), "--format", "json"}).out);
    auto national_db = scratch("national.db").string();
    REQUIRE(run_gkml({"ingest", "--db", national_db, "--units", "examples/youyi/units.xml", "examples/youyi/catalogs",
                      "examples/youyi/ledgers"}).exit_code == 0);
    auto national = nlohmann::json::parse(run_gkml({"coverage", "--db", national_db, "--unit", "230522-mzj", "--format", "json"}).out);
    REQUIRE(json["standards"].size() == 2);
    bool seen = false;
    for (const auto& unit : json["units"]) {
        if (unit["code"] != "230522-mzj") {
            CHECK(unit["standard"]["id"] == "gkml-standard");
            continue;
        }
        seen = true;
        CHECK(unit["standard"]["id"] == city_id);
        CHECK(unit["to_verify"].empty());  // the city's document attests every item it lists
        // Its two items, and the national inferred items it adopted, are requirements now.
        const auto& before = national["units"][0]["catalog"];
        CHECK(unit["catalog"]["den"].get<int>() >= before["den"].get<int>() + 2);
        CHECK(unit["catalog"]["num"].get<int>() >= before["num"].get<int>());
    }
    CHECK(seen);
    for (const auto& s : json["standards"])
        if (s["id"] == city_id) CHECK(s["attested"] == s["items"]);
}
