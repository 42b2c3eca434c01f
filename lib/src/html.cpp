#include "gkml/html.hpp"

#include <gumbo.h>

#include <algorithm>
#include <memory>

#include "gkml/csv.hpp"
#include "gkml/text.hpp"

namespace gkml {

namespace {

struct GumboClose {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

constexpr std::size_t max_span = 1000;

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

// The rows of a table (not of the tables nested in its cells), spans spread.
Grid grid_of(const GumboNode* table, std::string name) {
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
    Grid grid{std::move(name), std::vector<std::vector<std::string>>(rows.size())};
    std::vector<std::vector<bool>> taken(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::size_t c = 0;
        const GumboVector& cells = rows[r]->v.element.children;
        for (unsigned i = 0; i < cells.length; ++i) {
            auto* cell = static_cast<const GumboNode*>(cells.data[i]);
            if (cell->type != GUMBO_NODE_ELEMENT ||
                (cell->v.element.tag != GUMBO_TAG_TD && cell->v.element.tag != GUMBO_TAG_TH))
                continue;
            while (c < taken[r].size() && taken[r][c]) ++c;
            std::string text = text_of(cell);
            std::size_t row_span = std::min(span_of(cell, "rowspan"), rows.size() - r), col_span = span_of(cell, "colspan");
            for (std::size_t dr = 0; dr < row_span; ++dr) {
                auto& line = grid.rows[r + dr];
                auto& used = taken[r + dr];
                if (line.size() < c + col_span) line.resize(c + col_span), used.resize(c + col_span);
                for (std::size_t dc = 0; dc < col_span; ++dc) line[c + dc] = text, used[c + dc] = true;
            }
            c += col_span;
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
            tables.emplace_back(node, name.empty() ? title : name + " " + title);
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
    std::unique_ptr<GumboOutput, GumboClose> output(
        gumbo_parse_with_options(&kGumboDefaultOptions, text->data(), text->size()));
    if (!output) return std::unexpected(Error{ErrorKind::invalid_input, "无法解析网页 / cannot parse the page", options.file, 0});
    PageWalk page;
    page.walk(output->root);
    std::vector<Grid> grids;
    std::vector<MetaRow> meta;
    for (const auto& [table, name] : page.tables) {
        auto grid = grid_of(table, name);
        if (std::ranges::all_of(grid.rows, [](const auto& row) { return row.size() == 2; }))
            for (const auto& row : grid.rows) meta.emplace_back(row[0], row[1]);
        grids.push_back(std::move(grid));
    }
    if (grids.empty())
        return std::unexpected(Error{ErrorKind::invalid_input, "网页中没有表格 / the page has no table", options.file, 0});
    auto imported = catalog_from_grids(grids, meta, options);
    bool titled = std::ranges::any_of(meta, [](const MetaRow& m) { return m.first == "标题"; });
    if (imported && !titled && !page.title.empty()) imported->catalog.meta.title = page.title;
    return imported;
}

std::string catalog_to_html(const Catalog& catalog) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                      escape_html(catalog.meta.title, true) + "</title>\n<style>\n" + std::string{style} + "</style>\n</head>\n<body>\n";
    out += "<h1>" + escape_html(catalog.meta.title, true) + "</h1>\n<table class=\"meta\">\n";
    for (const auto& [label, value] : meta_rows(catalog))
        out += "<tr><td>" + escape_html(label, true) + "</td><td>" + escape_html(value, true) + "</td></tr>\n";
    out += "</table>\n";
    auto columns = columns_of(catalog, false);
    for (const auto& field : catalog.fields) {
        out += "<table>\n<caption>" + escape_html(field.code + " " + field.name, true) + "</caption>\n<thead>\n<tr>";
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
