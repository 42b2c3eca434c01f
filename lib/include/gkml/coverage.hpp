// Coverage of a unit against the standard catalog it is based on, at the unit's level, and of its
// ledger over a period. Every figure is a fraction with its numerator and denominator, so roll-ups
// sum them instead of averaging ratios.
//
// - catalog: applicable standard items (active, at the unit's level, in the unit's fields) the unit
//   holds (by id, or by name for items without one) ÷ applicable items less those the unit marks
//   not-applicable, item by item or by whole field, with a reason.
// - elements: over held items, the standard's required (●) 要素 the unit item lists (all 要素 where
//   the standard marks none required) ÷ those 要素.
// - channels: over held items, the standard's required (■) channels the unit item has ÷ those channels.
// - disclosure: over held proactive items that expect records in the period, those whose expectation
//   is met. Periodic rules expect their count per period among records published in the period; event
//   rules (N days after, 实时, 及时 …) expect, for each distinct formed date in the period, a record
//   published by the period's end; standing and unparsed rules expect one record published by then.
// - timeliness: records formed in the period published on or before the due date their item's time
//   limit sets from the formed date, on the holiday calendar ÷ records with a computable due date.
// - stale: held items with a standing rule whose newest record (published by the period's end) is
//   more than `stale_days` older than the period's end ÷ such items with any record. Lower is better.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/ledger.hpp"
#include "gkml/model.hpp"
#include "gkml/store.hpp"
#include "gkml/units.hpp"

namespace gkml {

struct Ratio {
    int num = 0;
    int den = 0;
    std::optional<double> value() const;  // nullopt: nothing was expected
    Ratio& operator+=(const Ratio& o);
    bool operator==(const Ratio&) const = default;
};

// "87.5%", or "—" where nothing was expected.
std::string percent(const Ratio& r);

struct Figures {
    Ratio catalog, elements, channels, disclosure, timeliness, stale;
    Figures& operator+=(const Figures& o);
    bool operator==(const Figures&) const = default;
};

// The figures where higher is better, by name, in report order (stale is not among them).
std::array<std::pair<std::string_view, Ratio>, 5> scored(const Figures& figures);

struct FieldFigures {
    std::string code;
    Figures figures;
    bool operator==(const FieldFigures&) const = default;
};

struct ItemRef {
    std::string id;
    std::string field;
    std::string category;  // 一级事项
    std::string name;      // 二级事项
    bool operator==(const ItemRef&) const = default;
};

struct LateRecord {
    std::string item;
    Date formed;
    Date published;
    Date due;
    bool operator==(const LateRecord&) const = default;
};

struct UnitCoverage {
    std::string code;
    std::string name;
    Level level = Level::township;
    Figures figures;
    std::vector<FieldFigures> fields;  // by code
    std::vector<ItemRef> missing;      // applicable, neither held nor justified not-applicable
    std::vector<ItemRef> undisclosed;  // held, expecting records, expectation not met
    std::vector<ItemRef> incomplete;   // held, lacking a required 要素 or channel of the standard item
    std::vector<ItemRef> stale;
    std::vector<ItemRef> local;      // the unit's own items: listed, not counted
    std::vector<ItemRef> unmatched;  // items matching no standard item: listed, not counted
    std::vector<LateRecord> late;    // by item, formed date
    bool operator==(const UnitCoverage&) const = default;
};

struct CoveragePeriod {
    Date from;
    Date to;  // inclusive
    std::string label;  // 2024, 2024-Q3
    bool operator==(const CoveragePeriod&) const = default;
};

// YYYY or YYYY-Qn.
std::optional<CoveragePeriod> parse_period(std::string_view text);

struct CoverageOptions {
    CoveragePeriod period;
    int stale_days = 90;
    std::string field;  // only this field; empty: all
};

// `unit` must have a level (provinces have none). `records` are the unit's ledger records.
UnitCoverage coverage_of(const Unit& unit, const Catalog& catalog, const Catalog& standard,
                         const std::vector<Record>& records, const Calendar& calendar, const CoverageOptions& options);

// Coverage of `units` as the store held them at snapshot `as_of`, a unit per core at a time. Units
// without a level or without a catalog are left out. Each catalog's `based-on` is looked up in
// `standards`; a base that is not there is an invalid_input error.
std::expected<std::vector<UnitCoverage>, Error> coverage_in_store(const Store& store, const std::vector<Unit>& units,
                                                                  const std::vector<Catalog>& standards,
                                                                  const Calendar& calendar, const CoverageOptions& options,
                                                                  std::int64_t as_of = latest_snapshot);

// The year of the newest formed date in the store; the current year when it holds no record.
std::expected<CoveragePeriod, Error> default_period(const Store& store);

// A county or city: the sums over the covered units under it (itself included).
struct AreaCoverage {
    std::string code;
    std::string name;
    std::optional<Level> level;
    int units = 0;
    Figures figures;
    bool operator==(const AreaCoverage&) const = default;
};

struct CoverageReport {
    CoveragePeriod period;
    std::vector<UnitCoverage> units;  // by code
    Figures total;
    std::vector<AreaCoverage> areas;  // counties and cities above the units, by code
    bool operator==(const CoverageReport&) const = default;
};

// Totals and per-area roll-ups of `units`, using `registry` for the parents.
CoverageReport roll_up(CoveragePeriod period, std::vector<UnitCoverage> units, const std::vector<Unit>& registry);

// {"period", "units": [{code, name, level, catalog: {ratio, num, den}, …, fields, missing, late …}], "rollup"}.
std::string coverage_to_json(const CoverageReport& report);

// One row per unit (field empty) and per unit and field: numerators and denominators of every figure.
std::string coverage_to_csv(const CoverageReport& report);

// For a county officer: worst catalog coverage first, what is missing, late and stale named.
std::string coverage_to_text(const CoverageReport& report);

}  // namespace gkml
