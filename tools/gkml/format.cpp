#include <iostream>

#include "commands.hpp"
#include "gkml/files.hpp"
#include "gkml/timelimit.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct FormatArgs {
    std::vector<std::filesystem::path> files;
    bool check = false;
    bool rules = false;
};

int run_format(const FormatArgs& args) {
    int result = ok;
    for (const auto& file : args.files) {
        auto text = read_file(file);
        if (!text) return report(text.error());
        auto catalog = parse_catalog(*text, file.string());
        if (!catalog) return report(catalog.error());
        if (args.rules)
            for (auto& field : catalog->fields)
                for (auto& item : field.items)
                    if (item.time_limit) item.time_limit = parse_time_limit(item.time_limit->text);
        std::string canonical = write_catalog(*catalog);
        if (canonical == *text) continue;
        if (args.check) {
            std::cout << file.string() << ": not in canonical form\n";
            result = differs;
            continue;
        }
        if (int written = write_checked(file, *catalog); written != ok) return written;
    }
    return result;
}

}  // namespace

void add_format(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<FormatArgs>();
    auto* sub = app.add_subcommand("format", "Rewrite catalogs in the canonical form (stable order and indentation)");
    sub->add_option("files", args->files, "Catalog files")->required();
    sub->add_flag("--check", args->check, "Only report files that are not canonical (exit 1)");
    sub->add_flag("--rules", args->rules, "Derive every time-limit rule anew from its text");
    sub->callback([args, &exit_code] { exit_code = run_format(*args); });
}

}  // namespace gkml::cli
