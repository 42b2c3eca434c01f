#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
#include "gkml/tabular.hpp"
#include "gkml/validate.hpp"
#include "gkml/xml.hpp"

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

// A clerk's workbook (or CSV, or HTML table) checked as the catalog it imports to: every finding at
// the sheet and cell it came from, never at a line of XML the clerk does not see.
std::vector<Diagnostic> check_table(const std::filesystem::path& file, const std::string& format, const Schemas& schemas,
                                    const Catalog* standard, const std::vector<FieldEntry>* registry) {
    auto unreadable = [&](const Error& e) {
        return std::vector{Diagnostic{"GKML-E001", Severity::error, file.string(), 0, 0, e.message, "", "检查文件是否完整；它应是 gkml export 导出的工作簿或同样格式的表格。", ""}};
    };
    auto bytes = read_file(file);
    if (!bytes) return unreadable(bytes.error());
    ImportOptions options;
    options.file = file.string();
    options.standard = standard;
    options.registry = registry;
    auto imported = import_table(*bytes, format, options);
    if (!imported) return unreadable(imported.error());
    auto out = std::move(imported->diagnostics);
    const bool based_on_it = standard && imported->catalog.based_on == standard->id &&
                             (imported->catalog.based_on_version.empty() || imported->catalog.based_on_version == standard->version);
    // A rule the import already applied at the row's cell (E020 on a cleared group) is said once.
    auto said_by_import = [&](const Diagnostic& d) {
        return std::ranges::any_of(out, [&](const Diagnostic& e) { return e.code == d.code && e.line == d.line && e.line > 0; });
    };
    for (auto& d : check_before_writing(imported->catalog, write_catalog(imported->catalog), file.string(), schemas,
                                        CheckContext{registry, based_on_it ? standard : nullptr}))
        if (!said_by_import(d)) out.push_back(std::move(d));
    return out;
}

int run_validate(const ValidateArgs& args) {
    auto schemas = Schemas::compile();
    if (!schemas) return report(schemas.error());
    std::vector<std::filesystem::path> documents;
    std::vector<Diagnostic> from_tables;
    std::size_t tables = 0;
    std::optional<Catalog> standard;
    std::optional<std::vector<FieldEntry>> registry;
    for (const auto& path : args.paths) {
        auto format = table_format_of(path);
        if (format.empty() || std::filesystem::is_directory(path)) {
            documents.push_back(path);
            continue;
        }
        if (!standard) {
            auto loaded = load_standard(args.standard);
            if (!loaded) return report(loaded.error());
            standard = std::move(*loaded);
            auto fields = read_fields(args.fields.empty() ? data_dir() / "catalogs" / "fields.xml" : args.fields);
            if (!fields) return report(fields.error());
            registry = std::move(*fields);
        }
        for (auto& d : check_table(path, format, *schemas, &*standard, &*registry)) from_tables.push_back(std::move(d));
        ++tables;
    }
    ValidateOptions options;
    options.standard_dir = args.standard.empty() ? data_dir() / "catalogs" / "standard" : args.standard;
    options.fields_file = args.fields.empty() ? data_dir() / "catalogs" / "fields.xml" : args.fields;
    if (!std::filesystem::exists(options.fields_file)) options.fields_file.clear();
    options.threads = args.jobs;
    ValidateReport result;
    if (!documents.empty()) result = validate_paths(documents, options, *schemas);
    result.files += tables;
    result.diagnostics.insert(result.diagnostics.begin(), from_tables.begin(), from_tables.end());

    if (args.format == "json")
        std::cout << diagnostics_to_json(result.diagnostics);
    else if (args.format == "sarif")
        std::cout << diagnostics_to_sarif(result.diagnostics);
    else
        std::cout << diagnostics_to_text(result.diagnostics);

    std::size_t errors = 0, warnings = 0;
    for (const auto& d : result.diagnostics) (d.severity == Severity::error ? errors : warnings) += 1;
    std::cerr << "检查了 " << result.files << " 个文件：" << errors << " 个错误，" << warnings << " 个警告 (" << result.files
              << " files checked: " << errors << " errors, " << warnings << " warnings)\n";
    if (errors > 0 || (args.strict && warnings > 0)) return invalid;
    return ok;
}

}  // namespace

void add_validate(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ValidateArgs>();
    auto* sub = app.add_subcommand("validate", "Check catalogs, ledgers and unit registries (files or folders)");
    sub->add_option("paths", args->paths, "Files or folders (recursively *.xml); a workbook (.xlsx), .csv or .html table is checked as the catalog it imports to, at its cells")->required();
    sub->add_option("--format", args->format, "text, json or sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
    sub->add_option("--standard", args->standard, "Folder of the standard catalogs that `based-on` names");
    sub->add_option("--fields", args->fields, "The field registry (default: catalogs/fields.xml)");
    sub->add_flag("--strict", args->strict, "Warnings fail the check too");
    sub->add_option("-j,--jobs", args->jobs, "Files checked at once (default: all cores)");
    sub->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace gkml::cli
