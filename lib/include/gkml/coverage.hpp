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
// Blank and not-updated are judged on one day, the period's end or, when the ledgers stop earlier,
// the day they run to (CoverageOptions::judged_on):
// - blank (空白栏目): held proactive items with no disclosure published by that day ÷ held
//   proactive items. Lower is better.
// - not_updated (应更新未更新): held proactive items whose newest disclosure (published by the period's
//   end) is older than their update rule allows ÷ held proactive items with a disclosure and a rule to
//   judge by. The rule: a news column (动态要闻类), something within 2 weeks of that day; a notice or
//   policy column (通知公告类, 政策文件类), within 6 months (a month's last day counting back to a
//   month's last day); a periodic 公开时限, something after the due date before the last one due
//   by that day; any other parsed 公开时限, within `stale_days`. Lower is better.
// - timeliness: records formed in the period published on or before the due date their item's time
//   limit sets from the formed date, on the holiday calendar ÷ records with a computable due date.
// A unit at or over a veto threshold of the inspection (≥ 5 blank items, ≥ 5 news, notice or policy
// items not updated, ≥ 10 items not updated) is flagged: 单项否决风险.
#pragma once

#include <array>
#include <expected>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/error.hpp"
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
    Ratio catalog, elements, channels, blank, not_updated, timeliness;
    Figures& operator+=(const Figures& o);
    bool operator==(const Figures&) const = default;
};

// Every figure in report order: its JSON/CSV key, the name an officer uses, and which way is better.
struct FigureInfo {
    std::string_view key;
    std::string_view name_zh;
    bool higher_is_better;
    Ratio Figures::*ratio;
};
inline constexpr std::array<FigureInfo, 6> figure_info{{
    {"catalog", "目录覆盖", true, &Figures::catalog},
    {"elements", "要素完整", true, &Figures::elements},
    {"channels", "渠道齐全", true, &Figures::channels},
    {"blank", "空白栏目", false, &Figures::blank},
    {"not_updated", "应更新未更新", false, &Figures::not_updated},
    {"timeliness", "按时公开", true, &Figures::timeliness},
}};

// The thresholds of 国办秘函〔2019〕19号 (栏目不更新, 空白栏目: "超过(含)"), counted per unit.
inline constexpr int veto_blank = 5;          // 空白栏目
inline constexpr int veto_short_cycle = 5;    // 动态要闻类 not updated in 2 weeks, 通知公告/政策文件类 in 6 months
inline constexpr int veto_not_updated = 10;   // 应更新但长期未更新

struct VetoRisk {
    bool blank = false;
    bool short_cycle = false;
    bool not_updated = false;
    bool any() const { return blank || short_cycle || not_updated; }
    bool operator==(const VetoRisk&) const = default;
};

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
    std::string name;  // 二级事项
    Date formed;
    Date published;
    Date due;
    bool operator==(const LateRecord&) const = default;
};

// What an item's update was judged by.
enum class UpdateRule { periodic, news, notice, policy, other };
std::string_view label_zh(UpdateRule rule);  // 定期公开, 动态要闻类（2周）…

struct NotUpdated {
    ItemRef item;
    UpdateRule rule = UpdateRule::other;
    Date newest;  // its newest disclosure
    Date since;   // the rule wanted one on or after this day
    bool operator==(const NotUpdated&) const = default;
};

// What a held item lacks of its standard item: required 要素 and required channels, by name.
struct Lacking {
    std::vector<std::string> elements;
    std::vector<std::string> channels;
    bool operator==(const Lacking&) const = default;
};

struct UnitCoverage {
    std::string code;
    std::string name;
    Level level = Level::township;
    Date judged_on;  // see CoverageOptions::judged_on
    Figures figures;
    std::vector<FieldFigures> fields;  // by code
    std::vector<ItemRef> missing;      // applicable, neither held nor justified not-applicable
    std::vector<ItemRef> incomplete;   // held, lacking a required 要素 or channel of the standard item
    std::vector<Lacking> lacking;      // for each of `incomplete`, what it lacks
    std::vector<ItemRef> blank;        // held, proactive, nothing published by the period's end
    std::vector<NotUpdated> not_updated;
    VetoRisk veto;
    std::vector<ItemRef> local;      // the unit's own items: listed, not counted
    std::vector<ItemRef> unmatched;  // items matching no standard item: listed, not counted
    std::vector<LateRecord> late;    // by item, formed date
    // Inferred standard items the unit lacks, not counted (待核实); empty when they are counted.
    std::vector<ItemRef> to_verify;
    std::string standard, standard_version;  // the standard it was measured against (its catalog's based-on)
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
    int stale_days = 180;  // 长期未更新 for items judged by neither a column kind nor a period
    std::string field;  // only this field; empty: all
    // The day blank and not-updated are judged on (the inspection's 监测时间点): the period's end, or
    // the day the ledgers run to where that is earlier (a mid-year self-check is judged at mid-year).
    // coverage_in_store finds it in the store when it is not given.
    std::optional<Date> judged_on;
    // Inferred standard items (Item::inferred) counted as requirements; by default they are left out
    // of every figure and the ones a unit lacks are listed as 待核实 (UnitCoverage::to_verify).
    bool include_inferred = false;
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

// The same, each unit handed to `each` in order as soon as it and the few hundred computed with it
// are done: a province's findings are never all held at once.
std::expected<void, Error> for_each_coverage(const Store& store, const std::vector<Unit>& units,
                                             const std::vector<Catalog>& standards, const Calendar& calendar,
                                             const CoverageOptions& options, std::int64_t as_of,
                                             const std::function<void(UnitCoverage&&)>& each);

// The year of the newest formed date in the store; the current year when it holds no record.
std::expected<CoveragePeriod, Error> default_period(const Store& store);

// A county or city: the sums over the covered units under it (itself included).
struct AreaCoverage {
    std::string code;
    std::string name;
    std::optional<Level> level;
    int units = 0;
    int at_risk = 0;  // units flagged 单项否决风险
    Figures figures;
    bool operator==(const AreaCoverage&) const = default;
};

// A standard the units were measured against, and how much of it is attested.
struct StandardUse {
    std::string id, version;
    int items = 0;     // active items
    int attested = 0;  // of those, shown by a published table (or by the locality's own document)
    int inferred = 0;  // of those, inferred (<reconstructed>)
    bool inferred_counted = false;  // CoverageOptions::include_inferred
    bool operator==(const StandardUse&) const = default;
};

// The standards `units` were measured against, in the order of `standards`.
std::vector<StandardUse> standards_used(const std::vector<UnitCoverage>& units, const std::vector<Catalog>& standards,
                                        const CoverageOptions& options);

// "依据标准 gkml-standard 2019.1：事项 360 个，有出处 207 个；推定事项 153 个不计入，缺的列为待核实".
std::string standard_text(const StandardUse& use);

struct CoverageReport {
    CoveragePeriod period;
    Date judged_on;  // the units' (the latest of them); the period's end when there is none
    std::vector<UnitCoverage> units;  // by code
    Figures total;
    int at_risk = 0;
    std::vector<AreaCoverage> areas;  // counties and cities above the units, by code
    std::vector<StandardUse> standards;  // what the figures were measured against (standards_used)
    bool operator==(const CoverageReport&) const = default;
};

// Totals and per-area roll-ups of `units`, using `registry` for the parents.
CoverageReport roll_up(CoveragePeriod period, std::vector<UnitCoverage> units, const std::vector<Unit>& registry);

// {"period", "units": [{code, name, level, catalog: {ratio, num, den}, …, fields, missing, late …}], "rollup"}.
std::string coverage_to_json(const CoverageReport& report);
// The same written as it is made, a unit at a time (a province's document is 180 MB).
void write_coverage_json(std::ostream& out, const CoverageReport& report);

// One row per unit (field empty) and per unit and field: numerators and denominators of every figure.
std::string coverage_to_csv(const CoverageReport& report);

// Coverage written as the units are computed (audit_coverage's `each`), in the bytes
// write_coverage_json, coverage_to_csv and coverage_to_text give for the whole report: each unit is
// written to an unnamed temporary file (TMPDIR) as it is handed over and then dropped, so memory stays
// flat in the number of units; nothing reaches `out` before finish(), whose report (figures only is
// enough) gives the JSON's head and roll-up and the text's order. A unit of a province's JSON is ~80 KB.
enum class CoverageFormat { json, csv, text };
class CoverageWriter {
public:
    CoverageWriter(std::ostream& out, CoverageFormat format);
    CoverageWriter(CoverageWriter&&) noexcept;
    ~CoverageWriter();
    void unit(const UnitCoverage& unit);  // in code order, as the report holds them
    // A temporary file that could not be made, written or read (disk full): exit 4.
    std::expected<void, Error> finish(const CoverageReport& report);

private:
    struct State;
    std::unique_ptr<State> state_;
};

// "，台账截至 2025-06-30，空白栏目和应更新未更新按这一天判断" when the figures are judged before the
// period's end; empty otherwise.
std::string judged_text(const CoverageReport& report);

// Why a unit is flagged 单项否决风险, for an officer: "空白栏目 7 个（≥5）；…"; empty when it is not.
std::string veto_reasons(const UnitCoverage& unit);

// For a county officer, in Chinese: worst catalog coverage first; what is missing, blank, not updated
// and late named; the roll-ups above the units only where they sum more than one unit.
std::string coverage_to_text(const CoverageReport& report);

}  // namespace gkml
