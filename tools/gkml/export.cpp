#include <iostream>

#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/html.hpp"
#include "gkml/tabular.hpp"
#include "gkml/xlsx.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct ExportArgs {
    std::filesystem::path in, out;
    std::string format;
};

int run_export(const ExportArgs& args) {
    auto catalog = read_catalog_or_folder(args.in);
    if (!catalog) return report(catalog.error());
    std::string format = args.format.empty() ? args.out.extension().string().substr(args.out.has_extension() ? 1 : 0) : args.format;
    std::expected<std::string, Error> bytes;
    if (format == "xlsx") bytes = catalog_to_xlsx(*catalog, args.out.parent_path().empty() ? "." : args.out.parent_path());
    else if (format == "csv") bytes = catalog_to_csv(*catalog);
    else if (format == "html" || format == "htm") bytes = catalog_to_html(*catalog);
    else if (format == "md") bytes = markdown_of(*catalog);
    else return report(Error{ErrorKind::usage, "--format 只能是 xlsx、csv、html 或 md / --format must be xlsx, csv, html or md", "", 0});
    if (!bytes) return report(bytes.error());
    if (auto written = write_atomically(args.out, *bytes); !written) return report(written.error());
    return ok;
}

}  // namespace

void add_export(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ExportArgs>();
    auto* sub = app.add_subcommand("export", "Write a catalog as an Excel/WPS workbook, CSV, an HTML page or Markdown");
    sub->add_option("in", args->in, "The catalog (XML)")->required();
    sub->add_option("--format", args->format, "xlsx, csv, html or md (default: from the output's extension)")
        ->check(CLI::IsMember({"xlsx", "csv", "html", "md"}));
    sub->add_option("-o,--output", args->out, "The file to write")->required();
    sub->callback([args, &exit_code] { exit_code = run_export(*args); });
}

}  // namespace gkml::cli
