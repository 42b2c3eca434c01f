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
};

int run_import(const ImportArgs& args) {
    std::string extension = args.in.extension().string().substr(args.in.has_extension() ? 1 : 0);
    std::ranges::transform(extension, extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string from = !args.from.empty() ? args.from : table_format_of(args.in);
    if (from.empty()) from = extension;
    if (args.from.empty() && (from == "xls" || from == "ods" || from == "et" || from == "wps" || from == "xlsm"))
        return report(Error{ErrorKind::invalid_input,
                            "gkml 读 .xlsx 工作簿，不读 ." + from + "：在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入，"
                            "或用 libreoffice --headless --convert-to xlsx " + args.in.filename().string() +
                            " / ." + from + " is not read: save the workbook as .xlsx",
                            args.in.string(), 0});
    if (from != "xlsx" && from != "csv" && from != "html")
        return report(Error{ErrorKind::usage,
                            args.from.empty() ? "看不出 " + args.in.filename().string() + " 是什么表格：用 --from xlsx、csv 或 html 指明 / "
                                                "name the format with --from xlsx, csv or html"
                                              : "--from 只能是 xlsx、csv 或 html / --from must be xlsx, csv or html",
                            "", 0});
    auto standard = load_standard(args.standard);
    if (!standard) return report(standard.error());
    auto registry = read_fields(data_dir() / "catalogs" / "fields.xml");
    if (!registry) return report(registry.error());
    ImportOptions options;
    options.file = args.in.string();
    options.standard = &*standard;
    options.registry = &*registry;
    options.field_code = args.field;
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
    auto* sub = app.add_subcommand("import", "Read a catalog back from a workbook, a CSV file or a published web page");
    sub->add_option("in", args->in, "The file to read")->required();
    sub->add_option("--from", args->from, "xlsx, csv or html (default: from the extension)")
        ->check(CLI::IsMember({"xlsx", "csv", "html"}));
    sub->add_option("--standard", args->standard, "Folder of the standard catalogs rows are matched against");
    sub->add_option("--unit", args->unit, "The unit the catalog belongs to (statistical division code)");
    sub->add_option("--units", args->units, "Unit registry giving the unit's name and level");
    sub->add_option("--name", args->name, "The unit's name, without a registry");
    sub->add_option("--level", args->level, "The unit's level, without a registry (default: township)");
    sub->add_option("--field", args->field, "Field code, when nothing in the file names the field");
    sub->add_option("-o,--output", args->out, "The catalog to write (XML)")->required();
    sub->callback([args, &exit_code] { exit_code = run_import(*args); });
}

}  // namespace gkml::cli
