#include "gkml/html.hpp"

#include <fmt/format.h>

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "gkml/csv.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

struct GumboClose {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

// What a page may ask of the reader; a published catalog page stays far inside every one.
constexpr std::size_t max_span = 1000;              // rows or columns one cell spans
constexpr std::size_t max_depth = 512;              // elements inside elements
constexpr std::size_t max_grid_cells = 1'000'000;   // cells one table fills once its spans are spread
constexpr std::size_t max_grid_bytes = 256u << 20;  // the text those cells hold

Error refused(std::string message, const ImportOptions& options) {
    return Error{ErrorKind::invalid_input, std::move(message), options.file, 0};
}

bool is_unnested(std::string_view tag) {
    // Void elements, and those HTML closes by itself (a page may leave </td>, </tr>, </p> out).
    static constexpr std::string_view tags[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption",
        "html", "head", "body", "rb", "rt", "rp"};
    return std::ranges::find(tags, tag) != std::end(tags);
}

// How deep the page nests the elements it must close itself: a bound found in one pass, before
// gumbo, whose time grows with the square of the depth, reads the page.
std::size_t nesting_depth(std::string_view html) {
    std::size_t depth = 0, deepest = 0;
    for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
        if (html.compare(at, 4, "<!--") == 0) {
            at = html.find("-->", at + 4);
            if (at == std::string_view::npos) break;
            continue;
        }
        bool closing = at + 1 < html.size() && html[at + 1] == '/';
        std::size_t start = at + (closing ? 2 : 1), end = start;
        while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
        if (end == start) continue;  // "<!", "<?", a lone "<"
        std::string tag(html.substr(start, end - start));
        std::ranges::transform(tag, tag.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        char quote = 0;  // the tag ends at the first ">" outside quotes
        for (; end < html.size() && (quote || html[end] != '>'); ++end)
            if (html[end] == '"' || html[end] == '\'') quote = quote == html[end] ? 0 : quote ? quote : html[end];
        if (end >= html.size()) break;
        at = end;
        bool self_closing = html[end - 1] == '/';
        if (tag == "script" || tag == "style") {  // raw text up to its end tag
            if (!closing && !self_closing) at = std::min(html.size() - 1, html.find("</" + tag, end));
            continue;
        }
        if (is_unnested(tag) || self_closing) continue;
        if (closing) depth -= depth > 0;
        else deepest = std::max(deepest, ++depth);
    }
    return deepest;
}

// The depth of gumbo's tree, walked without recursion.
std::size_t tree_depth(const GumboNode* root) {
    std::size_t deepest = 0;
    std::vector<std::pair<const GumboNode*, std::size_t>> stack{{root, 1}};
    while (!stack.empty()) {
        auto [node, depth] = stack.back();
        stack.pop_back();
        deepest = std::max(deepest, depth);
        if (node->type != GUMBO_NODE_ELEMENT || depth > max_depth) continue;
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) stack.emplace_back(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }
    return deepest;
}

bool is_block(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_BR: case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_TR: case GUMBO_TAG_LI:
        case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: return true;
        default: return false;
    }
}

void collect_text(const GumboNode* node, std::string& out) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
        for (const char* p = node->v.text.text; *p; ++p) {
            bool space = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
            if (!space) out += *p;
            else if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
        }
        return;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return;
    if (node->v.element.tag == GUMBO_TAG_SCRIPT || node->v.element.tag == GUMBO_TAG_STYLE) return;
    bool block = is_block(node->v.element.tag);
    auto newline = [&] {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        if (!out.empty() && out.back() != '\n') out += '\n';
    };
    if (block && node->v.element.tag != GUMBO_TAG_BR) newline();
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) collect_text(static_cast<const GumboNode*>(children.data[i]), out);
    if (block) newline();
}

std::string text_of(const GumboNode* node) {
    std::string out;
    collect_text(node, out);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    std::size_t start = out.find_first_not_of(" \n");
    return start == std::string::npos ? "" : out.substr(start);
}

std::size_t span_of(const GumboNode* cell, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&cell->v.element.attributes, name);
    if (!a) return 1;
    long n = std::strtol(a->value, nullptr, 10);
    return std::clamp<long>(n, 1, max_span);
}

// The rows of a table (not of the tables nested in its cells), spans spread: counted before they are
// filled, so a page cannot ask for more cells or text than the limits allow.
std::expected<Grid, Error> grid_of(const GumboNode* table, std::string name, const ImportOptions& options) {
    std::vector<const GumboNode*> rows;
    auto add_rows = [&](const GumboNode* parent, auto&& self) -> void {
        const GumboVector& children = parent->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            auto* child = static_cast<const GumboNode*>(children.data[i]);
            if (child->type != GUMBO_NODE_ELEMENT) continue;
            auto tag = child->v.element.tag;
            if (tag == GUMBO_TAG_TR) rows.push_back(child);
            else if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) self(child, self);
        }
    };
    add_rows(table, add_rows);
    struct Cell {
        std::string text;
        std::size_t row_span, col_span;
    };
    std::vector<std::vector<Cell>> cells(rows.size());
    std::size_t filled = 0, bytes = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const GumboVector& children = rows[r]->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) {
            auto* cell = static_cast<const GumboNode*>(children.data[i]);
            if (cell->type != GUMBO_NODE_ELEMENT ||
                (cell->v.element.tag != GUMBO_TAG_TD && cell->v.element.tag != GUMBO_TAG_TH))
                continue;
            Cell c{text_of(cell), std::min(span_of(cell, "rowspan"), rows.size() - r), span_of(cell, "colspan")};
            filled += c.row_span * c.col_span;
            bytes += c.row_span * c.col_span * c.text.size();
            if (filled > max_grid_cells || bytes > max_grid_bytes)
                return std::unexpected(refused("表格“" + name + "”的合并单元格展开后超过 " + std::to_string(max_grid_cells) +
                                                   " 格或 256 MB，不像是目录表格 / the table's spans fill too many cells",
                                               options));
            cells[r].push_back(std::move(c));
        }
    }
    Grid grid{std::move(name), std::vector<std::vector<std::string>>(rows.size())};
    std::vector<std::vector<bool>> taken(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t c = 0;
        for (const auto& cell : cells[r]) {
            while (c < taken[r].size() && taken[r][c]) ++c;
            for (std::size_t dr = 0; dr < cell.row_span; ++dr) {
                auto& line = grid.rows[r + dr];
                auto& used = taken[r + dr];
                if (line.size() < c + cell.col_span) line.resize(c + cell.col_span), used.resize(c + cell.col_span);
                for (std::size_t dc = 0; dc < cell.col_span; ++dc) line[c + dc] = cell.text, used[c + dc] = true;
            }
            c += cell.col_span;
        }
    }
    return grid;
}

struct PageWalk {
    std::string title;
    std::string heading;
    std::vector<std::pair<const GumboNode*, std::string>> tables;

    void walk(const GumboNode* node) {
        if (node->type != GUMBO_NODE_ELEMENT) return;
        auto tag = node->v.element.tag;
        if (tag == GUMBO_TAG_TITLE) {
            title = text_of(node);
            return;
        }
        if (tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4) {
            heading = text_of(node);
            return;
        }
        if (tag == GUMBO_TAG_TABLE) {
            std::string name = heading;
            const GumboVector& children = node->v.element.children;
            for (unsigned i = 0; i < children.length; ++i) {
                auto* child = static_cast<const GumboNode*>(children.data[i]);
                if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_CAPTION) name = text_of(child);
            }
            tables.emplace_back(node, name.empty() || name == title ? title : name + " " + title);
            return;  // nested tables belong to their cell
        }
        const GumboVector& children = node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i) walk(static_cast<const GumboNode*>(children.data[i]));
    }
};

constexpr std::string_view style = R"(@page { size: A4 landscape; margin: 10mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 10pt; margin: 0 auto; max-width: 287mm; }
h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 16pt; text-align: center; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6mm; }
table.items { table-layout: fixed; font-size: 9pt; }
table.items td { overflow-wrap: anywhere; }
caption { font-family: "SimHei", "Heiti SC", sans-serif; font-size: 13pt; font-weight: bold; padding: 2mm; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; }
th { background: #e8e8e8; text-align: center; vertical-align: middle; }
td.tick { text-align: center; }
table.meta td:first-child { font-weight: bold; white-space: nowrap; width: 8em; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
)";

}  // namespace

std::expected<Imported, Error> catalog_from_html(std::string_view bytes, const ImportOptions& options,
                                                 std::size_t max_bytes) {
    if (bytes.size() > max_bytes)
        return std::unexpected(Error{ErrorKind::invalid_input, "网页文件过大 / page too large", options.file, 0});
    auto text = decode_text(bytes, options.file);
    if (!text) return std::unexpected(text.error());
    const auto deep = refused("网页的元素嵌套超过 " + std::to_string(max_depth) + " 层，不像是目录页面；请另存为网页或导出表格后再导入 / "
                              "elements nested deeper than " + std::to_string(max_depth),
                              options);
    // Four times the tree's limit: the count in one pass reads some end tags a page leaves out.
    if (nesting_depth(*text) > 4 * max_depth) return std::unexpected(deep);
    std::unique_ptr<GumboOutput, GumboClose> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, text->data(), text->size()));
    if (!output) return std::unexpected(Error{ErrorKind::invalid_input, "无法解析网页 / cannot parse the page", options.file, 0});
    if (tree_depth(output->root) > max_depth) return std::unexpected(deep);
    PageWalk page;  // its walks recurse, at most max_depth deep
    page.walk(output->root);
    std::vector<Grid> grids;
    std::vector<MetaRow> meta;
    for (const auto& [table, name] : page.tables) {
        auto grid = grid_of(table, name, options);
        if (!grid) return std::unexpected(grid.error());
        if (std::ranges::all_of(grid->rows, [](const auto& row) { return row.size() == 2; }))
            for (const auto& row : grid->rows) meta.emplace_back(row[0], row[1]);
        grids.push_back(std::move(*grid));
    }
    if (grids.empty())
        return std::unexpected(Error{ErrorKind::invalid_input, "网页中没有表格 / the page has no table", options.file, 0});
    auto imported = catalog_from_grids(grids, meta, options);
    bool titled = std::ranges::any_of(meta, [](const MetaRow& m) { return m.first == "标题"; });
    if (imported && !titled && !page.title.empty()) imported->catalog.meta.title = page.title;
    return imported;
}

// How wide a column prints, relative to the others (A4 landscape): names and codes whole on a line,
// the long texts wider, a tick column just wide enough for its √.
int column_weight(Column c) {
    switch (c) {
        case Column::seq: return 3;
        case Column::id: return 6;
        case Column::category: return 7;
        case Column::name: return 9;
        case Column::elements: return 14;
        case Column::basis: return 15;
        case Column::time_limit: return 10;
        case Column::subject: return 7;
        case Column::channels: return 11;
        case Column::note: case Column::evidence: return 9;
        case Column::not_applicable: case Column::anchor: case Column::column_kind: case Column::status: return 5;
        default: return is_tick_column(c) ? 3 : 6;
    }
}

std::string catalog_to_html(const Catalog& catalog) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                      escape_html(catalog.meta.title, true) + "</title>\n<style>\n" + std::string{style} + "</style>\n</head>\n<body>\n";
    out += "<h1>" + escape_html(catalog.meta.title, true) + "</h1>\n<table class=\"meta\">\n";
    // The fields in one row, a line each (the import reads the lines back).
    std::string fields;
    for (const auto& [label, value] : meta_rows(catalog)) {
        if (label == "领域") {
            fields += (fields.empty() ? "" : "\n") + value;
            continue;
        }
        out += "<tr><td>" + escape_html(label, true) + "</td><td>" + escape_html(value, true) + "</td></tr>\n";
    }
    if (!fields.empty()) out += "<tr><td>领域</td><td>" + escape_html(fields, true) + "</td></tr>\n";
    out += "</table>\n";
    auto columns = columns_of(catalog, false);
    for (const auto& field : catalog.fields) {
        out += "<table class=\"items\">\n<caption>" + escape_html(field.code + " " + field.name, true) + "</caption>\n<colgroup>";
        int total = 0;
        for (const auto& c : columns) total += column_weight(c.column);
        for (const auto& c : columns)
            out += fmt::format("<col style=\"width:{:.1f}%\">", 100.0 * column_weight(c.column) / std::max(1, total));
        out += "</colgroup>\n<thead>\n<tr>";
        std::string second;
        for (std::size_t c = 0; c < columns.size();) {
            const auto& head = columns[c];
            if (head.group.empty()) {
                out += "<th rowspan=\"2\">" + escape_html(head.label, true) + "</th>";
                ++c;
                continue;
            }
            std::size_t end = c;
            while (end + 1 < columns.size() && columns[end + 1].group == head.group) ++end;
            out += "<th colspan=\"" + std::to_string(end - c + 1) + "\">" + escape_html(head.group, true) + "</th>";
            for (; c <= end; ++c) second += "<th>" + escape_html(columns[c].label, true) + "</th>";
        }
        out += "</tr>\n<tr>" + second + "</tr>\n</thead>\n<tbody>\n";
        std::size_t seq = 0;
        for (const auto& item : field.items) {
            auto cells = cells_of(item, field, columns, ++seq);
            out += "<tr>";
            for (std::size_t c = 0; c < cells.size(); ++c)
                out += std::string{is_tick_column(columns[c].column) ? "<td class=\"tick\">" : "<td>"} + escape_html(cells[c], true) + "</td>";
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
    }
    return out + "</body>\n</html>\n";
}

}  // namespace gkml
