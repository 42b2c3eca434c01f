#include <cstdio>
#include <iostream>
#include <map>

#include "audit.hpp"
#include "commands.hpp"
#include "table.hpp"

namespace gkml::cli {

void add_audit_options(CLI::App& sub, AuditArgs& args) {
    sub.add_option("--db", args.db, "The store gkml ingest filled: a SQLite file or a postgresql:// URL")->required();
    sub.add_option("--unit", args.scope.unit, "Only this unit and the units under it (division code)");
    sub.add_option("--field", args.scope.field, "Only this field (two-digit code)");
    sub.add_option("--period", args.scope.period, "YYYY or YYYY-Qn (default: the year of the newest record)");
    sub.add_option("--standard", args.standard, "Folder of the standard catalogs (default: catalogs/standard)");
    sub.add_option("--stale-days", args.scope.stale_days,
                   "长期未更新: days an item judged by neither a period nor a column kind may go without a disclosure (default 180)")
        ->check(CLI::NonNegativeNumber);
    sub.add_flag("--include-inferred", args.scope.include_inferred,
                 "Count the standard's inferred items (推定事项, no published source) as requirements; by default the ones a unit "
                 "lacks are listed as 待核实 and counted nowhere");
}

std::expected<Audit, Error> open_audit(const AuditArgs& args, std::optional<AuditBasis>& basis) {
    auto loaded = load_audit_basis(data_dir(), args.standard);
    if (!loaded) return std::unexpected(loaded.error());
    basis = std::move(*loaded);
    return gkml::open_audit(args.db, *basis, args.scope);
}

namespace {

struct CoverageArgs {
    AuditArgs audit;
    std::string format = "text";
    bool summary = false;
    std::optional<double> fail_under;
    std::optional<std::int64_t> baseline;
};

std::string shown(const Ratio& r) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", r.value().value_or(1.0));
    return std::string(buffer) + " (" + std::to_string(r.num) + "/" + std::to_string(r.den) + ")";
}

// Figures under the bar, and figures that fell since the baseline: each named on stderr.
bool failing(const CoverageReport& now, std::optional<double> bar, const std::vector<UnitCoverage>* baseline,
             std::int64_t baseline_id) {
    std::map<std::string, const Figures*> before;
    if (baseline)
        for (const auto& u : *baseline) before[u.code] = &u.figures;
    bool failed = false;
    for (const auto& u : now.units) {
        auto was = before.find(u.code);
        for (const auto& figure : figure_info) {
            const auto& ratio = u.figures.*figure.ratio;
            auto value = ratio.value();
            if (!value) continue;
            if (bar && figure.higher_is_better && *value < *bar) {
                std::cerr << "gkml: " << u.code << ' ' << u.name << ": " << figure.key << ' ' << shown(ratio) << " is under " << *bar << '\n';
                failed = true;
            }
            if (was == before.end()) continue;
            // A rate that fell; a count of blank or not-updated items that rose (as inspections count them).
            const auto& old = was->second->*figure.ratio;
            if (old.value() && (figure.higher_is_better ? *value < *old.value() : ratio.num > old.num)) {
                std::cerr << "gkml: " << u.code << ' ' << u.name << ": " << figure.key << (figure.higher_is_better ? " fell" : " rose")
                          << " from " << shown(old) << " at snapshot " << baseline_id << " to " << shown(ratio) << '\n';
                failed = true;
            }
        }
    }
    return failed;
}

// What the summary shows of a unit's findings: counts, and why it is at veto risk.
struct Counted {
    std::size_t missing = 0, to_verify = 0, late = 0;
    std::string veto;  // veto_reasons
};

// One line per unit, worst catalog coverage first, and the total: what a county officer reads first.
// `counted` holds each unit's findings by code (the report keeps figures only).
std::string summary_table(const CoverageReport& result, const std::map<std::string, Counted, std::less<>>& counted) {
    std::vector<const UnitCoverage*> units;
    for (const auto& u : result.units) units.push_back(&u);
    std::ranges::stable_sort(units, [](const UnitCoverage* a, const UnitCoverage* b) {
        return a->figures.catalog.value().value_or(1.0) < b->figures.catalog.value().value_or(1.0);
    });
    std::vector<std::vector<std::string>> rows;
    // Rates as percentages; blank and not-updated items as counts over what was judged, as inspections count them.
    auto row = [](std::string code, std::string name, const Figures& f, std::string missing, std::string late, std::string veto) {
        std::vector<std::string> cells{std::move(code), std::move(name)};
        for (const auto& figure : figure_info) {
            const auto& r = f.*figure.ratio;
            cells.push_back(figure.higher_is_better || !r.den ? percent(r) : std::to_string(r.num) + "/" + std::to_string(r.den));
        }
        cells.push_back(std::move(missing));
        cells.push_back(std::move(late));
        cells.push_back(std::move(veto));
        return cells;
    };
    std::size_t missing = 0, to_verify = 0, late = 0;
    for (const auto* u : units) {
        const auto& c = counted.at(u->code);
        rows.push_back(row(u->code, u->name, u->figures, std::to_string(c.missing), std::to_string(c.late), u->veto.any() ? "是" : ""));
        rows.back().insert(rows.back().end() - 2, std::to_string(c.to_verify));
        missing += c.missing;
        to_verify += c.to_verify;
        late += c.late;
    }
    if (units.size() > 1) {  // one unit's total would only repeat it
        rows.push_back(row("", "合计", result.total, std::to_string(missing), std::to_string(late), std::to_string(result.at_risk) + " 个"));
        rows.back().insert(rows.back().end() - 2, std::to_string(to_verify));
    }
    std::vector<Column> columns{{"代码", 12}, {"单位", 24}};
    for (const auto& figure : figure_info) columns.push_back({std::string(figure.name_zh), 12});
    for (auto title : {"缺失事项", "待核实", "逾期记录", "否决风险"}) columns.push_back({title, 8});
    std::string legend;
    for (const auto* u : units)
        if (u->veto.any()) legend += "单项否决风险 " + u->name + "：" + counted.at(u->code).veto + "\n";
    std::string standards;
    for (const auto& s : result.standards) standards += standard_text(s) + "\n";
    return "统计期间 " + result.period.label + judged_text(result) + "\n" + standards + render_table(columns, rows) + legend;
}

int run_coverage(const CoverageArgs& args) {
    std::optional<AuditBasis> basis;
    auto audit = open_audit(args.audit, basis);
    if (!audit) return report(audit.error());
    // No findings are kept (flat memory): the summary needs counts of each unit's only, and the other
    // forms are written a unit at a time.
    std::map<std::string, Counted, std::less<>> counted;
    const bool summary = args.summary && args.format == "text";
    std::optional<CoverageWriter> writer;
    if (!summary)
        writer.emplace(std::cout, args.format == "json" ? CoverageFormat::json
                                  : args.format == "csv" ? CoverageFormat::csv
                                                         : CoverageFormat::text);
    auto now = audit_coverage(*audit, latest_snapshot, [&](const UnitCoverage& u) {
        if (writer)
            writer->unit(u);
        else
            counted[u.code] = Counted{u.missing.size(), u.to_verify.size(), u.late.size(), veto_reasons(u)};
    });
    if (!now) return report(now.error());
    const auto& result = *now;
    std::optional<std::vector<UnitCoverage>> baseline;
    if (args.baseline) {
        auto then = coverage_in_store(audit->store, audit->units, basis->standards, basis->calendar, audit->options, *args.baseline);
        if (!then) return report(then.error());
        baseline = std::move(*then);
    }
    if (!writer)
        std::cout << summary_table(result, counted);
    else if (auto written = writer->finish(result); !written)
        return report(written.error());
    return failing(result, args.fail_under, baseline ? &*baseline : nullptr, args.baseline.value_or(0)) ? differs : ok;
}

}  // namespace

void add_coverage(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<CoverageArgs>();
    auto* sub = app.add_subcommand("coverage", "Coverage of units against the standard, from the database");
    add_audit_options(*sub, args->audit);
    sub->add_option("--format", args->format, "text, json or csv")->check(CLI::IsMember({"text", "json", "csv"}));
    sub->add_flag("--summary", args->summary, "Text: one line per unit and the total, instead of every finding");
    sub->add_option("--fail-under", args->fail_under, "Exit 1 when a unit's figure is under this ratio")->check(CLI::Range(0.0, 1.0));
    sub->add_option("--baseline", args->baseline, "Exit 1 when a unit's figure fell since this snapshot (see gkml history)");
    sub->footer("Figures: catalog, elements, channels, timeliness (higher is better); blank and not_updated (lower is better).\n"
                "--fail-under bars the four rates; --baseline also fails when the count of blank or not-updated items rose.");
    sub->callback([args, &exit_code] { exit_code = run_coverage(*args); });
}

}  // namespace gkml::cli
