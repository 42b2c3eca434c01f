#include "gkml/diagnostics.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "gkml/version.hpp"

namespace gkml {

namespace {

std::string message_of(const Diagnostic& d) {
    if (d.message_en.empty()) return d.message_zh;
    if (d.message_zh.empty()) return d.message_en;
    return d.message_zh + " (" + d.message_en + ")";
}

}  // namespace

std::string diagnostics_to_text(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        out += d.file;
        if (!d.cell.empty()) out += ":" + d.cell;
        else if (d.line > 0) out += ":" + std::to_string(d.line);
        if (d.cell.empty() && d.line > 0 && d.column > 0) out += ":" + std::to_string(d.column);
        out += ": ";
        out += to_string(d.severity);
        out += " " + d.code + ": " + message_of(d) + "\n";
        if (!d.hint.empty()) out += "    hint: " + d.hint + "\n";
    }
    return out;
}

std::string diagnostics_to_json(const std::vector<Diagnostic>& diagnostics) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics) {
        array.push_back({{"code", d.code},
                         {"severity", std::string(to_string(d.severity))},
                         {"file", d.file},
                         {"line", d.line},
                         {"column", d.column},
                         {"cell", d.cell},
                         {"message", message_of(d)},
                         {"message_zh", d.message_zh},
                         {"message_en", d.message_en},
                         {"hint", d.hint}});
    }
    return array.dump(2) + "\n";
}

std::string diagnostics_to_sarif(const std::vector<Diagnostic>& diagnostics) {
    std::map<std::string, const Diagnostic*> rules;  // one rule per code, described by its first finding
    for (const auto& d : diagnostics) rules.emplace(d.code, &d);
    auto rule_list = nlohmann::ordered_json::array();
    for (const auto& [code, d] : rules)
        rule_list.push_back({{"id", code},
                             {"shortDescription", {{"text", d->message_zh}}},
                             {"help", {{"text", d->hint}}}});
    auto results = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics) {
        nlohmann::ordered_json region = nlohmann::ordered_json::object();
        if (d.line > 0) region["startLine"] = d.line;
        if (d.column > 0) region["startColumn"] = d.column;
        nlohmann::ordered_json location = {{"artifactLocation", {{"uri", d.file}}}};
        if (!region.empty()) location["region"] = region;
        if (!d.cell.empty()) location["properties"] = {{"cell", d.cell}};
        results.push_back({{"ruleId", d.code},
                           {"level", d.severity == Severity::error ? "error"
                                     : d.severity == Severity::warning ? "warning"
                                                                        : "note"},
                           {"message", {{"text", message_of(d)}}},
                           {"locations", nlohmann::ordered_json::array({{{"physicalLocation", location}}})}});
    }
    nlohmann::ordered_json sarif = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::ordered_json::array(
                     {{{"tool", {{"driver", {{"name", "gkml"}, {"version", std::string(version)}, {"rules", rule_list}}}}},
                       {"results", results}}})}};
    return sarif.dump(2) + "\n";
}

}  // namespace gkml
