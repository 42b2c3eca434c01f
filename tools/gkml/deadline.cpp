#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gkml/calendar.hpp"
#include "gkml/timelimit.hpp"

namespace gkml::cli {

namespace {

struct DeadlineArgs {
    std::string from;
    std::string at;
    std::string format = "text";
    std::filesystem::path calendar;
    std::string text;
};

std::string clock_of(std::chrono::minutes time) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(time.count() / 60), static_cast<int>(time.count() % 60));
    return buffer;
}

std::optional<std::chrono::minutes> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
    int h = digit(0) * 10 + digit(1), m = digit(3) * 10 + digit(4);
    if (digit(0) < 0 || digit(1) < 0 || digit(3) < 0 || digit(4) < 0 || h > 23 || m > 59) return std::nullopt;
    return std::chrono::minutes{h * 60 + m};
}

// The rule as JSON, with the XML's names for its values.
nlohmann::ordered_json rule_json(const Clause& clause) {
    nlohmann::ordered_json j;
    if (!clause.scope.empty()) j["scope"] = clause.scope;
    std::visit(
        [&](const auto& rule) {
            using Rule = std::decay_t<decltype(rule)>;
            if constexpr (std::is_same_v<Rule, Relative>) {
                j["kind"] = "relative";
                j["n"] = rule.n;
                j["unit"] = to_string(rule.unit);
                j["anchor"] = to_string(rule.anchor);
                if (!rule.anchor_text.empty()) j["anchor_text"] = rule.anchor_text;
            } else if constexpr (std::is_same_v<Rule, Immediate>) {
                j["kind"] = "immediate";
                j["immediate"] = to_string(rule.kind);
                if (!rule.trigger.empty()) j["trigger"] = rule.trigger;
            } else if constexpr (std::is_same_v<Rule, Standing>) {
                j["kind"] = "standing";
                j["standing"] = to_string(rule.kind);
            } else if constexpr (std::is_same_v<Rule, Periodic>) {
                j["kind"] = "periodic";
                j["period"] = to_string(rule.period);
                j["count"] = rule.count;
                if (rule.due_month) j["due_month"] = rule.due_month;
                if (rule.due_day) j["due_day"] = rule.due_day;
            } else {
                j["kind"] = std::is_same_v<Rule, LeadTime> ? "lead-time" : "duration";
                j["n"] = rule.n;
                j["unit"] = to_string(rule.unit);
            }
        },
        clause.rule);
    if (clause.extension) {
        nlohmann::ordered_json e{{"n", clause.extension->n}, {"unit", to_string(clause.extension->unit)}};
        if (!clause.extension->condition.empty()) e["condition"] = clause.extension->condition;
        j["extension"] = e;
    }
    return j;
}

std::string describe(const Clause& clause) {
    auto j = rule_json(clause);
    std::string line = j.value("scope", std::string{});
    if (!line.empty()) line += ": ";
    line += j["kind"].get<std::string>();
    for (const auto& [key, value] : j.items()) {
        if (key == "scope" || key == "kind" || key == "extension") continue;
        line += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    if (clause.extension) line += " extension=" + std::to_string(clause.extension->n) + " " + std::string{to_string(clause.extension->unit)};
    return line;
}

int run_deadline(const DeadlineArgs& args) {
    auto from = parse_date(args.from);
    if (!from) return report(Error{ErrorKind::usage, "--from 要写成日期 YYYY-MM-DD / --from must be a date YYYY-MM-DD, not '" + args.from + "'", {}, 0});
    std::chrono::minutes at{0};
    if (!args.at.empty()) {
        auto clock = parse_clock(args.at);
        if (!clock) return report(Error{ErrorKind::usage, "--at 要写成 时:分（如 08:30） / --at must be a time HH:MM, not '" + args.at + "'", {}, 0});
        at = *clock;
    }
    auto calendar = load_calendar(args.calendar.empty() ? data_dir() / "catalogs" / "calendar" : args.calendar);
    if (!calendar) return report(calendar.error());

    TimeLimit limit = parse_time_limit(args.text);
    if (!limit.parsed())
        return report(Error{ErrorKind::invalid_input, "公开时限无法解析 (time limit not understood): " + args.text, {}, 0});

    auto clauses = nlohmann::ordered_json::array();
    std::vector<std::string> lines;
    std::optional<Due> earliest;
    std::string no_date_reason;
    for (const auto& clause : limit.clauses) {
        auto j = rule_json(clause);
        std::string line = describe(clause);
        auto due = due_for(clause, *from, *calendar, at);
        bool dateless = std::holds_alternative<Standing>(clause.rule) ||
                        (std::holds_alternative<Immediate>(clause.rule) &&
                         std::get<Immediate>(clause.rule).kind == ImmediateKind::timely);
        if (!due && !dateless) return report(due.error());
        if (!due) {
            no_date_reason = due.error().message;
            line += ": no due date";
        } else {
            j["due"] = format_date(due->date);
            line += ": due " + format_date(due->date);
            if (due->time) {
                j["due_time"] = clock_of(*due->time);
                line += " " + clock_of(*due->time);
            }
            if (due->extended) {
                j["extended"] = format_date(*due->extended);
                line += " (extended: " + format_date(*due->extended) + ")";
            }
            if (!earliest || std::pair{due->date, due->time.value_or(std::chrono::minutes{0})} <
                                 std::pair{earliest->date, earliest->time.value_or(std::chrono::minutes{0})})
                earliest = *due;
        }
        clauses.push_back(j);
        lines.push_back(line);
    }
    if (!earliest) return report(Error{ErrorKind::invalid_input, no_date_reason, {}, 0});

    if (args.format == "json") {
        nlohmann::ordered_json out;
        out["due"] = format_date(earliest->date);
        if (earliest->time) out["due_time"] = clock_of(*earliest->time);
        out["from"] = format_date(*from);
        out["rule"] = {{"text", limit.text}, {"defer_to_law", limit.defer_to_law}, {"clauses", clauses}};
        std::cout << out.dump(2) << '\n';
        return ok;
    }
    std::cout << "公开时限: " << limit.text << '\n';
    std::cout << "from: " << format_date(*from) << '\n';
    for (const auto& line : lines) std::cout << line << '\n';
    if (limit.defer_to_law) std::cout << "另有规定的从其规定: a law or regulation with its own deadline prevails\n";
    std::cout << format_date(earliest->date) << '\n';
    return ok;
}

}  // namespace

void add_deadline(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<DeadlineArgs>();
    auto* sub = app.add_subcommand("deadline", "The due date a 公开时限 text sets for an event on a date");
    sub->add_option("--from", args->from, "The day of the event (YYYY-MM-DD): 形成, 变更, 作出决定 …")->required();
    sub->add_option("--at", args->at, "The time of the event (HH:MM), for hour rules");
    sub->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub->add_option("--calendar", args->calendar, "The holiday calendar folder (default: catalogs/calendar)");
    sub->add_option("text", args->text, "The 公开时限 text, e.g. 信息形成或者变更之日起20个工作日内")->required();
    sub->footer("The anchor day is not counted; N working days end on the N-th working day after it. With several\n"
                "clauses the earliest due date is the last line. Exit 2: text not understood, or a date outside the calendar.");
    sub->callback([args, &exit_code] { exit_code = run_deadline(*args); });
}

}  // namespace gkml::cli
