#include "gkml/units.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>

#include "gkml/csv.hpp"
#include "gkml/files.hpp"
#include "gkml/xml.hpp"
#include "screen.hpp"

namespace gkml {

namespace {

Error invalid(std::string message, std::string_view file, int line) {
    return Error{ErrorKind::invalid_input, std::move(message), std::string(file), line};
}

// Level names as registries write them; "province" maps to no catalog level.
std::optional<std::optional<Level>> unit_level_from(std::string_view text) {
    static const std::map<std::string_view, std::optional<Level>> names{
        {"province", std::nullopt}, {"省", std::nullopt},    {"省级", std::nullopt},
        {"city", Level::city},      {"市", Level::city},     {"市级", Level::city},
        {"county", Level::county},  {"县", Level::county},   {"县级", Level::county},   {"区县", Level::county},
        {"township", Level::township}, {"乡", Level::township}, {"镇", Level::township}, {"乡镇", Level::township},
        {"乡级", Level::township},  {"街道", Level::township}, {"乡镇（街道）", Level::township},
        {"village", Level::village}, {"村", Level::village},  {"村级", Level::village},
    };
    auto it = names.find(text);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

}  // namespace

std::expected<std::vector<Unit>, Error> parse_units_xml(std::string_view xml, std::string_view file) {
    // The screen every XML reader applies (a DOCTYPE, a binary file, another encoding are refused).
    if (auto refused = screen(xml, file))
        return std::unexpected(invalid(refused->code + " " + refused->message_zh + " / " + refused->message_en, file, refused->line));
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return std::unexpected(invalid(parsed.description(), file, 0));
    if (root_of(xml).kind != DocumentKind::units)
        return std::unexpected(invalid("GKML-E004 不是单位名册（根元素应为 urn:gkml:units:1 的 units） / not a unit registry", file, 0));
    std::vector<Unit> out;
    for (auto node : doc.document_element().children()) {
        if (std::string_view(node.name()) != "unit") continue;
        auto level = unit_level_from(node.attribute("level").value());
        if (!level) return std::unexpected(invalid(std::string("unknown level ") + node.attribute("level").value(), file, 0));
        Unit unit{node.attribute("code").value(), node.attribute("name").value(), *level, node.attribute("parent").value(), {}};
        for (auto field : node.children()) unit.fields.emplace_back(field.child_value());
        out.push_back(std::move(unit));
    }
    return out;
}

std::expected<std::vector<Unit>, Error> parse_units_csv(std::string_view bytes, std::string_view file) {
    auto rows = read_csv(bytes, file);
    if (!rows) return std::unexpected(rows.error());
    const auto& header = rows->front().cells;
    auto code = column_of(header, {"code", "代码", "区划代码", "统计用区划代码", "单位代码"});
    auto name = column_of(header, {"name", "名称", "单位名称", "单位"});
    auto level = column_of(header, {"level", "层级", "级别"});
    auto parent = column_of(header, {"parent", "parent_code", "上级", "上级代码"});
    if (!code || !name || !level)
        return std::unexpected(invalid("the header needs code, name and level columns (代码, 名称, 层级)", file, rows->front().line));
    std::vector<Unit> out;
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const auto& row = (*rows)[r];
        auto cell = [&](std::optional<std::size_t> c) { return cell_of(row, c); };
        auto unit_level = unit_level_from(cell(level));
        if (!unit_level) return std::unexpected(invalid("unknown level \"" + cell(level) + "\"", file, row.line));
        if (cell(code).empty()) return std::unexpected(invalid("a unit without a code", file, row.line));
        if (!is_unit_code(cell(code)) || (!cell(parent).empty() && !is_unit_code(cell(parent))))
            return std::unexpected(invalid("代码 \"" + cell(code) + "\"（或上级代码）不是统计用区划代码（6、9 或 12 位数字，可带 -部门简称） / not a division code",
                                           file, row.line));
        out.push_back(Unit{cell(code), cell(name), *unit_level, cell(parent), {}});
    }
    return out;
}

std::expected<std::vector<Unit>, Error> read_units(const std::filesystem::path& file) {
    auto bytes = read_file(file);
    if (!bytes) return std::unexpected(bytes.error());
    if (file.extension() == ".csv") return parse_units_csv(*bytes, file.string());
    return parse_units_xml(*bytes, file.string());
}

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alnum(char c) { return digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

// [0-9]{6}([0-9]{3}([0-9]{3})?)?(-[0-9A-Za-z]{1,20})?
bool is_unit_code(std::string_view s) {
    auto dash = s.find('-');
    auto code = s.substr(0, dash);
    if (!(code.size() == 6 || code.size() == 9 || code.size() == 12) || !std::ranges::all_of(code, digit)) return false;
    if (dash == std::string_view::npos) return true;
    auto suffix = s.substr(dash + 1);
    return !suffix.empty() && suffix.size() <= 20 && std::ranges::all_of(suffix, alnum);
}
std::vector<const Unit*> lineage(const std::vector<Unit>& units, std::string_view code) {
    std::vector<const Unit*> out;
    while (!code.empty() && out.size() <= units.size()) {
        auto it = std::ranges::find(units, code, &Unit::code);
        if (it == units.end()) break;
        out.push_back(&*it);
        code = it->parent;
    }
    return out;
}

std::string_view level_name(const std::optional<Level>& level) { return level ? to_string(*level) : "province"; }

}  // namespace gkml
