// Pairing the items of two catalogs: by id, else by normalized names with a similarity score.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/model.hpp"

namespace gkml {

// Where an item sits in its catalog: catalog.fields[field].items[item].
struct ItemPos {
    std::size_t field = 0;
    std::size_t item = 0;
    auto operator<=>(const ItemPos&) const = default;
};

const Item& item_at(const Catalog& catalog, ItemPos pos);
const Field& field_of(const Catalog& catalog, ItemPos pos);

enum class MatchKind {
    id,       // same id
    renamed,  // different ids, same content otherwise
    name,     // no usable id on one side: normalized 一级 + 二级事项 alike
};

struct MatchedPair {
    ItemPos old_item;
    ItemPos new_item;
    MatchKind kind = MatchKind::id;
    double score = 1.0;  // name similarity, 1 for id and renamed pairs
    bool operator==(const MatchedPair&) const = default;
};

// An item with several equally good candidates on the other side: left unpaired.
struct Ambiguity {
    bool in_old = true;  // which catalog `item` belongs to
    ItemPos item;
    std::vector<ItemPos> candidates;
    double score = 0;
    bool operator==(const Ambiguity&) const = default;
};

struct Matching {
    std::vector<MatchedPair> pairs;  // in the order of the old catalog
    std::vector<ItemPos> only_old;   // unpaired, ambiguous ones included
    std::vector<ItemPos> only_new;
    std::vector<Ambiguity> ambiguous;
    bool names_compared = true;  // false: too many unpaired items; only names equal once normalized were paired
};

struct MatchOptions {
    double threshold = 0.8;  // least name similarity for a pair
    double margin = 0.05;    // candidates closer than this to the best one make the match ambiguous
    // Unpaired old × new items compared by name at most (about 150 ns each); beyond, only equal names pair.
    std::size_t max_comparisons = 20'000'000;
};

// An id that identifies an item across catalogs: FF-NNN or L-…; imported tables may carry none.
bool has_usable_id(const Item& item);

// 一级事项 + 二级事项 folded to half width, punctuation and spaces dropped, ASCII lower-cased.
std::string normalized_name(std::string_view text);

// 2 × common characters / total characters of the two texts (longest common subsequence), 0..1.
double text_similarity(std::string_view a, std::string_view b);

// How alike two items' names are: the 二级事项 counts twice the 一级事项.
double name_similarity(const Item& a, const Item& b);

// Pairs by id; then unpaired items with ids whose content is equal apart from the id (renames); then
// items without a usable id by name: names equal once normalized pair first (even when another name
// lies within the margin), then the closest name, never pairing an item with two equally good candidates.
Matching match_items(const Catalog& old_catalog, const Catalog& new_catalog, const MatchOptions& options = {});

}  // namespace gkml
