#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gkml/diagnostics.hpp"
#include "gkml/files.hpp"
#include "gkml/merge.hpp"
#include "gkml/validate.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct MergeArgs {
    std::filesystem::path base;
    std::filesystem::path ours;
    std::filesystem::path theirs;
    std::filesystem::path out;
    std::filesystem::path standard;  // where the standard the result is based on is looked up
    std::string format = "text";
    bool markers = false;
    std::string name;  // merge-driver: the path git merges, for messages
};

std::string conflicts_to_text(const std::vector<Conflict>& conflicts, const std::string& file) {
    std::string out;
    auto side = [&](const char* name, const std::string& value) {
        out += std::string("    ") + name + ": ";
        for (char c : value) out += c == '\n' ? std::string("; ") : std::string(1, c);
        out += "\n";
    };
    for (const auto& c : conflicts) {
        out += (file.empty() ? "" : file + ": ") + "CONFLICT " + (c.item.empty() ? "catalog" : c.item) + " " + c.column +
               ": " + c.reason + "\n";
        side("base  ", c.base);
        side("ours  ", c.ours);
        side("theirs", c.theirs);
    }
    return out + std::to_string(conflicts.size()) + " conflicts\n";
}

std::string conflicts_to_json(const std::vector<Conflict>& conflicts) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& c : conflicts)
        out.push_back({{"item", c.item}, {"column", c.column}, {"reason", c.reason}, {"base", c.base}, {"ours", c.ours},
                       {"theirs", c.theirs}});
    return nlohmann::ordered_json{{"conflicts", out}}.dump(2) + "\n";
}

// Writes the merge to `out`: the catalog when clean (checked against the schema first), the catalog with
// conflict elements when asked for markers, nothing otherwise.
int merge_into(const MergeArgs& args, std::ostream& report_to) {
    std::vector<Catalog> inputs;
    for (const auto* path : {&args.base, &args.ours, &args.theirs}) {
        auto catalog = read_catalog_or_folder(*path);
        if (!catalog) return report(catalog.error());
        inputs.push_back(std::move(*catalog));
    }
    auto result = merge_catalogs(inputs[0], inputs[1], inputs[2]);
    if (!result.clean()) {
        report_to << (args.format == "json" ? conflicts_to_json(result.conflicts) : conflicts_to_text(result.conflicts, args.name));
        if (!args.markers) return differs;
        auto written = write_atomically(args.out, write_with_conflicts(result));
        return written ? differs : report(written.error());
    }
    // Checked as validate checks it: against the standard it is based on, where that one is at hand.
    auto standard = standard_of(result.catalog, args.standard);
    if (!standard) return report(standard.error());
    return write_checked(args.out, result.catalog, *standard ? &**standard : nullptr);
}

}  // namespace

void add_merge(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<MergeArgs>();
    auto* sub = app.add_subcommand("merge", "3-way merge of catalogs: carry a unit's catalog onto a new standard revision");
    sub->add_option("base", args->base, "The common ancestor (e.g. the standard the unit catalog was made from; a file or a folder)")->required();
    sub->add_option("ours", args->ours, "Our catalog (e.g. the township's)")->required();
    sub->add_option("theirs", args->theirs, "Their catalog (e.g. the new standard revision)")->required();
    sub->add_option("-o,--output", args->out, "Where the merged catalog goes; untouched when there are conflicts")->required();
    sub->add_option("--format", args->format, "Conflict report: text or json")->check(CLI::IsMember({"text", "json"}));
    sub->add_flag("--conflicts-as-markers", args->markers, "Write conflicts as <conflict> elements to resolve by hand");
    sub->add_option("--standard", args->standard,
                    "Folder of the standard catalogs the result is checked against (its based-on; default: the bundled ones)");
    sub->callback([args, &exit_code] { exit_code = merge_into(*args, std::cout); });
}

void add_merge_driver(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<MergeArgs>();
    args->markers = true;
    auto* sub = app.add_subcommand("merge-driver", "git merge driver: gkml merge-driver %O %A %B %P (result written to %A)");
    sub->add_option("base", args->base, "%O: the ancestor's version")->required();
    sub->add_option("ours", args->ours, "%A: our version, replaced by the result")->required();
    sub->add_option("theirs", args->theirs, "%B: their version")->required();
    sub->add_option("path", args->name, "%P: the path being merged, for messages");
    sub->callback([args, &exit_code] {
        args->out = args->ours;
        exit_code = merge_into(*args, std::cerr);
    });
}

}  // namespace gkml::cli
