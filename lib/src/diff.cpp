#include "gkml/diff.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <set>

namespace gkml {

namespace {

constexpr std::array<std::string_view, 17> column_names{
    "category", "name",     "levels",   "status",   "replaced-by", "anchor",         "elements", "basis",
    "time-limit", "subject", "channels", "audience", "mode",        "not-applicable", "evidence", "reconstructed",
    "column-kind"};
constexpr std::array<std::string_view, 17> column_zh{
    "一级事项", "二级事项", "公开层级", "状态",       "替代事项", "所属事项", "公开内容（要素）", "公开依据",
    "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式", "不适用", "来源", "重建说明",
    "栏目类别"};

// Line breaks and indentation inside a text are formatting: trimmed, and runs of them read as one space.
std::string squeeze(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!blank && space && !out.empty()) out += ' ';
        if (!blank) out += c;
        space = blank;
    }
    return out;
}

std::string element_key(const Element& e) {
    return squeeze(e.text) + (e.mark == ElementMark::unmarked ? "" : " [" + std::string(to_string(e.mark)) + "]");
}
std::string basis_key(const BasisSource& b) {
    return squeeze(b.title) + (b.number.empty() ? "" : " " + squeeze(b.number)) + " [" + std::string(to_string(b.kind)) + "]";
}
std::string channel_key(const Channel& c) {
    return std::string(to_string(c.code)) + (c.text.empty() ? "" : ": " + squeeze(c.text)) + (c.required ? " [required]" : "");
}
std::string seen_key(const Seen& s) { return squeeze(s.href) + (s.locality.empty() ? "" : " " + squeeze(s.locality)); }

template <typename T>
std::vector<std::string> keys_of(const std::vector<T>& values, std::string (*key)(const T&)) {
    std::vector<std::string> out;
    for (const auto& v : values) out.push_back(key(v));
    return out;
}

// Rebuilds a list from member keys, taking each value from the first source that has it.
template <typename T, typename List>
bool rebuild(std::vector<T>& out, const std::vector<std::string>& members, const std::vector<const Item*>& sources,
             List list, std::string (*key)(const T&)) {
    std::vector<T> built;
    for (const auto& m : members) {
        const T* found = nullptr;
        for (const auto* s : sources)
            for (const auto& v : list(*s))
                if (!found && key(v) == m) found = &v;
        if (!found) return false;
        built.push_back(*found);
    }
    out = std::move(built);
    return true;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    auto other = as_set(b);
    std::vector<std::string> out;
    for (const auto& m : as_set(a))
        if (!other.contains(m)) out.push_back(m);
    return out;
}

std::vector<std::string_view> characters(std::string_view s) {
    std::vector<std::string_view> out;
    const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
    const auto length = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < length;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        out.push_back(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    }
    return out;
}

void append_piece(std::vector<TextPiece>& out, TextPiece::Kind kind, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().kind == kind)
        out.back().text += text;
    else
        out.push_back({kind, std::string(text)});
}

std::string raw_text(const Item& item, Column c) {
    switch (c) {
        case Column::category: return item.category;
        case Column::name: return item.name;
        case Column::status: return std::string(to_string(item.status));
        case Column::replaced_by: return item.replaced_by;
        case Column::anchor: return item.anchor;
        case Column::time_limit: return item.time_limit ? item.time_limit->text : "";
        case Column::subject: return item.subject;
        case Column::not_applicable: return item.not_applicable ? item.not_applicable->reason : "";
        case Column::reconstructed: return item.evidence.reconstructed;
        case Column::column_kind: return item.column_kind ? std::string(to_string(*item.column_kind)) : "";
        default: return "";
    }
}

ItemChange item_change(ChangeKind kind, std::string id, std::string old_id, std::string old_field, std::string new_field) {
    ItemChange change;
    change.kind = kind;
    change.id = std::move(id);
    change.old_id = std::move(old_id);
    change.old_field = std::move(old_field);
    change.new_field = std::move(new_field);
    return change;
}

}  // namespace

std::string_view to_string(Column c) { return column_names[static_cast<std::size_t>(c)]; }
std::string_view label_zh(Column c) { return column_zh[static_cast<std::size_t>(c)]; }

bool is_set_column(Column c) {
    switch (c) {
        case Column::levels: case Column::elements: case Column::basis: case Column::channels:
        case Column::audience: case Column::mode: case Column::evidence:
            return true;
        default:
            return false;
    }
}

std::string column_text(const Item& item, Column c) { return squeeze(raw_text(item, c)); }

std::vector<std::string> column_members(const Item& item, Column c) {
    std::vector<std::string> out;
    switch (c) {
        case Column::levels:
            for (auto l : item.levels) out.emplace_back(to_string(l));
            return out;
        case Column::elements: return keys_of(item.elements, &element_key);
        case Column::basis: return keys_of(item.basis, &basis_key);
        case Column::channels: return keys_of(item.channels, &channel_key);
        case Column::evidence: return keys_of(item.evidence.seen, &seen_key);
        case Column::audience:
            if (item.audience && item.audience->everyone) out.emplace_back("public");
            if (item.audience && item.audience->specific)
                out.push_back(item.audience->group.empty() ? "specific" : "specific: " + squeeze(item.audience->group));
            return out;
        case Column::mode:
            if (item.mode && item.mode->proactive) out.emplace_back("proactive");
            if (item.mode && item.mode->on_request) out.emplace_back("on-request");
            return out;
        default: return out;
    }
}

std::string member_zh(Column c, std::string_view member) {
    switch (c) {
        case Column::levels:
            if (auto level = level_from(member)) return std::string(label_zh(*level));
            return std::string(member);
        case Column::channels: {  // code[: text][ [required]]
            std::string_view rest = member;
            bool required = rest.ends_with(" [required]");
            if (required) rest.remove_suffix(std::string_view(" [required]").size());
            auto colon = rest.find(": ");
            auto code = channel_code_from(rest.substr(0, colon));
            if (!code) return std::string(member);
            std::string out = colon == std::string_view::npos ? std::string(label_zh(*code)) : std::string(rest.substr(colon + 2));
            return out + (required ? "（必选）" : "");
        }
        case Column::audience:
            if (member == "public") return "全社会";
            if (member.starts_with("specific")) return "特定群体" + (member.size() > 10 ? "：" + std::string(member.substr(10)) : "");
            return std::string(member);
        case Column::mode:
            if (member == "proactive") return "主动";
            if (member == "on-request") return "依申请";
            return std::string(member);
        default: return std::string(member);
    }
}

bool same_column(const Item& a, const Item& b, Column c) {
    if (is_set_column(c)) return as_set(column_members(a, c)) == as_set(column_members(b, c));
    if (column_text(a, c) != column_text(b, c)) return false;
    if (c == Column::time_limit)
        return a.time_limit.has_value() == b.time_limit.has_value() &&
               (!a.time_limit || std::tie(a.time_limit->clauses, a.time_limit->defer_to_law) ==
                                     std::tie(b.time_limit->clauses, b.time_limit->defer_to_law));
    return c != Column::not_applicable || a.not_applicable.has_value() == b.not_applicable.has_value();
}

void copy_column(Item& to, const Item& from, Column c) {
    switch (c) {
        case Column::category: to.category = from.category; break;
        case Column::name: to.name = from.name; break;
        case Column::levels: to.levels = from.levels; break;
        case Column::status: to.status = from.status; break;
        case Column::replaced_by: to.replaced_by = from.replaced_by; break;
        case Column::anchor: to.anchor = from.anchor; break;
        case Column::column_kind: to.column_kind = from.column_kind; break;
        case Column::elements: to.elements = from.elements; break;
        case Column::basis: to.basis = from.basis; break;
        case Column::time_limit: to.time_limit = from.time_limit; break;
        case Column::subject: to.subject = from.subject; break;
        case Column::channels: to.channels = from.channels; break;
        case Column::audience: to.audience = from.audience; break;
        case Column::mode: to.mode = from.mode; break;
        case Column::not_applicable: to.not_applicable = from.not_applicable; break;
        case Column::evidence: to.evidence.seen = from.evidence.seen; break;
        case Column::reconstructed: to.evidence.reconstructed = from.evidence.reconstructed; break;
    }
}

bool assign_members(Item& to, Column c, const std::vector<std::string>& members,
                    const std::vector<const Item*>& sources) {
    auto has = [&](std::string_view m) { return std::ranges::find(members, m) != members.end(); };
    switch (c) {
        case Column::levels:
            to.levels.clear();
            for (const auto& m : members) to.levels.push_back(*level_from(m));
            return true;
        case Column::elements: return rebuild(to.elements, members, sources, std::mem_fn(&Item::elements), &element_key);
        case Column::basis: return rebuild(to.basis, members, sources, std::mem_fn(&Item::basis), &basis_key);
        case Column::channels: return rebuild(to.channels, members, sources, std::mem_fn(&Item::channels), &channel_key);
        case Column::evidence:
            return rebuild(to.evidence.seen, members, sources, [](const Item& i) -> auto& { return i.evidence.seen; },
                           &seen_key);
        case Column::audience: {
            auto specific = std::ranges::count_if(members, [](const std::string& m) { return m.starts_with("specific"); });
            if (specific > 1) return false;
            if (members.empty()) return to.audience.reset(), true;
            Audience a;
            a.everyone = has("public");
            for (const auto& m : members)
                if (m.starts_with("specific")) a.specific = true, a.group = m.size() > 10 ? m.substr(10) : "";
            to.audience = a;
            return true;
        }
        case Column::mode:
            if (members.empty()) return to.mode.reset(), true;
            to.mode = Mode{has("proactive"), has("on-request")};
            return true;
        default: return false;
    }
}

std::vector<TextPiece> diff_text(std::string_view old_text, std::string_view new_text) {
    auto a = characters(old_text), b = characters(new_text);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;
    std::vector<TextPiece> out;
    auto join = [](auto first, auto last) {
        std::string s;
        for (auto it = first; it != last; ++it) s += *it;
        return s;
    };
    append_piece(out, TextPiece::same, join(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(prefix)));
    // Beyond this size a whole replacement says as much as a character diff, and costs nothing.
    if (n * m > 4'000'000) {
        append_piece(out, TextPiece::removed, join(a.begin() + static_cast<std::ptrdiff_t>(prefix), a.end() - static_cast<std::ptrdiff_t>(suffix)));
        append_piece(out, TextPiece::added, join(b.begin() + static_cast<std::ptrdiff_t>(prefix), b.end() - static_cast<std::ptrdiff_t>(suffix)));
    } else {
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
                append_piece(out, TextPiece::same, a[prefix + i]);
                ++i, ++j;
            } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
                append_piece(out, TextPiece::removed, a[prefix + i++]);
            } else {
                append_piece(out, TextPiece::added, b[prefix + j++]);
            }
        }
    }
    append_piece(out, TextPiece::same, join(a.end() - static_cast<std::ptrdiff_t>(suffix), a.end()));
    return out;
}

std::string item_key(const Item& item) { return item.id.empty() ? "【" + item.category + "】" + item.name : item.id; }

std::vector<ColumnChange> diff_items(const Item& old_item, const Item& new_item) {
    std::vector<ColumnChange> out;
    for (auto c : all_columns) {
        if (same_column(old_item, new_item, c)) continue;
        ColumnChange change;
        change.column = c;
        if (is_set_column(c)) {
            auto before = column_members(old_item, c), after = column_members(new_item, c);
            change.added = minus(after, before);
            change.removed = minus(before, after);
        } else {
            change.old_text = column_text(old_item, c);
            change.new_text = column_text(new_item, c);
            change.pieces = diff_text(change.old_text, change.new_text);
        }
        out.push_back(std::move(change));
    }
    return out;
}

CatalogDiff diff_catalogs(const Catalog& old_catalog, const Catalog& new_catalog, const DiffOptions& options) {
    CatalogDiff out;
    auto header = [&](std::string what, std::string before, std::string after) {
        if (before != after) out.header.push_back({std::move(what), std::move(before), std::move(after)});
    };
    auto unit = [](const Catalog& c) {
        return c.meta.unit ? c.meta.unit->code + " " + c.meta.unit->name + " " + std::string(to_string(c.meta.unit->level)) : "";
    };
    auto sources = [](const Catalog& c) {
        std::string s;
        for (const auto& seen : c.meta.sources) s += (s.empty() ? "" : "\n") + seen_key(seen);
        return s;
    };
    if (options.field.empty()) {
        header("id", old_catalog.id, new_catalog.id);
        header("version", old_catalog.version, new_catalog.version);
        header("kind", std::string(to_string(old_catalog.kind)), std::string(to_string(new_catalog.kind)));
        header("based-on", old_catalog.based_on, new_catalog.based_on);
        header("based-on-version", old_catalog.based_on_version, new_catalog.based_on_version);
        header("title", old_catalog.meta.title, new_catalog.meta.title);
        header("issuer", old_catalog.meta.issuer, new_catalog.meta.issuer);
        header("document-number", old_catalog.meta.document_number, new_catalog.meta.document_number);
        header("date", old_catalog.meta.date, new_catalog.meta.date);
        header("unit", unit(old_catalog), unit(new_catalog));
        if (options.provenance) header("source", sources(old_catalog), sources(new_catalog));
    }
    std::set<std::string> codes;
    for (const auto* c : {&old_catalog, &new_catalog})
        for (const auto& f : c->fields) codes.insert(f.code);
    for (const auto& code : codes) {
        if (!options.field.empty() && code != options.field) continue;
        const auto* before = old_catalog.find_field(code);
        const auto* after = new_catalog.find_field(code);
        auto na = [](const Field* f) { return f && f->not_applicable ? f->not_applicable->reason : ""; };
        header(code + "/name", before ? before->name : "", after ? after->name : "");
        header(code + "/not-applicable", na(before), na(after));
    }

    auto wanted = [&](const std::string& field) { return options.field.empty() || field == options.field; };
    auto matching = match_items(old_catalog, new_catalog, options.match);
    for (const auto& pair : matching.pairs) {
        const auto& a = item_at(old_catalog, pair.old_item);
        const auto& b = item_at(new_catalog, pair.new_item);
        auto change = item_change(ChangeKind::matched, item_key(b), item_key(a), field_of(old_catalog, pair.old_item).code,
                                  field_of(new_catalog, pair.new_item).code);
        change.match = pair.kind;
        change.score = pair.score;
        if (!wanted(change.old_field) && !wanted(change.new_field)) continue;
        change.deprecated = a.status == ItemStatus::active && b.status == ItemStatus::deprecated;
        change.columns = diff_items(a, b);
        if (change.deprecated)
            std::erase_if(change.columns, [](const ColumnChange& c) { return c.column == Column::status; });
        if (!options.provenance)
            std::erase_if(change.columns, [](const ColumnChange& c) {
                return c.column == Column::evidence || c.column == Column::reconstructed;
            });
        if (!change.columns.empty() || change.deprecated || change.moved() || change.id != change.old_id)
            out.items.push_back(std::move(change));
    }
    for (auto pos : matching.only_old) {
        const auto& a = item_at(old_catalog, pos);
        const auto& field = field_of(old_catalog, pos).code;
        if (wanted(field)) out.items.push_back(item_change(ChangeKind::removed, item_key(a), item_key(a), field, ""));
    }
    for (auto pos : matching.only_new) {
        const auto& b = item_at(new_catalog, pos);
        const auto& field = field_of(new_catalog, pos).code;
        if (wanted(field)) out.items.push_back(item_change(ChangeKind::added, item_key(b), "", "", field));
    }
    std::ranges::sort(out.items, [](const ItemChange& x, const ItemChange& y) {
        return std::tie(x.id, x.kind, x.old_id) < std::tie(y.id, y.kind, y.old_id);
    });
    for (const auto& a : matching.ambiguous) {
        const auto& field = field_of(a.in_old ? old_catalog : new_catalog, a.item).code;
        if (wanted(field)) out.ambiguous.push_back(a);
    }
    out.names_compared = matching.names_compared;
    return out;
}

}  // namespace gkml
