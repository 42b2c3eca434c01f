#include "gkml/docx.hpp"

#include <algorithm>
#include <pugixml.hpp>
#include <string>

#include "gkml/text.hpp"
#include "package.hpp"

namespace gkml {

namespace {

// Elements that only wrap content (content controls, custom XML, smart tags, tracked insertions): the
// paragraphs, tables, rows and cells inside them are read as if they stood in their place.
bool is_wrapper(std::string_view name) {
    return name == "sdt" || name == "sdtContent" || name == "customXml" || name == "smartTag" || name == "ins" ||
           name == "moveTo" || name == "hyperlink" || name == "fldSimple" || name == "bdo" || name == "dir";
}

// The children of `node` named `wanted` (or `also`), in document order, looking through wrappers; one
// walk without recursion.
std::vector<pugi::xml_node> children_named(pugi::xml_node node, std::string_view wanted, std::string_view also = {}) {
    std::vector<pugi::xml_node> out, stack;
    for (auto child = node.last_child(); child; child = child.previous_sibling()) stack.push_back(child);
    while (!stack.empty()) {
        auto at = stack.back();
        stack.pop_back();
        if (at.type() != pugi::node_element) continue;
        auto name = local_name(at);
        if (name == wanted || (!also.empty() && name == also)) out.push_back(at);
        else if (is_wrapper(name))
            for (auto child = at.last_child(); child; child = child.previous_sibling()) stack.push_back(child);
    }
    return out;
}

// The text under `node` as Word shows it: runs joined, a paragraph per line, tabs and breaks kept,
// deleted text (w:delText) and field codes (w:instrText) left out. Nested tables' paragraphs are
// lines of their cell. One walk without recursion, however deep a hostile file nests.
std::string text_of(pugi::xml_node node) {
    std::string out;
    std::vector<pugi::xml_node> stack{node};
    bool first_paragraph = true;
    while (!stack.empty()) {
        auto at = stack.back();
        stack.pop_back();
        if (at.type() != pugi::node_element) continue;
        auto name = local_name(at);
        if (name == "del" || name == "moveFrom" || name == "instrText" || name == "delText" || name == "rPr" || name == "pPr" ||
            name == "tcPr" || name == "trPr" || name == "tblPr")
            continue;
        if (name == "t") out += at.text().get();
        else if (name == "tab") out += '\t';
        else if (name == "br" || name == "cr") out += '\n';
        else if (name == "p") {
            if (!first_paragraph) out += '\n';
            first_paragraph = false;
        }
        for (auto child = at.last_child(); child; child = child.previous_sibling()) stack.push_back(child);
    }
    return out;
}

std::size_t number_of(pugi::xml_node props, const char* element) {
    for (auto child : props.children())
        if (local_name(child) == element)
            for (auto a : child.attributes())
                if (std::string_view(a.name()).ends_with("val")) return static_cast<std::size_t>(std::max(0ll, a.as_llong()));
    return 0;
}

pugi::xml_node child_named(pugi::xml_node node, std::string_view wanted) {
    for (auto child : node.children())
        if (local_name(child) == wanted) return child;
    return {};
}

struct TableReader {
    const XlsxLimits& limits;
    const Package& package;
    std::size_t filled = 0, bytes = 0;

    std::expected<Grid, Error> read(pugi::xml_node table, std::string name) {
        Grid grid{std::move(name), {}};
        auto refuse = [&](std::string what) {
            return std::unexpected(package.refuse("文档中的表格“" + grid.name + "”" + what + "，不像是目录表格 / the table is too large"));
        };
        for (auto tr : children_named(table, "tr")) {
            if (grid.rows.size() >= limits.max_rows) return refuse("超过 " + std::to_string(limits.max_rows) + " 行");
            std::vector<std::string> row;
            auto props = child_named(tr, "trPr");
            std::size_t column = std::min(number_of(props, "gridBefore"), limits.max_columns);
            row.resize(column);
            for (auto tc : children_named(tr, "tc")) {
                auto cell_props = child_named(tc, "tcPr");
                std::size_t span = std::max<std::size_t>(1, number_of(cell_props, "gridSpan"));
                if (column + span > limits.max_columns) return refuse("超过 " + std::to_string(limits.max_columns) + " 列");
                // A cell merged down (vMerge without val="restart") shows the text of the one above.
                auto merge = child_named(cell_props, "vMerge");
                std::string_view restart = merge ? merge.attribute("w:val").value() : "";
                bool continues = merge && restart != "restart";
                std::string text = text_of(tc);
                for (std::size_t c = column; c < column + span; ++c) {
                    std::string value = text;
                    if (continues && !grid.rows.empty() && c < grid.rows.back().size()) value = grid.rows.back()[c];
                    filled += 1;
                    bytes += value.size();
                    if (filled > limits.max_cells || bytes > limits.max_total_bytes)
                        return refuse("展开后超过 " + std::to_string(limits.max_cells) + " 格");
                    row.push_back(std::move(value));
                }
                column += span;
            }
            grid.rows.push_back(std::move(row));
        }
        return grid;
    }
};

}  // namespace

bool is_ole_compound(std::string_view bytes) { return bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"); }

std::expected<std::vector<Grid>, Error> tables_from_docx(std::string_view bytes, const std::string& file, const XlsxLimits& limits) {
    if (is_ole_compound(bytes))
        return std::unexpected(Error{ErrorKind::invalid_input,
                                     "这是旧版 Word 文档（.doc）：gkml 读 .docx。在 Word 或 WPS 中“另存为”Word 文档（*.docx）后再导入，"
                                     "或用 libreoffice --headless --convert-to docx / a binary .doc: save it as .docx",
                                     file, 0});
    auto opened = Package::open(bytes, file, "文档", {limits.max_entry_bytes, limits.max_total_bytes});
    if (!opened)
        return std::unexpected(Error{ErrorKind::invalid_input, "不是有效的 docx 文档（zip 损坏或被截断） / not a valid docx document", file, 0});
    auto document = opened->read("word/document.xml");
    if (!document) return std::unexpected(document.error());
    if (!*document)
        return std::unexpected(Error{ErrorKind::invalid_input, "不是 Word 文档：没有 word/document.xml / not a Word document", file, 0});
    pugi::xml_document doc;
    if (!doc.load_buffer((*document)->data(), (*document)->size()))
        return std::unexpected(Error{ErrorKind::invalid_input, "文档的 word/document.xml 不是有效的 XML / damaged document", file, 0});
    auto body = child_named(doc.document_element(), "body");
    // Tables in document order, each named by the last paragraph above it and the document's first.
    std::vector<Grid> grids;
    std::string title, heading;
    TableReader reader{limits, *opened};
    for (auto block : children_named(body, "p", "tbl")) {
        if (local_name(block) == "p") {
            auto text = text_of(block);
            auto first = text.find_first_not_of(" \t\n");
            if (first == std::string::npos) continue;
            text = text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
            // The title is the first line, past a bare "附件1" above it.
            bool attachment_mark = text.starts_with("附件") && text.size() <= std::string_view("附件12：").size();
            if (title.empty() && !attachment_mark) title = text;
            heading = text;
            continue;
        }
        std::string name = heading == title || heading.empty() ? title : heading + " " + title;
        auto grid = reader.read(block, name);
        if (!grid) return std::unexpected(grid.error());
        grids.push_back(std::move(*grid));
        heading.clear();
    }
    if (grids.empty()) return std::unexpected(Error{ErrorKind::invalid_input, "文档中没有表格 / the document has no table", file, 0});
    return grids;
}

std::expected<Imported, Error> catalog_from_docx(std::string_view bytes, const ImportOptions& options, const XlsxLimits& limits) {
    auto grids = tables_from_docx(bytes, options.file, limits);
    if (!grids) return std::unexpected(grids.error());
    std::vector<MetaRow> meta;
    for (const auto& grid : *grids)  // a two-column table of 标题/目录类型/…: the attributes gkml writes
        if (!grid.rows.empty() && std::ranges::all_of(grid.rows, [](const auto& row) { return row.size() == 2; }))
            for (const auto& row : grid.rows) meta.emplace_back(row[0], row[1]);
    auto imported = catalog_from_grids(*grids, meta, options);
    bool titled = std::ranges::any_of(meta, [](const MetaRow& m) { return m.first == "标题"; });
    if (imported && !titled && !grids->front().name.empty()) imported->catalog.meta.title = grids->front().name;
    return imported;
}

}  // namespace gkml
