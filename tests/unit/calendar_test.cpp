#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "calendar_fixtures.hpp"
#include "gkml/calendar.hpp"

using namespace gkml;
using namespace std::chrono;

namespace {

using gkml::test::bundled_calendar;
using gkml::test::date;

bool working(std::string_view day, const Calendar& calendar) {
    auto w = is_workday(date(day), calendar);
    REQUIRE(w);
    return *w;
}

std::string after_workdays(std::string_view from, int n, const Calendar& calendar) {
    auto d = add_workdays(date(from), n, calendar);
    REQUIRE(d);
    return format_date(*d);
}

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(std::string_view name) : path{std::filesystem::temp_directory_path() / name} {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    void write(std::string_view file, std::string_view text) const { std::ofstream{path / file} << text; }
};

}  // namespace

TEST_CASE("the bundled calendar holds every notice from 2019 to 2026", "[calendar]") {
    auto calendar = bundled_calendar();
    CHECK(covered_years(calendar) == YearRange{2019, 2026});
    REQUIRE(calendar.years.size() == 8);

    auto y2025 = calendar_year(2025, calendar);
    REQUIRE(y2025);
    REQUIRE(y2025->notices.size() == 1);
    CHECK(y2025->notices[0].number == "国办发明电〔2024〕12号");
    CHECK(format_date(y2025->notices[0].date) == "2024-11-12");

    SECTION("2019 and 2020 carry their amending notices") {
        CHECK(calendar_year(2019, calendar)->notices.size() == 2);
        CHECK(calendar_year(2019, calendar)->notices[1].number == "国办发明电〔2019〕3号");
        CHECK(calendar_year(2020, calendar)->notices[1].number == "国办发明电〔2020〕1号");
    }
    SECTION("2025: 28 days off and 5 调休 working days, as the notice lists them") {
        auto off = days_off(2025, calendar);
        auto work = adjusted_workdays(2025, calendar);
        REQUIRE(off);
        REQUIRE(work);
        CHECK(off->size() == 28);
        std::vector<std::string> saturdays;
        for (const auto& d : *work) saturdays.push_back(format_date(d.date));
        CHECK(saturdays == std::vector<std::string>{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"});
    }
}

TEST_CASE("a clerk asks whether a day is a working day", "[calendar]") {
    auto calendar = bundled_calendar();

    SECTION("ordinary weekdays and weekends follow the weekday rule") {
        CHECK(working("2025-03-12", calendar));
        CHECK_FALSE(working("2025-03-15", calendar));
    }
    SECTION("holiday spans are days off, 调休 weekends are working days") {
        CHECK_FALSE(working("2025-10-08", calendar));  // 国庆节、中秋节 2025: 10/1–10/8
        CHECK(working("2025-10-11", calendar));        // a Saturday worked for it
        CHECK_FALSE(working("2023-12-31", calendar));  // 元旦 2024, set by the 2024 notice
    }
    SECTION("the 2025 revision: 除夕 and 5月2日 became days off") {
        CHECK(working("2024-02-09", calendar));        // 除夕 2024 was still a working day
        CHECK_FALSE(working("2025-01-28", calendar));  // 除夕 2025 is not
        CHECK_FALSE(working("2025-05-02", calendar));
    }
    SECTION("the 2020 extension of 春节 cancelled a 调休 Saturday") {
        CHECK_FALSE(working("2020-02-01", calendar));
        auto y2020 = calendar_year(2020, calendar);
        auto row = std::ranges::find(y2020->days, date("2020-02-01"), &CalendarDay::date);
        REQUIRE(row != y2020->days.end());
        CHECK(row->notice == "国办发明电〔2020〕1号");
    }
    SECTION("adjoining weekends are kept, marked, and rest days") {
        auto y2019 = calendar_year(2019, calendar);
        auto row = std::ranges::find(y2019->days, date("2019-04-06"), &CalendarDay::date);
        REQUIRE(row != y2019->days.end());
        CHECK(row->adjoining_weekend);
        CHECK_FALSE(working("2019-04-06", calendar));
    }
    SECTION("late-December rows of the next notice apply") {
        CHECK(working("2022-12-30", calendar));
        CHECK_FALSE(working("2022-12-31", calendar));  // in 2023.xml
    }
}

TEST_CASE("a date outside the covered years is an error naming the year, never a guess", "[calendar]") {
    auto calendar = bundled_calendar();
    auto before = is_workday(date("2018-12-29"), calendar);  // a row of 2019.xml, but 2018 is not covered
    REQUIRE_FALSE(before);
    CHECK(before.error().kind == ErrorKind::invalid_input);
    CHECK_THAT(before.error().message, Catch::Contains("2018"));

    auto after = add_workdays(date("2026-12-20"), 20, calendar);
    REQUIRE_FALSE(after);
    CHECK_THAT(after.error().message, Catch::Contains("2027"));

    CHECK_FALSE(count_workdays(date("2026-12-01"), date("2027-01-10"), calendar));
    CHECK_FALSE(days_off(2030, calendar));
}

TEST_CASE("counting working days across holidays", "[calendar]") {
    auto calendar = bundled_calendar();

    SECTION("the anchor day is not counted; the count ends on the N-th working day") {
        CHECK(after_workdays("2025-03-10", 1, calendar) == "2025-03-11");
        CHECK(after_workdays("2025-03-14", 1, calendar) == "2025-03-17");
        CHECK(after_workdays("2025-03-10", 0, calendar) == "2025-03-10");
    }
    SECTION("across 春节 2025, with a 调休 Sunday before it") {
        CHECK(after_workdays("2025-01-24", 1, calendar) == "2025-01-26");
        CHECK(after_workdays("2025-01-24", 5, calendar) == "2025-02-07");
    }
    SECTION("across 国庆 2025, with its 调休 Sunday and Saturday") {
        CHECK(after_workdays("2025-09-26", 1, calendar) == "2025-09-28");
        CHECK(after_workdays("2025-09-26", 20, calendar) == "2025-10-30");
    }
    SECTION("across year ends") {
        CHECK(after_workdays("2019-12-31", 1, calendar) == "2020-01-02");
        CHECK(after_workdays("2025-12-31", 1, calendar) == "2026-01-04");  // 元旦 2026, then a 调休 Sunday
    }
    SECTION("counting back for lead times") {
        CHECK(after_workdays("2025-10-13", -7, calendar) == "2025-09-26");
    }
    SECTION("count_workdays is working days after FROM up to and including TO") {
        CHECK(count_workdays(date("2025-09-30"), date("2025-10-31"), calendar).value() == 18);
        CHECK(count_workdays(date("2025-10-01"), date("2025-10-08"), calendar).value() == 0);
        CHECK(count_workdays(date("2025-10-31"), date("2025-09-30"), calendar).value() == -18);
        CHECK(count_workdays(date("2025-03-10"), date("2025-03-10"), calendar).value() == 0);
    }
    SECTION("next_workday and roll_to_workday") {
        CHECK(format_date(next_workday(date("2025-10-04"), calendar).value()) == "2025-10-09");
        CHECK(format_date(roll_to_workday(date("2025-10-04"), calendar).value()) == "2025-10-09");
        CHECK(format_date(roll_to_workday(date("2025-10-09"), calendar).value()) == "2025-10-09");
    }
}

TEST_CASE("N working days from any date in 2019–2026 land on a working day N working days on", "[calendar]") {
    auto calendar = bundled_calendar();
    int checked = 0, failures = 0;
    for (sys_days day = sys_days{date("2019-01-01")}; day <= sys_days{date("2026-12-31")}; day += days{1}) {
        for (int n : {1, 2, 3, 5, 7, 10, 15, 20}) {
            auto due = add_workdays(Date{day}, n, calendar);
            if (!due) {
                // Only a count that runs past 2026 may fail, and it says which year is missing.
                if (Date{day}.year() != year{2026} || due.error().message.find("2027") == std::string::npos) ++failures;
                continue;
            }
            ++checked;
            bool lands_on_workday = is_workday(*due, calendar).value_or(false);
            auto count = count_workdays(Date{day}, *due, calendar);
            auto one_less = count_workdays(Date{day}, Date{sys_days{*due} - days{1}}, calendar);
            if (!lands_on_workday || !count || *count != n || !one_less || *one_less != n - 1) {
                ++failures;
                FAIL_CHECK(format_date(Date{day}) << " + " << n << " working days gave " << format_date(*due));
            }
        }
    }
    CHECK(failures == 0);
    CHECK(checked > 8 * 365 * 7);
}

TEST_CASE("working days counted by lookup agree with a walk a day at a time, both ways and past the calendar's ends",
          "[calendar]") {
    auto calendar = bundled_calendar();
    // The reference: step a day at a time, asking is_workday of each day; the first day outside the
    // calendar is the error.
    auto walk = [&](Date from, int n) -> std::expected<Date, Error> {
        sys_days day{from};
        for (int left = n < 0 ? -n : n; left > 0;) {
            day += days{n < 0 ? -1 : 1};
            auto w = is_workday(Date{day}, calendar);
            if (!w) return std::unexpected(w.error());
            if (*w) --left;
        }
        return Date{day};
    };
    int compared = 0, disagreed = 0;
    for (sys_days day = sys_days{date("2018-12-01")}; day <= sys_days{date("2027-01-31")}; day += days{1}) {
        for (int n : {-40, -20, -7, -1, 0, 1, 3, 20, 40}) {
            auto fast = add_workdays(Date{day}, n, calendar);
            auto slow = walk(Date{day}, n);
            ++compared;
            bool same = fast.has_value() == slow.has_value() &&
                        (fast ? *fast == *slow : fast.error().message == slow.error().message);
            if (!same) {
                ++disagreed;
                FAIL_CHECK(format_date(Date{day}) << " " << n << ": " << (fast ? format_date(*fast) : fast.error().message)
                                                  << " / " << (slow ? format_date(*slow) : slow.error().message));
            }
            if (n > 0 && slow) {
                auto count = count_workdays(Date{day}, *slow, calendar);
                if (!count || *count != n) ++disagreed;
            }
        }
    }
    CHECK(disagreed == 0);
    CHECK(compared > 9 * 365 * 8);
    CHECK_THAT(count_workdays(date("2018-12-30"), date("2019-01-10"), calendar).error().message, Catch::Contains("2018"));
    CHECK_THAT(count_workdays(date("2026-12-30"), date("2027-01-10"), calendar).error().message, Catch::Contains("2027"));
}

TEST_CASE("calendar files are checked when they are read", "[calendar]") {
    constexpr std::string_view header = R"(<?xml version="1.0" encoding="UTF-8"?>
<calendar xmlns="urn:gkml:calendar:1" year="2025">
  <notice number="国办发明电〔2024〕12号" date="2024-11-12" title="国务院办公厅关于2025年部分节假日安排的通知"/>
)";

    SECTION("a weekday cannot be a 调休 working day, and the error gives the line") {
        auto year = parse_calendar_year(std::string{header} + "  <day date=\"2025-01-27\" kind=\"workday\" name=\"春节\"/>\n</calendar>\n",
                                        "2025.xml");
        REQUIRE_FALSE(year);
        CHECK(year.error().file == "2025.xml");
        CHECK(year.error().line == 4);
        CHECK_THAT(year.error().message, Catch::Contains("调休"));
    }
    SECTION("rows must be in date order, once each") {
        auto year = parse_calendar_year(std::string{header} +
                                            "  <day date=\"2025-01-02\" kind=\"holiday\" name=\"元旦\"/>\n"
                                            "  <day date=\"2025-01-01\" kind=\"holiday\" name=\"元旦\"/>\n</calendar>\n",
                                        "2025.xml");
        REQUIRE_FALSE(year);
        CHECK(year.error().line == 5);
    }
    SECTION("a calendar with a missing year in the middle is refused, naming it") {
        auto a = parse_calendar_year(std::string{header} + "</calendar>\n", "2025.xml");
        REQUIRE(a);
        CalendarYear b = *a;
        b.year = 2027;
        auto calendar = make_calendar({*a, b});
        REQUIRE_FALSE(calendar);
        CHECK_THAT(calendar.error().message, Catch::Contains("2026"));
    }
    SECTION("load_calendar reads every YYYY.xml of a folder and checks the names") {
        TempDir dir{"gkml-calendar-test"};
        dir.write("2025.xml", std::string{header} + "  <day date=\"2025-01-01\" kind=\"holiday\" name=\"元旦\"/>\n</calendar>\n");
        dir.write("README.md", "not a year");
        auto calendar = load_calendar(dir.path);
        REQUIRE(calendar);
        CHECK(covered_years(*calendar) == YearRange{2025, 2025});
        CHECK_FALSE(is_workday(date("2025-01-01"), *calendar).value());

        dir.write("2024.xml", std::string{header} + "</calendar>\n");  // holds 2025 under the wrong name
        auto misnamed = load_calendar(dir.path);
        REQUIRE_FALSE(misnamed);
        CHECK_THAT(misnamed.error().file, Catch::EndsWith("2024.xml"));
    }
    SECTION("a missing folder is an I/O error") {
        auto calendar = load_calendar("/nonexistent/gkml/calendar");
        REQUIRE_FALSE(calendar);
        CHECK(calendar.error().kind == ErrorKind::io);
    }
}

TEST_CASE("dates are read and written as YYYY-MM-DD only", "[calendar]") {
    CHECK(parse_date("2025-02-28"));
    CHECK_FALSE(parse_date("2025-02-29"));
    CHECK_FALSE(parse_date("2025-2-28"));
    CHECK_FALSE(parse_date("2025/02/28"));
    CHECK(format_date(year{2026} / 1 / 4) == "2026-01-04");
}

TEST_CASE("a date is written YYYY-MM-DD and reads back the same, every day of three centuries", "[calendar]") {
    for (sys_days day = sys_days{1900y / January / 1}; day <= sys_days{2199y / December / 31}; day += days{1}) {
        const Date date{day};
        const auto text = format_date(date);
        REQUIRE(text.size() == 10);
        REQUIRE(parse_date(text) == date);
    }
    CHECK(format_date(Date{0y / January / 1}) == "0000-01-01");
    CHECK(format_date(Date{9999y / December / 31}) == "9999-12-31");
    CHECK(format_date(Date{10000y / March / 5}) == "10000-03-05");
    CHECK(format_date(Date{year{-1} / March / 5}) == "-001-03-05");
}
