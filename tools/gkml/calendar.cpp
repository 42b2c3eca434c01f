#include <array>
#include <charconv>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "gkml/calendar.hpp"

namespace gkml::cli {

namespace {

std::filesystem::path calendar_dir(const std::filesystem::path& option) {
    return option.empty() ? data_dir() / "catalogs" / "calendar" : option;
}

std::string_view weekday_zh(Date date) {
    constexpr std::array<std::string_view, 7> names{"周日", "周一", "周二", "周三", "周四", "周五", "周六"};
    return names[std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding()];
}

struct CalendarArgs {
    std::string year;
    std::string format = "text";
    std::filesystem::path calendar;
};

int run_calendar(const CalendarArgs& args) {
    int year = 0;
    auto [ptr, ec] = std::from_chars(args.year.data(), args.year.data() + args.year.size(), year);
    if (ec != std::errc{} || ptr != args.year.data() + args.year.size() || args.year.size() != 4)
        return report(Error{ErrorKind::usage, "年份要写成四位数字，如 2025 / YEAR must be a year such as 2025, not '" + args.year + "'", {}, 0});
    auto calendar = load_calendar(calendar_dir(args.calendar));
    if (!calendar) return report(calendar.error());
    auto rows = calendar_year(year, *calendar);
    if (!rows) return report(rows.error());

    if (args.format == "json") {
        nlohmann::ordered_json out;
        out["year"] = rows->year;
        auto notices = nlohmann::ordered_json::array();
        for (const auto& n : rows->notices)
            notices.push_back({{"number", n.number}, {"date", format_date(n.date)}, {"title", n.title}, {"href", n.href}});
        out["notices"] = notices;
        auto days = nlohmann::ordered_json::array();
        for (const auto& d : rows->days) {
            nlohmann::ordered_json day{{"date", format_date(d.date)}, {"kind", to_string(d.kind)}, {"name", d.name}};
            if (d.adjoining_weekend) day["adjoining_weekend"] = true;
            if (!d.notice.empty()) day["notice"] = d.notice;
            days.push_back(day);
        }
        out["days"] = days;
        std::cout << out.dump(2) << '\n';
        return ok;
    }
    for (const auto& n : rows->notices)
        std::cout << n.number << "  " << format_date(n.date) << "  " << n.title << '\n';
    int off = 0, work = 0;
    for (const auto& d : rows->days) {
        std::cout << format_date(d.date) << "  " << weekday_zh(d.date) << "  "
                  << (d.kind == DayKind::holiday ? "放假" : "上班（调休）") << "  " << d.name;
        if (d.adjoining_weekend) std::cout << "（与周末连休）";
        if (!d.notice.empty()) std::cout << "（" << d.notice << "）";
        std::cout << '\n';
        (d.kind == DayKind::holiday ? off : work) += 1;
    }
    std::cout << year << ": " << off << " days off, " << work << " 调休 working days\n";
    return ok;
}

struct WorkdaysArgs {
    std::string from;
    std::string to;
    std::filesystem::path calendar;
};

int run_workdays(const WorkdaysArgs& args) {
    auto from = parse_date(args.from);
    auto to = parse_date(args.to);
    if (!from || !to)
        return report(Error{ErrorKind::usage, "起止日期要写成 YYYY-MM-DD / FROM and TO must be dates YYYY-MM-DD", {}, 0});
    auto calendar = load_calendar(calendar_dir(args.calendar));
    if (!calendar) return report(calendar.error());
    auto count = count_workdays(*from, *to, *calendar);
    if (!count) return report(count.error());
    std::cout << *count << '\n';
    return ok;
}

}  // namespace

void add_calendar(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<CalendarArgs>();
    auto* sub = app.add_subcommand("calendar", "The days off and 调休 working days of a year, with the notice that set them");
    sub->add_option("year", args->year, "The year, e.g. 2025")->required();
    sub->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    sub->add_option("--calendar", args->calendar, "The holiday calendar folder (default: catalogs/calendar)");
    sub->callback([args, &exit_code] { exit_code = run_calendar(*args); });
}

void add_workdays(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<WorkdaysArgs>();
    auto* sub = app.add_subcommand("workdays", "Count the working days after FROM up to and including TO");
    sub->add_option("from", args->from, "YYYY-MM-DD (not counted)")->required();
    sub->add_option("to", args->to, "YYYY-MM-DD (counted)")->required();
    sub->add_option("--calendar", args->calendar, "The holiday calendar folder (default: catalogs/calendar)");
    sub->footer("TO before FROM gives minus the working days from TO up to but not including FROM.");
    sub->callback([args, &exit_code] { exit_code = run_workdays(*args); });
}

}  // namespace gkml::cli
