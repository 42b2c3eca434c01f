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
    std::optional<Date> date;
    if (!args.date.empty()) {
        date = parse_date(args.date);
        if (!date) return report(Error{ErrorKind::usage, "--date 写成 YYYY-MM-DD / --date takes YYYY-MM-DD, not " + args.date, "", 0});
    }
    std::optional<AuditBasis> basis;
    auto audit = open_audit(args.audit, basis);
    if (!audit) return report(audit.error());
    auto notice = audit_rectify(*audit, date, args.within, args.title, args.issuer);
    if (!notice) return report(notice.error());
    const auto& [heading, due, lists] = *notice;
    std::expected<std::string, Error> bytes = extension == ".xlsx"
        ? rectify_to_xlsx(lists, heading, args.out.parent_path().empty() ? "." : args.out.parent_path())
        : rectify_to_html(lists, heading);
    if (!bytes) return report(bytes.error());
    if (auto written = write_atomically(args.out, *bytes); !written) return report(written.error());
    std::size_t findings = 0;
    for (const auto& l : lists) findings += l.findings.size();
    std::cerr << args.out.string() << "：" << lists.size() << " 个单位，" << findings << " 项问题，整改期限 " << format_date(due) << " ("
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
