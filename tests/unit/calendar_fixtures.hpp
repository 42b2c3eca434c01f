// The bundled holiday calendar and dates, for the tests of calendar and time limits.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string_view>

#include "gkml/calendar.hpp"

namespace gkml::test {

inline Calendar bundled_calendar() {
    auto calendar = load_calendar(std::filesystem::path{GKML_SOURCE_DIR} / "catalogs" / "calendar");
    REQUIRE(calendar);
    return *calendar;
}

inline Date date(std::string_view text) {
    auto d = parse_date(text);
    REQUIRE(d);
    return *d;
}

}  // namespace gkml::test
