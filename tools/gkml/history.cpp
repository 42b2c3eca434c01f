#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "audit.hpp"
#include "commands.hpp"

namespace gkml::cli {

namespace {

struct HistoryArgs {
    AuditArgs audit;
    std::string format = "text";
};

std::string cell(const std::optional<Figures>& figures, const FigureInfo& figure) {
    if (!figures) return "-";
    const auto& ratio = *figures.*figure.ratio;
    return std::to_string(ratio.num) + "/" + std::to_string(ratio.den);
}

int run_history(const HistoryArgs& args) {
    std::optional<AuditBasis> basis;
    auto audit = open_audit(args.audit, basis);
    if (!audit) return report(audit.error());
    auto history = audit_history(*audit);
    if (!history) return report(history.error());
    const auto& rows = *history;
    if (args.format == "json") {
        auto out = nlohmann::ordered_json::array();
        for (const auto& r : rows) {
            nlohmann::ordered_json row{{"snapshot", r.snapshot.id}, {"taken", r.snapshot.taken}, {"unit", r.snapshot.unit},
                                       {"kind", to_string(r.snapshot.kind)}, {"source", r.snapshot.source}};
            if (r.figures)
                for (const auto& figure : figure_info) {
                    const auto& ratio = *r.figures.*figure.ratio;
                    auto value = ratio.value();
                    row[std::string(figure.key)] = {{"ratio", value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr)},
                                              {"num", ratio.num}, {"den", ratio.den}};
                }
            out.push_back(std::move(row));
        }
        std::cout << out.dump(2) << '\n';
        return ok;
    }
    std::cout << "period " << audit->options.period.label << "\nsnapshot  taken                 unit          kind     ";
    for (const auto& figure : figure_info) std::cout << std::left << std::setw(12) << figure.key;
    std::cout << "source\n";
    for (const auto& r : rows) {
        std::cout << std::left << std::setw(10) << r.snapshot.id << std::setw(22) << r.snapshot.taken << std::setw(14)
                  << r.snapshot.unit << std::setw(9) << to_string(r.snapshot.kind);
        for (const auto& figure : figure_info) std::cout << std::setw(12) << cell(r.figures, figure);
        std::cout << r.snapshot.source << '\n';
    }
    return ok;
}

}  // namespace

void add_history(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<HistoryArgs>();
    auto* sub = app.add_subcommand("history", "Coverage figures after each ingest, for trends");
    add_audit_options(*sub, args->audit);
    sub->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub->footer("Each row is one snapshot: the figures of its unit as the database held them right after it.");
    sub->callback([args, &exit_code] { exit_code = run_history(*args); });
}

}  // namespace gkml::cli
