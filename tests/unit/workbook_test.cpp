// The clerk's workbook (issue 15): whatever a clerk types into an exported workbook is carried into
// the catalog exactly or reported at its sheet and cell. Each case is an edit a clerk makes every day.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include <pugixml.hpp>
#include <zip.h>

#include "catalog_fixtures.hpp"
#include "gkml/files.hpp"
#include "gkml/tabular.hpp"
#include "gkml/template.hpp"
#include "gkml/validate.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

using namespace gkml;
using gkml::test::registry;
using gkml::test::standard;

namespace {

// A township's workbook as gkml exports it, read back as the sheets a clerk edits.
struct Workbook {
    Catalog unit = unit_catalog_from(standard(), UnitRef{"230522203000", "建设乡", Level::township});
    std::vector<ColumnHead> columns = columns_of(unit, false);
    std::vector<Grid> sheets;

    Workbook() {
        auto bytes = catalog_to_xlsx(unit);
        REQUIRE(bytes);
        auto read = sheets_from_xlsx(*bytes, "建设乡.xlsx");
        REQUIRE(read);
        sheets = std::move(*read);
    }
    Grid& sheet(std::string_view field) {
        auto found = std::ranges::find_if(sheets, [&](const Grid& g) { return g.name.starts_with(field); });
        REQUIRE(found != sheets.end());
        return *found;
    }
    std::size_t column(Column c) const { return std::size_t(std::ranges::find(columns, c, &ColumnHead::column) - columns.begin()); }
    std::size_t row_of(Grid& grid, std::string_view id) {
        for (std::size_t r = 0; r < grid.rows.size(); ++r)
            if (grid.rows[r].size() > column(Column::id) && grid.rows[r][column(Column::id)] == id) return r;
        FAIL("no row " << id);
        return 0;
    }
    std::string& cell(std::string_view id, Column c) {
        auto& grid = sheet(id.substr(0, 2));
        return grid.rows[row_of(grid, id)][column(c)];
    }
    std::string address(std::string_view id, Column c) {
        auto& grid = sheet(id.substr(0, 2));
        return grid.name + "!" + cell_address(row_of(grid, id), column(c));
    }
    Imported import() {
        ImportOptions options;
        options.file = "建设乡.xlsx";
        options.standard = &standard();
        options.registry = &registry();
        auto imported = catalog_from_sheets(sheets, options);
        REQUIRE(imported);
        return *imported;
    }
};

const Item* item_of(const Imported& imported, std::string_view id) { return imported.catalog.find_item(id); }

std::vector<Diagnostic> said_at(const Imported& imported, const std::string& cell) {
    std::vector<Diagnostic> out;
    for (const auto& d : imported.diagnostics)
        if (d.cell == cell) out.push_back(d);
    return out;
}

// A new local row under the last row of field 20, filled as a clerk would.
std::vector<std::string>& add_local_row(Workbook& book) {
    auto& grid = book.sheet("20");
    auto row = grid.rows.back();
    row.resize(book.columns.size());  // the reader leaves out a row's empty cells at its end
    row[book.column(Column::id)] = "";
    row[book.column(Column::seq)] = "";
    row[book.column(Column::name)] = "本乡临时救助备用金管理办法";
    grid.rows.push_back(row);
    return grid.rows.back();
}

}  // namespace

TEST_CASE("an exported workbook imported untouched gives the catalog back, with nothing said", "[workbook]") {
    Workbook book;
    auto imported = book.import();
    CHECK(imported.catalog == book.unit);
    CHECK(imported.diagnostics.empty());
}

TEST_CASE("1. a local row's 挂靠事项 is kept as typed, full-width too, and one that is no item is reported at its cell",
          "[workbook]") {
    Workbook book;
    auto& row = add_local_row(book);
    row[book.column(Column::anchor)] = "２０－００６";
    auto imported = book.import();
    const auto& local = imported.catalog.find_field("20")->items.back();
    CHECK(local.is_local());
    CHECK(local.anchor == "20-006");

    Workbook wrong;
    auto& bad = add_local_row(wrong);
    bad[wrong.column(Column::anchor)] = "20-999";
    auto refused = wrong.import();
    auto& grid = wrong.sheet("20");
    auto cell = grid.name + "!" + cell_address(grid.rows.size() - 1, wrong.column(Column::anchor));
    auto said = said_at(refused, cell);
    REQUIRE(said.size() == 1);
    CHECK(said[0].severity == Severity::error);
    CHECK(said[0].message_zh == "挂靠事项“20-999”不是标准目录中的事项编号");
}

TEST_CASE("2. a channel cell marked 是/否, √/×, 有/无 or as a plain list means what the clerk meant", "[workbook]") {
    auto codes = [](std::string_view cell) {
        std::vector<std::pair<ChannelCode, bool>> out;
        for (const auto& c : parse_channels(cell)) out.emplace_back(c.code, c.required);
        return out;
    };
    using P = std::vector<std::pair<ChannelCode, bool>>;
    CHECK(codes("是：政府网站\n否：公开查阅点") == P{{ChannelCode::website, true}});
    CHECK(codes("政府网站：是\n公开查阅点：否") == P{{ChannelCode::website, true}});
    CHECK(codes("√政府网站 ×公开查阅点") == P{{ChannelCode::website, true}});
    CHECK(codes("政府网站（√）\n公开查阅点（×）") == P{{ChannelCode::website, true}});
    CHECK(codes("有：政府网站、公开栏\n无：政府公报") == P{{ChannelCode::website, true}, {ChannelCode::bulletin_board, true}});
    CHECK(codes("政府网站、公开查阅点，公开栏/政务服务中心") ==
          P{{ChannelCode::website, true}, {ChannelCode::reading_point, true}, {ChannelCode::bulletin_board, true},
            {ChannelCode::service_center, true}});
    CHECK(codes("■政府网站\n■其他：无") == P{{ChannelCode::website, true}});
    CHECK(codes("■政府网站\n□公开查阅点") == P{{ChannelCode::website, true}, {ChannelCode::reading_point, false}});
    // A box after a space belongs to the next channel; a mark with a colon covers its whole line.
    CHECK(codes("■ 政府网站 □ 政府公报") == P{{ChannelCode::website, true}, {ChannelCode::gazette, false}});
    CHECK(codes("√ 政府网站 √ 政府公报 □ 两微一端") ==
          P{{ChannelCode::website, true}, {ChannelCode::gazette, true}, {ChannelCode::weibo_wechat_app, false}});
    CHECK(codes("有：政府网站\n无：政府公报、政务新媒体") == P{{ChannelCode::website, true}});
    // Words that begin with 有 or 无 are not marks.
    auto other = parse_channels("■其他：有线电视");
    REQUIRE(other.size() == 1);
    CHECK(other[0].text == "有线电视");
}

TEST_CASE("3. clearing both 主动 and 依申请 is refused at the row's cell, in a clerk's words", "[workbook]") {
    Workbook book;
    book.cell("20-001", Column::proactive) = "";
    book.cell("20-001", Column::on_request) = "";
    auto imported = book.import();
    auto said = said_at(imported, book.address("20-001", Column::proactive));
    REQUIRE(said.size() == 1);
    CHECK(said[0].code == "GKML-E020");
    CHECK(said[0].severity == Severity::error);
    CHECK(said[0].hint == "在“主动”“依申请”中至少一格内选“√”。");
}

TEST_CASE("4. a standard row deleted from a sheet is said, with what to do instead", "[workbook]") {
    Workbook book;
    auto& grid = book.sheet("20");
    grid.rows.erase(grid.rows.begin() + static_cast<std::ptrdiff_t>(book.row_of(grid, "20-002")));
    auto imported = book.import();
    CHECK_FALSE(item_of(imported, "20-002"));
    auto said = said_at(imported, grid.name);
    REQUIRE(said.size() == 1);
    CHECK(said[0].code == "GKML-W107");
    CHECK(said[0].message_zh.starts_with("表中没有标准事项 20-002"));
    CHECK(said[0].hint.find("不适用理由") != std::string::npos);
}

TEST_CASE("5. the standard's columns: a renamed item and a level ticked are undone, a stricter time limit kept, each said",
          "[workbook]") {
    Workbook book;
    // The first township item whose time limit counts 10 working days.
    const Item* wanted = nullptr;
    for (const auto& item : book.unit.find_field("20")->items)
        if (!wanted && item.time_limit && item.time_limit->text.ends_with("10个工作日内")) wanted = &item;
    REQUIRE(wanted);
    const std::string id = wanted->id;
    book.cell(id, Column::name) = "低保办事指南（本乡）";
    auto strict = wanted->time_limit->text;
    auto twenty = strict.find("10个工作日");
    strict.replace(twenty, 2, "5");
    book.cell(id, Column::time_limit) = strict;
    auto city = std::ranges::find_if(book.columns, [](const ColumnHead& h) {
        return h.column == Column::levels && h.levels.front() == Level::city;
    });
    if (city != book.columns.end()) {
        auto& grid = book.sheet("20");
        grid.rows[book.row_of(grid, id)].resize(book.columns.size());
        grid.rows[book.row_of(grid, id)][std::size_t(city - book.columns.begin())] = "√";
    }
    auto imported = book.import();
    const auto* item = item_of(imported, id);
    REQUIRE(item);
    CHECK(item->name == wanted->name);
    CHECK(item->time_limit->text == strict);
    CHECK(item->levels == wanted->levels);
    auto renamed = said_at(imported, book.address(id, Column::name));
    REQUIRE(renamed.size() == 1);
    CHECK(renamed[0].code == "GKML-W105");
    CHECK(renamed[0].message_zh == "标准事项 " + id + " 的二级事项不能修改（改成了“低保办事指南（本乡）”），已按标准恢复为“" + wanted->name + "”");
    auto limit = said_at(imported, book.address(id, Column::time_limit));
    REQUIRE(limit.size() == 1);
    CHECK(limit[0].code == "GKML-W106");
    // A looser one is undone.
    Workbook loose;
    auto longer = std::string(wanted->time_limit->text);
    longer.replace(twenty, 2, "30");
    loose.cell(id, Column::time_limit) = longer;
    auto undone = loose.import();
    CHECK(item_of(undone, id)->time_limit == wanted->time_limit);
    REQUIRE(said_at(undone, loose.address(id, Column::time_limit)).size() == 1);
    CHECK(said_at(undone, loose.address(id, Column::time_limit))[0].code == "GKML-W105");
}

TEST_CASE("6. a unit code Excel turned into 2.30522E+11 is refused at the cover's cell", "[workbook]") {
    Workbook book;
    auto& cover = book.sheets.front();
    REQUIRE(cover.name == "封面");
    std::size_t at = 0;
    for (std::size_t r = 0; r < cover.rows.size(); ++r)
        if (cover.rows[r].size() >= 2 && cover.rows[r][0] == "单位代码") at = r;
    REQUIRE(at > 0);
    cover.rows[at][1] = "2.30522E+11";
    auto imported = book.import();
    auto said = said_at(imported, "封面!" + cell_address(at, 1));
    REQUIRE(said.size() == 1);
    CHECK(said[0].severity == Severity::error);
    CHECK(said[0].message_zh == "单位代码“2.30522E+11”被 Excel 改成了科学计数法，原来的代码已经丢失");
}

TEST_CASE("11. a template says 乡镇人民政府（街道办事处） for the pilot's government, and a new township gets its own name back",
          "[workbook][template]") {
    UnitRef pilot{"230522102000", "友谊镇", Level::township};
    auto unit = unit_catalog_from(standard(), pilot);
    auto& item = unit.fields.front().items.front();
    item.subject = "友谊镇人民政府";
    item.note = "友谊镇民政办负责，联系电话 0469-5123456";
    auto tpl = template_from(unit, nullptr);
    const auto& general = tpl.fields.front().items.front();
    CHECK(general.subject == "乡镇人民政府（街道办事处）");
    CHECK(general.note == "（单位名称）民政办负责，联系电话 （联系电话）");
    auto next = unit_catalog_from(tpl, UnitRef{"230522203000", "建设乡", Level::township});
    const auto& own = next.fields.front().items.front();
    CHECK(own.subject == "建设乡人民政府");
    CHECK(own.note == "建设乡民政办负责，联系电话 （联系电话）");
    CHECK(government_of(UnitRef{"230522001000", "中心街道", Level::township}) == "中心街道办事处");
    CHECK(government_of(UnitRef{"230522-mzj", "友谊县民政局", Level::county}) == "友谊县民政局");
}

// The contract, tried on seeded random edits: every cell a clerk changed is carried into the catalog
// (as the reader understands it) or a finding names its row; a deleted standard row is named at its
// sheet; an inserted row becomes an item or is named; moved rows and reordered sheets lose nothing.
TEST_CASE("random clerk edits of an exported workbook: each is carried or reported where it was made", "[workbook][property]") {
    std::mt19937 random(20261202);
    const Workbook pristine;
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    const std::vector<std::string> words{"本乡", "民政办", "２０２５年", "公示", "（试行）", "Ａ类", "社会救助", "按月", "村委会", "办事指南"};
    auto text = [&] {
        std::string out;
        for (std::size_t n = 1 + pick(3); n > 0; --n) out += words[pick(words.size())];
        return out;
    };
    // What each way of filling in a channel cell means.
    using C = ChannelCode;
    const std::vector<std::pair<std::string, std::vector<C>>> channel_cells{
        {"政府网站、公开栏", {C::website, C::bulletin_board}}, {"是：政府网站\n否：公开查阅点", {C::website}},
        {"√政府网站 ×政府公报", {C::website}}, {"■政府网站\n■其他：无", {C::website}},
        {"公开查阅点；政务服务中心", {C::reading_point, C::service_center}}, {"政府网站：是\n公示栏：否", {C::website}}, {"", {}}};
    const std::vector<Column> open_text{Column::subject, Column::note, Column::not_applicable};
    const std::vector<Column> locked_text{Column::category, Column::name, Column::time_limit};
    const std::vector<Column> copied{Column::elements, Column::basis};
    const std::vector<Column> ticks{Column::proactive, Column::on_request, Column::audience_public, Column::audience_specific};
    struct Edit {
        std::string sheet, id;  // a standard row, found by its id wherever it ends up
        Column column;
        std::string typed;
    };
    std::size_t tried = 0, carried = 0, reported = 0;
    for (int trial = 0; trial < 150; ++trial) {
        Workbook book = pristine;
        std::vector<Edit> edits;
        std::vector<std::pair<std::string, std::string>> deleted;  // sheet, id
        std::vector<std::pair<std::string, std::string>> inserted; // sheet, name
        std::set<std::string> touched;
        auto standard_row = [&](Grid*& grid, std::size_t& r) {
            for (int attempt = 0; attempt < 20; ++attempt) {
                grid = &book.sheets[1 + pick(book.sheets.size() - 1)];
                r = 3 + pick(grid->rows.size() - 3);
                if (grid->rows[r].size() <= book.column(Column::id)) continue;
                auto id = grid->rows[r][book.column(Column::id)];
                if (id.size() == 6 && !touched.contains(id)) {
                    touched.insert(id);
                    grid->rows[r].resize(book.columns.size());
                    return id;
                }
            }
            return std::string{};
        };
        for (std::size_t n = 1 + pick(4); n > 0; --n) {
            Grid* grid = nullptr;
            std::size_t r = 0;
            auto id = standard_row(grid, r);
            if (id.empty()) continue;
            auto& row = grid->rows[r];
            switch (pick(8)) {
                case 0: case 1: {
                    auto c = open_text[pick(open_text.size())];
                    row[book.column(c)] = pick(4) ? text() : "";
                    edits.push_back({grid->name, id, c, row[book.column(c)]});
                    break;
                }
                case 2: {
                    auto c = locked_text[pick(locked_text.size())];
                    row[book.column(c)] = pick(3) ? text() : "";
                    edits.push_back({grid->name, id, c, row[book.column(c)]});
                    break;
                }
                case 3: {
                    auto c = copied[pick(copied.size())];
                    const auto& other = grid->rows[3 + pick(grid->rows.size() - 3)];
                    row[book.column(c)] = other.size() > book.column(c) ? other[book.column(c)] : "";
                    edits.push_back({grid->name, id, c, row[book.column(c)]});
                    break;
                }
                case 4: {
                    row[book.column(Column::channels)] = channel_cells[pick(channel_cells.size())].first;
                    edits.push_back({grid->name, id, Column::channels, row[book.column(Column::channels)]});
                    break;
                }
                case 5: {
                    auto c = ticks[pick(ticks.size())];
                    row[book.column(c)] = row[book.column(c)].empty() ? "√" : "";
                    edits.push_back({grid->name, id, c, row[book.column(c)]});
                    break;
                }
                case 6: {
                    deleted.emplace_back(grid->name, id);
                    grid->rows.erase(grid->rows.begin() + static_cast<std::ptrdiff_t>(r));
                    break;
                }
                case 7: {
                    auto added = row;
                    added[book.column(Column::id)] = added[book.column(Column::seq)] = "";
                    added[book.column(Column::name)] = "本地事项" + text();
                    // Anchored to this row's item, typed in full width as an IME gives it.
                    added[book.column(Column::anchor)] = id.substr(0, 2) + "－" + id.substr(3);
                    inserted.emplace_back(grid->name, added[book.column(Column::name)] + "\x1f" + id);
                    grid->rows.insert(grid->rows.begin() + static_cast<std::ptrdiff_t>(r + 1), added);
                    break;
                }
            }
        }
        if (pick(4) == 0) {  // rows moved: two rows of a sheet swapped, and the sheets reordered
            auto& grid = book.sheets[1 + pick(book.sheets.size() - 1)];
            if (grid.rows.size() > 4) std::swap(grid.rows[3], grid.rows[grid.rows.size() - 1]);
            std::reverse(book.sheets.begin() + 1, book.sheets.end());
        }
        ImportOptions options;
        options.file = "建设乡.xlsx";
        options.standard = &standard();
        options.registry = &registry();
        auto imported = catalog_from_sheets(book.sheets, options);
        REQUIRE(imported);
        auto said_on_row = [&](const std::string& sheet, std::size_t r) {
            auto prefix = sheet + "!";
            return std::ranges::any_of(imported->diagnostics, [&](const Diagnostic& d) {
                if (!d.cell.starts_with(prefix)) return false;
                auto digits = d.cell.find_first_of("0123456789", prefix.size());
                return digits != std::string::npos && d.cell.substr(digits) == std::to_string(r + 1);
            });
        };
        for (const auto& e : edits) {
            ++tried;
            INFO("trial " << trial << ": " << e.sheet << " " << e.id << " column " << static_cast<int>(e.column) << " typed “" << e.typed << "”");
            auto& grid = book.sheet(e.sheet.substr(0, 2));
            auto r = book.row_of(grid, e.id);
            const Item* item = imported->catalog.find_item(e.id);
            bool is_carried = false;
            if (item) {
                const auto* field = imported->catalog.find_field(e.sheet.substr(0, 2));
                auto cells = cells_of(*item, *field, book.columns, 0);
                auto shown = cells[book.column(e.column)];
                if (e.column == Column::channels) {
                    std::vector<C> codes;
                    for (const auto& c : item->channels) codes.push_back(c.code);
                    is_carried = codes == std::ranges::find(channel_cells, e.typed, &std::pair<std::string, std::vector<C>>::first)->second;
                } else {
                    is_carried = shown == e.typed;
                }
            }
            bool is_reported = said_on_row(grid.name, r);
            CHECK((is_carried || is_reported));
            carried += is_carried, reported += is_reported && !is_carried;
        }
        for (const auto& [sheet, id] : deleted) {
            ++tried;
            INFO("trial " << trial << ": row " << id << " deleted from " << sheet);
            CHECK(std::ranges::any_of(imported->diagnostics, [&](const Diagnostic& d) {
                return d.cell == sheet && d.message_zh.find(id) != std::string::npos;
            }));
            ++reported;
        }
        for (const auto& [sheet, row] : inserted) {
            ++tried;
            auto name = row.substr(0, row.find('\x1f')), anchor = row.substr(row.find('\x1f') + 1);
            INFO("trial " << trial << ": row “" << name << "” inserted in " << sheet << " under " << anchor);
            const auto* field = imported->catalog.find_field(sheet.substr(0, 2));
            REQUIRE(field);
            CHECK(std::ranges::any_of(field->items, [&](const Item& i) { return i.name == name && i.is_local() && i.anchor == anchor; }));
            ++carried;
        }
        // Nothing else changed: every standard row not touched comes back as it was.
        for (const auto& field : pristine.unit.fields)
            for (const auto& item : field.items)
                if (!touched.contains(item.id)) {
                    const auto* back = imported->catalog.find_item(item.id);
                    INFO("trial " << trial << ": untouched " << item.id);
                    REQUIRE(back);
                    CHECK(*back == item);
                }
    }
    CHECK(tried > 300);
    WARN("random clerk edits: " << tried << " tried, " << carried << " carried, " << reported << " reported at their cell");
}

namespace {

std::string part_of(const std::string& xlsx, const char* name) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(xlsx.data(), xlsx.size(), 0, &error);
    zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
    REQUIRE(zip);
    zip_stat_t stat;
    REQUIRE(zip_stat(zip, name, 0, &stat) == 0);
    std::string out(stat.size, '\0');
    zip_file_t* part = zip_fopen(zip, name, 0);
    REQUIRE(zip_fread(part, out.data(), stat.size) == static_cast<zip_int64_t>(stat.size));
    zip_fclose(part);
    zip_discard(zip);
    return out;
}

}  // namespace

TEST_CASE("the workbook lets a clerk tick 公开对象 and 公开方式 and fill in new rows, and keeps the standard's columns locked",
          "[workbook][xlsx]") {
    Workbook book;
    auto bytes = catalog_to_xlsx(book.unit);
    REQUIRE(bytes);
    pugi::xml_document styles, sheet;
    REQUIRE(styles.load_string(part_of(*bytes, "xl/styles.xml").c_str()));
    REQUIRE(sheet.load_string(part_of(*bytes, "xl/worksheets/sheet2.xml").c_str()));  // the first field's sheet
    std::vector<bool> locked;
    for (auto xf : styles.child("styleSheet").child("cellXfs").children("xf"))
        locked.push_back(!(xf.child("protection") && std::string_view(xf.child("protection").attribute("locked").value()) == "0"));
    auto is_locked = [&](const std::string& ref) {
        auto cell = sheet.find_node([&](pugi::xml_node n) { return std::string_view(n.name()) == "c" && ref == n.attribute("r").value(); });
        INFO(ref);
        REQUIRE(cell);
        return locked.at(cell.attribute("s").as_uint());
    };
    const std::size_t first = 3, rows = book.unit.fields.front().items.size();
    for (auto c : {Column::proactive, Column::on_request, Column::audience_public, Column::audience_specific, Column::subject,
                   Column::channels, Column::anchor})
        CHECK_FALSE(is_locked(cell_address(first, book.column(c))));
    for (auto c : {Column::id, Column::category, Column::name, Column::elements, Column::time_limit})
        CHECK(is_locked(cell_address(first, book.column(c))));
    // The rows under the table are open in every column, 挂靠事项 and the ticks among them.
    for (std::size_t c = 0; c < book.columns.size(); ++c) CHECK_FALSE(is_locked(cell_address(first + rows + 10, c)));
    CHECK(sheet.child("worksheet").child("sheetProtection"));
}

TEST_CASE("3. a unit item whose 公开方式 is gone altogether fails validation, with a hint a clerk can follow", "[workbook][validate]") {
    auto unit = unit_catalog_from(standard(), UnitRef{"230522203000", "建设乡", Level::township});
    auto& item = unit.fields.front().items.front();
    REQUIRE(standard().find_item(item.id)->mode);
    item.mode.reset();
    auto found = check_catalog(unit, CheckContext{&registry(), &standard()});
    auto e020 = std::ranges::find(found, "GKML-E020", &Diagnostic::code);
    REQUIRE(e020 != found.end());
    CHECK(e020->message_zh == "公开方式未勾选（主动或依申请）");
    CHECK(e020->hint.starts_with("在工作簿的“主动”或“依申请”格内选“√”"));
}
