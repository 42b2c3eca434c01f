// What `gkml coverage` and `gkml history` share: the store, the standard, the calendar, the period and
// the units asked about.
#pragma once

#include <CLI/CLI.hpp>

#include "gkml/coverage.hpp"
#include "gkml/store.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

struct AuditArgs {
    std::filesystem::path db;
    std::filesystem::path standard;
    std::string unit;
    std::string field;
    std::string period;
    int stale_days = CoverageOptions{}.stale_days;
    bool include_inferred = false;
};

struct Audit {
    Store store;
    std::vector<Catalog> standards;
    Calendar calendar;
    CoverageOptions options;
    std::vector<Unit> registry;
    std::vector<Unit> units;  // the unit asked about and those under it; all without --unit
};

void add_audit_options(CLI::App& sub, AuditArgs& args);

// The county (a county-level government, not a department) above the units asked about: it names
// the report and the 整改清单.
const Unit* county_of(const std::vector<Unit>& registry, const std::vector<Unit>& units);

std::expected<Audit, Error> open_audit(const AuditArgs& args);

}  // namespace gkml::cli
