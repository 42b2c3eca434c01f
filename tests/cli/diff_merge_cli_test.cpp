#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "run.hpp"

using gkml::test::run_gkml;
using gkml::test::slurp;

namespace {

const std::string v1 = "tests/data/diff/standard-v1.xml";
const std::string v2 = "tests/data/diff/standard-v2.xml";
const std::string township = "tests/data/diff/township-v1.xml";

std::filesystem::path scratch(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("gkml-merge-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

}  // namespace

TEST_CASE("diff exits 0 on equal catalogs, reformatting included, 1 when they differ, 2 on bad input", "[cli][diff]") {
    CHECK(run_gkml({"diff", v1, "tests/data/diff/standard-v1-reformatted.xml"}).exit_code == 0);
    CHECK(run_gkml({"diff", "catalogs/standard", "catalogs/standard"}).exit_code == 0);
    auto run = run_gkml({"diff", v1, v2});
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("办事指南{+（申请条件和流程）+}") != std::string::npos);
    CHECK(run.out.find("\033[") == std::string::npos);
    CHECK(run_gkml({"diff", v1, "tests/data/invalid/not-well-formed.xml"}).exit_code == 2);
    CHECK(run_gkml({"diff", v1, v2, "--format", "yaml"}).exit_code == 3);
}

TEST_CASE("diff --format json lists ids sorted by kind, and columns with old and new", "[cli][diff]") {
    auto run = run_gkml({"diff", "--format", "json", v1, v2});
    REQUIRE(run.exit_code == 1);
    auto diff = nlohmann::json::parse(run.out);
    CHECK(diff["added"] == nlohmann::json{"20-005", "20-006"});
    CHECK(diff["removed"].empty());
    CHECK(diff["deprecated"] == nlohmann::json{"20-003"});
    CHECK(diff["moved"] == nlohmann::json::parse(R"([{"id": "21-001", "from": "20", "to": "21"}])"));
    REQUIRE(diff["changed"].size() == 3);
    auto name = diff["changed"][0]["columns"][0];
    CHECK(name["column"] == "name");
    CHECK(name["old"] == "办事指南");
    CHECK(name["new"] == "办事指南（申请条件和流程）");
    CHECK(diff["changed"][0]["columns"][1]["added"] == nlohmann::json{"weibo-wechat-app"});
    CHECK(run_gkml({"diff", "--format", "json", "--field", "21", v1, v2}).out.find("20-001") == std::string::npos);
}

TEST_CASE("diff --format html is one self-contained page", "[cli][diff]") {
    auto run = run_gkml({"diff", "--format", "html", v1, v2});
    CHECK(run.exit_code == 1);
    CHECK(run.out.starts_with("<!DOCTYPE html>"));
    CHECK(run.out.find("<ins>（申请条件和流程）</ins>") != std::string::npos);
    // Grouped by field, with Chinese words for enumerated members; the title names both catalogs.
    CHECK(run.out.find("<h3>20 社会救助（") != std::string::npos);
    CHECK(run.out.find("<h3>21 养老服务（") != std::string::npos);
    CHECK(run.out.find("<ins>乡级</ins>") != std::string::npos);
    CHECK(run.out.find("<ins>两微一端</ins>") != std::string::npos);
    CHECK(run.out.find("[required]") == std::string::npos);
    CHECK(run.out.find("weibo-wechat-app") == std::string::npos);
    CHECK(run.out.find("<tr><td>版本</td>") != std::string::npos);
    // A time limit whose number changed is shown replaced whole, not digit by digit.
    auto edited = scratch("v1-5days.xml");
    auto text = slurp(gkml::test::source(v1));
    auto at = text.find("10个工作日");
    REQUIRE(at != std::string::npos);
    std::ofstream(edited) << text.substr(0, at) << "5个工作日" << text.substr(at + std::string("10个工作日").size());
    auto days = run_gkml({"diff", "--format", "html", v1, edited.string()}).out;
    CHECK(days.find("10个工作日内</del> → <ins>") != std::string::npos);
    CHECK(days.find("<del>1</del>") == std::string::npos);
    CHECK(run.out.find("src=") == std::string::npos);
    CHECK(run.out.find("href=") == std::string::npos);
}

TEST_CASE("merge carries a township catalog onto the new standard and writes a valid file", "[cli][merge]") {
    auto out = scratch("merged.xml");
    auto run = run_gkml({"merge", v1, township, v2, "-o", out.string()});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(slurp(out) == slurp(gkml::test::source("tests/data/diff/township-v2-expected.xml")));
    CHECK(run_gkml({"validate", "--standard", "tests/data/diff", out.string()}).exit_code == 0);
}

TEST_CASE("a conflicting merge leaves the output untouched and reports the conflict", "[cli][merge]") {
    auto out = scratch("untouched.xml");
    std::ofstream(out) << "before";
    auto run = run_gkml({"merge", "--format", "json", v1, "tests/data/diff/township-conflicting.xml", v2, "-o", out.string()});
    CHECK(run.exit_code == 1);
    CHECK(slurp(out) == "before");
    auto report = nlohmann::json::parse(run.out);
    REQUIRE(report["conflicts"].size() == 1);
    CHECK(report["conflicts"][0]["item"] == "20-001");
    CHECK(report["conflicts"][0]["column"] == "name");

    run = run_gkml({"merge", "--conflicts-as-markers", v1, "tests/data/diff/township-conflicting.xml", v2, "-o", out.string()});
    CHECK(run.exit_code == 1);
    CHECK(slurp(out).find("<ours>最低生活保障办事指南</ours>") != std::string::npos);
    CHECK(run_gkml({"validate", out.string()}).exit_code == 2);
}

TEST_CASE("merge-driver works the way git calls it: result in %A, 0 when clean, 1 on conflict", "[cli][merge]") {
    auto ours = scratch("ours.xml");
    std::filesystem::copy_file(gkml::test::source(township), ours, std::filesystem::copy_options::overwrite_existing);
    CHECK(run_gkml({"merge-driver", v1, ours.string(), v2, "catalogs/township.xml"}).exit_code == 0);
    CHECK(slurp(ours) == slurp(gkml::test::source("tests/data/diff/township-v2-expected.xml")));

    std::filesystem::copy_file(gkml::test::source("tests/data/diff/township-conflicting.xml"), ours,
                               std::filesystem::copy_options::overwrite_existing);
    auto run = run_gkml({"merge-driver", v1, ours.string(), v2, "catalogs/township.xml"});
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("catalogs/township.xml: CONFLICT 20-001 name") != std::string::npos);
    CHECK(slurp(ours).find("<conflict xmlns=\"urn:gkml:merge:1\"") != std::string::npos);
}
