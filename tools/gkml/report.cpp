#include <iostream>

#include "audit.hpp"
#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/report.hpp"

namespace gkml::cli {

namespace {

struct ReportArgs {
    AuditArgs audit;
    std::filesystem::path out;
    std::string title;
    std::string issuer;
};

// One trend point per ingest run: consecutive snapshots with the same label, or unlabelled ones taken
// in the same minute. Each point is named and holds the last snapshot of its run.
std::vector<std::pair<std::string, std::int64_t>> ingest_runs(const std::vector<Snapshot>& snapshots) {
    std::vector<std::pair<std::string, std::int64_t>> runs;
    for (const auto& s : snapshots) {
        std::string name = s.label.empty() ? s.taken.substr(0, 10) + " " + s.taken.substr(11, 5) : s.label;
        if (!runs.empty() && runs.back().first == name)
            runs.back().second = s.id;
        else
            runs.emplace_back(name, s.id);
    }
    return runs;
}

std::string default_title(const std::vector<Unit>& registry, const std::vector<Unit>& units) {
    if (units.size() == 1) return units.front().name + "基层政务公开标准目录落实情况";  // --unit of one unit: its page
    const Unit* county = county_of(registry, units);
    return (county ? county->name : std::string()) + "基层政务公开标准目录落实情况";
}

int run_report(const ReportArgs& args) {
    auto audit = open_audit(args.audit);
    if (!audit) return report(audit.error());
    auto fields = read_fields(data_dir() / "catalogs" / "fields.xml");
    if (!fields) return report(fields.error());
    auto now = coverage_in_store(audit->store, audit->units, audit->standards, audit->calendar, audit->options);
    if (!now) return report(now.error());

    ReportInput input;
    input.title = args.title.empty() ? default_title(audit->registry, audit->units) : args.title;
    input.stale_days = audit->options.stale_days;
    input.issuer = args.issuer;
    input.coverage = roll_up(audit->options.period, std::move(*now), audit->registry);
    input.coverage.standards = standards_used(input.coverage.units, audit->standards, audit->options);
    input.fields = std::move(*fields);
    auto snapshots = audit->store.snapshots();
    if (!snapshots) return report(snapshots.error());
    for (const auto& [name, last] : ingest_runs(*snapshots)) {
        if (last == snapshots->back().id) {  // the newest run is what the store holds now
            input.trend.push_back({name, input.coverage.total});
            continue;
        }
        auto then = coverage_in_store(audit->store, audit->units, audit->standards, audit->calendar, audit->options, last);
        if (!then) return report(then.error());
        Figures total;
        for (const auto& u : *then) total += u.figures;
        input.trend.push_back({name, total});
    }
    auto newest = audit->store.latest_formed();
    if (!newest) return report(newest.error());
    input.as_of = *newest ? format_date(**newest) : format_date(audit->options.period.to);

    if (auto written = write_atomically(args.out, report_html(input)); !written) return report(written.error());
    const auto& total = input.coverage.total;
    std::cerr << "gkml: report of " << input.coverage.units.size() << " units written to " << args.out.string()
              << " (catalog coverage " << total.catalog.num << "/" << total.catalog.den << ")\n";
    return ok;
}

}  // namespace

void add_report(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ReportArgs>();
    auto* sub = app.add_subcommand("report", "Write the county report: one self-contained HTML page");
    add_audit_options(*sub, args->audit);
    sub->add_option("-o,--output", args->out, "The HTML file to write")->required();
    sub->add_option("--title", args->title, "The page title (default: from the county in the unit registry)");
    sub->add_option("--issuer", args->issuer, "The issuing office, on the printed cover (e.g. 友谊县政务公开办)");
    sub->callback([args, &exit_code] { exit_code = run_report(*args); });
}

}  // namespace gkml::cli
