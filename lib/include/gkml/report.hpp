// The county report: one self-contained HTML page (inline CSS, SVG charts, no script, no network)
// for the county 政务公开办 — heat map of units × fields, per-unit findings, trend, printable summary.
#pragma once

#include <string>
#include <vector>

#include "gkml/coverage.hpp"
#include "gkml/model.hpp"

namespace gkml {

// The county's figures as of one snapshot, for the trend chart.
struct TrendPoint {
    std::string label;  // what the reader sees on the axis, e.g. the snapshot date
    Figures figures;
    bool operator==(const TrendPoint&) const = default;
};

struct ReportInput {
    std::string title;       // e.g. 友谊县基层政务公开标准目录落实情况
    std::string as_of;       // the date the figures hold for; printed, never "now", so runs give the same bytes
    std::string issuer;      // the office that issues it, on the printed cover (e.g. 友谊县政务公开办)
    CoverageReport coverage;
    std::vector<FieldEntry> fields;  // the registry: column heads of the heat map
    std::vector<TrendPoint> trend;   // oldest first
    int stale_days = CoverageOptions{}.stale_days;  // as the figures were computed, for the legend
};

std::string report_html(const ReportInput& input);

// The report's stylesheet, for other pages that should look like it (gkml serve's).
std::string_view report_style();

}  // namespace gkml
