#include "gkml/template.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace gkml {

using namespace std::string_view_literals;

namespace {

constexpr std::array<std::string_view, 4> roles{"市级人民政府", "县级人民政府", "乡镇人民政府（街道办事处）", "村（居）民委员会"};
constexpr std::string_view suggestion = "试点单位的本地事项，供参考：不适用可删除";
constexpr std::string_view name_placeholder = "（单位名称）";

bool ends_with_any(std::string_view text, std::initializer_list<std::string_view> endings) {
    return std::ranges::any_of(endings, [&](std::string_view e) { return text.ends_with(e); });
}

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

std::string government_of(const UnitRef& unit) {
    if (ends_with_any(unit.name, {"人民政府", "办事处", "委员会", "局", "办", "中心", "站", "所", "委"})) return unit.name;
    if (unit.name.ends_with("街道")) return unit.name + "办事处";
    return unit.name + "人民政府";
}

std::string specialize_text(std::string_view text, const UnitRef& unit) {
    std::string out = replace_all(std::string{text}, role_of(unit.level), government_of(unit));
    return replace_all(std::move(out), name_placeholder, unit.name);
}

std::string generalize_text(std::string_view text, const UnitRef& unit) {
    static const std::regex phone(R"((^|[^0-9])((0[0-9]{2,3}-)[0-9]{7,8}|1[3-9][0-9]{9})(?![0-9]))");
    // The government first (友谊镇人民政府 → 乡镇人民政府（街道办事处）), then the bare name (友谊镇民政办 →
    // （单位名称）民政办): the role in place of the name alone read 乡镇人民政府（街道办事处）人民政府.
    std::string out{text};
    if (!unit.name.empty()) {
        out = replace_all(std::move(out), government_of(unit), role_of(unit.level));
        out = replace_all(std::move(out), unit.name, name_placeholder);
    }
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
            } else {
                auto own = [&](std::string& text) { text = specialize_text(text, unit); };
                own(i.category), own(i.name), own(i.subject), own(i.note);
                for (auto& e : i.elements) own(e.text);
                for (auto& c : i.channels) own(c.text);
                if (i.audience) own(i.audience->group);
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
