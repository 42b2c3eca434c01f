#include <catch2/catch.hpp>

#include "gkml/csv.hpp"
#include "catalog_fixtures.hpp"
#include "gkml/files.hpp"
#include "gkml/html.hpp"
#include "gkml/tabular.hpp"
#include "gkml/validate.hpp"
#include "gkml/template.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

using namespace gkml;
using gkml::test::registry;
using gkml::test::standard;

namespace {

std::string fixture(const std::string& name) {
    return *read_file(std::filesystem::path(GKML_SOURCE_DIR) / "tests" / "data" / "tabular" / name);
}

ImportOptions with_standard() {
    ImportOptions options;
    options.standard = &standard();
    options.registry = &registry();
    return options;
}

Catalog township() { return unit_catalog_from(standard(), UnitRef{"230522101000", "兴隆镇", Level::township}); }

}  // namespace

TEST_CASE("the whole standard survives CSV, XLSX and HTML unchanged", "[tabular][csv][xlsx][html]") {
    const auto& original = standard();
    auto csv = catalog_from_csv(catalog_to_csv(original), {});
    REQUIRE(csv);
    CHECK(csv->catalog == original);
    auto bytes = catalog_to_xlsx(original);
    REQUIRE(bytes);
    auto xlsx = catalog_from_xlsx(*bytes, {});
    REQUIRE(xlsx);
    CHECK(xlsx->catalog == original);
    CHECK(xlsx->diagnostics.empty());
    auto page = catalog_to_html(original);
    auto html = catalog_from_html(page, {});
    REQUIRE(html);
    CHECK(html->catalog == original);
    // The page's cover lists the 26 fields in one row, not 26.
    std::size_t rows = 0;
    for (auto at = page.find("<tr><td>领域</td>"); at != std::string::npos; at = page.find("<tr><td>领域</td>", at + 1)) ++rows;
    CHECK(rows == 1);
}

TEST_CASE("a unit catalog with local and not-applicable items round-trips, and exports are deterministic", "[tabular][xlsx]") {
    auto unit = township();
    auto& items = unit.fields.front().items;
    items.front().not_applicable = NotApplicable{"本镇不设该机构"};
    Item local = items.front();
    local.id = "L-" + unit.fields.front().code + "-1";
    local.anchor = items.front().id;
    local.not_applicable.reset();
    local.name = "本镇自设事项";
    local.channels.push_back(Channel{ChannelCode::other, true, "镇微信群（每周）"});
    items.push_back(local);
    auto bytes = catalog_to_xlsx(unit);
    REQUIRE(bytes);
    CHECK(*catalog_to_xlsx(unit) == *bytes);
    auto back = catalog_from_xlsx(*bytes, with_standard());
    REQUIRE(back);
    CHECK(back->catalog == unit);
    CHECK(back->local_items.empty());
    CHECK(catalog_to_csv(unit) == catalog_to_csv(unit));
}

TEST_CASE("channel cells in every spelling localities use", "[tabular]") {
    SECTION("a national short list: ■ required, □ optional") {
        auto c = parse_channels("■政府网站\n□两微一端\n■其他：投资项目在线审批监管平台");
        REQUIRE(c.size() == 3);
        CHECK(c[0] == Channel{ChannelCode::website, true, ""});
        CHECK(c[1] == Channel{ChannelCode::weibo_wechat_app, false, ""});
        CHECK(c[2] == Channel{ChannelCode::other, true, "投资项目在线审批监管平台"});
    }
    SECTION("a full checklist with look-alike boxes keeps only the ticked ones") {
        auto c = parse_channels("▄政府网站 口政府公报 ◆两微一端 口发布会/听证会 口广播电视 口纸质媒体 þ公开查阅点 "
                                "口政务服务中心 口便民服务站 口入户/现场 口社区/企事业单位/村公示栏 （电子屏） 口精准推送 口其他_____");
        REQUIRE(c.size() == 3);
        CHECK(c[0].code == ChannelCode::website);
        CHECK(c[1].code == ChannelCode::weibo_wechat_app);
        CHECK(c[2].code == ChannelCode::reading_point);
    }
    SECTION("plain and numbered lists, local spellings") {
        auto c = parse_channels("1.政府网站 2.一微一端 3.行政服务中心 4.线下公示栏、报刊");
        std::vector<ChannelCode> codes;
        for (const auto& x : c) codes.push_back(x.code);
        CHECK(codes == std::vector{ChannelCode::website, ChannelCode::weibo_wechat_app, ChannelCode::service_center,
                                   ChannelCode::bulletin_board, ChannelCode::print});
    }
}

TEST_CASE("a CSV saved by Chinese Excel in GB18030 is detected and matched to the standard", "[csv]") {
    auto bytes = fixture("excel-gb18030.csv");
    auto text = decode_text(bytes, "x.csv");
    REQUIRE(text);
    CHECK(text->find("临时救助") != std::string::npos);
    auto options = with_standard();
    options.field_code = "20";
    auto imported = catalog_from_csv(bytes, options);
    REQUIRE(imported);
    const auto& items = imported->catalog.fields.at(0).items;
    REQUIRE(items.size() == 3);
    CHECK(items[0].id == "20-011");
    CHECK(items[1].id == "20-012");
    CHECK(items[1].time_limit->clauses == items[0].time_limit->clauses);  // 同上
    CHECK(items[1].basis == items[0].basis);
    CHECK(imported->local_items == std::vector<std::string>{"L-20-1"});
    CHECK(items[2].anchor == "20");
}

TEST_CASE("a county's published page: merged cells, 口 boxes, 同上, extra columns, the field in the title", "[html]") {
    auto imported = catalog_from_html(fixture("county-page.html"), with_standard());
    REQUIRE(imported);
    const auto& catalog = imported->catalog;
    REQUIRE(catalog.fields.size() == 1);
    CHECK(catalog.fields[0].code == "20");
    const auto& items = catalog.fields[0].items;
    REQUIRE(items.size() == 3);
    CHECK(items[1].category == "综合业务");  // rowspan
    CHECK(items[0].elements.size() == 2);
    CHECK(items[0].channels.size() == 4);
    CHECK(items[1].basis == items[0].basis);
    CHECK(items[0].note == "责任科室：社会救助股");
    CHECK(items[2].audience->specific);
    CHECK(items[2].channels.at(0) == Channel{ChannelCode::website, false, ""});
    CHECK(imported->local_items.size() == 1);
}

TEST_CASE("bad files get a diagnostic, never a crash or a hang", "[xlsx][html]") {
    for (auto name : {"truncated.xlsx", "zip-bomb.xlsx", "million-rows.xlsx"}) {
        INFO(name);
        auto result = catalog_from_xlsx(fixture(name), {});
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == ErrorKind::invalid_input);
    }
    CHECK_FALSE(catalog_from_html(fixture("no-table.html"), {}));
    CHECK_FALSE(catalog_from_csv("\"unterminated", {}));
}

TEST_CASE("a workbook a clerk edited: row added, marks typed by hand, a stray cell", "[xlsx]") {
    // Rebuilt as a grid, the way the XLSX reader hands sheets over.
    auto unit = township();
    auto columns = columns_of(unit, false);
    const auto& field = unit.fields.front();
    Grid grid{field.code + " " + field.name, {}};
    std::vector<std::string> top, low;
    for (const auto& c : columns) {
        top.push_back(c.group.empty() ? c.label : c.group);
        low.push_back(c.label);
    }
    grid.rows = {top, low, cells_of(field.items[0], field, columns, 1)};
    auto at = [&](Column c) { return std::size_t(std::ranges::find(columns, c, &ColumnHead::column) - columns.begin()); };
    auto added = grid.rows.back();
    added[at(Column::id)] = "";
    added[at(Column::name)] = "本镇新增事项";
    added[at(Column::channels)] = "■政府网站\n口公开查阅点";
    added.push_back("多余的内容");
    grid.rows.push_back(added);
    auto imported = catalog_from_grids({grid}, meta_rows(unit), with_standard());
    REQUIRE(imported);
    const auto& items = imported->catalog.fields.front().items;
    REQUIRE(items.size() == 2);
    CHECK(items[0] == field.items[0]);
    CHECK(items[1].id.starts_with("L-"));
    CHECK(items[1].channels.size() == 2);
    auto said = imported->diagnostics;
    std::erase_if(said, [](const Diagnostic& d) { return d.code == "GKML-W107"; });  // the rows this grid leaves out
    REQUIRE(said.size() == 2);  // the stray cell, and the row kept as a local item
    CHECK(said[0].cell == grid.name + "!" + cell_address(3, columns.size()));
}

TEST_CASE("a pilot team's catalog becomes a template, and a new unit starts from it", "[template]") {
    auto unit = township();
    auto& item = unit.fields.front().items.front();
    item.subject = "兴隆镇人民政府";
    item.not_applicable = NotApplicable{"无"};
    item.elements.push_back({"咨询电话：0452-1234567，地址：兴隆镇中心街1号", ElementMark::unmarked});
    auto tpl = template_from(unit, &standard());
    CHECK(tpl.kind == CatalogKind::template_);
    CHECK_FALSE(tpl.meta.unit);
    const auto& t = tpl.fields.front().items.front();
    CHECK(t.subject == standard().find_item(t.id)->subject);
    CHECK_FALSE(t.not_applicable);
    CHECK(t.elements.back().text == "咨询电话：（联系电话），地址：（办公地址）");
    CHECK(tpl.meta.note.find("230522101000") != std::string::npos);
    auto next = unit_catalog_from(tpl, UnitRef{"230522102000", "红光镇", Level::township});
    CHECK(next.based_on == standard().id);
    CHECK(next.meta.unit->name == "红光镇");
    CHECK(next.item_count() == tpl.item_count());
}

TEST_CASE("a CSV's cell addresses are the rows Excel shows, counting the # lines above the table", "[csv]") {
    auto catalog = read_catalog(std::filesystem::path(GKML_SOURCE_DIR) / "examples" / "youyi" / "catalogs" / "230522-mzj.xml");
    REQUIRE(catalog);
    auto csv = catalog_to_csv(*catalog);
    csv += "99,,20,本单位自设事项,,内容,,,,,,,√,,√,,,,,\n";  // a row of the unit's own with its 二级事项 left empty
    auto records = parse_csv(*decode_text(csv, "民政局.csv"), "民政局.csv");
    REQUIRE(records);
    ImportOptions options;
    options.file = "民政局.csv";
    auto imported = catalog_from_csv(csv, options);
    REQUIRE(imported);
    auto empty = std::ranges::find(imported->diagnostics, std::string("GKML-E103"), &Diagnostic::code);
    REQUIRE(empty != imported->diagnostics.end());
    CHECK(empty->cell == "E" + std::to_string(records->size()));  // the last row, as the spreadsheet numbers it
    CHECK(empty->line == static_cast<int>(records->size()));
}

TEST_CASE("a cover with a unit code and no unit name is refused, not written without its name", "[tabular][csv]") {
    // Found by the csv fuzz target: <unit> without its name fails the schema gkml's own validate uses.
    auto csv = catalog_to_csv(township());
    auto at = csv.find("单位名称");
    REQUIRE(at != std::string::npos);
    auto line_start = csv.rfind('\n', at) + 1;
    csv.erase(line_start, csv.find('\n', at) + 1 - line_start);
    auto imported = catalog_from_csv(csv, {});
    REQUIRE(imported);
    REQUIRE(has_errors(imported->diagnostics));
    auto e019 = std::ranges::find(imported->diagnostics, std::string("GKML-E019"), &Diagnostic::code);
    REQUIRE(e019 != imported->diagnostics.end());
    CHECK(e019->message_zh == "封面有单位代码 230522101000，但没有单位名称");
    // With the name, the same file goes in.
    auto whole = catalog_from_csv(catalog_to_csv(township()), {});
    REQUIRE(whole);
    CHECK_FALSE(has_errors(whole->diagnostics));
}

TEST_CASE("a field listed twice on a page's cover is kept once, with a warning, and the catalog validates", "[tabular][html]") {
    // Found by the html fuzz target: a cover naming field 21 twice (a clerk retyped 01 as 21) gave a
    // catalog with two <field code="21">, which its own schema refuses.
    auto catalog = township();
    REQUIRE(catalog.fields.size() >= 2);
    const auto& first = catalog.fields[0];
    const auto& second = catalog.fields[1];
    auto html = catalog_to_html(catalog);
    const auto listed = first.code + " " + first.name;
    const auto at = html.find(listed, html.find("领域"));
    REQUIRE(at != std::string::npos);
    html.replace(at, first.code.size(), second.code);
    auto imported = catalog_from_html(html, with_standard());
    REQUIRE(imported);
    CHECK(std::ranges::count(imported->catalog.fields, second.code, &Field::code) == 1);
    auto w108 = std::ranges::find(imported->diagnostics, std::string("GKML-W108"), &Diagnostic::code);
    REQUIRE(w108 != imported->diagnostics.end());
    CHECK(w108->message_zh == "封面上领域 " + second.code + " 列了两次，“" + second.code + " " + second.name + "”这一条未采用");
    CHECK(w108->cell == "封面");
    static auto compiled = Schemas::compile();
    REQUIRE(compiled);
    DocumentKind kind;
    CHECK_FALSE(has_errors(compiled->check(write_catalog(imported->catalog), "imported.xml", kind)));
}

TEST_CASE("a cover value a catalog cannot hold is an error at the cover, not an invalid catalog", "[tabular][html]") {
    // Found by the html fuzz target: a 领域 line typed without its space, an id with stray text.
    auto catalog = township();
    auto html = catalog_to_html(catalog);
    const auto& first = catalog.fields[0];
    const auto at = html.find(first.code + " " + first.name, html.find("领域"));
    REQUIRE(at != std::string::npos);
    auto bad_field = html;
    bad_field.replace(at + first.code.size(), 1, ":");
    auto imported = catalog_from_html(bad_field, with_standard());
    REQUIRE(imported);
    REQUIRE(has_errors(imported->diagnostics));
    auto e105 = std::ranges::find(imported->diagnostics, std::string("GKML-E105"), &Diagnostic::code);
    REQUIRE(e105 != imported->diagnostics.end());
    CHECK(e105->message_zh == "封面上的领域“" + first.code + ":" + first.name + "”开头不是两位数字的领域代码");
    CHECK(e105->cell == "封面");

    auto bad_id = html;
    const auto based_on = bad_id.find(">" + catalog.based_on + "<");
    REQUIRE(based_on != std::string::npos);
    bad_id.insert(based_on + 1 + catalog.based_on.size(), "X/td");
    imported = catalog_from_html(bad_id, with_standard());
    REQUIRE(imported);
    e105 = std::ranges::find(imported->diagnostics, std::string("GKML-E105"), &Diagnostic::code);
    REQUIRE(e105 != imported->diagnostics.end());
    CHECK(e105->message_zh == "封面的依据标准“" + catalog.based_on + "X/td”只能用字母、数字和 . _ -，且以字母或数字开头");
}

TEST_CASE("a row with its 公开内容 blank is an error at that cell, not an item the schema refuses", "[tabular][csv]") {
    // Found by the html fuzz target: a mangled header left no column read as 公开内容, and every item
    // was written with an empty <elements>.
    auto catalog = read_catalog(std::filesystem::path(GKML_SOURCE_DIR) / "examples" / "youyi" / "catalogs" / "230522-mzj.xml");
    REQUIRE(catalog);
    auto csv = catalog_to_csv(*catalog) + "98,,20,本单位自设事项,临时救助备用金,,,,,,√,,√,,√,,,,,\n";
    auto records = parse_csv(*decode_text(csv, "民政局.csv"), "民政局.csv");
    REQUIRE(records);
    ImportOptions options;
    options.file = "民政局.csv";
    auto imported = catalog_from_csv(csv, options);
    REQUIRE(imported);
    auto e106 = std::ranges::find(imported->diagnostics, std::string("GKML-E106"), &Diagnostic::code);
    REQUIRE(e106 != imported->diagnostics.end());
    CHECK(e106->severity == Severity::error);
    CHECK(e106->message_zh == "这一行的公开内容（要素）是空的");
    CHECK(e106->cell == "F" + std::to_string(records->size()));
    // Filled in, the same row goes in as the unit's own item.
    csv = catalog_to_csv(*catalog) + "98,,20,本单位自设事项,临时救助备用金,使用情况,,,,,√,,√,,√,,,,,\n";
    imported = catalog_from_csv(csv, options);
    REQUIRE(imported);
    CHECK_FALSE(has_errors(imported->diagnostics));
}

TEST_CASE("a row with no 公开层级 ticked takes the unit's level, and outside a unit's catalog is an error", "[tabular][csv]") {
    // Found by the html fuzz target: an item with no level from any source wrote no `levels`.
    auto catalog = read_catalog(std::filesystem::path(GKML_SOURCE_DIR) / "examples" / "youyi" / "catalogs" / "230522-mzj.xml");
    REQUIRE(catalog);
    const std::string row = "97,,20,本单位自设事项,临时救助备用金,使用情况,,,,,√,,√,,,,,,,\n";
    ImportOptions options;
    options.file = "民政局.csv";
    auto imported = catalog_from_csv(catalog_to_csv(*catalog) + row, options);
    REQUIRE(imported);
    CHECK_FALSE(has_errors(imported->diagnostics));
    const auto& items = imported->catalog.fields.front().items;
    auto own = std::ranges::find(items, std::string("临时救助备用金"), &Item::name);
    REQUIRE(own != items.end());
    CHECK(own->levels == std::vector<Level>{Level::county});  // 友谊县民政局 is a county-level unit

    // The same row in a catalog that names no unit: nothing tells its level.
    auto csv = catalog_to_csv(*catalog);
    for (const char* label : {"#单位代码", "#单位名称", "#单位层级", "#目录类型"}) {
        auto at = csv.find(label);
        REQUIRE(at != std::string::npos);
        csv.erase(at, csv.find('\n', at) + 1 - at);
    }
    imported = catalog_from_csv(csv + row, options);
    REQUIRE(imported);
    auto e020 = std::ranges::find(imported->diagnostics, std::string("GKML-E020"), &Diagnostic::code);
    REQUIRE(e020 != imported->diagnostics.end());
    CHECK(e020->message_zh == "“本单位自设事项 / 临时救助备用金”的公开层级一项也没有选");
    CHECK(e020->cell.starts_with("E"));
}
