#include "gkml/stats.hpp"

#include <set>

#include "gkml/timelimit.hpp"

namespace gkml {

std::vector<FieldStats> catalog_stats(const Catalog& catalog) {
    std::vector<FieldStats> out;
    for (const auto& field : catalog.fields) {
        FieldStats s;
        s.field = field.code;
        s.name = field.name;
        std::set<std::string> categories;
        for (const auto& item : field.items) {
            ++s.items;
            categories.insert(item.category);
            s.deprecated += item.status == ItemStatus::deprecated ? 1 : 0;
            if (item.time_limit) {
                ++s.time_limits;
                s.parsed += parse_time_limit(item.time_limit->text).parsed() ? 1 : 0;
            }
            if (item.status != ItemStatus::active) continue;  // the rest: items in force
            s.with_evidence += item.evidence.seen.empty() ? 0 : 1;
            s.reconstructed += item.evidence.reconstructed.empty() ? 0 : 1;
            for (auto level : item.levels) ++s.levels[std::string(to_string(level))];
            if (item.mode) {
                s.proactive += item.mode->proactive ? 1 : 0;
                s.on_request += item.mode->on_request ? 1 : 0;
            }
        }
        s.categories = static_cast<int>(categories.size());
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace gkml
