// 整改清单: what a unit has to put right, finding by finding, as the county office sends it back —
// every finding of its coverage (UnitCoverage), with the item's name, what is wrong and the rule it
// breaks, what to do and by when; columns left for the unit to fill (整改措施, 完成时限, 责任人).
// As a workbook (a sheet per unit) and as a printable A4 notice (a page per unit).
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/coverage.hpp"
#include "gkml/error.hpp"

namespace gkml {

enum class FindingKind { missing, incomplete, blank, not_updated, late, to_verify };
std::string_view label_zh(FindingKind kind);  // 缺失事项, 要素渠道不全, 空白栏目, 应更新未更新, 逾期公开, 待核实

struct Finding {
    FindingKind kind = FindingKind::missing;
    std::string item;      // id
    std::string category;  // 一级事项 (empty for a late record)
    std::string name;      // 二级事项
    std::string problem;   // what is wrong, with its dates and the rule
    std::string action;    // what the unit is asked to do
    bool operator==(const Finding&) const = default;
};

struct RectifyList {
    std::string code, name;
    Level level = Level::township;
    Date judged_on;
    Date due;  // 整改期限
    std::vector<Finding> findings;  // in the order of the coverage: missing, incomplete, blank, not updated, late, to verify
    bool operator==(const RectifyList&) const = default;
};

// Every finding of `unit`, nothing else: its missing, incomplete, blank, not-updated, late and
// to-verify items, each once as the coverage lists it.
RectifyList rectify_list(const UnitCoverage& unit, Date due);

struct RectifyHeading {
    std::string title;   // e.g. 友谊县基层政务公开标准目录落实问题整改清单
    std::string issuer;  // 落款, e.g. 友谊县人民政府办公室（政务公开办）
    std::string period;  // 统计期间 label, e.g. 2025
    std::string standard;  // standard_text of what the figures were measured against
    Date issued;         // the notice's date
};

// One sheet per unit ("230522203000 建设乡"), a row per finding; the unit's columns open to type in.
std::expected<std::string, Error> rectify_to_xlsx(const std::vector<RectifyList>& lists, const RectifyHeading& heading,
                                                  const std::filesystem::path& scratch_folder);

// One self-contained page: a notice per unit, each starting a new A4 page when printed.
std::string rectify_to_html(const std::vector<RectifyList>& lists, const RectifyHeading& heading);

}  // namespace gkml
