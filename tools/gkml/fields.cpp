#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gkml/xml.hpp"
#include "table.hpp"

namespace gkml::cli {

namespace {

struct FieldsArgs {
    std::filesystem::path file;
    std::string format = "text";
};

int run_fields(const FieldsArgs& args) {
    auto file = args.file.empty() ? data_dir() / "catalogs" / "fields.xml" : args.file;
    auto fields = read_fields(file);
    if (!fields) return report(fields.error());
    if (args.format == "json") {
        auto array = nlohmann::ordered_json::array();
        for (const auto& f : *fields)
            array.push_back({{"code", f.code}, {"slug", f.slug}, {"name", f.name}, {"en", f.en},
                             {"issuers", f.issuers}, {"guideline", f.guideline.number},
                             {"date", f.guideline.date}, {"certainty", f.guideline.certainty},
                             {"aliases", f.aliases}});
        std::cout << array.dump(2) << '\n';
        return ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : *fields) {
        std::string issuers, aliases;
        for (const auto& i : f.issuers) issuers += (issuers.empty() ? "" : "、") + i;
        for (const auto& a : f.aliases) aliases += (aliases.empty() ? "" : "、") + a;
        rows.push_back({f.code, f.name, issuers, f.guideline.number, aliases});
    }
    std::cout << render_table({{"代码", 4}, {"领域", 24}, {"发布部门", 30}, {"标准指引文号", 26}, {"别名", 40}}, rows);
    return ok;
}

}  // namespace

void add_fields(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<FieldsArgs>();
    auto* sub = app.add_subcommand("fields", "List the 26 pilot fields of the field registry");
    sub->add_option("--file", args->file, "The field registry (default: catalogs/fields.xml)");
    sub->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub->callback([args, &exit_code] { exit_code = run_fields(*args); });
}

}  // namespace gkml::cli
