#include <iostream>

#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/template.hpp"
#include "gkml/units.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

std::expected<Catalog, Error> load_standard(const std::filesystem::path& folder) {
    auto dir = folder.empty() ? data_dir() / "catalogs" / "standard" : folder;
    if (!std::filesystem::is_directory(dir)) {  // one file: a locality's standard
        auto one = read_catalog(dir);
        if (one && one->kind != CatalogKind::standard)
            return std::unexpected(Error{ErrorKind::invalid_input, "这不是标准目录 / not a standard catalog", dir.string(), 0});
        return one;
    }
    auto sets = read_catalog_dir(dir);
    if (!sets) return std::unexpected(sets.error());
    std::erase_if(*sets, [](const Catalog& c) { return c.kind != CatalogKind::standard; });
    if (sets->size() == 1) return std::move(sets->front());
    if (sets->empty())
        return std::unexpected(Error{ErrorKind::invalid_input, "这个文件夹里没有标准目录 / no standard catalog in this folder", dir.string(), 0});
    // The national standard and a city's in one folder: which one is meant is the user's to say.
    std::string ids;
    for (const auto& s : *sets) ids += (ids.empty() ? "" : "、") + s.id + " " + s.version;
    return std::unexpected(Error{ErrorKind::usage,
                                 "这个文件夹里有 " + std::to_string(sets->size()) + " 个标准目录（" + ids +
                                     "）：用 --standard 指向其中一个的文件或文件夹 / the folder holds several standards: name one",
                                 dir.string(), 0});
}

std::expected<UnitRef, Error> unit_of(const std::string& code, const std::filesystem::path& units,
                                      const std::string& name, const std::string& level) {
    UnitRef unit{code, name.empty() ? code : name, Level::township};
    if (!units.empty()) {
        auto registry = read_units(units);
        if (!registry) return std::unexpected(registry.error());
        auto found = std::ranges::find(*registry, code, &Unit::code);
        if (found == registry->end())
            return std::unexpected(Error{ErrorKind::usage, "单位名录中没有代码为 " + code + " 的单位：检查代码，或先把它加入名录 / unit " + code + " is not in the registry", units.string(), 0});
        if (!found->level) return std::unexpected(Error{ErrorKind::usage, "unit " + code + " keeps no catalog (province)", "", 0});
        unit.name = found->name;
        unit.level = *found->level;
        if (level.empty()) return unit;
    }
    auto parsed = level_from(level);
    if (!parsed)
        return std::unexpected(Error{ErrorKind::usage, "--level 只能是 city（市级）、county（县级）、township（乡镇）或 village（村） / --level must be city, county, township or village", "", 0});
    unit.level = *parsed;
    return unit;
}

namespace {

struct InitArgs {
    std::filesystem::path standard, template_, units, out;
    std::string unit, name, level;
};

int run_init(const InitArgs& args) {
    auto unit = unit_of(args.unit, args.units, args.name, args.level);
    if (!unit) return report(unit.error());
    auto source = args.template_.empty() ? load_standard(args.standard) : read_catalog(args.template_);
    if (!source) return report(source.error());
    std::vector<std::string> fields;
    if (!args.units.empty())
        if (auto registry = read_units(args.units))
            if (auto found = std::ranges::find(*registry, args.unit, &Unit::code); found != registry->end()) fields = found->fields;
    auto catalog = unit_catalog_from(*source, *unit, fields);
    if (catalog.fields.empty())
        return report(Error{ErrorKind::invalid_input, "来源目录中没有这一层级的事项 / the source has no items at level " + std::string{to_string(unit->level)}, "", 0});
    if (int written = write_checked(args.out, catalog, &*source); written != ok) return written;
    std::cerr << args.out.string() << ": " << catalog.item_count() << " items in " << catalog.fields.size() << " fields for "
              << unit->name << '\n';
    return ok;
}

}  // namespace

void add_init(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<InitArgs>();
    auto* sub = app.add_subcommand("init", "Start a unit's catalog from the standard (or a template), ready to fill in");
    sub->add_option("--standard", args->standard, "The standard: a folder of one standard catalog set, or a file (default: the bundled standard)");
    sub->add_option("--template", args->template_, "Start from a pilot team's template instead of the standard");
    sub->add_option("--unit", args->unit, "The unit's statistical division code")->required();
    sub->add_option("--level", args->level, "city, county, township or village (required without --units)");
    sub->add_option("--units", args->units, "Unit registry (XML or CSV) giving the unit's name and level");
    sub->add_option("--name", args->name, "The unit's name, without a registry");
    sub->add_option("-o,--output", args->out, "The catalog to write")->required();
    sub->callback([args, &exit_code] { exit_code = run_init(*args); });
}

}  // namespace gkml::cli
