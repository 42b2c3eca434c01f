// The audit: what coverage, history, the county report and the 整改清单 share — the store, the
// standards, the calendar, the period and the units asked about — and each of them built from it.
// What `gkml coverage|history|report|rectify` print and what `gkml serve` shows are the same values.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/coverage.hpp"
#include "gkml/error.hpp"
#include "gkml/model.hpp"
#include "gkml/rectify.hpp"
#include "gkml/report.hpp"
#include "gkml/store.hpp"
#include "gkml/units.hpp"

namespace gkml {

// What every audit is measured with, read once: the standards, the official calendar, the field registry.
struct AuditBasis {
    std::vector<Catalog> standards;
    Calendar calendar;
    std::vector<FieldEntry> fields;
};

// From a data folder laid out as the bundled one (catalogs/standard, catalogs/calendar,
// catalogs/fields.xml); `standards` instead of catalogs/standard when given.
std::expected<AuditBasis, Error> load_audit_basis(const std::filesystem::path& data_dir,
                                                  const std::filesystem::path& standards = {});

// The units and the period asked about.
struct AuditScope {
    std::string unit;    // this unit and the units under it; empty: all
    std::string field;   // only this field; empty: all
    std::string period;  // YYYY or YYYY-Qn; empty: the year of the newest record
    int stale_days = CoverageOptions{}.stale_days;
    bool include_inferred = false;
};

struct Audit {
    Store store;
    const AuditBasis* basis = nullptr;  // outlives the audit
    CoverageOptions options;
    std::vector<Unit> registry;
    std::vector<Unit> units;  // the unit asked about and those under it; all when none is
};

// Opens the store for reading (an older database is migrated first) and chooses the units.
std::expected<Audit, Error> open_audit(const std::filesystem::path& db, const AuditBasis& basis, const AuditScope& scope);
// The same over a store already open.
std::expected<Audit, Error> audit_of(Store store, const AuditBasis& basis, const AuditScope& scope);

// `code` and every unit under it in `registry`, by code (empty when the registry lacks it).
std::vector<Unit> units_under(const std::vector<Unit>& registry, std::string_view code);

// The county (a county-level government, not a department) above `units`: it names the report and
// the 整改清单.
const Unit* county_of(const std::vector<Unit>& registry, const std::vector<Unit>& units);

// The units' coverage as the store held them at snapshot `as_of`, rolled up, with the standards used.
std::expected<CoverageReport, Error> audit_coverage(const Audit& audit, std::int64_t as_of = latest_snapshot);
// The same, each unit's whole coverage handed to `each` (in code order) and only its figures kept in
// the report: code, name, level, day judged on, figures, veto and standard; no fields or findings.
// Memory stays flat in the number of units.
std::expected<CoverageReport, Error> audit_coverage(const Audit& audit, std::int64_t as_of,
                                                   const std::function<void(const UnitCoverage&)>& each);

// One row per snapshot of the audited units: its figures right after it (none before the unit's first catalog).
struct HistoryRow {
    Snapshot snapshot;
    std::optional<Figures> figures;
};
std::expected<std::vector<HistoryRow>, Error> audit_history(const Audit& audit);

// The snapshots of the audited units, oldest first.
std::expected<std::vector<Snapshot>, Error> audit_snapshots(const Audit& audit);

// The county report's input: the coverage now, a trend point per ingest run, the day the data runs
// to. `title` empty: from the county in the registry (or the one unit asked about).
std::expected<ReportInput, Error> audit_report(const Audit& audit, std::string title, std::string issuer);
// The same, each unit's whole coverage handed to `each` (in code order, for a ReportWriter) and the
// input's coverage holding figures only.
std::expected<ReportInput, Error> audit_report(const Audit& audit, std::string title, std::string issuer,
                                               const std::function<void(const UnitCoverage&)>& each);

// One trend point per ingest run: consecutive snapshots with the same label, or unlabelled ones of
// the same run (Snapshot::run; in a store from before schema 8, taken in the same minute). Each point
// is named (its label, or the minute its run began) and holds the last snapshot of its run.
std::vector<std::pair<std::string, std::int64_t>> ingest_runs(const std::vector<Snapshot>& snapshots);

// The 整改清单 of every audited unit, issued on `date` (default: the newest record's formed date, else
// the period's end) and due `within` working days after it on the official calendar.
struct RectifyNotice {
    RectifyHeading heading;
    Date due;
    std::vector<RectifyList> lists;
};
std::expected<RectifyNotice, Error> audit_rectify(const Audit& audit, std::optional<Date> date, int within,
                                                  std::string title, std::string issuer);
// The same from the audit's coverage already computed (audit_coverage).
std::expected<RectifyNotice, Error> audit_rectify(const Audit& audit, const CoverageReport& coverage, std::optional<Date> date,
                                                  int within, std::string title, std::string issuer);

}  // namespace gkml
