// How much a catalog holds, per field: what `gkml stats` reports about the standard and its evidence.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "gkml/model.hpp"

namespace gkml {

struct FieldStats {
    std::string field;  // code
    std::string name;
    int items = 0;          // deprecated ones too
    int categories = 0;     // distinct 一级事项
    int with_evidence = 0;  // active items seen in at least one published catalog (attested)
    int reconstructed = 0;  // active items with a `reconstructed` mark instead (inferred)
    int time_limits = 0;    // items with a time limit
    int parsed = 0;         // … whose text the parser understands
    int deprecated = 0;
    int active() const { return items - deprecated; }
    std::map<std::string, int> levels;  // level → items in force
    int proactive = 0;   // items in force, as levels
    int on_request = 0;
    bool operator==(const FieldStats&) const = default;
};

// One entry per field, in the catalog's field order.
std::vector<FieldStats> catalog_stats(const Catalog& catalog);

}  // namespace gkml
