// Hostile and broken input, as issue 14 found it: each case a file a reader once crashed on, hung on,
// ran out of memory on, or turned into output gkml's own validate rejects. Every run is bounded (2 GiB
// of address space, two minutes of CPU), so a regression fails here instead of taking the machine.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include <nlohmann/json.hpp>

#include "run.hpp"

using gkml::test::run_gkml;
namespace fs = std::filesystem;

namespace {

const std::string bounds = "ulimit -v 2097152; ulimit -t 120;";

struct Folder {
    fs::path dir = fs::temp_directory_path() / ("gkml-hostile-" + std::to_string(::getpid()));
    Folder() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Folder() { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(dir / name, std::ios::binary) << content;
        return (dir / name).string();
    }
    std::string path(const std::string& name) const { return (dir / name).string(); }
};

std::string repeat(const std::string& s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

const std::string page_head = "<html><head><meta charset=\"utf-8\"><title>社会救助领域基层政务公开标准目录</title></head><body>";

gkml::test::Run import(const std::string& file, const std::string& out) {
    return run_gkml({"import", file, "--field", "20", "-o", out}, bounds);
}

}  // namespace

TEST_CASE("a page of tables nested 30 000 deep is refused, not a stack overflow", "[cli][hostile]") {
    Folder f;
    auto page = f.write("deep-tables.html", page_head + repeat("<table><tr><td>", 30000) + "x" + "</body></html>");
    auto run = import(page, f.path("out.xml"));
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("网页的元素嵌套超过 512 层") != std::string::npos);
    CHECK_FALSE(fs::exists(f.path("out.xml")));
}

TEST_CASE("divs nested 40 000 deep are refused before the HTML parser sees them", "[cli][hostile]") {
    Folder f;
    auto page = f.write("deep-divs.html", page_head + repeat("<div>", 40000) + "<table><tr><td>一级事项</td></tr></table></body></html>");
    auto run = import(page, f.path("out.xml"));
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("嵌套超过") != std::string::npos);
}

TEST_CASE("a table of rowspan=1000 colspan=1000 cells is refused before its cells are made", "[cli][hostile]") {
    Folder f;
    auto page = f.write("spans.html", page_head + "<table>" + repeat("<tr><td rowspan=1000 colspan=1000>事项</td></tr>", 1000) +
                                          "</table></body></html>");
    auto run = import(page, f.path("out.xml"));
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("合并单元格展开后超过 1000000 格") != std::string::npos);
}

TEST_CASE("a workbook whose merges cover the whole sheet is refused with the range named", "[cli][hostile]") {
    Folder f;
    for (const char* name : {"merge-huge.xlsx", "merges-200.xlsx"}) {
        INFO(name);
        auto run = import("tests/data/hostile/" + std::string(name), f.path("out.xml"));
        CHECK(run.exit_code == 2);
        CHECK(run.err.find("的合并单元格（A3:IV99999 等）展开后超过 1000000 格") != std::string::npos);
        CHECK_FALSE(fs::exists(f.path("out.xml")));
    }
}

TEST_CASE("a workbook part of millions of tiny elements is refused before it is parsed", "[cli][hostile]") {
    Folder f;
    auto run = import("tests/data/hostile/shared-strings-3m.xlsx", f.path("out.xml"));  // under 2 GB of address space
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("xl/sharedStrings.xml 中元素超过 100 万个") != std::string::npos);
    CHECK_FALSE(fs::exists(f.path("out.xml")));
}

TEST_CASE("a shared string nested 30 000 deep is read in one pass", "[cli][hostile]") {
    Folder f;
    auto run = run_gkml({"import", "tests/data/hostile/deep-shared-string.xlsx", "--field", "20", "--unit", "230522203000", "--units",
                         "examples/youyi/units.xml", "-o", f.path("out.xml")},
                        bounds);
    CHECK(run.exit_code == 0);
    CHECK(run_gkml({"validate", f.path("out.xml")}).out.find(" error ") == std::string::npos);
}

TEST_CASE("an import that names no unit asks for --unit instead of writing a catalog validate rejects", "[cli][hostile]") {
    Folder f;
    auto run = import("tests/data/hostile/deep-shared-string.xlsx", f.path("out.xml"));
    CHECK(run.exit_code == 3);
    CHECK(run.err.find("用 --unit（和 --units）指定") != std::string::npos);
    CHECK_FALSE(fs::exists(f.path("out.xml")));
}

TEST_CASE("control characters a clerk pasted are taken out with a warning at their cell, and a NUL no longer cuts the text",
          "[cli][hostile]") {
    Folder f;
    auto run = run_gkml({"import", "tests/data/hostile/control-characters.xlsx", "--field", "20", "--unit", "230522203000", "--units",
                         "examples/youyi/units.xml", "-o", f.path("out.xml")},
                        bounds);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("control-characters.xlsx:20 社会救助!C2: warning GKML-W104: 单元格含有目录文件不能保存的字符（U+0001 U+0000") !=
          std::string::npos);
    CHECK(run.out.find("20 社会救助!D2") != std::string::npos);
    auto written = gkml::test::slurp(f.path("out.xml"));
    CHECK(written.find("<name>办事指南续</name>") != std::string::npos);
    auto validate = run_gkml({"validate", f.path("out.xml")});
    CHECK(validate.out.find(" error ") == std::string::npos);
}

TEST_CASE("a sheet with its header and no rows is refused instead of writing a catalog without fields", "[cli][hostile]") {
    Folder f;
    auto run = import("tests/data/hostile/header-only.xlsx", f.path("out.xml"));
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("表格只有表头，没有一行事项") != std::string::npos);
    CHECK_FALSE(fs::exists(f.path("out.xml")));
}

TEST_CASE("a device named on the command line is refused, not read forever", "[cli][hostile]") {
    auto run = run_gkml({"validate", "/dev/zero"}, bounds);
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("是设备文件") != std::string::npos);
}

TEST_CASE("XML in another encoding than UTF-8 is refused with how to convert it, by every reader", "[cli][hostile]") {
    Folder f;
    // GB18030 bytes under a GB18030 declaration: validate used to pass it and ingest store mojibake.
    std::string gb = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\n<ledger xmlns=\"urn:gkml:ledger:1\" unit=\"230522203000\">"
                     "<record item=\"20-001\" formed=\"2025-01-06\" published=\"2025-01-10\" channel=\"website\"><title>\xB5\xCD\xB1\xA3</title>"
                     "</record></ledger>\n";
    auto ledger = f.write("gb18030-ledger.xml", gb);
    auto validate = run_gkml({"validate", ledger}, bounds);
    CHECK(validate.exit_code == 2);
    CHECK(validate.out.find("GKML-E007: 文件声明的编码是 GB18030") != std::string::npos);
    CHECK(validate.out.find("iconv -f GB18030 -t UTF-8") != std::string::npos);
    auto ingest = run_gkml({"ingest", "--db", f.path("county.db"), ledger}, bounds);
    CHECK(ingest.exit_code == 2);
    CHECK(ingest.err.find("GKML-E007") != std::string::npos);
    auto utf16 = f.write("utf16.xml", std::string("\xFF\xFE<\0?\0x\0m\0l\0", 12));
    CHECK(run_gkml({"validate", utf16}, bounds).out.find("GKML-E007: 文件是 UTF-16 编码") != std::string::npos);
    CHECK(run_gkml({"format", utf16}, bounds).exit_code == 2);
}

TEST_CASE("format, diff and merge refuse a DOCTYPE as validate does, and leave the file as it was", "[cli][hostile]") {
    Folder f;
    const std::string doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE catalog [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n"
                                "<catalog xmlns=\"urn:gkml:catalog:1\" id=\"a\" version=\"1\" kind=\"standard\"><meta><title>&x;</title></meta></catalog>\n";
    auto file = f.write("doctype.xml", doctype);
    auto format = run_gkml({"format", file}, bounds);
    CHECK(format.exit_code == 2);
    CHECK(format.err.find("GKML-E003") != std::string::npos);
    CHECK(gkml::test::slurp(file) == doctype);
    const std::string standard = "catalogs/standard/20-shehuijiuzhu.xml";
    CHECK(run_gkml({"diff", standard, file}, bounds).exit_code == 2);
    CHECK(run_gkml({"merge", standard, file, standard, "-o", f.path("merged.xml")}, bounds).exit_code == 2);
    CHECK_FALSE(fs::exists(f.path("merged.xml")));
}

TEST_CASE("a unit registry given to init or import is screened like every XML file: a DOCTYPE or a catalog is refused",
          "[cli][hostile]") {
    Folder f;
    auto doctype = f.write("units.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE units [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n"
                                        "<units xmlns=\"urn:gkml:units:1\"><unit code=\"230522203000\" name=\"&x;\" level=\"township\"/></units>\n");
    auto init = run_gkml({"init", "--units", doctype, "--unit", "230522203000", "-o", f.path("out.xml")}, bounds);
    CHECK(init.exit_code == 2);
    CHECK(init.err.find("GKML-E003") != std::string::npos);
    CHECK_FALSE(fs::exists(f.path("out.xml")));
    auto not_units = run_gkml({"init", "--units", "catalogs/standard/20-shehuijiuzhu.xml", "--unit", "230522203000", "-o",
                               f.path("out.xml")}, bounds);
    CHECK(not_units.exit_code == 2);
    CHECK(not_units.err.find("不是单位名册") != std::string::npos);
    CHECK(run_gkml({"init", "--units", "examples/youyi/units.xml", "--unit", "230522203000", "-o", f.path("out.xml")}, bounds)
              .exit_code == 0);
}

TEST_CASE("a rewritten file keeps its permissions, a symlink stays a symlink, and a killed run's temp file is cleaned up",
          "[cli][hostile]") {
    Folder f;
    auto original = gkml::test::slurp(gkml::test::source("examples/youyi/catalogs/230522203000.xml"));
    // Not in canonical form (a blank line more at the end), readable by its owner only.
    auto file = f.write("建设乡.xml", original + "\n");
    ::chmod(file.c_str(), 0600);
    // What a run killed half-way leaves beside the target: one an hour old, and one just made.
    auto stale = f.write(".建设乡.xml.AbC123", "half");
    auto fresh = f.write(".建设乡.xml.XyZ789", "half");
    struct utimbuf an_hour_ago{::time(nullptr) - 3600, ::time(nullptr) - 3600};
    ::utime(stale.c_str(), &an_hour_ago);
    REQUIRE(run_gkml({"format", file}, bounds).exit_code == 0);
    CHECK(gkml::test::slurp(file) == original);
    struct stat st{};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(fs::exists(stale));
    CHECK(fs::exists(fresh));

    // Exporting through a link writes the file it points to.
    fs::create_directories(f.dir / "share");
    auto target = (f.dir / "share" / "建设乡.csv").string();
    f.write("share/建设乡.csv", "old");
    fs::create_symlink(target, f.dir / "link.csv");
    REQUIRE(run_gkml({"export", file, "-o", f.path("link.csv")}, bounds).exit_code == 0);
    CHECK(fs::is_symlink(f.dir / "link.csv"));
    CHECK(gkml::test::slurp(target).find("一级事项") != std::string::npos);
    // And a workbook leaves no scratch file anywhere.
    REQUIRE(run_gkml({"export", file, "-o", f.path("建设乡.xlsx")}, bounds).exit_code == 0);
    for (const auto& entry : fs::directory_iterator(f.dir)) CHECK_FALSE(entry.path().filename().string().starts_with(".gkml-xlsx-"));
}

TEST_CASE("a CMS's CSV ledger is held to the rules of the XML one: unit codes and item ids", "[cli][hostile]") {
    Folder f;
    auto traversal = f.write("units-path.csv", "单位代码,事项编号,形成日期,发布日期,发布渠道,标题\n../../etc/passwd,20-001,2025-01-06,2025-01-10,政府网站,低保\n");
    auto ingest = run_gkml({"ingest", "--db", f.path("county.db"), traversal}, bounds);
    CHECK(ingest.exit_code == 2);
    CHECK(ingest.err.find("units-path.csv:2: 单位代码 \"../../etc/passwd\" 不是统计用区划代码") != std::string::npos);
    std::string nul_item = "单位代码,事项编号,形成日期,发布日期,发布渠道,标题\n230522203000,20-0";
    nul_item += '\0';
    nul_item += "1,2025-01-06,2025-01-10,政府网站,低保\n";
    auto item = run_gkml({"ingest", "--db", f.path("county.db"), f.write("item-nul.csv", nul_item)}, bounds);
    CHECK(item.exit_code == 2);
    CHECK(item.err.find("不是 FF-NNN 或 L-… 的形式") != std::string::npos);
    auto units = f.write("units.csv", "代码,名称,层级,上级\n230522;DROP,建设乡,township,230522\n");
    auto registry = run_gkml({"ingest", "--db", f.path("county.db"), "--units", units, traversal}, bounds);
    CHECK(registry.exit_code == 2);
    CHECK(registry.err.find("不是统计用区划代码") != std::string::npos);
}

TEST_CASE("five thousand duplicate ids are each reported at their own start tag", "[cli][hostile]") {
    Folder f;
    std::string catalog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog xmlns=\"urn:gkml:catalog:1\" id=\"dup\" version=\"1\" kind=\"standard\">\n"
                          "  <meta><title>重复编号</title></meta>\n  <field code=\"20\" name=\"社会救助\">\n";
    for (int i = 0; i < 5001; ++i)
        catalog += "    <item id=\"20-001\" levels=\"township\">\n      <category>类</category>\n      <name>事项</name>\n"
                   "      <elements><element>内容</element></elements>\n    </item>\n";
    catalog += "  </field>\n</catalog>\n";
    auto run = run_gkml({"validate", "--format", "json", f.write("dup.xml", catalog)}, bounds);
    CHECK(run.exit_code == 2);
    auto found = nlohmann::json::parse(run.out);
    std::size_t duplicates = 0;
    for (const auto& d : found)
        if (d["code"] == "GKML-E006") {
            ++duplicates;
            CHECK((d["line"].get<int>() - 5) % 5 == 0);  // an <item> start tag: lines 5, 10, 15 …
        }
    CHECK(duplicates == 5000);
}

TEST_CASE("an element with 200 000 attributes or 51 MB of text is refused in one pass by every reader, a long title is not",
          "[cli][hostile]") {
    Folder f;
    auto catalog = [](const std::string& root_attributes, const std::string& title) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog xmlns=\"urn:gkml:catalog:1\" id=\"big\" version=\"1\" "
               "kind=\"standard\"" + root_attributes + ">\n  <meta><title>" + title + "</title></meta>\n"
               "  <field code=\"20\" name=\"社会救助\">\n    <item id=\"20-001\" levels=\"township\">\n      <category>类</category>\n"
               "      <name>事项</name>\n      <elements><element>内容</element></elements>\n    </item>\n  </field>\n</catalog>\n";
    };
    std::string attributes;
    for (int i = 0; i < 200000; ++i) attributes += " a" + std::to_string(i) + "=\"x\"";
    const std::string wide = catalog(attributes, "属性"), long_text = catalog("", repeat("深", 51 * 1024 * 1024 / 3));
    for (const auto& [name, content, said] : {std::tuple{"attributes.xml", wide, "一个元素有 200004 个属性（上限 256）"},
                                              std::tuple{"text.xml", long_text, "一个元素中的文字超过 1 MB"}}) {
        auto file = f.write(name, content);
        auto validate = run_gkml({"validate", file}, bounds);
        CHECK(validate.exit_code == 2);
        CHECK(validate.out.find(std::string("GKML-E008: ") + said) != std::string::npos);
        auto ingest = run_gkml({"ingest", "--db", f.path("county.db"), file}, bounds);
        CHECK((ingest.out + ingest.err).find(said) != std::string::npos);
        CHECK((ingest.out + ingest.err).find("1 invalid") != std::string::npos);
        auto format = run_gkml({"format", file}, bounds);
        CHECK(format.exit_code == 2);
        CHECK(format.err.find(said) != std::string::npos);
        CHECK(gkml::test::slurp(file) == content);
    }
    // A title of 300 000 characters (900 KB) is long, but a catalog may have it.
    auto fine = run_gkml({"validate", f.write("long-title.xml", catalog("", repeat("长", 300000)))}, bounds);
    CHECK(fine.out.find("GKML-E008") == std::string::npos);
}

namespace {

// A catalog of n items in field 20, each with its id and 二级事项 made by the callers.
std::string many_items(int n, const std::function<std::string(int)>& id, const std::function<std::string(int)>& name) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog xmlns=\"urn:gkml:catalog:1\" id=\"many\" version=\"1\" "
                      "kind=\"standard\">\n  <meta><title>大目录</title></meta>\n  <field code=\"20\" name=\"社会救助\">\n";
    for (int i = 0; i < n; ++i)
        out += "    <item id=\"" + id(i) + "\" levels=\"township\"><category>最低生活保障</category><name>" + name(i) +
               "</name><elements><element>内容</element></elements></item>\n";
    return out + "  </field>\n</catalog>\n";
}

}  // namespace

TEST_CASE("a diff of 100 000 items, of 20 000 renumbered ones, or of 20 000 without ids stays in its bounds", "[cli][hostile]") {
    Folder f;
    auto local = [](int i) { return "L-" + std::to_string(i); };
    auto name = [](int i) { return "办事指南" + std::to_string(i); };
    auto edited = [](int i) { return "办事指南" + std::to_string(i) + (i % 7 == 0 ? "改" : ""); };
    auto big = run_gkml({"diff", f.write("a.xml", many_items(100000, local, name)), f.write("b.xml", many_items(100000, local, edited))},
                        bounds);
    CHECK(big.exit_code == 1);
    CHECK(big.out.find("0 added, 0 removed, 14286 changed") != std::string::npos);
    // Every id changed, nothing else: each item is found again as a rename, without a table of all pairs.
    auto renumbered = run_gkml({"diff", f.write("c.xml", many_items(20000, local, name)),
                                f.write("d.xml", many_items(20000, [](int i) { return "L-x" + std::to_string(i); }, name))},
                               bounds);
    CHECK(renumbered.exit_code == 1);
    CHECK(renumbered.out.find("0 added, 0 removed, 20000 changed") != std::string::npos);
    // No usable ids and every name changed: 400 000 000 comparisons are not made, and the output says so.
    auto none = [](int i) { return "n" + std::to_string(i); };
    auto renamed = [](int i) { return "救助事项" + std::to_string(i * 3); };
    auto unnumbered = run_gkml({"diff", f.write("e.xml", many_items(20000, none, name)), f.write("g.xml", many_items(20000, none, renamed))},
                               bounds);
    CHECK(unnumbered.exit_code == 1);
    CHECK(unnumbered.out.find("只把规范化后名称完全相同的配成对") != std::string::npos);
}

TEST_CASE("8. a CMS ledger with several bad rows names every one of them, and nothing of it goes in", "[cli][hostile]") {
    Folder f;
    auto csv = f.write("cms.csv", "单位代码,事项编号,形成日期,发布日期,发布渠道,标题\n"
                                  "230522203000,20-001,2025-01-06,2025-01-10,政府网站,低保\n"
                                  "230522203000,20-002,2025-13-01,2025-01-10,政府网站,特困\n"
                                  "230522203000,20-003,2025-01-06,2025-01-10,飞鸽传书,临时救助\n"
                                  "2.30522E+11,20-004,2025-01-06,2025-01-10,政府网站,医疗救助\n");
    auto run = run_gkml({"ingest", "--db", f.path("county.db"), csv}, bounds);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("cms.csv:3: 不是日期：\"2025-13-01\"") != std::string::npos);
    CHECK(run.err.find("cms.csv:4: 不认识的发布渠道 \"飞鸽传书\"") != std::string::npos);
    CHECK(run.err.find("cms.csv:5: 单位代码 \"2.30522E+11\" 不是统计用区划代码") != std::string::npos);
    CHECK(run.err.find("共 3 行有问题，整份台账未导入") != std::string::npos);
    CHECK((run.out + run.err).find("0 snapshots added") != std::string::npos);
}
