#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
#include "gkml/validate.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

std::filesystem::path data_dir() {
    if (const char* home = std::getenv("GKML_HOME"); home && *home) return home;
    std::error_code error;
    auto program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) return std::filesystem::path("/usr") / "share" / "gkml";
    auto beside = program.parent_path();
    auto installed = (beside / GKML_DATA_FROM_BIN).lexically_normal();  // bin/gkml -> share/gkml
    if (std::filesystem::exists(installed / "catalogs" / "fields.xml", error)) return installed;
    auto build_tree = beside / "gkml-data";  // the link CMake puts beside a binary in its build tree
    if (std::filesystem::exists(build_tree / "catalogs" / "fields.xml", error)) return build_tree;
    return installed;  // absent: the first read names the path it looked for
}

int report(const Error& error) {
    std::cerr << "gkml: ";
    if (!error.file.empty()) {
        std::cerr << error.file;
        if (error.line > 0) std::cerr << ':' << error.line;
        std::cerr << ": ";
    }
    std::cerr << error.message << '\n';
    return exit_code_of(error.kind);
}

std::expected<Catalog, Error> read_catalog_or_folder(const std::filesystem::path& path) {
    if (!std::filesystem::is_directory(path)) return read_catalog(path);
    auto sets = read_catalog_dir(path);
    if (!sets) return std::unexpected(sets.error());
    if (sets->size() != 1)
        return std::unexpected(Error{ErrorKind::invalid_input,
                                     "文件夹中有 " + std::to_string(sets->size()) + " 个目录，应只有一个 / the folder holds " +
                                         std::to_string(sets->size()) + " catalogs, not one",
                                     path.string(), 0});
    return std::move(sets->front());
}

std::expected<std::optional<Catalog>, Error> standard_of(const Catalog& catalog, const std::filesystem::path& folder) {
    if (catalog.based_on.empty()) return std::optional<Catalog>{};
    auto sets = read_catalog_dir(folder.empty() ? data_dir() / "catalogs" / "standard" : folder);
    if (!sets) return std::unexpected(sets.error());
    for (auto& s : *sets)
        if (s.kind == CatalogKind::standard && s.id == catalog.based_on &&
            (catalog.based_on_version.empty() || s.version == catalog.based_on_version))
            return std::optional<Catalog>{std::move(s)};
    return std::optional<Catalog>{};
}

int write_checked(const std::filesystem::path& out, const Catalog& catalog, const Catalog* standard) {
    auto schemas = Schemas::compile();
    if (!schemas) return report(schemas.error());
    auto registry = read_fields(data_dir() / "catalogs" / "fields.xml");
    if (!registry) return report(registry.error());
    // The standard counts only when it is the one the catalog says it is based on.
    if (standard && (catalog.based_on != standard->id || (!catalog.based_on_version.empty() && catalog.based_on_version != standard->version)))
        standard = nullptr;
    std::string xml = write_catalog(catalog);
    auto problems = check_before_writing(catalog, xml, out.string(), *schemas, CheckContext{&*registry, standard});
    if (has_errors(problems)) {
        std::erase_if(problems, [](const Diagnostic& d) { return d.severity != Severity::error; });
        std::cerr << diagnostics_to_text(problems);
        return report(Error{ErrorKind::invalid_input, "写出的目录不能通过校验，未写入 / the catalog would not validate; nothing written",
                            out.string(), 0});
    }
    if (auto written = write_atomically(out, xml); !written) return report(written.error());
    return ok;
}

}  // namespace gkml::cli
