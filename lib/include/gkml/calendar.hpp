// The official working-day calendar: the State Council holiday notices, one year per file
// (catalogs/calendar/YYYY.xml), and counting 工作日 on it.
//
// A working day is Monday to Friday, minus the notice's days off, plus its 调休 working Saturdays and
// Sundays. A date whose calendar year has no notice loaded is an error naming that year, never a guess.
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/error.hpp"

namespace gkml {

using Date = std::chrono::year_month_day;

enum class DayKind {
    holiday,  // a day off set by the notice (weekends inside the span included)
    workday,  // a Saturday or Sunday made a working day (调休上班)
};

struct Notice {
    std::string number;  // 国办发明电〔2024〕12号
    Date date;           // when it was issued
    std::string title;
    std::string href;
    bool operator==(const Notice&) const = default;
};

struct CalendarDay {
    Date date;
    DayKind kind = DayKind::holiday;
    std::string name;                // 春节, 国庆节、中秋节 …
    bool adjoining_weekend = false;  // "与周末连休": an ordinary weekend the notice does not name itself
    std::string notice;              // the amending notice that set it; empty: the year's first notice
    bool operator==(const CalendarDay&) const = default;
};

// One notice year. Its days can start in late December of the year before (元旦 spans).
struct CalendarYear {
    int year = 0;
    std::vector<Notice> notices;    // the annual notice first, then those amending it
    std::vector<CalendarDay> days;  // in date order
    bool operator==(const CalendarYear&) const = default;
};

// Every covered day's working-day ordinal, made once by make_calendar: is_workday, add_workdays and
// count_workdays are then one or two array lookups instead of a walk a day at a time.
struct CalendarIndex;

// Consecutive notice years in ascending order; build one with make_calendar or load_calendar.
struct Calendar {
    std::vector<CalendarYear> years;
    std::shared_ptr<const CalendarIndex> index;  // derived from `years`
    bool operator==(const Calendar& other) const { return years == other.years; }
};

struct YearRange {
    int first = 0;
    int last = 0;  // inclusive
    bool operator==(const YearRange&) const = default;
};

// Reads every YYYY.xml in `dir` (other files are ignored). Errors name the file and line.
std::expected<Calendar, Error> load_calendar(const std::filesystem::path& dir);

// One year file's text; `file` is only used in error messages.
std::expected<CalendarYear, Error> parse_calendar_year(std::string_view xml, const std::string& file);

// Orders the years and checks them: at least one, no year twice, no gap, days in date order.
std::expected<Calendar, Error> make_calendar(std::vector<CalendarYear> years);

YearRange covered_years(const Calendar&);

// Errors (invalid_input) name the year that is not covered.
std::expected<bool, Error> is_workday(Date day, const Calendar&);

// The day `n` working days after `from`: `from` itself is not counted, the count starts the next day,
// and the result is the n-th working day. n == 0 gives `from`; n < 0 counts back the same way (the
// |n|-th working day before `from`).
std::expected<Date, Error> add_workdays(Date from, int n, const Calendar&);

// Working days after `from` up to and including `to` (negative when `to` is before `from`), so that
// count_workdays(from, add_workdays(from, n)) == n.
std::expected<int, Error> count_workdays(Date from, Date to, const Calendar&);

// The first working day after `day`.
std::expected<Date, Error> next_workday(Date day, const Calendar&);

// `day` itself if it is a working day, else the first working day after it (民法典 §203: a period
// whose last day is a day off ends on the next working day).
std::expected<Date, Error> roll_to_workday(Date day, const Calendar&);

// The rows of notice year `year`, by kind, in date order.
std::expected<std::vector<CalendarDay>, Error> days_off(int year, const Calendar&);
std::expected<std::vector<CalendarDay>, Error> adjusted_workdays(int year, const Calendar&);
std::expected<CalendarYear, Error> calendar_year(int year, const Calendar&);

// YYYY-MM-DD, strictly; nullopt for anything else, including dates that do not exist.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date);

std::string_view to_string(DayKind);

}  // namespace gkml
