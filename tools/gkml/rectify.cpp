#include <iostream>

#include "audit.hpp"
#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/rectify.hpp"

namespace gkml::cli {

namespace {

struct RectifyArgs {
    AuditArgs audit;
    std::filesystem::path out;
    std::string title, issuer, date;
    int within = 20;
};

int run_rectify(const RectifyArgs& args) {
    auto extension = args.out.extension().string();
    if (extension != ".xlsx" && extension != ".html" && extension != ".htm")
        return report(Error{ErrorKind::usage, "整改清单写成 .xlsx（工作簿）或 .html（打印用的整改通知） / -o names a .xlsx or .html file", "", 0});
    auto audit = open_audit(args.audit);
    if (!audit) return report(audit.error());
    auto units = coverage_in_store(audit->store, audit->units, audit->standards, audit->calendar, audit->options);
    if (!units) return report(units.error());
    auto result = roll_up(audit->options.period, std::move(*units), audit->registry);
    result.standards = standards_used(result.units, audit->standards, audit->options);

    // Issued on the day the data runs to (so that runs give the same bytes), unless told otherwise.
    Date issued = audit->options.period.to;
    if (!args.date.empty()) {
        auto given = parse_date(args.date);
        if (!given) return report(Error{ErrorKind::usage, "--date 写成 YYYY-MM-DD / --date takes YYYY-MM-DD, not " + args.date, "", 0});
        issued = *given;
    } else if (auto newest = audit->store.latest_formed(); newest && *newest) {
        issued = **newest;
    }
    auto due = add_workdays(issued, args.within, audit->calendar);
    if (!due) return report(due.error());

    const Unit* county = county_of(audit->registry, audit->units);
    RectifyHeading heading;
    heading.title = !args.title.empty() ? args.title
                                        : (county ? county->name : std::string()) + "基层政务公开标准目录落实问题整改清单";
    heading.issuer = !args.issuer.empty() ? args.issuer : county ? county->name : "";
    heading.period = result.period.label;
    for (const auto& s : result.standards) heading.standard += (heading.standard.empty() ? "" : "；") + standard_text(s);
    heading.issued = issued;
    std::vector<RectifyList> lists;
    for (const auto& u : result.units) lists.push_back(rectify_list(u, *due));

    std::expected<std::string, Error> bytes = extension == ".xlsx"
        ? rectify_to_xlsx(lists, heading, args.out.parent_path().empty() ? "." : args.out.parent_path())
        : rectify_to_html(lists, heading);
    if (!bytes) return report(bytes.error());
    if (auto written = write_atomically(args.out, *bytes); !written) return report(written.error());
    std::size_t findings = 0;
    for (const auto& l : lists) findings += l.findings.size();
    std::cerr << args.out.string() << "：" << lists.size() << " 个单位，" << findings << " 项问题，整改期限 " << format_date(*due) << " ("
              << lists.size() << " units, " << findings << " findings)\n";
    return ok;
}

}  // namespace

void add_rectify(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<RectifyArgs>();
    auto* sub = app.add_subcommand("rectify", "整改清单: each unit's findings to put right, as a workbook (.xlsx) or a printable notice (.html)");
    add_audit_options(*sub, args->audit);
    sub->add_option("-o,--output", args->out, "The .xlsx (a sheet per unit) or .html (a page per unit) to write")->required();
    sub->add_option("--within", args->within, "整改期限: working days after the notice's date (default 20)")->check(CLI::Range(1, 365));
    sub->add_option("--date", args->date, "The notice's date, YYYY-MM-DD (default: the newest record's formed date, else the period's end)");
    sub->add_option("--title", args->title, "Title (default: from the county in the unit registry)");
    sub->add_option("--issuer", args->issuer, "落款: the office that issues it (default: the county's name)");
    sub->callback([args, &exit_code] { exit_code = run_rectify(*args); });
}

}  // namespace gkml::cli
