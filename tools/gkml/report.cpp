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

int run_report(const ReportArgs& args) {
    std::optional<AuditBasis> basis;
    auto audit = open_audit(args.audit, basis);
    if (!audit) return report(audit.error());
    // A unit at a time: the page of a province is 100 MB and its findings more (flat memory).
    ReportWriter page(basis->fields);
    auto made = audit_report(*audit, args.title, args.issuer, [&](const UnitCoverage& u) { page.unit(u); });
    if (!made) return report(made.error());
    const auto& input = *made;
    if (auto written = write_atomically(args.out, [&](std::ostream& out) { return page.finish(out, input); }); !written)
        return report(written.error());
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
