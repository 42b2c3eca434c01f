// Differences between two catalogs: typed changes per item, per column, ordered by item key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/match.hpp"
#include "gkml/model.hpp"

namespace gkml {

// The columns of an item as diff and merge see them, in the order of the national table.
enum class Column {
    category, name, levels, status, replaced_by, anchor, elements, basis, time_limit, subject, channels, audience,
    mode, not_applicable, evidence, reconstructed, column_kind
};
inline constexpr Column all_columns[] = {
    Column::category, Column::name,     Column::levels,   Column::status,   Column::replaced_by, Column::anchor,
    Column::elements, Column::basis,    Column::time_limit, Column::subject, Column::channels,   Column::audience,
    Column::mode,     Column::not_applicable, Column::evidence, Column::reconstructed, Column::column_kind};

std::string_view to_string(Column);  // the XML name: time-limit, not-applicable …
std::string_view label_zh(Column);   // 公开时限 …

// Set columns hold members whose order carries no meaning; the others hold one text.
bool is_set_column(Column);
std::string column_text(const Item&, Column);
std::vector<std::string> column_members(const Item&, Column);  // each member written as one line of text
// A member as an officer reads it: 政府网站（必选）, 县级, 全社会, 依申请 …; other members as they are.
std::string member_zh(Column, std::string_view member);
bool same_column(const Item& a, const Item& b, Column);

// Copies one column of `from` into `to`.
void copy_column(Item& to, const Item& from, Column);
// Sets a set column to `members`, each built from whichever of `sources` holds it; false when the
// members cannot form one value (two different 特定群体).
bool assign_members(Item& to, Column, const std::vector<std::string>& members, const std::vector<const Item*>& sources);

// A character-level diff of two texts: runs kept, removed from the old text, added in the new one.
struct TextPiece {
    enum Kind { same, removed, added } kind = same;
    std::string text;
    bool operator==(const TextPiece&) const = default;
};
std::vector<TextPiece> diff_text(std::string_view old_text, std::string_view new_text);

struct ColumnChange {
    Column column = Column::category;
    std::string old_text;  // text columns
    std::string new_text;
    std::vector<TextPiece> pieces;     // text columns: character-level diff
    std::vector<std::string> added;    // set columns
    std::vector<std::string> removed;  // set columns
    bool operator==(const ColumnChange&) const = default;
};

enum class ChangeKind { added, removed, matched };

struct ItemChange {
    ChangeKind kind = ChangeKind::matched;
    std::string id;      // the new id; the old one for removed items
    std::string old_id;  // differs from `id` for renames and name matches
    std::string old_field;
    std::string new_field;
    MatchKind match = MatchKind::id;
    double score = 1.0;
    bool deprecated = false;  // active before, deprecated now
    std::vector<ColumnChange> columns;
    bool moved() const { return kind == ChangeKind::matched && old_field != new_field; }
    bool operator==(const ItemChange&) const = default;
};

// A change of the catalog's header or of a field's attributes: "version", "title", "20/name" …
struct HeaderChange {
    std::string what;
    std::string old_text;
    std::string new_text;
    bool operator==(const HeaderChange&) const = default;
};

struct CatalogDiff {
    std::vector<HeaderChange> header;
    std::vector<ItemChange> items;  // sorted by id; matched items only when something changed
    std::vector<Ambiguity> ambiguous;
    bool names_compared = true;  // see Matching::names_compared
    bool empty() const { return header.empty() && items.empty() && ambiguous.empty(); }
};

struct DiffOptions {
    std::string field;  // only items in this field (old or new); empty: all
    // Where each item was seen (来源, 重建说明, the catalog's sources) compared too; false: only what the
    // items say, as when a city's standard is set against the national one it derives from.
    bool provenance = true;
    MatchOptions match;
};

// The key an item is reported under: its id, or 【一级事项】二级事项 where it has none.
std::string item_key(const Item& item);

std::vector<ColumnChange> diff_items(const Item& old_item, const Item& new_item);
CatalogDiff diff_catalogs(const Catalog& old_catalog, const Catalog& new_catalog, const DiffOptions& options = {});

}  // namespace gkml
