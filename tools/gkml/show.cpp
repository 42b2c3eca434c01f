#include <iostream>

#include "commands.hpp"
#include "gkml/xml.hpp"
#include "table.hpp"

namespace gkml::cli {

namespace {

struct ShowArgs {
    std::filesystem::path file;
    std::string field;
    std::string level;
};

std::string join_levels(const Item& item) {
    std::string out;
    for (auto l : item.levels) out += (out.empty() ? "" : "、") + std::string(label_zh(l));
    return out;
}

std::string join_channels(const Item& item) {
    std::string out;
    for (const auto& c : item.channels) {
        out += out.empty() ? "" : " ";
        out += c.required ? "■" : "□";
        out += c.code == ChannelCode::other && !c.text.empty() ? c.text : std::string(label_zh(c.code));
    }
    return out;
}

int run_show(const ShowArgs& args) {
    auto catalog = read_catalog(args.file);
    if (!catalog) return report(catalog.error());
    std::optional<Level> level;
    if (!args.level.empty()) {
        level = level_from(args.level);
        if (!level) return report(Error{ErrorKind::usage, "不认识的层级 / unknown level " + args.level + " (city, county, township, village)", "", 0});
    }
    std::cout << catalog->meta.title << "  [" << to_string(catalog->kind) << " " << catalog->id << " "
              << catalog->version << "]\n";
    for (const auto& field : catalog->fields) {
        if (!args.field.empty() && field.code != args.field) continue;
        std::cout << "\n" << field.code << " " << field.name;
        if (field.not_applicable) std::cout << "  （未涉及：" << field.not_applicable->reason << "）";
        std::cout << "\n";
        std::vector<std::vector<std::string>> rows;
        for (const auto& item : field.items) {
            if (level && !item.at_level(*level)) continue;
            std::string elements;
            for (const auto& e : item.elements)
                elements += (elements.empty() ? "" : "、") + std::string(e.mark == ElementMark::required ? "●" : "") + e.text;
            rows.push_back({item.id, item.category, item.name, elements,
                            item.time_limit ? item.time_limit->text : "", item.subject, join_channels(item),
                            join_levels(item), item.not_applicable ? "不适用：" + item.not_applicable->reason : ""});
        }
        std::cout << render_table({{"编号", 8}, {"一级事项", 16}, {"二级事项", 24}, {"公开内容（要素）", 30},
                                   {"公开时限", 24}, {"公开主体", 16}, {"渠道", 24}, {"层级", 10}, {"备注", 20}},
                                  rows);
    }
    return ok;
}

}  // namespace

void add_show(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ShowArgs>();
    auto* sub = app.add_subcommand("show", "Print a catalog as a table");
    sub->add_option("file", args->file, "A catalog file")->required();
    sub->add_option("--field", args->field, "Only this field (code, e.g. 20)");
    sub->add_option("--level", args->level, "Only items at this level: city, county, township, village");
    sub->callback([args, &exit_code] { exit_code = run_show(*args); });
}

}  // namespace gkml::cli
