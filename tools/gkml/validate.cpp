#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/validate.hpp"

namespace gkml::cli {

namespace {

struct ValidateArgs {
    std::vector<std::filesystem::path> paths;
    std::string format = "text";
    std::filesystem::path standard;
    std::filesystem::path fields;
    bool strict = false;
    unsigned jobs = 0;
};

int run_validate(const ValidateArgs& args) {
    auto schemas = Schemas::compile();
    if (!schemas) return report(schemas.error());
    ValidateOptions options;
    options.standard_dir = args.standard.empty() ? data_dir() / "catalogs" / "standard" : args.standard;
    options.fields_file = args.fields.empty() ? data_dir() / "catalogs" / "fields.xml" : args.fields;
    if (!std::filesystem::exists(options.fields_file)) options.fields_file.clear();
    options.threads = args.jobs;
    auto result = validate_paths(args.paths, options, *schemas);

    if (args.format == "json")
        std::cout << diagnostics_to_json(result.diagnostics);
    else if (args.format == "sarif")
        std::cout << diagnostics_to_sarif(result.diagnostics);
    else
        std::cout << diagnostics_to_text(result.diagnostics);

    std::size_t errors = 0, warnings = 0;
    for (const auto& d : result.diagnostics) (d.severity == Severity::error ? errors : warnings) += 1;
    std::cerr << result.files << " files checked: " << errors << " errors, " << warnings << " warnings\n";
    if (errors > 0 || (args.strict && warnings > 0)) return invalid;
    return ok;
}

}  // namespace

void add_validate(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ValidateArgs>();
    auto* sub = app.add_subcommand("validate", "Check catalogs, ledgers and unit registries (files or folders)");
    sub->add_option("paths", args->paths, "Files or folders (recursively *.xml)")->required();
    sub->add_option("--format", args->format, "text, json or sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
    sub->add_option("--standard", args->standard, "Folder of the standard catalogs that `based-on` names");
    sub->add_option("--fields", args->fields, "The field registry (default: catalogs/fields.xml)");
    sub->add_flag("--strict", args->strict, "Warnings fail the check too");
    sub->add_option("-j,--jobs", args->jobs, "Files checked at once (default: all cores)");
    sub->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace gkml::cli
