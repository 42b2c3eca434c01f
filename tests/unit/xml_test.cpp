#include <catch2/catch.hpp>

#include <filesystem>

#include "gkml/files.hpp"
#include "gkml/xml.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> catalog_files() {
    std::vector<fs::path> out;
    for (const char* folder : {"catalogs/standard", "tests/data/standard", "tests/data/valid"})
        for (const auto& e : fs::directory_iterator(fs::path(GKML_SOURCE_DIR) / folder))
            if (e.path().extension() == ".xml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("every bundled catalog survives read, write, read unchanged", "[xml]") {
    auto files = catalog_files();
    REQUIRE(files.size() >= 27);
    for (const auto& file : files) {
        INFO(file.string());
        auto first = gkml::read_catalog(file);
        REQUIRE(first);
        std::string written = gkml::write_catalog(*first);
        auto second = gkml::parse_catalog(written, "rewritten");
        REQUIRE(second);
        CHECK(*second == *first);
        CHECK(gkml::write_catalog(*second) == written);
    }
}

TEST_CASE("Chinese wording is kept byte for byte, line breaks in a time limit included", "[xml]") {
    gkml::Catalog c;
    c.id = "unit-230522101000";
    c.version = "2025.1";
    c.kind = gkml::CatalogKind::unit;
    c.based_on = "gkml-standard";
    c.meta.title = "兴隆镇（试行）目录　２０２５";
    c.meta.unit = gkml::UnitRef{"230522101000", "兴隆镇", gkml::Level::township};
    gkml::Item item;
    item.id = "20-001";
    item.levels = {gkml::Level::township};
    item.category = "最低生活保障";
    item.name = "审核信息（含“特困”）& <备注>";
    item.elements = {{"1.●文件名称", gkml::ElementMark::required}, {"〔*数量〕", gkml::ElementMark::optional}};
    item.time_limit = gkml::TimeLimit{"信息形成或者变更之日起\n20个工作日内\"公开\"", {}, true};
    item.channels = {{gkml::ChannelCode::other, false, "投资项目在线审批监管平台"}};
    item.audience = gkml::Audience{false, true, "低保对象"};
    c.fields.push_back(gkml::Field{"20", "社会救助", std::nullopt, {item}, {}});

    auto back = gkml::parse_catalog(gkml::write_catalog(c), "memory");
    REQUIRE(back);
    CHECK(*back == c);
    CHECK(back->fields[0].items[0].time_limit->text == "信息形成或者变更之日起\n20个工作日内\"公开\"");
    CHECK(back->meta.title == "兴隆镇（试行）目录　２０２５");
}

TEST_CASE("the writer's bytes do not depend on how the input was formatted", "[xml]") {
    std::string compact =
        R"(<catalog kind="standard" version="1" id="s" xmlns="urn:gkml:catalog:1"><meta><title>t</title></meta>)"
        R"(<field name="社会救助" code="20"><item levels="county township" id="20-001"><category>a</category>)"
        R"(<name>b</name><elements><element>c</element></elements></item></field></catalog>)";
    auto catalog = gkml::parse_catalog(compact, "compact");
    REQUIRE(catalog);
    std::string canonical = gkml::write_catalog(*catalog);
    CHECK(canonical.find(R"(<catalog xmlns="urn:gkml:catalog:1" id="s" version="1" kind="standard">)") !=
          std::string::npos);
    CHECK(canonical.find(R"(<item id="20-001" levels="county township">)") != std::string::npos);
}

TEST_CASE("the reader tells the line of an item, for diagnostics", "[xml]") {
    auto catalog = gkml::read_catalog(fs::path(GKML_SOURCE_DIR) / "tests/data/standard/sample-standard.xml");
    REQUIRE(catalog);
    CHECK(catalog->fields[0].items[0].pos.line == 7);
    CHECK(catalog->fields[0].items[0].pos.column == 5);
}

TEST_CASE("a broken file is an error with its line, not a crash", "[xml]") {
    auto result = gkml::parse_catalog("<catalog xmlns=\"urn:gkml:catalog:1\">\n<meta>\n</catalog>", "broken.xml");
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == gkml::ErrorKind::invalid_input);
    CHECK(result.error().line == 3);
}

TEST_CASE("the standard folder reads as one catalog set with all 26 fields", "[xml]") {
    auto sets = gkml::read_catalog_dir(fs::path(GKML_SOURCE_DIR) / "catalogs/standard");
    REQUIRE(sets);
    REQUIRE(sets->size() == 1);
    CHECK(sets->front().id == "gkml-standard");
    CHECK(sets->front().fields.size() == 26);
}

TEST_CASE("root_of tells the document kind without parsing the whole file", "[xml]") {
    CHECK(gkml::root_of(R"(<?xml version="1.0"?><!-- c --><catalog xmlns="urn:gkml:catalog:1">)").kind ==
          gkml::DocumentKind::catalog);
    CHECK(gkml::root_of(R"(<l:ledger xmlns:l="urn:gkml:ledger:1" unit="1">)").kind == gkml::DocumentKind::ledger);
    CHECK(gkml::root_of(R"(<catalog xmlns="urn:other">)").kind == gkml::DocumentKind::unknown);
}

TEST_CASE("writing a file never leaves it half-written", "[files]") {
    auto dir = fs::temp_directory_path() / "gkml-files-test";
    fs::create_directories(dir);
    auto file = dir / "目录.xml";
    REQUIRE(gkml::write_atomically(file, "old"));
    REQUIRE(gkml::write_atomically(file, "新内容"));
    CHECK(*gkml::read_file(file) == "新内容");
    auto into_missing_folder = gkml::write_atomically(dir / "no-such-folder" / "x.xml", "x");
    REQUIRE_FALSE(into_missing_folder);
    CHECK(into_missing_folder.error().kind == gkml::ErrorKind::io);
    std::size_t leftovers = 0;
    for (const auto& e : fs::directory_iterator(dir)) leftovers += e.path().filename().string().starts_with(".");
    CHECK(leftovers == 0);
    fs::remove_all(dir);
}
