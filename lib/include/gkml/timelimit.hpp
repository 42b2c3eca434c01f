// 公开时限: the text of a catalog's deadline column turned into a rule, and the due dates it sets.
//
// The parser follows the conventions of catalogs/README.md. It reads a text in parts (1.… 2.…, ①…②…,
// then sentences split on ；。 and phrases on ，); every part must be understood, or the whole text is
// unparsed (no clauses) with the text kept, so nothing a clerk wrote is silently dropped.
#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gkml/calendar.hpp"
#include "gkml/error.hpp"
#include "gkml/model.hpp"

namespace gkml {

// Full-width forms to ASCII (２０, （）, ：；，), traditional characters of deadline wording to
// simplified, Chinese numerals before a unit to digits (两个工作日 → 2个工作日, 二十日 → 20日, 一周 → 1周),
// and every space and line break removed.
std::string normalize_time_limit(std::string_view text);

// The rule of one 公开时限 text; TimeLimit::text is `text` byte for byte. No clauses: unparsed.
TimeLimit parse_time_limit(std::string_view text);

// 同上 (and 同上。, 同前): the row repeats the row above it.
bool is_same_as_above(std::string_view text);

// For importers reading a column top to bottom: a 同上 row takes the rule of `previous` (the resolved
// row above) and keeps its own text; any other row is parsed. A 同上 with nothing above is unparsed.
TimeLimit resolve_time_limit(std::string_view text, const TimeLimit* previous);

// A whole column, each 同上 resolved against the row above it.
std::vector<TimeLimit> parse_time_limit_column(std::span<const std::string> texts);

struct Due {
    Date date;
    std::optional<std::chrono::minutes> time;  // hour rules: the time of day on `date`
    std::optional<Date> extended;              // the latest date once the clause's extension is used
    bool operator==(const Due&) const = default;
};

// The due date a clause sets for an event on `anchor` (at time of day `at`, used by hour rules only).
//  - N working days: the anchor day is not counted; the N-th working day after it.
//  - N days / weeks / months: counted on the calendar; a last day that is a day off moves to the next
//    working day (民法典 §203). N hours: natural hours from the event.
//  - 实时: the anchor day. Periodic: the first due date on or after the anchor.
//  - Lead time: the latest day to act before an event on `anchor` (N working days back; N days back,
//    moved earlier onto a working day). Duration: the last day the notice must stay up.
//  - 及时 and standing rules set no date: an invalid_input error says so.
std::expected<Due, Error> due_for(const Clause& clause, Date anchor, const Calendar& calendar,
                                  std::chrono::minutes at = std::chrono::minutes{0});

// The due dates of a periodic rule whose nominal date (end of the period, or its due month/day) lies
// in [from, to], each moved to a working day as above. A count that divides the period splits it
// (每年…2次: two half years); otherwise the count only says how many records the period expects.
std::expected<std::vector<Date>, Error> periodic_dues(const Periodic& rule, Date from, Date to,
                                                      const Calendar& calendar);

}  // namespace gkml
