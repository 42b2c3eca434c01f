#include "gkml/calendar.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace gkml {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::string_view calendar_namespace = "urn:gkml:calendar:1";

Error invalid(std::string message, const std::string& file = {}, int line = 0) {
    return Error{ErrorKind::invalid_input, std::move(message), file, line};
}

Error not_covered(int year, const Calendar& calendar) {
    auto range = covered_years(calendar);
    return invalid("no holiday calendar for " + std::to_string(year) + ": the calendar covers " +
                   std::to_string(range.first) + "–" + std::to_string(range.last) + "; add " +
                   std::to_string(year) + ".xml from the State Council notice of that year");
}

bool is_weekend(Date day) {
    auto wd = std::chrono::weekday{sys_days{day}};
    return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

const CalendarYear* find_year(int year, const Calendar& calendar) {
    if (calendar.years.empty()) return nullptr;
    int index = year - calendar.years.front().year;
    if (index >= 0 && index < static_cast<int>(calendar.years.size()) &&
        calendar.years[static_cast<std::size_t>(index)].year == year)
        return &calendar.years[static_cast<std::size_t>(index)];
    auto it = std::ranges::find(calendar.years, year, &CalendarYear::year);
    return it == calendar.years.end() ? nullptr : &*it;
}

const CalendarDay* find_row(Date day, const CalendarYear& year) {
    auto it = std::lower_bound(year.days.begin(), year.days.end(), day,
                               [](const CalendarDay& row, Date d) { return row.date < d; });
    return it != year.days.end() && it->date == day ? &*it : nullptr;
}

}  // namespace

struct CalendarIndex {
    sys_days first;                // 1 January of the first notice year
    sys_days last;                 // 31 December of the last
    std::vector<int> ordinal;      // [d - first]: the working days in [first, d]
    std::vector<int> workday;      // [k - 1]: the k-th working day, as days since `first`
};

namespace {

// Walks the covered days once. A day's kind is the row of its own year's notice, else (late
// December) the next year's notice, else Monday to Friday.
CalendarIndex index_of(const Calendar& calendar) {
    CalendarIndex index;
    index.first = sys_days{std::chrono::year{calendar.years.front().year} / std::chrono::January / 1};
    index.last = sys_days{std::chrono::year{calendar.years.back().year} / std::chrono::December / 31};
    int count = 0;
    for (sys_days day = index.first; day <= index.last; day += days{1}) {
        Date date{day};
        const auto* own = find_year(static_cast<int>(date.year()), calendar);
        const CalendarDay* row = find_row(date, *own);
        if (!row && date.month() == std::chrono::December)
            if (const auto* next = find_year(static_cast<int>(date.year()) + 1, calendar)) row = find_row(date, *next);
        if (row ? row->kind == DayKind::workday : !is_weekend(date)) {
            ++count;
            index.workday.push_back(static_cast<int>((day - index.first).count()));
        }
        index.ordinal.push_back(count);
    }
    return index;
}

// The working days in [first, day] for a covered day or the day before the first.
int ordinal_of(sys_days day, const CalendarIndex& index) {
    return day < index.first ? 0 : index.ordinal[static_cast<std::size_t>((day - index.first).count())];
}

int year_of(sys_days day) { return static_cast<int>(Date{day}.year()); }

int line_of(std::string_view text, std::ptrdiff_t offset) {
    if (offset < 0) return 0;
    auto end = text.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(text.size()));
    return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    return std::nullopt;
}

std::expected<std::vector<CalendarDay>, Error> rows_of_kind(int year, DayKind kind, const Calendar& calendar) {
    const auto* found = find_year(year, calendar);
    if (!found) return std::unexpected(not_covered(year, calendar));
    std::vector<CalendarDay> rows;
    std::ranges::copy_if(found->days, std::back_inserter(rows), [kind](const auto& row) { return row.kind == kind; });
    return rows;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
        int value = 0;
        auto first = text.data() + pos;
        auto [ptr, ec] = std::from_chars(first, first + len, value);
        if (ec != std::errc{} || ptr != first + len) return std::nullopt;
        return value;
    };
    auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (!y || !m || !d) return std::nullopt;
    Date date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
              std::chrono::day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string format_date(Date date) {
    // By hand for the years a record has (snprintf was a third of storing a ledger's records).
    const int y = static_cast<int>(date.year());
    const auto m = static_cast<unsigned>(date.month()), d = static_cast<unsigned>(date.day());
    if (y >= 0 && y <= 9999 && m <= 99 && d <= 99) {
        std::string out = "0000-00-00";
        const auto digit = [](unsigned n) { return static_cast<char>('0' + n % 10); };
        const auto year = static_cast<unsigned>(y);
        out[0] = digit(year / 1000), out[1] = digit(year / 100), out[2] = digit(year / 10), out[3] = digit(year);
        out[5] = digit(m / 10), out[6] = digit(m), out[8] = digit(d / 10), out[9] = digit(d);
        return out;
    }
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

std::string_view to_string(DayKind kind) { return kind == DayKind::holiday ? "holiday" : "workday"; }

std::expected<CalendarYear, Error> parse_calendar_year(std::string_view xml, const std::string& file) {
    pugi::xml_document doc;
    auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return std::unexpected(invalid(parsed.description(), file, line_of(xml, parsed.offset)));
    auto at = [&](const pugi::xml_node& node) { return line_of(xml, node.offset_debug()); };

    auto root = doc.document_element();
    if (std::string_view{root.name()} != "calendar" ||
        std::string_view{root.attribute("xmlns").value()} != calendar_namespace)
        return std::unexpected(invalid("the root must be <calendar xmlns=\"urn:gkml:calendar:1\">", file, at(root)));

    CalendarYear result;
    std::string_view year_text = root.attribute("year").value();
    auto [ptr, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), result.year);
    if (ec != std::errc{} || ptr != year_text.data() + year_text.size() || result.year < 2000)
        return std::unexpected(invalid("<calendar year> must be a year such as 2025", file, at(root)));

    for (auto node : root.children()) {
        if (node.type() != pugi::node_element) continue;
        std::string_view name = node.name();
        if (name == "notice") {
            auto date = parse_date(node.attribute("date").value());
            Notice notice{node.attribute("number").value(), date.value_or(Date{}), node.attribute("title").value(),
                          node.attribute("href").value()};
            if (notice.number.empty() || !date || notice.title.empty())
                return std::unexpected(invalid("<notice> needs a number, a date (YYYY-MM-DD) and a title", file, at(node)));
            result.notices.push_back(std::move(notice));
        } else if (name == "day") {
            auto date = parse_date(node.attribute("date").value());
            if (!date) return std::unexpected(invalid("<day date> must be a date YYYY-MM-DD", file, at(node)));
            CalendarDay day{*date, DayKind::holiday, node.attribute("name").value(), false,
                            node.attribute("notice").value()};
            std::string_view kind = node.attribute("kind").value();
            if (kind == "workday") day.kind = DayKind::workday;
            else if (kind != "holiday")
                return std::unexpected(invalid("<day kind> must be holiday or workday", file, at(node)));
            if (auto adjoining = node.attribute("adjoining-weekend"); !adjoining.empty()) {
                auto flag = parse_bool(adjoining.value());
                if (!flag) return std::unexpected(invalid("adjoining-weekend must be true or false", file, at(node)));
                day.adjoining_weekend = *flag;
            }
            if (day.name.empty()) return std::unexpected(invalid("<day> needs the holiday's name", file, at(node)));
            int y = static_cast<int>(date->year());
            bool late_december = y == result.year - 1 && date->month() == std::chrono::December;
            if (y != result.year && !late_december)
                return std::unexpected(invalid(format_date(*date) + " does not belong to the notice of " +
                                                   std::to_string(result.year), file, at(node)));
            if (day.kind == DayKind::workday && !is_weekend(*date))
                return std::unexpected(invalid(format_date(*date) + " is a weekday: only a Saturday or Sunday can be a 调休 working day",
                                               file, at(node)));
            if (day.adjoining_weekend && (day.kind != DayKind::holiday || !is_weekend(*date)))
                return std::unexpected(invalid(format_date(*date) + ": an adjoining-weekend row must be a Saturday or Sunday day off",
                                               file, at(node)));
            if (!result.days.empty() && result.days.back().date >= *date)
                return std::unexpected(invalid(format_date(*date) + " is out of date order or listed twice", file, at(node)));
            result.days.push_back(std::move(day));
        } else {
            return std::unexpected(invalid("unexpected <" + std::string{name} + "> in a calendar", file, at(node)));
        }
    }
    if (result.notices.empty())
        return std::unexpected(invalid("a calendar year names the notice that set it: add a <notice>", file, at(root)));
    return result;
}

std::expected<Calendar, Error> make_calendar(std::vector<CalendarYear> years) {
    if (years.empty()) return std::unexpected(invalid("the calendar has no year"));
    std::ranges::sort(years, {}, &CalendarYear::year);
    for (std::size_t i = 1; i < years.size(); ++i) {
        if (years[i].year == years[i - 1].year)
            return std::unexpected(invalid("the calendar has " + std::to_string(years[i].year) + " twice"));
        if (years[i].year != years[i - 1].year + 1)
            return std::unexpected(invalid("the calendar has no year " + std::to_string(years[i - 1].year + 1) + " between " +
                                           std::to_string(years[i - 1].year) + " and " + std::to_string(years[i].year)));
    }
    for (const auto& year : years) {
        if (!std::ranges::is_sorted(year.days, {}, &CalendarDay::date))
            return std::unexpected(invalid("the days of " + std::to_string(year.year) + " are not in date order"));
    }
    Calendar calendar{std::move(years), nullptr};
    calendar.index = std::make_shared<const CalendarIndex>(index_of(calendar));
    return calendar;
}

std::expected<Calendar, Error> load_calendar(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return std::unexpected(Error{ErrorKind::io, "没有节假日日历文件夹（catalogs/calendar） / no calendar folder", dir.string(), 0});
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        auto name = entry.path().filename().string();
        if (name.size() == 8 && name.ends_with(".xml") && std::all_of(name.begin(), name.begin() + 4, [](char c) {
                return c >= '0' && c <= '9';
            }))
            files.push_back(entry.path());
    }
    if (ec) return std::unexpected(Error{ErrorKind::io, ec.message(), dir.string(), 0});
    if (files.empty()) return std::unexpected(invalid("no YYYY.xml calendar files", dir.string()));
    std::ranges::sort(files);

    std::vector<CalendarYear> years;
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in && !in.eof()) return std::unexpected(Error{ErrorKind::io, "无法读取文件（检查路径和权限） / cannot read the file", path.string(), 0});
        auto year = parse_calendar_year(text.str(), path.string());
        if (!year) return std::unexpected(year.error());
        if (path.stem().string() != std::to_string(year->year))
            return std::unexpected(invalid("the file holds the notice of " + std::to_string(year->year) +
                                           ": name it " + std::to_string(year->year) + ".xml", path.string()));
        years.push_back(std::move(*year));
    }
    return make_calendar(std::move(years));
}

YearRange covered_years(const Calendar& calendar) {
    if (calendar.years.empty()) return {};
    return {calendar.years.front().year, calendar.years.back().year};
}

std::expected<bool, Error> is_workday(Date day, const Calendar& calendar) {
    const auto& index = *calendar.index;
    sys_days d{day};
    if (d < index.first || d > index.last) return std::unexpected(not_covered(static_cast<int>(day.year()), calendar));
    return ordinal_of(d, index) != ordinal_of(d - days{1}, index);
}

std::expected<Date, Error> add_workdays(Date from, int n, const Calendar& calendar) {
    if (n == 0) return from;
    const auto& index = *calendar.index;
    sys_days start{from};
    // A count that would step outside the covered days names the first uncovered day it steps on.
    if (n > 0 && (start + days{1} < index.first || start >= index.last))
        return std::unexpected(not_covered(year_of(start + days{1}), calendar));
    if (n < 0 && (start - days{1} > index.last || start <= index.first))
        return std::unexpected(not_covered(year_of(start - days{1}), calendar));
    // Forward: W working days up to and including `from`, the answer is the (W + n)-th working day.
    // Backward: W working days before `from`, the |n|-th before it is the (W + n + 1)-th.
    long target = n > 0 ? static_cast<long>(ordinal_of(start, index)) + n : static_cast<long>(ordinal_of(start - days{1}, index)) + n + 1;
    if (target < 1) return std::unexpected(not_covered(year_of(index.first - days{1}), calendar));
    if (target > static_cast<long>(index.workday.size()))
        return std::unexpected(not_covered(year_of(index.last + days{1}), calendar));
    return Date{index.first + days{index.workday[static_cast<std::size_t>(target - 1)]}};
}

std::expected<int, Error> count_workdays(Date from, Date to, const Calendar& calendar) {
    // Forward: the days in (from, to]; backward: the days in [to, from), so add_workdays inverts it.
    int sign = to < from ? -1 : 1;
    sys_days first = sign > 0 ? sys_days{from} + days{1} : sys_days{to};
    sys_days last = sign > 0 ? sys_days{to} : sys_days{from} - days{1};
    if (first > last) return 0;
    const auto& index = *calendar.index;
    if (first < index.first) return std::unexpected(not_covered(year_of(first), calendar));
    if (last > index.last) return std::unexpected(not_covered(year_of(index.last + days{1}), calendar));
    return sign * (ordinal_of(last, index) - ordinal_of(first - days{1}, index));
}

std::expected<Date, Error> next_workday(Date day, const Calendar& calendar) { return add_workdays(day, 1, calendar); }

std::expected<Date, Error> roll_to_workday(Date day, const Calendar& calendar) {
    auto working = is_workday(day, calendar);
    if (!working) return std::unexpected(working.error());
    if (*working) return day;
    return next_workday(day, calendar);
}

std::expected<std::vector<CalendarDay>, Error> days_off(int year, const Calendar& calendar) {
    return rows_of_kind(year, DayKind::holiday, calendar);
}

std::expected<std::vector<CalendarDay>, Error> adjusted_workdays(int year, const Calendar& calendar) {
    return rows_of_kind(year, DayKind::workday, calendar);
}

std::expected<CalendarYear, Error> calendar_year(int year, const Calendar& calendar) {
    const auto* found = find_year(year, calendar);
    if (!found) return std::unexpected(not_covered(year, calendar));
    return *found;
}

}  // namespace gkml
