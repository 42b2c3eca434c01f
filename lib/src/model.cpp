#include "gkml/model.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace gkml {

namespace {

// One table per enum: the XML token in enum order, so to_string and *_from cannot drift apart.
template <typename E, std::size_t N>
struct Names {
    std::array<std::string_view, N> tokens;
    std::string_view of(E e) const { return tokens[static_cast<std::size_t>(e)]; }
    std::optional<E> from(std::string_view s) const {
        for (std::size_t i = 0; i < N; ++i)
            if (tokens[i] == s) return static_cast<E>(i);
        return std::nullopt;
    }
};

constexpr Names<Level, 4> level_names{{"city", "county", "township", "village"}};
constexpr Names<CatalogKind, 3> catalog_kind_names{{"standard", "unit", "template"}};
constexpr Names<ItemStatus, 2> item_status_names{{"active", "deprecated"}};
constexpr Names<ColumnKind, 3> column_kind_names{{"news", "notice", "policy"}};
constexpr Names<ElementMark, 3> element_mark_names{{"", "required", "optional"}};
constexpr Names<BasisKind, 6> basis_kind_names{{"law", "administrative-regulation", "departmental-rule",
                                                "normative-document", "local-regulation", "other"}};
constexpr Names<ChannelCode, 15> channel_names{{"website", "gazette", "weibo-wechat-app", "press-hearing", "radio-tv",
                                                "print", "reading-point", "service-center", "service-station",
                                                "door-to-door", "bulletin-board", "targeted-push", "library",
                                                "archives", "other"}};
constexpr Names<TimeUnit, 5> time_unit_names{{"hour", "workday", "day", "week", "month"}};
constexpr Names<AnchorEvent, 10> anchor_names{{"formed", "changed", "formed-or-changed", "made-or-obtained",
                                               "received", "decided", "approved", "allocated",
                                               "related-published", "other"}};
constexpr Names<ImmediateKind, 2> immediate_names{{"real-time", "timely"}};
constexpr Names<StandingKind, 3> standing_names{{"long-term", "permanent", "dynamic"}};
constexpr Names<Period, 4> period_names{{"month", "quarter", "half-year", "year"}};

constexpr std::array<std::string_view, 4> level_zh{"市级", "县级", "乡级", "村级"};
constexpr std::array<std::string_view, 15> channel_zh{
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点", "政务服务中心",
    "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "图书馆", "国家档案馆", "其他"};
constexpr std::array<std::string_view, 6> basis_zh{"法律", "行政法规", "部门规章", "规范性文件", "地方性法规", "其他"};

// Equality of the user's content: where it was read from does not count.
auto content(const Item& i) {
    return std::tie(i.id, i.levels, i.status, i.replaced_by, i.anchor, i.column_kind, i.category, i.name, i.elements, i.basis,
                    i.time_limit, i.subject, i.channels, i.audience, i.mode, i.not_applicable, i.evidence, i.note);
}

}  // namespace

std::string_view to_string(Level v) { return level_names.of(v); }
std::string_view to_string(CatalogKind v) { return catalog_kind_names.of(v); }
std::string_view to_string(ItemStatus v) { return item_status_names.of(v); }
std::string_view to_string(ColumnKind v) { return column_kind_names.of(v); }
std::string_view to_string(ElementMark v) { return element_mark_names.of(v); }
std::string_view to_string(BasisKind v) { return basis_kind_names.of(v); }
std::string_view to_string(ChannelCode v) { return channel_names.of(v); }
std::string_view to_string(TimeUnit v) { return time_unit_names.of(v); }
std::string_view to_string(AnchorEvent v) { return anchor_names.of(v); }
std::string_view to_string(ImmediateKind v) { return immediate_names.of(v); }
std::string_view to_string(StandingKind v) { return standing_names.of(v); }
std::string_view to_string(Period v) { return period_names.of(v); }

std::optional<Level> level_from(std::string_view s) { return level_names.from(s); }
std::optional<CatalogKind> catalog_kind_from(std::string_view s) { return catalog_kind_names.from(s); }
std::optional<ItemStatus> item_status_from(std::string_view s) { return item_status_names.from(s); }
std::optional<ColumnKind> column_kind_from(std::string_view s) { return column_kind_names.from(s); }
std::optional<ElementMark> element_mark_from(std::string_view s) { return element_mark_names.from(s); }
std::optional<BasisKind> basis_kind_from(std::string_view s) { return basis_kind_names.from(s); }
std::optional<ChannelCode> channel_code_from(std::string_view s) { return channel_names.from(s); }
std::optional<TimeUnit> time_unit_from(std::string_view s) { return time_unit_names.from(s); }
std::optional<AnchorEvent> anchor_event_from(std::string_view s) { return anchor_names.from(s); }
std::optional<ImmediateKind> immediate_kind_from(std::string_view s) { return immediate_names.from(s); }
std::optional<StandingKind> standing_kind_from(std::string_view s) { return standing_names.from(s); }
std::optional<Period> period_from(std::string_view s) { return period_names.from(s); }

std::string_view label_zh(Level v) { return level_zh[static_cast<std::size_t>(v)]; }
std::string_view label_zh(ChannelCode v) { return channel_zh[static_cast<std::size_t>(v)]; }
std::string_view label_zh(BasisKind v) { return basis_zh[static_cast<std::size_t>(v)]; }

bool Item::at_level(Level level) const { return std::ranges::find(levels, level) != levels.end(); }

bool Item::operator==(const Item& other) const { return content(*this) == content(other); }

bool Field::operator==(const Field& other) const {
    return std::tie(code, name, not_applicable, items) ==
           std::tie(other.code, other.name, other.not_applicable, other.items);
}

bool Catalog::operator==(const Catalog& other) const {
    return std::tie(id, version, kind, based_on, based_on_version, meta, fields) ==
           std::tie(other.id, other.version, other.kind, other.based_on, other.based_on_version, other.meta,
                    other.fields);
}

const Item* Catalog::find_item(std::string_view wanted) const {
    for (const auto& field : fields)
        for (const auto& item : field.items)
            if (item.id == wanted) return &item;
    return nullptr;
}

const Field* Catalog::find_field(std::string_view code) const {
    for (const auto& field : fields)
        if (field.code == code) return &field;
    return nullptr;
}

std::size_t Catalog::item_count() const {
    std::size_t n = 0;
    for (const auto& field : fields) n += field.items.size();
    return n;
}

}  // namespace gkml
