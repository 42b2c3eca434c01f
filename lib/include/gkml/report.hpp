// The county report: one self-contained HTML page (inline CSS, SVG charts, no script, no network)
// for the county 政务公开办 — heat map of units × fields, per-unit findings, trend, printable summary.
#pragma once

#include <expected>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "gkml/coverage.hpp"
#include "gkml/error.hpp"
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

// The same page written as the units are computed (audit_report's `each`): each unit's section goes
// to an unnamed temporary file (TMPDIR) as it is handed over, and only what the summary, heat map and
// bars show of it is kept, so memory stays flat in the number of units. finish() writes the page to
// `out`, from an input whose coverage holds figures only (its units are not read); the bytes are
// report_html's of the whole input.
class ReportWriter {
public:
    explicit ReportWriter(const std::vector<FieldEntry>& fields);  // the registry: names of the fields
    ReportWriter(ReportWriter&&) noexcept;
    ~ReportWriter();
    void unit(const UnitCoverage& unit);  // in code order
    // A temporary file that could not be made, written or read (disk full): exit 4.
    std::expected<void, Error> finish(std::ostream& out, const ReportInput& input);

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The report's stylesheet, for other pages that should look like it (gkml serve's).
std::string_view report_style();

}  // namespace gkml
