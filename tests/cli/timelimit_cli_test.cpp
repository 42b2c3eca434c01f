#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "run.hpp"

using gkml::test::run_gkml;

namespace {

std::string last_line(const std::string& out) {
    auto end = out.find_last_not_of('\n');
    auto start = out.rfind('\n', end);
    return out.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

}  // namespace

TEST_CASE("a clerk asks when information formed before 春节 2025 is due", "[cli][deadline]") {
    auto run = run_gkml({"deadline", "--from", "2025-01-20", "信息形成或者变更之日起20个工作日内"});
    CHECK(run.exit_code == 0);
    // 1/26 and 2/8 are 调休 working days; 1/28–2/4 are off.
    CHECK(last_line(run.out) == "2025-02-21");
    auto json = nlohmann::json::parse(
        run_gkml({"deadline", "--from", "2025-09-26", "--format", "json", "自该信息形成或者变更之日起２０个工作日内"}).out);
    // 9/28 and 10/11 are 调休 working days; 10/1–10/8 are off.
    CHECK(json["due"] == "2025-10-30");
    CHECK(json["rule"]["clauses"][0]["unit"] == "workday");
}

TEST_CASE("deadline refuses what it cannot know, and says why", "[cli][deadline]") {
    auto unparsed = run_gkml({"deadline", "--from", "2025-01-20", "按上级要求办理"});
    CHECK(unparsed.exit_code == 2);
    CHECK(unparsed.err.find("按上级要求办理") != std::string::npos);
    auto outside = run_gkml({"deadline", "--from", "2031-01-02", "20个工作日"});
    CHECK(outside.exit_code == 2);
    CHECK(outside.err.find("2031") != std::string::npos);
    CHECK(run_gkml({"deadline", "--from", "2025-13-01", "20个工作日"}).exit_code == 3);
}

TEST_CASE("the calendar of a year lists days off and 调休 working days with the notice", "[cli][calendar]") {
    auto run = run_gkml({"calendar", "2025"});
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("国办发明电〔2024〕12号") != std::string::npos);
    CHECK(run.out.find("2025-01-28") != std::string::npos);  // 除夕, a day off from 2025 on
    CHECK(run.out.find("2025-02-08") != std::string::npos);  // a 调休 Saturday
    CHECK(run_gkml({"calendar", "2018"}).exit_code == 2);
}

TEST_CASE("working days in 2025 on the official calendar", "[cli][workdays]") {
    auto run = run_gkml({"workdays", "2024-12-31", "2025-12-31"});
    CHECK(run.exit_code == 0);
    CHECK(last_line(run.out) == "248");
}
