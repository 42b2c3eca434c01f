// check-catalog STANDARD-DIR FILE.xml...: the schema and rules gkml validate applies (against the
// standard catalogs in STANDARD-DIR), through the installed library; prints each finding and the
// count of items; exit 1 when any file has an error.
#include <gkml/validate.hpp>
#include <gkml/version.hpp>
#include <gkml/xml.hpp>

#include <iostream>

int main(int argc, char** argv) {
    auto schemas = gkml::Schemas::compile();
    if (!schemas) {
        std::cerr << schemas.error().message << '\n';
        return 2;
    }
    if (argc < 3) {
        std::cerr << "usage: check-catalog STANDARD-DIR FILE.xml...\n";
        return 3;
    }
    std::vector<std::filesystem::path> paths(argv + 2, argv + argc);
    gkml::ValidateOptions options;
    options.standard_dir = argv[1];
    auto report = gkml::validate_paths(paths, options, *schemas);
    bool failed = false;
    for (const auto& d : report.diagnostics) {
        std::cout << d.file << ':' << d.line << ": " << d.code << ' ' << d.message_zh << '\n';
        failed = failed || d.severity == gkml::Severity::error;
    }
    std::size_t items = 0;
    for (const auto& path : paths)
        if (auto catalog = gkml::read_catalog(path))
            for (const auto& field : catalog->fields) items += field.items.size();
    std::cout << "gkml " << gkml::version << ": " << report.files << " files, " << items << " items, "
              << (failed ? "errors" : "valid") << '\n';
    return failed ? 1 : 0;
}
