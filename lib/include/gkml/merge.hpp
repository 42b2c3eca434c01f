// 3-way merge of catalogs, keyed by item and column: carrying a unit's catalog onto a new revision
// of the standard, or joining two edits of one catalog.
#pragma once

#include <string>
#include <vector>

#include "gkml/model.hpp"

namespace gkml {

struct Conflict {
    std::string item;    // item id; empty for the catalog header
    std::string column;  // column name (diff.hpp), "item" when the whole item is at stake, "header", "CODE/name" …
    std::string reason;
    std::string base;    // each side's value as text; empty where the side does not have it
    std::string ours;
    std::string theirs;
    bool operator==(const Conflict&) const = default;
};

struct MergeResult {
    Catalog catalog;  // where a column conflicts it holds our value
    std::vector<Conflict> conflicts;
    bool clean() const { return conflicts.empty(); }
};

// Columns changed on one side take that side, equal changes agree, set columns merge member by member,
// different changes to one column conflict, as does removing an item the other side changed.
// Items follow theirs; our own items stay next to the item they are anchored to.
// When ours is a unit catalog derived from base, the result is ours rebased onto theirs: header and
// `based-on` from ours and theirs, fields ours does not carry left out, and items not at our unit's
// level (absent from ours for that reason) carried only where theirs puts them at that level.
MergeResult merge_catalogs(const Catalog& base, const Catalog& ours, const Catalog& theirs);

// The merged catalog as XML with a <conflict xmlns="urn:gkml:merge:1"> element in each conflicting
// item (and under the root for the header), holding base, ours and theirs, for a clerk to resolve.
// The markers make the file fail validation until they are removed.
std::string write_with_conflicts(const MergeResult& result);

}  // namespace gkml
