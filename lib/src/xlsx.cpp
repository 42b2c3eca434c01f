#include "gkml/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <pugixml.hpp>

#include "gkml/files.hpp"
#include "gkml/text.hpp"
#include "package.hpp"

namespace gkml {

using namespace std::string_view_literals;

namespace {

constexpr std::string_view cover_name = "封面";
constexpr std::size_t blank_rows = 50;  // open rows under each table
constexpr std::string_view instructions[] = {
    "填写说明"sv,
    "1. 每个领域一张工作表。灰色底的列来自标准目录，已锁定；白色的列（公开主体、公开渠道和载体、公开对象、公开方式、不适用理由、备注）由本单位填写。"sv,
    "2. 公开渠道和载体：每行一个渠道，■ 表示必选，□ 表示可选，例如“■政府网站”；其他渠道写“■其他：平台名称”。"sv,
    "3. 公开对象、公开方式：在格内选“√”，每组至少选一项；与标准不同的，导入时会提示确认。公开层级由标准决定。"sv,
    "4. 本单位不适用的事项不要删除，在“不适用理由”列写明理由。标准的公开时限可以改得更严（如 20 个工作日改为 10 个），不能放宽。"sv,
    "5. 新增本地事项：在表尾插入行，编号留空（导入时自动编为 L-领域代码-序号），“挂靠事项”写所挂靠的标准事项编号。"sv,
    "6. 公开内容（要素）每行一个，● 必选，〇 可选；公开依据每行一个：【类别】名称（文号：…）。"sv,
    "7. 填好后用 gkml import --from xlsx 导回。工作表保护没有密码，需要时可在“审阅”菜单中撤销。"sv,
};

// ---- writing ----

struct WorkbookClose {
    void operator()(lxw_workbook* w) const { workbook_close(w); }
};

struct Formats {
    lxw_format* header;
    lxw_format* title;
    lxw_format* fixed;       // the standard's cells: locked, shaded
    lxw_format* fixed_tick;
    lxw_format* open;        // the unit's cells
    lxw_format* open_tick;
    lxw_format* column;      // column default: open, so rows a clerk inserts can be typed in
    lxw_format* label;
};

lxw_format* cell_format(lxw_workbook* wb, bool locked, bool centered) {
    auto* f = workbook_add_format(wb);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_text_wrap(f);
    format_set_align(f, centered ? LXW_ALIGN_CENTER : LXW_ALIGN_LEFT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_name(f, "宋体");
    if (locked) format_set_bg_color(f, 0xF2F2F2);
    else format_set_unlocked(f);
    return f;
}

Formats formats_of(lxw_workbook* wb) {
    Formats f{};
    f.header = workbook_add_format(wb);
    format_set_bold(f.header);
    format_set_border(f.header, LXW_BORDER_THIN);
    format_set_text_wrap(f.header);
    format_set_align(f.header, LXW_ALIGN_CENTER);
    format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(f.header, 0xD9D9D9);
    format_set_font_name(f.header, "黑体");
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    format_set_align(f.title, LXW_ALIGN_CENTER);
    format_set_font_name(f.title, "黑体");
    f.fixed = cell_format(wb, true, false);
    f.fixed_tick = cell_format(wb, true, true);
    f.open = cell_format(wb, false, false);
    f.open_tick = cell_format(wb, false, true);
    f.column = workbook_add_format(wb);
    format_set_unlocked(f.column);
    format_set_text_wrap(f.column);
    f.label = workbook_add_format(wb);
    format_set_bold(f.label);
    return f;
}

int widest_line(std::string_view text) {
    int widest = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = std::min(text.find('\n', start), text.size());
        widest = std::max(widest, display_width(text.substr(start, end - start)));
        start = end + 1;
    }
    return widest;
}

// Lines a cell takes once wrapped at `width` columns.
int wrapped_lines(std::string_view text, int width) {
    int lines = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = std::min(text.find('\n', start), text.size());
        lines += std::max(1, (display_width(text.substr(start, end - start)) + width - 1) / width);
        start = end + 1;
    }
    return lines;
}

std::string sheet_name_of(const Field& field) {
    return truncate_to_width(field.code + " " + field.name, 31).substr(0, 93);
}

void write_cover(lxw_workbook* wb, const Catalog& catalog, const Formats& f) {
    auto* ws = workbook_add_worksheet(wb, std::string{cover_name}.c_str());
    worksheet_set_column(ws, 0, 0, 16, nullptr);
    worksheet_set_column(ws, 1, 1, 90, nullptr);
    worksheet_write_string(ws, 0, 0, catalog.meta.title.c_str(), f.title);
    lxw_row_t r = 2;
    for (const auto& [label, value] : meta_rows(catalog)) {
        worksheet_write_string(ws, r, 0, label.c_str(), f.label);
        worksheet_write_string(ws, r++, 1, value.c_str(), nullptr);
    }
    ++r;
    for (auto line : instructions) worksheet_write_string(ws, r++, 0, std::string{line}.c_str(), nullptr);
    worksheet_set_paper(ws, 9);  // A4, both columns on one page wide
    worksheet_fit_to_pages(ws, 1, 0);
}

void write_field(lxw_workbook* wb, const Catalog& catalog, const Field& field, const std::vector<ColumnHead>& columns,
                 const Formats& f) {
    auto* ws = workbook_add_worksheet(wb, sheet_name_of(field).c_str());
    auto last = static_cast<lxw_col_t>(columns.size() - 1);
    std::string title = field.name + "领域基层政务公开标准目录";
    worksheet_merge_range(ws, 0, 0, 0, last, title.c_str(), f.title);
    worksheet_set_row(ws, 0, 24, nullptr);
    for (lxw_col_t c = 0; c <= last;) {
        const auto& head = columns[c];
        if (head.group.empty()) {
            worksheet_merge_range(ws, 1, c, 2, c, head.label.c_str(), f.header);
            ++c;
            continue;
        }
        lxw_col_t end = c;
        while (end + 1 <= last && columns[end + 1].group == head.group) ++end;
        if (end > c) worksheet_merge_range(ws, 1, c, 1, end, head.group.c_str(), f.header);
        else worksheet_write_string(ws, 1, c, head.group.c_str(), f.header);
        for (lxw_col_t k = c; k <= end; ++k) worksheet_write_string(ws, 2, k, columns[k].label.c_str(), f.header);
        c = end + 1;
    }
    std::vector<std::vector<std::string>> rows;
    std::size_t seq = 0;
    for (const auto& item : field.items) rows.push_back(cells_of(item, field, columns, ++seq));
    std::vector<int> widths;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        int w = is_tick_column(columns[c].column) ? 6 : widest_line(columns[c].label) + 2;
        if (!is_tick_column(columns[c].column))
            for (const auto& row : rows) w = std::max(w, widest_line(row[c]) + 2);
        widths.push_back(std::clamp(w, 6, columns[c].column == Column::evidence ? 60 : 40));
        worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), widths.back(), f.column);
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        bool standard_row = !field.items[r].is_local() && catalog.kind != CatalogKind::standard;
        int lines = 1;
        for (std::size_t c = 0; c < columns.size(); ++c) {
            bool locked = standard_row && !is_unit_column(columns[c].column);
            bool tick = is_tick_column(columns[c].column);
            auto* format = locked ? (tick ? f.fixed_tick : f.fixed) : (tick ? f.open_tick : f.open);
            auto row = lxw_row_t(r + 3);
            if (rows[r][c].empty()) worksheet_write_blank(ws, row, lxw_col_t(c), format);
            else worksheet_write_string(ws, row, lxw_col_t(c), rows[r][c].c_str(), format);
            lines = std::max(lines, wrapped_lines(rows[r][c], std::max(1, widths[c] - 1)));
        }
        worksheet_set_row(ws, lxw_row_t(r + 3), 15.0 * std::min(lines, 27) + 3, nullptr);
    }
    // Open, bordered rows under the table, for the local items a clerk adds (the column default alone
    // leaves them locked in LibreOffice).
    for (std::size_t r = rows.size(); r < rows.size() + blank_rows; ++r)
        for (std::size_t c = 0; c < columns.size(); ++c)
            worksheet_write_blank(ws, lxw_row_t(r + 3), lxw_col_t(c), is_tick_column(columns[c].column) ? f.open_tick : f.open);
    // drop-downs down to well below the last row, for the rows a clerk adds
    static const char* tick_list[] = {"√", nullptr};
    lxw_data_validation validation{};
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    validation.value_list = const_cast<char**>(tick_list);
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (is_tick_column(columns[c].column))
            worksheet_data_validation_range(ws, 3, lxw_col_t(c), lxw_row_t(rows.size() + 500), lxw_col_t(c), &validation);
    worksheet_print_area(ws, 0, 0, lxw_row_t(rows.size() + 2), last);  // the table, not the 50 empty rows under it
    worksheet_freeze_panes(ws, 3, 0);
    worksheet_repeat_rows(ws, 1, 2);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_fit_to_pages(ws, 1, 0);
    lxw_protection protection{};
    protection.insert_rows = 1;
    protection.delete_rows = 1;
    protection.format_rows = 1;
    protection.format_columns = 1;
    worksheet_protect(ws, nullptr, &protection);
}

// ---- reading ----

// Excel escapes control characters as _xHHHH_.
std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_' &&
            std::all_of(s.begin() + i + 2, s.begin() + i + 6, [](char c) { return std::isxdigit((unsigned char)c); })) {
            auto code = std::stoi(std::string{s.substr(i + 2, 4)}, nullptr, 16);
            if (code != '\r') out += char(code < 0x80 ? code : '?');
            i += 6;
        } else if (s[i] != '\r') out += s[i];
    }
    return out;
}

// The text of every <t> under `node` in document order, phonetic runs (<rPh>) left out: one walk
// without recursion, however deep a hostile file nests its elements.
std::string text_of(pugi::xml_node node) {
    std::string out;
    std::vector<pugi::xml_node> stack;
    for (auto child = node.last_child(); child; child = child.previous_sibling()) stack.push_back(child);
    while (!stack.empty()) {
        auto at = stack.back();
        stack.pop_back();
        if (at.type() != pugi::node_element || local_name(at) == "rPh") continue;
        if (local_name(at) == "t") out += at.text().get();
        for (auto child = at.last_child(); child; child = child.previous_sibling()) stack.push_back(child);
    }
    return unescape(out);
}

std::pair<std::size_t, std::size_t> parse_ref(std::string_view ref) {
    std::size_t col = 0, i = 0, row = 0;
    for (; i < ref.size() && std::isalpha((unsigned char)ref[i]); ++i) col = col * 26 + std::size_t(std::toupper(ref[i]) - 'A' + 1);
    for (; i < ref.size() && std::isdigit((unsigned char)ref[i]); ++i) row = std::min<std::size_t>(row * 10 + std::size_t(ref[i] - '0'), 1u << 30);
    return {row == 0 ? 0 : row - 1, col == 0 ? 0 : col - 1};
}

std::expected<Grid, Error> read_sheet(const std::string& xml, std::string name, const std::vector<std::string>& shared,
                                      const XlsxLimits& limits, const std::string& file) {
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size()))
        return std::unexpected(Error{ErrorKind::invalid_input, "工作表 " + name + " 不是有效的 XML / damaged sheet", file, 0});
    Grid grid{std::move(name), {}};
    auto too_big = [&](std::size_t row, std::size_t col) -> std::optional<Error> {
        if (row >= limits.max_rows)
            return Error{ErrorKind::invalid_input,
                         "工作表 " + grid.name + " 超过 " + std::to_string(limits.max_rows) + " 行 / sheet has too many rows", file, 0};
        if (col >= limits.max_columns)
            return Error{ErrorKind::invalid_input, "工作表 " + grid.name + " 的列数过多 / sheet has too many columns", file, 0};
        return std::nullopt;
    };
    std::size_t allocated = 0, bytes = 0;  // cells the grid holds, and their text
    auto put = [&](std::size_t row, std::size_t col, std::string value) {
        if (grid.rows.size() <= row) grid.rows.resize(row + 1);
        if (grid.rows[row].size() <= col) {
            allocated += col + 1 - grid.rows[row].size();
            grid.rows[row].resize(col + 1);
        }
        bytes += value.size();
        grid.rows[row][col] = std::move(value);
    };
    auto too_many = [&](std::string_view where) {
        return Error{ErrorKind::invalid_input,
                     "工作表 " + grid.name + " " + std::string(where) + "展开后超过 " + std::to_string(limits.max_cells) +
                         " 格或 " + std::to_string(limits.max_total_bytes >> 20) + " MB，不像是目录表格 / the sheet fills too many cells",
                     file, 0};
    };
    auto data = doc.document_element().child("sheetData");
    std::size_t next_row = 0;
    for (auto row : data.children("row")) {
        std::size_t r = row.attribute("r") ? parse_ref(std::string("A") + row.attribute("r").value()).first : next_row;
        next_row = r + 1;
        std::size_t next_col = 0;
        for (auto c : row.children("c")) {
            auto [cr, cc] = c.attribute("r") ? parse_ref(c.attribute("r").value()) : std::pair{r, next_col};
            next_col = cc + 1;
            if (auto e = too_big(cr, cc)) return std::unexpected(*e);
            std::string type = c.attribute("t").value(), value;
            if (type == "inlineStr") value = text_of(c.child("is"));
            else if (type == "s") {
                auto index = std::size_t(c.child("v").text().as_ullong(~0ull));
                value = index < shared.size() ? shared[index] : "";
            } else if (type == "b") value = c.child("v").text().as_bool() ? "TRUE" : "FALSE";
            else value = unescape(c.child("v").text().get());
            if (!value.empty()) put(cr, cc, std::move(value));
            if (allocated > limits.max_cells || bytes > limits.max_total_bytes) return std::unexpected(too_many(""));
        }
        if (auto e = too_big(r, 0)) return std::unexpected(*e);
    }
    // Merged ranges spread their first cell's text over the range: counted before they are filled.
    for (auto merge : doc.document_element().child("mergeCells").children("mergeCell")) {
        std::string_view ref = merge.attribute("ref").value();
        auto colon = ref.find(':');
        if (colon == std::string_view::npos) continue;
        auto [r0, c0] = parse_ref(ref.substr(0, colon));
        auto [r1, c1] = parse_ref(ref.substr(colon + 1));
        if (auto e = too_big(r1, c1)) return std::unexpected(*e);
        std::string value = r0 < grid.rows.size() && c0 < grid.rows[r0].size() ? grid.rows[r0][c0] : "";
        if (value.empty() || r1 < r0 || c1 < c0) continue;
        std::size_t area = (r1 - r0 + 1) * (c1 - c0 + 1);
        if (allocated + area > limits.max_cells || bytes + area * value.size() > limits.max_total_bytes)
            return std::unexpected(too_many("的合并单元格（" + std::string(ref) + " 等）"));
        for (auto r = r0; r <= r1; ++r)
            for (auto c = c0; c <= c1; ++c) put(r, c, value);
    }
    return grid;
}

std::string part_path(std::string_view target) {
    if (target.starts_with("/")) return std::string{target.substr(1)};
    return "xl/" + std::string{target};
}

}  // namespace

std::expected<std::string, Error> catalog_to_xlsx(const Catalog& catalog, const std::filesystem::path& scratch_folder) {
    // libxlsxwriter writes to a path: a scratch file, locked while it lives and removed on every path.
    auto temp = scratch_file(scratch_folder, ".gkml-xlsx-", ".xlsx");
    if (!temp) return std::unexpected(temp.error());
    const char* name = temp->path.c_str();
    {
        std::unique_ptr<lxw_workbook, WorkbookClose> wb(workbook_new(name));
        if (!wb) return std::unexpected(Error{ErrorKind::io, "无法开始写工作簿 / cannot start the workbook", name, 0});
        lxw_doc_properties properties{};
        std::string title = catalog.meta.title;
        properties.title = title.data();
        properties.created = 1546300800;  // fixed, so two exports of one catalog give the same bytes
        workbook_set_properties(wb.get(), &properties);
        auto formats = formats_of(wb.get());
        write_cover(wb.get(), catalog, formats);
        auto columns = columns_of(catalog, false);
        for (const auto& field : catalog.fields) write_field(wb.get(), catalog, field, columns, formats);
        if (auto status = workbook_close(wb.release()); status != LXW_NO_ERROR)
            return std::unexpected(Error{ErrorKind::io, std::string("cannot write the workbook: ") + lxw_strerror(status), name, 0});
    }
    return read_file(temp->path);
}

std::expected<Imported, Error> catalog_from_xlsx(std::string_view bytes, const ImportOptions& options,
                                                 const XlsxLimits& limits) {
    auto sheets = sheets_from_xlsx(bytes, options.file, limits);
    if (!sheets) return std::unexpected(sheets.error());
    return catalog_from_sheets(*sheets, options);
}

std::expected<Imported, Error> catalog_from_sheets(const std::vector<Grid>& sheets, const ImportOptions& options) {
    std::vector<MetaRow> meta;
    for (const auto& grid : sheets)
        if (grid.name == cover_name)
            for (const auto& row : grid.rows)
                if (row.size() >= 2) meta.emplace_back(row[0], row[1]);
    return catalog_from_grids(sheets, meta, options);
}

std::expected<std::vector<Grid>, Error> sheets_from_xlsx(std::string_view bytes, const std::string& file, const XlsxLimits& limits) {
    ImportOptions options;
    options.file = file;
    auto damaged = [&] {
        return std::unexpected(Error{ErrorKind::invalid_input, "不是有效的 xlsx 工作簿（zip 损坏或被截断） / not a valid xlsx workbook",
                                     options.file, 0});
    };
    auto opened = Package::open(bytes, options.file, "工作簿", {limits.max_entry_bytes, limits.max_total_bytes});
    if (!opened) return damaged();
    auto& package = *opened;
    auto workbook = package.read("xl/workbook.xml");
    if (!workbook) return std::unexpected(workbook.error());
    if (!*workbook) return damaged();
    auto rels = package.read("xl/_rels/workbook.xml.rels");
    if (!rels) return std::unexpected(rels.error());
    std::map<std::string, std::string> targets;
    pugi::xml_document rels_doc, workbook_doc, shared_doc;
    if (*rels && rels_doc.load_string((*rels)->c_str()))
        for (auto r : rels_doc.document_element().children("Relationship"))
            targets[r.attribute("Id").value()] = part_path(r.attribute("Target").value());
    if (!workbook_doc.load_string((*workbook)->c_str())) return damaged();
    std::vector<std::string> shared;
    auto strings = package.read("xl/sharedStrings.xml");
    if (!strings) return std::unexpected(strings.error());
    if (*strings && shared_doc.load_string((*strings)->c_str()))
        for (auto si : shared_doc.document_element().children("si")) shared.push_back(text_of(si));
    std::vector<Grid> grids;
    int index = 0;
    for (auto sheet : workbook_doc.document_element().child("sheets").children("sheet")) {
        ++index;
        std::string id = sheet.attribute("r:id").value();
        std::string path = targets.contains(id) ? targets[id] : "xl/worksheets/sheet" + std::to_string(index) + ".xml";
        auto xml = package.read(path);
        if (!xml) return std::unexpected(xml.error());
        if (!*xml) continue;
        auto grid = read_sheet(**xml, sheet.attribute("name").value(), shared, limits, options.file);
        if (!grid) return std::unexpected(grid.error());
        grids.push_back(std::move(*grid));
    }
    return grids;
}

}  // namespace gkml
