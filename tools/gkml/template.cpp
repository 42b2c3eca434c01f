#include <iostream>

#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/template.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct TemplateArgs {
    std::filesystem::path from, standard, out;
};

int run_template(const TemplateArgs& args) {
    auto catalog = read_catalog(args.from);
    if (!catalog) return report(catalog.error());
    if (catalog->kind != CatalogKind::unit)
        return report(Error{ErrorKind::invalid_input, "模板要从单位目录生成 / a template is made from a unit catalog", args.from.string(), 0});
    auto standard = load_standard(args.standard);
    auto result = template_from(*catalog, standard ? &*standard : nullptr);
    if (int written = write_checked(args.out, result, standard ? &*standard : nullptr); written != ok) return written;
    std::cerr << args.out.string() << ": template with " << result.item_count() << " items\n";
    return ok;
}

}  // namespace

void add_template(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<TemplateArgs>();
    auto* sub = app.add_subcommand("template", "Turn a unit's finished catalog into a template other units can start from");
    sub->add_option("from", args->from, "The unit catalog")->required();
    sub->add_option("--standard", args->standard, "The standard: a folder of one standard catalog set, or a file (default: the bundled standard)");
    sub->add_option("-o,--output", args->out, "The template to write")->required();
    sub->callback([args, &exit_code] { exit_code = run_template(*args); });
}

}  // namespace gkml::cli
