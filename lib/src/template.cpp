#include "gkml/template.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace gkml {

using namespace std::string_view_literals;

namespace {

constexpr std::array<std::string_view, 4> roles{"市级人民政府", "县级人民政府", "乡镇人民政府（街道办事处）", "村（居）民委员会"};
constexpr std::string_view suggestion = "试点单位的本地事项，供参考：不适用可删除";

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) return text;
    for (std::size_t p = 0; (p = text.find(from, p)) != std::string::npos; p += to.size()) text.replace(p, from.size(), to);
    return text;
}

// 地址：… up to the end of the clause
std::string generalize_addresses(std::string text) {
    for (auto label : {"地址："sv, "地址:"sv}) {
        for (std::size_t p = 0; (p = text.find(label, p)) != std::string::npos;) {
            std::size_t start = p + label.size(), end = text.size();
            for (auto stop : {"，"sv, "。"sv, "；"sv, "\n"sv, ";"sv, ","sv})
                end = std::min(end, text.find(stop, start) == std::string::npos ? end : text.find(stop, start));
            text.replace(start, end - start, "（办公地址）");
            p = start;
        }
    }
    return text;
}

}  // namespace

std::string_view role_of(Level level) { return roles[static_cast<std::size_t>(level)]; }

std::string generalize_text(std::string_view text, const UnitRef& unit) {
    static const std::regex phone(R"((^|[^0-9])((0[0-9]{2,3}-)[0-9]{7,8}|1[3-9][0-9]{9})(?![0-9]))");
    std::string out = replace_all(std::string{text}, unit.name, role_of(unit.level));
    out = std::regex_replace(out, phone, "$1（联系电话）");
    return generalize_addresses(std::move(out));
}

Catalog unit_catalog_from(const Catalog& source, const UnitRef& unit, const std::vector<std::string>& fields) {
    Catalog out;
    out.id = "unit-" + unit.code;
    out.version = "1";
    out.kind = CatalogKind::unit;
    bool from_standard = source.kind == CatalogKind::standard;
    out.based_on = from_standard ? source.id : source.based_on;
    out.based_on_version = from_standard ? source.version : source.based_on_version;
    out.meta.title = unit.name + "基层政务公开标准目录";
    out.meta.unit = unit;
    if (!from_standard) out.meta.note = "由模板 " + source.id + "（版本 " + source.version + "）生成";
    for (const auto& field : source.fields) {
        if (!fields.empty() && std::ranges::find(fields, field.code) == fields.end()) continue;
        Field copy{field.code, field.name, {}, {}, {}};
        for (const auto& item : field.items) {
            if (!item.at_level(unit.level) || item.status == ItemStatus::deprecated) continue;
            Item i = item;
            i.not_applicable.reset();
            i.pos = {};
            if (from_standard) {
                i.evidence = {};
                i.note.clear();
            }
            copy.items.push_back(std::move(i));
        }
        if (!copy.items.empty()) out.fields.push_back(std::move(copy));
    }
    return out;
}

Catalog template_from(const Catalog& unit_catalog, const Catalog* standard) {
    Catalog out = unit_catalog;
    out.kind = CatalogKind::template_;
    out.meta.unit.reset();
    out.meta.sources.clear();
    const UnitRef unit = unit_catalog.meta.unit.value_or(UnitRef{});
    out.id = "template-" + (unit.code.empty() ? unit_catalog.id : unit.code);
    out.meta.title = "基层政务公开标准目录模板（" + std::string{role_of(unit.level)} + "）";
    out.meta.note = "由" + (unit.name.empty() ? std::string{} : unit.name + "（" + unit.code + "）的") + "目录 " +
                    unit_catalog.id + "（版本 " + unit_catalog.version + "）生成的模板";
    auto general = [&](std::string& text) { text = generalize_text(text, unit); };
    for (auto& field : out.fields) {
        field.not_applicable.reset();
        for (auto& item : field.items) {
            item.not_applicable.reset();
            item.pos = {};
            const Item* reference = standard && !item.is_local() ? standard->find_item(item.id) : nullptr;
            if (reference) item.subject = reference->subject;
            general(item.category);
            general(item.name);
            general(item.subject);
            general(item.note);
            for (auto& e : item.elements) general(e.text);
            for (auto& c : item.channels) general(c.text);
            if (item.audience) general(item.audience->group);
            if (item.is_local())
                item.note = item.note.empty() ? std::string{suggestion} : std::string{suggestion} + "\n" + item.note;
        }
    }
    return out;
}

}  // namespace gkml
