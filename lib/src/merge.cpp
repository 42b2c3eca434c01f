#include "gkml/merge.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "gkml/diff.hpp"
#include "gkml/match.hpp"
#include "gkml/xml.hpp"

namespace gkml {

namespace {

enum class Take { theirs, ours, conflict };

Take decide(bool base_is_ours, bool base_is_theirs, bool ours_is_theirs) {
    if (ours_is_theirs || base_is_ours) return Take::theirs;
    return base_is_theirs ? Take::ours : Take::conflict;
}

std::string render(const Item& item, Column c) {
    if (!is_set_column(c)) return column_text(item, c);
    std::string out;
    for (const auto& m : column_members(item, c)) out += (out.empty() ? "" : "\n") + m;
    return out;
}

std::string describe(const Item& item) { return item.category + " / " + item.name; }

// Ours' members minus those ours removed, in theirs' order, then those only ours added, in ours' order.
std::vector<std::string> merge_members(const Item& b, const Item& o, const Item& t, Column c) {
    auto before = column_members(b, c), mine = column_members(o, c), other = column_members(t, c);
    std::set<std::string> in_base(before.begin(), before.end()), in_ours(mine.begin(), mine.end()),
        in_theirs(other.begin(), other.end()), seen;
    std::vector<std::string> out;
    for (const auto& m : other)
        if ((!in_base.contains(m) || in_ours.contains(m)) && seen.insert(m).second) out.push_back(m);
    for (const auto& m : mine)
        if (!in_base.contains(m) && !in_theirs.contains(m) && seen.insert(m).second) out.push_back(m);
    return out;
}

std::string reason_of(const std::optional<NotApplicable>& na) { return na ? na->reason : ""; }

class Merger {
public:
    Merger(const Catalog& base, const Catalog& ours, const Catalog& theirs)
        : base_(base), ours_(ours), theirs_(theirs),
          rebase_(ours.kind == CatalogKind::unit && ours.based_on == base.id && ours.based_on_version == base.version) {
        if (rebase_ && ours.meta.unit) level_ = ours.meta.unit->level;
        for (const auto& p : match_items(base, ours).pairs) base_to_ours_[p.old_item] = p.new_item, ours_to_base_[p.new_item] = p.old_item;
        for (const auto& p : match_items(base, theirs).pairs) base_to_theirs_[p.old_item] = p.new_item, theirs_to_base_[p.new_item] = p.old_item;
    }

    MergeResult run() {
        MergeResult out;
        out.catalog = header();
        for (std::size_t f = 0; f < theirs_.fields.size(); ++f) {
            const auto& field = theirs_.fields[f];
            if (!in_scope(field.code)) continue;
            out.catalog.fields.push_back(merge_field(field));
            for (std::size_t i = 0; i < field.items.size(); ++i)
                if (auto item = from_theirs({f, i})) out.catalog.fields.back().items.push_back(std::move(*item));
        }
        for (std::size_t f = 0; f < ours_.fields.size(); ++f)
            for (std::size_t i = 0; i < ours_.fields[f].items.size(); ++i) place_ours({f, i}, out.catalog);
        out.conflicts = std::move(conflicts_);
        return out;
    }

private:
    const Catalog& base_;
    const Catalog& ours_;
    const Catalog& theirs_;
    bool rebase_;
    std::optional<Level> level_;
    std::map<ItemPos, ItemPos> base_to_ours_, ours_to_base_, base_to_theirs_, theirs_to_base_;
    std::set<ItemPos> ours_done_;
    std::map<ItemPos, Item> ours_placed_;  // merged items that go where ours has them
    std::vector<Conflict> conflicts_;

    bool in_scope(const std::string& code) const {
        return !rebase_ || ours_.find_field(code) || !base_.find_field(code);
    }
    bool carried(const Item& item) const { return !level_ || item.at_level(*level_); }

    Catalog header() {
        Catalog out;
        const auto& b = base_;
        const auto& o = ours_;
        const auto& t = theirs_;
        auto fields = [](const Catalog& c) { return std::tie(c.id, c.version, c.kind, c.based_on, c.based_on_version, c.meta); };
        const Catalog* pick = &t;
        if (rebase_) {
            pick = &o;
        } else if (auto take = decide(fields(b) == fields(o), fields(b) == fields(t), fields(o) == fields(t)); take != Take::theirs) {
            pick = &o;
            if (take == Take::conflict) {
                auto text = [](const Catalog& c) { return c.id + " " + c.version + " " + c.meta.title; };
                conflicts_.push_back({"", "header", "changed differently on both sides", text(b), text(o), text(t)});
            }
        }
        out.id = pick->id;
        out.version = pick->version;
        out.kind = pick->kind;
        out.based_on = rebase_ ? t.id : pick->based_on;
        out.based_on_version = rebase_ ? t.version : pick->based_on_version;
        out.meta = pick->meta;
        return out;
    }

    Field merge_field(const Field& t) {
        Field out{t.code, t.name, t.not_applicable, {}, {}};
        const auto* o = ours_.find_field(t.code);
        if (!o) return out;
        const auto* b = base_.find_field(t.code);
        const Field& base = b ? *b : *o;
        auto merge = [&](auto get, std::string what, auto& target, auto text) {
            switch (decide(get(base) == get(*o), get(base) == get(t), get(*o) == get(t))) {
                case Take::theirs: break;
                case Take::ours: target = get(*o); break;
                case Take::conflict:
                    target = get(*o);
                    conflicts_.push_back({"", t.code + "/" + what, "changed differently on both sides",
                                          text(get(base)), text(get(*o)), text(get(t))});
            }
        };
        merge([](const Field& f) { return f.name; }, "name", out.name, [](const std::string& s) { return s; });
        merge([](const Field& f) { return f.not_applicable; }, "not-applicable", out.not_applicable, &reason_of);
        return out;
    }

    Item merge_item(const Item& b, const Item& o, const Item& t) {
        Item out = t;
        switch (decide(b.id == o.id, b.id == t.id, o.id == t.id)) {
            case Take::theirs: break;
            case Take::ours: out.id = o.id; break;
            case Take::conflict: conflicts_.push_back({t.id, "id", "renamed differently on both sides", b.id, o.id, t.id});
        }
        for (auto c : all_columns) {
            auto take = decide(same_column(b, o, c), same_column(b, t, c), same_column(o, t, c));
            if (take == Take::theirs) continue;
            if (take == Take::ours) {
                copy_column(out, o, c);
                continue;
            }
            if (is_set_column(c) && assign_members(out, c, merge_members(b, o, t, c), {&t, &o, &b})) continue;
            copy_column(out, o, c);
            conflicts_.push_back({out.id, std::string(to_string(c)), "changed differently on both sides", render(b, c),
                                  render(o, c), render(t, c)});
        }
        return out;
    }

    static bool same_apart_from_provenance(const Item& a, const Item& b) {
        return std::ranges::all_of(all_columns, [&](Column c) {
            return c == Column::evidence || c == Column::reconstructed || same_column(a, b, c);
        });
    }

    void item_conflict(const Item& kept, std::string reason, const Item& b, const Item* o, const Item* t) {
        conflicts_.push_back({kept.id, "item", std::move(reason), describe(b), o ? describe(*o) : "", t ? describe(*t) : ""});
    }

    std::optional<ItemPos> ours_added_with_id(const std::string& id) const {
        for (std::size_t f = 0; f < ours_.fields.size(); ++f)
            for (std::size_t i = 0; i < ours_.fields[f].items.size(); ++i)
                if (ours_.fields[f].items[i].id == id && !ours_to_base_.contains({f, i})) return ItemPos{f, i};
        return std::nullopt;
    }

    // The item theirs has at `tp`, merged, when it stays where theirs has it.
    std::optional<Item> from_theirs(ItemPos tp) {
        const auto& t = item_at(theirs_, tp);
        auto based = theirs_to_base_.find(tp);
        if (based == theirs_to_base_.end()) {
            if (auto op = ours_added_with_id(t.id)) {
                ours_done_.insert(*op);
                Item empty;
                empty.id = t.id;
                return merge_item(empty, item_at(ours_, *op), t);
            }
            if (carried(t)) return t;
            return std::nullopt;
        }
        const auto& b = item_at(base_, based->second);
        auto op = base_to_ours_.find(based->second);
        if (op == base_to_ours_.end()) {
            if (!carried(b) || !in_scope(field_of(base_, based->second).code)) {
                if (carried(t) && in_scope(field_of(theirs_, tp).code)) return t;
                return std::nullopt;
            }
            // Where theirs only saw the item elsewhere (来源, 重建说明), ours' removal stands.
            if (t == b || same_apart_from_provenance(t, b)) return std::nullopt;
            item_conflict(t, "removed by ours, changed by theirs", b, nullptr, &t);
            return t;
        }
        ours_done_.insert(op->second);
        auto merged = merge_item(b, item_at(ours_, op->second), t);
        bool ours_moved = field_of(base_, based->second).code == field_of(theirs_, tp).code &&
                          field_of(ours_, op->second).code != field_of(base_, based->second).code;
        if (!ours_moved) return merged;
        ours_placed_.emplace(op->second, std::move(merged));
        return std::nullopt;
    }

    static std::optional<std::pair<std::size_t, std::size_t>> find(const Catalog& c, const std::string& id) {
        for (std::size_t f = 0; f < c.fields.size(); ++f)
            for (std::size_t i = 0; i < c.fields[f].items.size(); ++i)
                if (c.fields[f].items[i].id == id) return std::pair{f, i};
        return std::nullopt;
    }

    // Puts an item ours holds, that theirs does not place, next to its anchor or the item before it in ours.
    void place_ours(ItemPos op, Catalog& result) {
        if (ours_done_.contains(op) && !ours_placed_.contains(op)) return;
        const auto& o = item_at(ours_, op);
        Item item = o;
        if (auto placed = ours_placed_.find(op); placed != ours_placed_.end()) {
            item = placed->second;
        } else if (auto based = ours_to_base_.find(op); based != ours_to_base_.end()) {
            const auto& b = item_at(base_, based->second);
            if (o == b) return;
            item_conflict(o, "changed by ours, removed by theirs", b, &o, nullptr);
        }
        std::optional<std::pair<std::size_t, std::size_t>> after;
        if (!item.anchor.empty()) after = find(result, item.anchor);
        if (after) {
            while (after->second + 1 < result.fields[after->first].items.size() &&
                   result.fields[after->first].items[after->second + 1].anchor == item.anchor)
                ++after->second;
        }
        for (auto k = op.item; !after && k-- > 0;) after = find(result, ours_.fields[op.field].items[k].id);
        if (after) {
            auto& items = result.fields[after->first].items;
            items.insert(items.begin() + static_cast<std::ptrdiff_t>(after->second + 1), std::move(item));
            return;
        }
        const auto& field = ours_.fields[op.field];
        auto target = std::ranges::find(result.fields, field.code, &Field::code);
        if (target == result.fields.end()) {
            result.fields.push_back(Field{field.code, field.name, field.not_applicable, {}, {}});
            target = result.fields.end() - 1;
        }
        target->items.push_back(std::move(item));
    }
};

}  // namespace

MergeResult merge_catalogs(const Catalog& base, const Catalog& ours, const Catalog& theirs) {
    return Merger(base, ours, theirs).run();
}

std::string write_with_conflicts(const MergeResult& result) {
    pugi::xml_document doc;
    std::string canonical = write_catalog(result.catalog);
    doc.load_buffer(canonical.data(), canonical.size(), pugi::parse_default | pugi::parse_declaration);
    auto root = doc.document_element();
    for (const auto& c : result.conflicts) {
        pugi::xml_node holder = root;
        for (auto field : root.children("field"))
            if (auto item = field.find_child_by_attribute("item", "id", c.item.c_str()); item && !c.item.empty()) holder = item;
        auto node = holder.prepend_child("conflict");
        node.append_attribute("xmlns").set_value("urn:gkml:merge:1");
        node.append_attribute("column").set_value(c.column.c_str());
        node.append_attribute("reason").set_value(c.reason.c_str());
        for (auto [name, text] : {std::pair{"base", &c.base}, {"ours", &c.ours}, {"theirs", &c.theirs}})
            node.append_child(name).text().set(text->c_str());
    }
    std::ostringstream out;
    doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
    return out.str();
}

}  // namespace gkml
