#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "run.hpp"

using gkml::test::run_gkml;

TEST_CASE("gkml fields lists the 26 fields with their guideline numbers", "[cli][fields]") {
    auto run = run_gkml({"fields"});
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("社会救助") != std::string::npos);
    CHECK(run.out.find("人社厅函〔2019〕113号") != std::string::npos);
    auto json = nlohmann::json::parse(run_gkml({"fields", "--format", "json"}).out);
    REQUIRE(json.size() == 26);
    CHECK(json[0]["code"] == "01");
    CHECK(json[25]["code"] == "26");
}

TEST_CASE("gkml show prints a field of a catalog as a table whose columns line up", "[cli][show]") {
    auto run = run_gkml({"show", "catalogs/standard/20-shehuijiuzhu.xml", "--level", "township"});
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("20-001") != std::string::npos);
    CHECK(run.out.find("■政府网站") != std::string::npos);
    CHECK(run_gkml({"show", "catalogs/standard/20-shehuijiuzhu.xml", "--level", "province"}).exit_code == 3);
    CHECK(run_gkml({"show", "no-such.xml"}).exit_code == 4);
}

TEST_CASE("gkml stats counts items, evidence and parsed time limits per field", "[cli][stats]") {
    auto run = run_gkml({"stats", "--format", "json", "catalogs/standard"});
    REQUIRE(run.exit_code == 0);
    auto stats = nlohmann::json::parse(run.out);
    REQUIRE(stats.size() == 26);
    int items = 0;
    for (const auto& field : stats) {
        // Every item in force is attested or says why it is inferred; deprecated ones count in neither.
        CHECK(field["with_evidence"].get<int>() + field["reconstructed"].get<int>() == field["active"].get<int>());
        CHECK(field["active"].get<int>() == field["items"].get<int>() - field["deprecated"].get<int>());
        CHECK(field["parsed"] == field["time_limits"]);
        items += field["items"].get<int>();
    }
    CHECK(items >= 300);
}

TEST_CASE("gkml format makes a reformatted catalog canonical again", "[cli][format]") {
    auto dir = std::filesystem::temp_directory_path() / ("gkml-format-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto file = dir / "c.xml";
    std::string original = gkml::test::slurp(gkml::test::source("catalogs/standard/22-hujiguanli.xml"));
    CHECK(run_gkml({"format", "--check", gkml::test::source("catalogs/standard/22-hujiguanli.xml").string()}).exit_code == 0);
    std::string squashed;
    for (char c : original)
        if (c != '\n') squashed += c;
    std::ofstream(file) << squashed;
    CHECK(run_gkml({"format", "--check", file.string()}).exit_code == 1);
    CHECK(run_gkml({"format", file.string()}).exit_code == 0);
    CHECK(gkml::test::slurp(file) == original);
    std::filesystem::remove_all(dir);
}
