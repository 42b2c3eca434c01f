#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
#include "gkml/tabular.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct ImportArgs {
    std::filesystem::path in, out, standard, units;
    std::string from, unit, name, level, field;
    std::string as_standard, version = "1", source, locality;
};

int run_import(const ImportArgs& args) {
    std::string extension = args.in.extension().string().substr(args.in.has_extension() ? 1 : 0);
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string from = !args.from.empty() ? args.from : table_format_of(args.in);
    if (from.empty()) from = extension;
    if (args.from.empty() && (from == "doc" || from == "wps" || from == "docm" || from == "odt" || from == "rtf"))
        return report(Error{ErrorKind::invalid_input,
                            "gkml 读 .docx 文档，不读 ." + from + "：在 Word 或 WPS 中“另存为”Word 文档（*.docx）后再导入，"
                            "或用 libreoffice --headless --convert-to docx " + args.in.filename().string() +
                            " / ." + from + " is not read: save the document as .docx",
                            args.in.string(), 0});
    if (args.from.empty() && (from == "xls" || from == "ods" || from == "et" || from == "xlsm"))
        return report(Error{ErrorKind::invalid_input,
                            "gkml 读 .xlsx 工作簿，不读 ." + from + "：在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入，"
                            "或用 libreoffice --headless --convert-to xlsx " + args.in.filename().string() +
                            " / ." + from + " is not read: save the workbook as .xlsx",
                            args.in.string(), 0});
    if (from != "xlsx" && from != "csv" && from != "html" && from != "docx")
        return report(Error{ErrorKind::usage,
                            args.from.empty() ? "看不出 " + args.in.filename().string() + " 是什么表格：用 --from xlsx、csv、html 或 docx 指明 / "
                                                "name the format with --from xlsx, csv, html or docx"
                                              : "--from 只能是 xlsx、csv、html 或 docx / --from must be xlsx, csv, html or docx",
                            "", 0});
    if (!args.as_standard.empty() && !args.unit.empty())
        return report(Error{ErrorKind::usage, "--as-standard 读入的是地方标准目录，不属于某个单位：不要同时用 --unit / "
                                              "--as-standard and --unit exclude each other", "", 0});
    auto standard = load_standard(args.standard);
    if (!standard) return report(standard.error());
    auto registry = read_fields(data_dir() / "catalogs" / "fields.xml");
    if (!registry) return report(registry.error());
    ImportOptions options;
    options.file = args.in.string();
    options.standard = &*standard;
    options.registry = &*registry;
    options.field_code = args.field;
    if (!args.as_standard.empty())
        options.as_standard = StandardIdentity{args.as_standard, args.version,
                                               args.source.empty() ? args.in.filename().string() : args.source, args.locality};
    if (!args.unit.empty()) {
        auto unit = unit_of(args.unit, args.units, args.name, args.level.empty() && args.units.empty() ? "township" : args.level);
        if (!unit) return report(unit.error());
        options.unit = *unit;
    }
    // The file's bytes are let go before the catalog is written (a large CSV no longer sits in memory twice).
    auto imported = [&]() -> std::expected<Imported, Error> {
        auto bytes = read_file(args.in);
        if (!bytes) return std::unexpected(bytes.error());
        return import_table(*bytes, from, options);
    }();
    if (!imported) return report(imported.error());
    std::cout << diagnostics_to_text(imported->diagnostics);
    if (has_errors(imported->diagnostics)) return invalid;
    if (imported->catalog.kind == CatalogKind::unit && !imported->catalog.meta.unit)
        return report(Error{ErrorKind::usage,
                            "文件中没有写明是哪个单位的目录：用 --unit（和 --units）指定 / name the unit with --unit", args.in.string(), 0});
    if (int written = write_checked(args.out, imported->catalog, &*standard); written != ok) return written;
    std::cerr << args.out.string() << "：共 " << imported->catalog.item_count() << " 个事项 (" << imported->catalog.item_count() << " items)";
    if (!imported->local_items.empty()) {
        std::cerr << "；标准目录中没有、作为本地事项保留 (kept as local items)：";
        constexpr std::size_t shown = 20;  // the rest are in the warnings above, row by row
        for (std::size_t i = 0; i < std::min(shown, imported->local_items.size()); ++i) std::cerr << ' ' << imported->local_items[i];
        if (imported->local_items.size() > shown) std::cerr << " … (" << imported->local_items.size() << " in all)";
    }
    std::cerr << '\n';
    return ok;
}

}  // namespace

void add_import(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ImportArgs>();
    auto* sub = app.add_subcommand("import", "Read a catalog back from a workbook, a CSV file, a published web page or a Word document");
    sub->add_option("in", args->in, "The file to read")->required();
    sub->add_option("--from", args->from, "xlsx, csv, html or docx (default: from the extension)")
        ->check(CLI::IsMember({"xlsx", "csv", "html", "docx"}));
    sub->add_option("--standard", args->standard, "The standard rows are matched against: a folder of one standard catalog set, or a file");
    sub->add_option("--unit", args->unit, "The unit the catalog belongs to (statistical division code)");
    sub->add_option("--units", args->units, "Unit registry giving the unit's name and level");
    sub->add_option("--name", args->name, "The unit's name, without a registry");
    sub->add_option("--level", args->level, "The unit's level, without a registry (default: township)");
    sub->add_option("--field", args->field, "Field code, when nothing in the file names the field");
    sub->add_option("--as-standard", args->as_standard,
                    "Read a locality's own standard catalog (as its Word document, workbook or page publishes it) "
                    "into a standard with this id, based on --standard (default: the national one)");
    sub->add_option("--version", args->version, "With --as-standard: the standard's version (default 1)");
    sub->add_option("--source", args->source, "With --as-standard: the address it is published at (default: the file's name)");
    sub->add_option("--locality", args->locality, "With --as-standard: the locality it belongs to, e.g. 黑龙江省双鸭山市");
    sub->add_option("-o,--output", args->out, "The catalog to write (XML)")->required();
    sub->callback([args, &exit_code] { exit_code = run_import(*args); });
}

}  // namespace gkml::cli
