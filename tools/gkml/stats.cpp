#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gkml/coverage.hpp"
#include "gkml/stats.hpp"
#include "gkml/xml.hpp"
#include "table.hpp"

namespace gkml::cli {

namespace {

struct StatsArgs {
    std::vector<std::filesystem::path> paths;
    std::string format = "text";
};

int run_stats(const StatsArgs& args) {
    std::vector<FieldStats> all;
    for (const auto& path : args.paths) {
        std::vector<Catalog> catalogs;
        if (std::filesystem::is_directory(path)) {
            auto read = read_catalog_dir(path);
            if (!read) return report(read.error());
            catalogs = std::move(*read);
        } else {
            auto read = read_catalog(path);
            if (!read) return report(read.error());
            catalogs.push_back(std::move(*read));
        }
        for (const auto& c : catalogs)
            for (auto& s : catalog_stats(c)) all.push_back(std::move(s));
    }
    if (args.format == "json") {
        auto array = nlohmann::ordered_json::array();
        for (const auto& s : all)
            array.push_back({{"field", s.field}, {"name", s.name}, {"items", s.items}, {"active", s.active()},
                             {"categories", s.categories}, {"with_evidence", s.with_evidence},
                             {"reconstructed", s.reconstructed}, {"time_limits", s.time_limits},
                             {"parsed", s.parsed}, {"deprecated", s.deprecated}, {"levels", s.levels},
                             {"mode", {{"proactive", s.proactive}, {"on_request", s.on_request}}}});
        std::cout << array.dump(2) << '\n';
        return ok;
    }
    std::vector<std::vector<std::string>> rows;
    FieldStats total;
    auto share = [](const FieldStats& s) { return percent(Ratio{s.with_evidence, s.active()}); };
    auto level = [](const FieldStats& s, const char* l) {
        auto it = s.levels.find(l);
        return std::to_string(it == s.levels.end() ? 0 : it->second);
    };
    for (const auto& s : all) {
        rows.push_back({s.field, s.name, std::to_string(s.categories), std::to_string(s.active()), std::to_string(s.deprecated),
                        level(s, "city"), level(s, "county"), level(s, "township"), level(s, "village"),
                        std::to_string(s.proactive), std::to_string(s.on_request), std::to_string(s.with_evidence),
                        std::to_string(s.reconstructed), share(s), std::to_string(s.parsed) + "/" + std::to_string(s.time_limits)});
        total.categories += s.categories;
        total.items += s.items;
        total.deprecated += s.deprecated;
        for (const auto& [l, n] : s.levels) total.levels[l] += n;
        total.proactive += s.proactive;
        total.on_request += s.on_request;
        total.with_evidence += s.with_evidence;
        total.reconstructed += s.reconstructed;
        total.parsed += s.parsed;
        total.time_limits += s.time_limits;
    }
    rows.push_back({"", "合计", std::to_string(total.categories), std::to_string(total.active()), std::to_string(total.deprecated),
                    level(total, "city"), level(total, "county"), level(total, "township"), level(total, "village"),
                    std::to_string(total.proactive), std::to_string(total.on_request),
                    std::to_string(total.with_evidence), std::to_string(total.reconstructed), share(total),
                    std::to_string(total.parsed) + "/" + std::to_string(total.time_limits)});
    // 事项: items in force; 有出处 of them, attested by a published table; 推定 inferred; 停用 deprecated.
    std::cout << render_table({{"代码", 4}, {"领域", 24}, {"一级", 4}, {"事项", 4}, {"停用", 4}, {"市级", 4}, {"县级", 4},
                               {"乡级", 4}, {"村级", 4}, {"主动", 4}, {"依申请", 6}, {"有出处", 6}, {"推定", 4},
                               {"出处占比", 8}, {"时限可解析", 10}},
                              rows);
    return ok;
}

}  // namespace

void add_stats(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<StatsArgs>();
    auto* sub = app.add_subcommand("stats", "Count a catalog's items per field, level and mode, with evidence");
    sub->add_option("paths", args->paths, "Catalog files or folders (a folder is one catalog set)")->required();
    sub->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub->callback([args, &exit_code] { exit_code = run_stats(*args); });
}

}  // namespace gkml::cli
