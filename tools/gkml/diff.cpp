#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "commands.hpp"
#include "gkml/text.hpp"
#include "gkml/diff.hpp"
#include "gkml/xml.hpp"

namespace gkml::cli {

namespace {

struct DiffArgs {
    std::filesystem::path old_path;
    std::filesystem::path new_path;
    std::string format = "text";
    std::string field;
    bool no_provenance = false;
};

// "一级事项 / 二级事项" by item key, indexed once (a diff of 100 000 items looks each one up).
class Titles {
public:
    explicit Titles(const Catalog& catalog) {
        for (const auto& field : catalog.fields)
            for (const auto& item : field.items) by_key_.try_emplace(item_key(item), item.category + " / " + item.name);
    }
    std::string operator()(const std::string& key) const {
        auto found = by_key_.find(key);
        return found == by_key_.end() ? "" : found->second;
    }

private:
    std::unordered_map<std::string, std::string> by_key_;
};

std::vector<std::string> fragments(const std::vector<TextPiece>& pieces, TextPiece::Kind kind) {
    std::vector<std::string> out;
    for (const auto& p : pieces)
        if (p.kind == kind) out.push_back(p.text);
    return out;
}

std::string to_json(const CatalogDiff& diff, const Catalog& old_catalog, const Catalog& new_catalog) {
    using json = nlohmann::ordered_json;
    json out{{"added", json::array()}, {"removed", json::array()}, {"deprecated", json::array()},
             {"moved", json::array()}, {"renamed", json::array()}, {"changed", json::array()},
             {"header", json::array()}, {"ambiguous", json::array()}};
    for (const auto& change : diff.items) {
        if (change.kind == ChangeKind::added) out["added"].push_back(change.id);
        if (change.kind == ChangeKind::removed) out["removed"].push_back(change.id);
        if (change.deprecated) out["deprecated"].push_back(change.id);
        if (change.moved()) out["moved"].push_back({{"id", change.id}, {"from", change.old_field}, {"to", change.new_field}});
        if (change.kind == ChangeKind::matched && change.id != change.old_id)
            out["renamed"].push_back({{"from", change.old_id}, {"to", change.id}, {"match", change.match == MatchKind::name ? "name" : "content"},
                                      {"score", change.score}});
        if (change.columns.empty()) continue;
        json columns = json::array();
        for (const auto& c : change.columns) {
            bool text = !is_set_column(c.column);
            columns.push_back({{"column", to_string(c.column)},
                               {"old", text ? json(c.old_text) : json()},
                               {"new", text ? json(c.new_text) : json()},
                               {"added", text ? json(fragments(c.pieces, TextPiece::added)) : json(c.added)},
                               {"removed", text ? json(fragments(c.pieces, TextPiece::removed)) : json(c.removed)}});
        }
        out["changed"].push_back({{"id", change.id}, {"columns", std::move(columns)}});
    }
    for (const auto& h : diff.header) out["header"].push_back({{"what", h.what}, {"old", h.old_text}, {"new", h.new_text}});
    for (const auto& a : diff.ambiguous) {
        const auto& side = a.in_old ? old_catalog : new_catalog;
        const auto& other = a.in_old ? new_catalog : old_catalog;
        json candidates = json::array();
        for (auto pos : a.candidates) candidates.push_back(item_key(item_at(other, pos)));
        out["ambiguous"].push_back({{"side", a.in_old ? "old" : "new"}, {"item", item_key(item_at(side, a.item))},
                                    {"candidates", std::move(candidates)}, {"score", a.score}});
    }
    out["names_compared"] = diff.names_compared;
    return out.dump(2) + "\n";
}

struct Paint {
    bool on = false;
    std::string operator()(std::string_view text, const char* code) const {
        return on ? "\033[" + std::string(code) + "m" + std::string(text) + "\033[0m" : std::string(text);
    }
};

std::string inline_diff(const std::vector<TextPiece>& pieces, const Paint& paint) {
    std::string out;
    for (const auto& p : pieces) {
        if (p.kind == TextPiece::same) out += p.text;
        if (p.kind == TextPiece::removed) out += paint.on ? paint(p.text, "31;9") : "[-" + p.text + "-]";
        if (p.kind == TextPiece::added) out += paint.on ? paint(p.text, "32;4") : "{+" + p.text + "+}";
    }
    return out;
}

std::string to_text(const CatalogDiff& diff, const Catalog& old_catalog, const Catalog& new_catalog, const Paint& paint) {
    const Titles old_titles(old_catalog), new_titles(new_catalog);
    std::ostringstream out;
    for (const auto& h : diff.header) out << paint("# " + h.what, "36") << ": " << h.old_text << " → " << h.new_text << "\n";
    std::size_t added = 0, removed = 0, changed = 0;
    for (const auto& change : diff.items) {
        if (change.kind == ChangeKind::added) {
            ++added;
            out << paint("+ " + change.id + "  " + new_titles(change.id), "32") << "\n";
            continue;
        }
        if (change.kind == ChangeKind::removed) {
            ++removed;
            out << paint("- " + change.id + "  " + old_titles(change.id), "31") << "\n";
            continue;
        }
        ++changed;
        out << paint("~ " + change.id, "33") << "  " << new_titles(change.id) << "\n";
        if (change.id != change.old_id) out << "    was " << change.old_id << "\n";
        if (change.deprecated) out << "    " << paint("deprecated 已废止", "35") << "\n";
        if (change.moved()) out << "    moved 领域 " << change.old_field << " → " << change.new_field << "\n";
        for (const auto& c : change.columns) {
            out << "    " << label_zh(c.column) << " (" << to_string(c.column) << "): ";
            if (!is_set_column(c.column)) {
                out << inline_diff(c.pieces, paint) << "\n";
                continue;
            }
            std::string members;
            for (const auto& m : c.removed) members += (members.empty() ? "" : "  ") + paint("−" + m, "31");
            for (const auto& m : c.added) members += (members.empty() ? "" : "  ") + paint("+" + m, "32");
            out << members << "\n";
        }
    }
    for (const auto& a : diff.ambiguous) {
        const auto& catalog = a.in_old ? old_catalog : new_catalog;
        const auto& item = item_at(catalog, a.item);
        out << paint("? " + item_key(item), "35") << "  " << (a.in_old ? "old" : "new") << " item has "
            << a.candidates.size() << " equally close matches, left unpaired\n";
    }
    if (!diff.names_compared)
        out << paint("! ", "35") << "没有可用编号的事项太多，只把规范化后名称完全相同的配成对，其余列为新增和删除。\n";
    out << added << " added, " << removed << " removed, " << changed << " changed\n";
    return out.str();
}

std::string to_html(const CatalogDiff& diff, const Catalog& old_catalog, const Catalog& new_catalog) {
    const Titles old_titles(old_catalog), new_titles(new_catalog);
    std::ostringstream out;
    // A catalog of many fields (a standard's folder) is named by its id: its title is one field's.
    const bool one_field = old_catalog.fields.size() == 1 && new_catalog.fields.size() == 1;
    auto name_of = [&](const Catalog& c) { return (one_field ? c.meta.title : c.id) + " " + c.version; };
    auto title = escape_html(name_of(old_catalog) + " → " + name_of(new_catalog));
    out << "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << title
        << "</title>\n<style>\n"
        << "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin-bottom:2em}"
        << "th,td{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}th{background:#f0f0f0}"
        << "del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}"
        << ".added{background:#efe}.removed{background:#fee}.kind{white-space:nowrap}\n"
        << "</style>\n</head>\n<body>\n<h1>目录差异 " << title << "</h1>\n";
    if (!diff.header.empty()) {
        out << "<h2>目录信息</h2>\n<table>\n<tr><th>项</th><th>原</th><th>新</th></tr>\n";
        // The header's names as the workbook's cover sheet words them.
        static const std::map<std::string, std::string> names{
            {"id", "目录编号"}, {"version", "版本"}, {"kind", "目录类型"}, {"based-on", "依据标准"}, {"based-on-version", "依据标准版本"},
            {"title", "标题"}, {"issuer", "发布机构"}, {"document-number", "文号"}, {"date", "日期"}, {"unit", "单位"}, {"source", "来源"}};
        auto name_zh = [&](const std::string& what) {
            if (auto it = names.find(what); it != names.end()) return it->second;
            auto slash = what.find('/');  // 20/name, 20/not-applicable
            if (slash != std::string::npos)
                return "领域 " + what.substr(0, slash) + (what.substr(slash + 1) == "name" ? " 名称" : " 未涉及理由");
            return what;
        };
        for (const auto& h : diff.header)
            out << "<tr><td>" << escape_html(name_zh(h.what)) << "</td><td>" << escape_html(h.old_text) << "</td><td>"
                << escape_html(h.new_text) << "</td></tr>\n";
        out << "</table>\n";
    }
    // Items by field, each field its own table.
    std::map<std::string, std::vector<const ItemChange*>> by_field;
    for (const auto& change : diff.items) by_field[change.new_field.empty() ? change.old_field : change.new_field].push_back(&change);
    out << "<h2>事项</h2>\n";
    for (const auto& [code, changes] : by_field) {
        const Field* field = new_catalog.find_field(code) ? new_catalog.find_field(code) : old_catalog.find_field(code);
        out << "<h3>" << escape_html(code + " " + (field ? field->name : "")) << "（" << changes.size() << " 项）</h3>\n";
        out << "<table>\n<tr><th>编号</th><th>变化</th><th>事项</th><th>内容</th></tr>\n";
        for (const auto* changed : changes) {
            const auto& change = *changed;
            const char* kind = change.kind == ChangeKind::added ? "added" : change.kind == ChangeKind::removed ? "removed" : "changed";
            const char* kind_zh = change.kind == ChangeKind::added ? "新增" : change.kind == ChangeKind::removed ? "删除" : "修改";
            const auto& titles = change.kind == ChangeKind::removed ? old_titles : new_titles;
            out << "<tr class=\"" << kind << "\"><td>" << escape_html(change.id) << "</td><td class=\"kind\">" << kind_zh;
            if (change.deprecated) out << "<br>已废止";
            if (change.moved()) out << "<br>领域 " << escape_html(change.old_field) << " → " << escape_html(change.new_field);
            if (change.id != change.old_id) out << "<br>原编号 " << escape_html(change.old_id);
            out << "</td><td>" << escape_html(titles(change.id)) << "</td><td>";
            for (const auto& c : change.columns) {
                out << "<b>" << label_zh(c.column) << "</b>：";
                // Replaced whole where a character diff would not read: a short text with figures in it
                // (about 40 characters: 10 → 5, not 1~~0~~5) or texts that keep little in common.
                std::size_t kept = 0;
                for (const auto& p : c.pieces) kept += p.kind == TextPiece::same ? p.text.size() : 0;
                auto has_digit = [](const std::string& s) { return s.find_first_of("0123456789") != std::string::npos; };
                const bool short_figures = std::max(c.old_text.size(), c.new_text.size()) <= 120 && (has_digit(c.old_text) || has_digit(c.new_text));
                const bool little_kept = kept * 3 < std::min(c.old_text.size(), c.new_text.size());
                if (!is_set_column(c.column) && (short_figures || little_kept)) {
                    if (!c.old_text.empty()) out << "<del>" << escape_html(c.old_text) << "</del>";
                    if (!c.old_text.empty() && !c.new_text.empty()) out << " → ";
                    if (!c.new_text.empty()) out << "<ins>" << escape_html(c.new_text) << "</ins>";
                } else {
                    for (const auto& p : c.pieces) {
                        if (p.kind == TextPiece::same) out << escape_html(p.text);
                        if (p.kind == TextPiece::removed) out << "<del>" << escape_html(p.text) << "</del>";
                        if (p.kind == TextPiece::added) out << "<ins>" << escape_html(p.text) << "</ins>";
                    }
                }
                for (const auto& m : c.removed) out << " <del>" << escape_html(member_zh(c.column, m)) << "</del>";
                for (const auto& m : c.added) out << " <ins>" << escape_html(member_zh(c.column, m)) << "</ins>";
                out << "<br>\n";
            }
            out << "</td></tr>\n";
        }
        out << "</table>\n";
    }
    if (!diff.names_compared) out << "<p>没有可用编号的事项太多，只把规范化后名称完全相同的配成对，其余列为新增和删除。</p>\n";
    if (!diff.ambiguous.empty())
        out << "<p>" << diff.ambiguous.size() << " 个事项有多个同样接近的匹配，未配对，请人工核对。</p>\n";
    out << "</body>\n</html>\n";
    return out.str();
}

int run_diff(const DiffArgs& args) {
    auto old_catalog = read_catalog_or_folder(args.old_path);
    if (!old_catalog) return report(old_catalog.error());
    auto new_catalog = read_catalog_or_folder(args.new_path);
    if (!new_catalog) return report(new_catalog.error());
    DiffOptions options;
    options.field = args.field;
    options.provenance = !args.no_provenance;
    auto diff = diff_catalogs(*old_catalog, *new_catalog, options);
    if (args.format == "json")
        std::cout << to_json(diff, *old_catalog, *new_catalog);
    else if (args.format == "html")
        std::cout << to_html(diff, *old_catalog, *new_catalog);
    else if (!diff.empty())
        std::cout << to_text(diff, *old_catalog, *new_catalog, Paint{::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR")});
    return diff.empty() ? ok : differs;
}

}  // namespace

void add_diff(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<DiffArgs>();
    auto* sub = app.add_subcommand("diff", "Show what differs between two catalogs, item by item and column by column");
    sub->add_option("old", args->old_path, "The old catalog (file, or folder of one catalog set)")->required();
    sub->add_option("new", args->new_path, "The new catalog")->required();
    sub->add_option("--format", args->format, "text, json or html")->check(CLI::IsMember({"text", "json", "html"}));
    sub->add_option("--field", args->field, "Only items of this field (code, e.g. 20)");
    sub->add_flag("--no-provenance", args->no_provenance,
                  "Leave out where items were seen (来源, 重建说明): how a city's standard departs from the national one");
    sub->callback([args, &exit_code] { exit_code = run_diff(*args); });
}

}  // namespace gkml::cli
